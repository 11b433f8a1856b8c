"""Site-wide middleware: security headers and the friendly "database
unavailable" page (the page cache is in portal/cache.py).

The order in ``settings.MIDDLEWARE`` matters:

1. ``SecurityHeadersMiddleware`` sits right after Django's SecurityMiddleware,
   so every response (cached pages and error pages too) carries the headers.
2. ``DatabaseUnavailableMiddleware`` sits outside everything that may query
   the database.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.signals import got_request_exception
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers

logger = logging.getLogger("portal.faults")

DATABASE_ERRORS = (OperationalError, InterfaceError)
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def public_policy() -> str:
    """CSP_PUBLIC, with the hashes of the few permitted style attributes."""
    allowed = getattr(settings, "CSP_ALLOWED_STYLE_ATTRIBUTES", [])
    if not allowed:
        return settings.CSP_PUBLIC
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()}'" for value in allowed
    )
    return settings.CSP_PUBLIC.replace("style-src 'self'", f"style-src 'self' 'unsafe-hashes' {hashes}", 1)


def policy_with_sources(policy: str, sources: dict[str, list[str]]) -> str:
    """`policy` with more sources for some directives (``{"script-src": ["https://…"]}``).

    A directive the policy does not name starts from 'self' (what default-src allows).
    """
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    names = [part.split()[0] for part in directives]
    for name, extra in sources.items():
        if name in names:
            position = names.index(name)
            current = directives[position].split()
            directives[position] = " ".join(current + [source for source in extra if source not in current])
        else:
            names.append(name)
            directives.append(" ".join([name, "'self'", *extra]))
    return "; ".join(directives)


def allow_sources(response: HttpResponse, **sources: list[str]) -> HttpResponse:
    """Let this one public response load from a few more origins, e.g.
    ``allow_sources(response, script_src=["https://www.darujme.cz"], frame_src=[…])``.

    The page that embeds a third party's widget calls it on its own response;
    every other response keeps the strict policy. The policy travels as the
    response's header, so the page cache keeps it with the page.
    """
    extra = {name.replace("_", "-"): list(values) for name, values in sources.items()}
    response["Content-Security-Policy"] = policy_with_sources(public_policy(), extra)
    return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    Public pages get a strict policy without 'unsafe-inline'; the Wagtail
    admin, which needs inline scripts and styles, gets a looser one. A response
    that already has a policy keeps it: a page that embeds a third party's widget
    widens its own policy with `allow_sources` (and only its own).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.public_policy = public_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = settings.CSP_ADMIN if request.path.startswith(ADMIN_PREFIXES) else self.public_policy
            response["Content-Security-Policy"] = policy
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def _remember_database_error(sender, request=None, **kwargs) -> None:
    """Note on the request that an unhandled database error happened.

    Errors raised inside another middleware are turned into a 500 response
    before they reach us; this flag lets us swap that for the 503 page.
    """
    import sys

    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DATABASE_ERRORS):
        request.portal_database_error = exc


got_request_exception.connect(_remember_database_error, dispatch_uid="portal-database-unavailable")


class DatabaseUnavailableMiddleware:
    """The database is down or refusing connections: answer with a friendly,
    bilingual 503 page (no traceback, no database access while rendering)."""

    retry_after_seconds = 30

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as exc:
            return self.unavailable(request, exc)
        if response.status_code == 500 and getattr(request, "portal_database_error", None) is not None:
            return self.unavailable(request, request.portal_database_error)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return self.unavailable(request, exception)
        return None

    def unavailable(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error("Database unavailable while serving %s: %s", request.path, exc.__class__.__name__)
        codes = [code for code, _name in settings.LANGUAGES]
        first = next((code for code in codes if request.path.startswith(f"/{code}/")), settings.LANGUAGE_CODE)
        languages = [first, *(code for code in codes if code != first)]
        # Rendered without a request, so no context processor runs: nothing
        # here may touch the database.
        with translation.override(first):
            html = render_to_string("503.html", {"languages": languages})
        response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = str(self.retry_after_seconds)
        response["Cache-Control"] = "no-store"
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that a "not found" answer of the admin stays one.

    Django redirects a 404 of a path without a language prefix to the same path under the default
    language (/cs/admin/…), where the public site answers with its own "page not found": the
    admin's message (an unknown date, say) would be lost on the way.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code == 404 and request.path_info.startswith(ADMIN_PREFIXES):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
