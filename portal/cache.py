"""The portal's one cache layer: whole pages for anonymous visitors, and the
version that every kept fragment and value is keyed with.

The version
    ``cache_version()`` names the state of the public site. It is made of

    * the *site version*, a token in the shared cache that is replaced after
      every commit that publishes, unpublishes, moves or deletes a page or
      saves a content row (snippets, dates, images, documents, settings); and
    * the *restriction fingerprint*, a digest of every page view restriction
      as the request knows them at its start (``portal.restrictions``: every
      change committed before the request began is in them). A restriction
      made in any way (the admin, ``bulk_create``, a queryset ``update()``,
      SQL) changes it at once, so nothing kept from before is ever served
      again, on any server; and
    * the *secret tag*, taken from ``csrf_placeholder()``: what was kept under
      another ``SECRET_KEY`` (before the key was rotated) carries another
      placeholder, which no response would replace with the visitor's token,
      so it is never served again.

    Pages, fragments (``{% wagtailcache … using="fragments" %}`` with
    ``cache_version`` among its keys) and kept values (``kept()``, in the same
    ``fragments`` cache) are stored under it, and expire after
    ``PAGE_CACHE_SECONDS`` at the latest, which bounds how old time-dependent
    listings ("upcoming") can be.

Free places
    A registration changes no content, only the places shown for its dates. It
    does not replace the site version. Whatever shows places says so while it
    renders (``depends_on("availability", …)``), reading the current token of
    each such *dependency*; a page is kept together with those tokens, and a
    registration replaces only the tokens of its event and of the listings
    (``touch``). A kept page whose tokens changed is rendered again.

The visitor's CSRF token
    A page with a form is kept too: the form carries ``csrf_placeholder()``
    instead of a token, and each response, kept or fresh, gets the visitor's
    own token in its place (which also makes Django set the CSRF cookie).

What is kept
    Successful GET responses under a language prefix for requests that carry no
    session, message or authorisation, when the response sets no cookie, did
    not use a real CSRF token, is not private or uncacheable and is not
    streamed. Views opt out with Django's ``never_cache``.

Everything here only uses the public cache API: a Redis outage makes every
request a miss, never an error (django-redis ignores its exceptions).
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control, patch_vary_headers
from django_redis.cache import RedisCache

from portal.restrictions import current_restrictions

#: The cache that keeps fragments (`{% wagtailcache … using="fragments" %}`) and values.
FRAGMENTS = "fragments"
SITE_VERSION_KEY = "portal:site-version"
DEPENDENCY_PREFIX = "portal:dependency:"
PAGE_PREFIX = "portal:page:v4"
KEPT_PREFIX = "portal:kept"
MAX_QUERY_STRING = 256
# Cookies that mean the visitor has per-person state (a login, a message to
# show, a passed page password): such requests always go to the application.
PERSONAL_COOKIES = ("sessionid", "messages")
CACHEABLE_VARY = frozenset({"cookie", "accept-language", "accept-encoding"})
# A page's own Content-Security-Policy (portal.middleware.allow_sources) is kept with it;
# the site-wide policy is added outside the cache, to hits too.
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Link",
    "Last-Modified",
    "ETag",
    "Content-Security-Policy",
    "Content-Disposition",
)


@dataclass
class _RequestState:
    """What one request has learnt about the cache (kept in a context variable)."""

    version: str | None = None
    fingerprint: str | None = None
    #: The (id, page_id, restriction_type) of every page view restriction, read
    #: with the fingerprint at the start of the request.
    restrictions: tuple | None = None
    #: A GET or HEAD: the request writes nothing, so what it read once stays right until it ends.
    reads_only: bool = False
    dependencies: dict[str, str] = field(default_factory=dict)
    #: When what was rendered stops being right by the clock alone (a Unix time).
    expires_at: float | None = None
    memo: dict = field(default_factory=dict)
    #: Keys the render asked the fragments cache for, in order (FragmentCache).
    fragments_read: dict | None = None
    #: What was read ahead for them, in one round trip (FragmentCache).
    read_ahead: dict = field(default_factory=dict)


_MISSING = object()
_state: contextvars.ContextVar[_RequestState | None] = contextvars.ContextVar("portal_cache_state", default=None)


# The version ------------------------------------------------------------------


def site_version(*, known: str | None = None) -> str:
    """The current site version (`known` when the caller has just read it), creating one if there is none yet."""
    version = known if known is not None else cache.get(SITE_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # `add`, so that two servers starting at once agree on one token.
        if not cache.add(SITE_VERSION_KEY, version, None):
            version = cache.get(SITE_VERSION_KEY) or version
    return version


def site_version_replace() -> None:
    """Start a new site version now: every kept page and fragment is stale."""
    cache.set(SITE_VERSION_KEY, uuid.uuid4().hex, None)


def site_version_replace_on_commit(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Replace the site version once the current transaction commits.

    Replacing it before the commit would let a concurrent request keep the old
    content again under the new version.
    """
    transaction.on_commit(site_version_replace, using=using, robust=True)


def restriction_fingerprint(rows: tuple | None = None) -> str:
    """A digest of every page view restriction (`rows`, or as they are now),
    taken first thing by every request (PageCacheMiddleware)."""
    rows = current_restrictions() if rows is None else rows
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def _cannot_change_restrictions(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") or _under_language_prefix(request.path)


def _under_language_prefix(path: str) -> bool:
    return any(path.startswith(f"/{code}/") for code, _name in settings.LANGUAGES)


def restrictions_at_start() -> tuple | None:
    """The page view restrictions as this request read them first thing, when
    it cannot change them (a GET or HEAD, or a form of the public site); None
    in any other request, and outside PageCacheMiddleware."""
    state = _state.get()
    return state.restrictions if state is not None else None


def cache_version(*, known_site_version: str | None = None) -> str:
    """The version to key kept pages, fragments and values with: read at most
    once per request (before anything is rendered from the database)."""
    state = _state.get()
    if state is not None and state.version is not None:
        return state.version
    fingerprint = state.fingerprint if state is not None and state.fingerprint else restriction_fingerprint()
    version = f"{site_version(known=known_site_version)}-{fingerprint}-{csrf_placeholder()[4:12]}"
    if state is not None:
        state.version = version
    return version


def _kept_key(name: str, vary) -> str:
    parts = "\n".join(str(value) for value in vary)
    digest = hashlib.sha256(parts.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"{KEPT_PREFIX}:{cache_version()}:{name}:{digest}"


def _remember(key: str, value):
    """Keep `value` for the rest of this request (nothing outside one)."""
    state = _state.get()
    if state is not None:
        state.memo[key] = value
    return value


def kept(name: str, *vary, build, timeout: int | None = None, keep_none: bool = True):
    """A value (picklable) kept in the shared cache for the current version,
    and read from it at most once per request.

    `vary` lists what the value depends on besides the content (a page, a
    language...). Use it for data every page needs and that only changes with
    content: it is rebuilt after any publish or content change. With
    `keep_none` off, a None built is returned but not kept (so that anyone can
    not fill the cache with lookups of what does not exist).
    """
    key = _kept_key(name, vary)
    state = _state.get()
    if state is not None and key in state.memo:
        return state.memo[key]
    value = caches[FRAGMENTS].get(key, _MISSING)
    if value is _MISSING:
        value = build()
        if value is None and not keep_none:
            return None
        caches[FRAGMENTS].set(key, value, settings.PAGE_CACHE_SECONDS if timeout is None else timeout)
    return _remember(key, value)


def once_per_request(name: str, *vary, build):
    """`build()`, computed at most once in a GET or HEAD request (which writes nothing) and never
    kept past it; computed each time in any other request, and outside PageCacheMiddleware.

    For a value that several parts of one page read, such as an event's free places."""
    state = _state.get()
    if state is None or not state.reads_only:
        return build()
    key = "\n".join(["request", name, *(str(value) for value in vary)])
    if key not in state.memo:
        state.memo[key] = build()
    return state.memo[key]


def kept_until(name: str, *vary, build):
    """Like `kept()`, for a value that is right only until a moment: `build()`
    returns `(value, expires_at)`, a Unix time or None (such as a form whose
    dates open or close). The page that shows it is kept no longer either."""

    def built():
        value, expires = build()
        return {"value": value, "expires_at": expires}

    entry = kept(name, *vary, build=built)
    expires = entry["expires_at"]
    if expires is not None and expires <= time.time():
        entry = built()
        expires = entry["expires_at"]
        timeout = settings.PAGE_CACHE_SECONDS if expires is None else max(1, int(expires - time.time()))
        key = _kept_key(name, vary)
        caches[FRAGMENTS].set(key, entry, timeout)
        _remember(key, entry)
    expire_page_at(expires)
    return entry["value"]


def expire_page_at(moment: float | None) -> None:
    """What is being rendered is right only until `moment` (a Unix time)."""
    state = _state.get()
    if state is None or moment is None:
        return
    if state.expires_at is None or moment < state.expires_at:
        state.expires_at = moment


# Dependencies (free places) -------------------------------------------------------


def dependency_key(*parts) -> str:
    return DEPENDENCY_PREFIX + ":".join(str(part) for part in parts)


def depends_on(*keys: str) -> None:
    """Note that what is being rendered depends on these dependency keys.

    Call it *before* reading the data: the tokens are read now, so a change
    committed while the page renders still makes the kept copy stale.
    """
    state = _state.get()
    if state is None or not keys:
        return
    missing = [key for key in keys if key not in state.dependencies]
    if not missing:
        return
    found = cache.get_many(missing)
    for key in missing:
        token = found.get(key)
        if token is None:
            token = uuid.uuid4().hex
            if not cache.add(key, token, None):
                token = cache.get(key) or token
        state.dependencies[key] = token


def dependency_version(*keys: str) -> str:
    """The tokens of these dependency keys as one string (noted as a
    dependency of the page), for the key of a fragment that shows them."""
    depends_on(*keys)
    state = _state.get()
    if state is None:
        found = cache.get_many(list(keys))
        return "-".join(str(found.get(key, "")) for key in keys)
    return "-".join(state.dependencies[key] for key in keys)


def touch(*keys: str) -> None:
    """What shows these dependencies changed: drop their tokens, so every page
    kept with them is rendered again (and fragments keyed with them too)."""
    if keys:
        cache.delete_many(list(keys))


def touch_on_commit(*keys: str, using: str = DEFAULT_DB_ALIAS) -> None:
    transaction.on_commit(lambda: touch(*keys), using=using, robust=True)


# The visitor's CSRF token -----------------------------------------------------------


def csrf_placeholder() -> str:
    """Stands for the visitor's CSRF token in a page that may be kept; each
    response gets the visitor's own token in its place. Derived from the
    secret key, so no visitor can make a page echo it."""
    return _placeholder_for(settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _placeholder_for(secret_key: str) -> str:
    digest = hmac.new(secret_key.encode(), b"portal.cache.csrf-placeholder", hashlib.sha256).hexdigest()
    return f"csrf{digest[:40]}"


def _put_in_csrf_token(*, request: HttpRequest, response: HttpResponse) -> None:
    placeholder = csrf_placeholder().encode()
    if response.streaming or placeholder not in response.content:
        return
    # get_token() also makes the CSRF middleware set the cookie on the way out.
    response.content = response.content.replace(placeholder, get_token(request).encode())
    # The body now holds this visitor's token: no shared cache may keep it.
    patch_cache_control(response, private=True)


# Whole pages -----------------------------------------------------------------------


def request_is_cacheable(request: HttpRequest) -> bool:
    if not getattr(settings, "PAGE_CACHE_ENABLED", False):
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    path = request.path
    if not _under_language_prefix(path):
        return False
    if path.startswith(tuple(f"/{code}/registrations/" for code, _name in settings.LANGUAGES)):
        return False
    if any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES)):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING


def response_is_cacheable(*, request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    # get_token() was called: the page carries a real CSRF token.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return vary <= CACHEABLE_VARY


def page_key(*, request: HttpRequest) -> str:
    """One key per address: a kept page holds the version it was rendered for."""
    digest = hashlib.sha256(_address(request).encode("utf-8", "surrogateescape")).hexdigest()
    return f"{PAGE_PREFIX}:{digest}"


def page_lookup(*, request: HttpRequest) -> HttpResponse | None:
    # The site version, the kept page and the current tokens of the dependencies
    # the page had when this process last saw it, in one round trip to the cache.
    key = page_key(request=request)
    address = _address(request)
    found = cache.get_many([SITE_VERSION_KEY, key, *_PAGE_DEPENDENCIES.get(address, ())])
    version = cache_version(known_site_version=found.get(SITE_VERSION_KEY))
    entry = found.get(key)
    if not entry or entry.get("version") != version:
        return None
    dependencies = entry.get("dependencies") or {}
    _learn_page_dependencies(address, dependencies)
    if dependencies:
        missing = [name for name in dependencies if name not in found]
        # Only dependencies not read above (a page kept by another process) take a second round trip.
        current = {**found, **cache.get_many(missing)} if missing else found
        if any(current.get(name) != token for name, token in dependencies.items()):
            return None
    response = HttpResponse(entry["content"], status=200)
    for name, value in entry["headers"]:
        response[name] = value
    # Served only to visitors without a session: a visitor with one gets another page.
    patch_vary_headers(response, ("Cookie",))
    response["X-Page-Cache"] = "hit"
    return response


def page_store(*, request: HttpRequest, response: HttpResponse) -> bool:
    if not response_is_cacheable(request=request, response=response):
        return False
    state = _state.get()
    entry = {
        "version": cache_version(),
        "content": response.content,
        "headers": [(name, response[name]) for name in STORED_HEADERS if response.has_header(name)],
        "dependencies": dict(state.dependencies) if state is not None else {},
    }
    timeout = settings.PAGE_CACHE_SECONDS
    if state is not None and state.expires_at is not None:
        timeout = min(timeout, int(state.expires_at - time.time()))
        if timeout <= 0:
            return False
    cache.set(page_key(request=request), entry, timeout)
    _learn_page_dependencies(_address(request), entry["dependencies"])
    response["X-Page-Cache"] = "miss"
    return True


# Reading ahead ----------------------------------------------------------------------
#
# A page asks the fragments cache for the same dozen keys (kept values and
# `{% wagtailcache %}` fragments) each time it is rendered. With FragmentCache
# as the `fragments` backend, each process remembers which keys the last
# render of an address read, and the next render of that address reads them
# all in one round trip before it starts. Only key names are remembered in
# the process, never values; a remembered key that no longer exists (after a
# publish, say) is simply a miss, and the render learns the new keys.

#: Address -> the fragment keys its last render read (names only).
_LEARNED: dict[str, tuple[str, ...]] = {}
#: Address -> the dependency keys of its kept page when this process last saw it (names only).
_PAGE_DEPENDENCIES: dict[str, tuple[str, ...]] = {}
LEARNED_ADDRESSES = 2000


def _learn_page_dependencies(address: str, dependencies: dict) -> None:
    """Remember which dependency tokens a kept page is checked against, so that the
    next lookup of the address reads them with the page. A token is never remembered,
    only its key: the value compared is always the one read by the lookup itself."""
    names = tuple(dependencies)
    if _PAGE_DEPENDENCIES.get(address) == names:
        return
    if len(_PAGE_DEPENDENCIES) >= LEARNED_ADDRESSES:
        _PAGE_DEPENDENCIES.clear()
    _PAGE_DEPENDENCIES[address] = names


def _address(request: HttpRequest) -> str:
    """What tells one page from another: host, path and query string."""
    return "\n".join([request.get_host(), request.path, request.META.get("QUERY_STRING", "")])


def read_ahead(*, request: HttpRequest, state: _RequestState) -> None:
    backend = caches[FRAGMENTS]
    if request.method != "GET" or not isinstance(backend, FragmentCache):
        return
    state.fragments_read = {}
    keys = _LEARNED.get(_address(request))
    if keys:
        state.read_ahead = backend.get_many(list(keys))


def learn_reads(*, request: HttpRequest, state: _RequestState, response: HttpResponse) -> None:
    if not state.fragments_read or response.status_code != 200:
        return
    if len(_LEARNED) >= LEARNED_ADDRESSES:
        _LEARNED.clear()
    _LEARNED[_address(request)] = tuple(state.fragments_read)


class FragmentCache(RedisCache):
    """The `fragments` cache on Redis (django-redis), reading ahead in one
    round trip what the previous render of the same address read."""

    def get(self, key, default=None, version=None, client=None):
        state = _state.get()
        if state is not None and state.fragments_read is not None and version is None and client is None:
            state.fragments_read[key] = None
            if key in state.read_ahead:
                return state.read_ahead[key]
        return super().get(key, default=default, version=version, client=client)

    def set(self, key, value, *args, **kwargs):
        state = _state.get()
        if state is not None:
            state.read_ahead.pop(key, None)
        return super().set(key, value, *args, **kwargs)


class PageCacheMiddleware:
    """Whole pages for anonymous visitors, and the visitor's own CSRF token in
    every page whose form carries the placeholder.

    It sits inside the session and CSRF middleware: a kept page goes back
    through them, so the CSRF middleware sets the cookie for the token put in.
    It sits outside authentication, messages, redirects and lockouts: a
    request it may answer carries no session and no message, and at store
    time the cookies and session those write on the way out are seen.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Every change committed before the request began is in them (portal.restrictions).
        restrictions = current_restrictions()
        state = _RequestState(
            fingerprint=restriction_fingerprint(restrictions),
            # A request that may change a restriction (a POST in the admin
            # setting a page's privacy) asks the database again whenever it
            # needs to know; the public site's forms never change one.
            restrictions=restrictions if _cannot_change_restrictions(request) else None,
            reads_only=request.method in ("GET", "HEAD"),
        )
        reset = _state.set(state)
        try:
            response = None
            cacheable = request_is_cacheable(request)
            if cacheable:
                response = page_lookup(request=request)
            if response is None:
                read_ahead(request=request, state=state)
                response = self.get_response(request)
                learn_reads(request=request, state=state, response=response)
                if cacheable:
                    page_store(request=request, response=response)
            _put_in_csrf_token(request=request, response=response)
            return response
        finally:
            _state.reset(reset)


def purge_frontend_cache(*, page) -> None:
    """Purge the CDN for a changed page in every language, and for the pages
    above it (the listings that show it). Wagtail's own handler already
    purges the page itself; this adds its translations and its ancestors."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page

    pages = list(page.get_translations(inclusive=True).live())
    ancestors = Page.objects.ancestor_of(page).filter(depth__gt=1).live()
    for ancestor in ancestors:
        pages.extend(ancestor.get_translations(inclusive=True).live())
    batch = PurgeBatch()
    batch.add_pages(pages)
    batch.purge()
