"""Files of the site served without a running server: static files, media files and pages.

The browser check and the self-contained snapshot both read what a visitor's
browser would load from these: the deployed static files (or the app's own
when they were not collected), the media storage, and any other path through
Django's test client.
"""

import mimetypes
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage, storages
from django.test import Client


@dataclass
class Fetched:
    status: int
    body: bytes
    content_type: str


def _guess(path: str) -> str:
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def _static(name: str) -> Fetched | None:
    try:
        storage = storages["staticfiles"]
        if storage.exists(name):
            with storage.open(name) as handle:
                return Fetched(200, handle.read(), _guess(name))
    except Exception:  # noqa: BLE001 - no manifest yet, or a storage without this file: try the finders
        pass
    found = finders.find(name)
    if found:
        with open(found, "rb") as handle:
            return Fetched(200, handle.read(), _guess(name))
    return None


def _media(name: str) -> Fetched | None:
    if default_storage.exists(name):
        with default_storage.open(name) as handle:
            return Fetched(200, handle.read(), _guess(name))
    return None


def fetch(url: str, *, client: Client | None = None, secure: bool = False, pages: bool = True) -> Fetched:
    """What the site answers for `url` (a path, or a URL on the site's own host).

    Without `pages` only static and media files are served (no database query):
    the browser's request handlers run outside the check's database connection.
    """
    path = unquote(urlsplit(url).path)
    static_url, media_url = settings.STATIC_URL or "/static/", settings.MEDIA_URL or "/media/"
    found = None
    if path.startswith(static_url):
        found = _static(path[len(static_url) :])
    elif path.startswith(media_url):
        found = _media(path[len(media_url) :])
    if found is not None:
        return found
    if not pages:
        return Fetched(404, b"", "text/plain")
    client = client or Client(raise_request_exception=False)
    response = client.get(path + (f"?{urlsplit(url).query}" if urlsplit(url).query else ""), secure=secure)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Fetched(response.status_code, body, response.get("Content-Type", _guess(path)))
