"""The full-page cache for anonymous visitors, and its invalidation.

What is cached
    Successful (200) GET responses under a language prefix (/cs/, /en/), for
    requests that carry no session or messages cookie and no Authorization
    header, when the response sets no cookie, used no CSRF token (so it holds
    no form that posts), is not marked private/no-store/no-cache and is not
    streamed. A page with a registration form therefore is never cached, and
    neither is anything under /<lang>/registrations/ (personal data). Views
    opt out with Django's ``never_cache``.

How it is invalidated
    Every cached page is stored under a key that includes a site-wide
    *generation* token. Publishing, unpublishing, moving or deleting any page,
    and saving or deleting any content row (snippets, events, dates,
    registrations, images, documents, settings), replaces the token after the
    transaction commits, so every cached page in both languages (and every
    listing that shows the changed content) is rebuilt on its next request.
    Entries also expire after ``PAGE_CACHE_SECONDS``, which bounds how stale
    time-dependent listings ("upcoming events") can get. This is deliberately
    coarse: the site changes rarely, and a whole-site miss costs little, while
    tracking which listing shows which page would be fragile.

Where it lives
    In the ``default`` cache, which is Redis (shared by every app server) in
    production. With the process-local cache each process has its own copy,
    and invalidation only reaches the process that saved, so the page cache is
    on by default only when ``REDIS_URL`` is set (``PAGE_CACHE`` overrides).

A CDN in front of the site (``WAGTAILFRONTENDCACHE``) is purged for the
changed page, its translations and the pages above it, in every language.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("portal.cache")

GENERATION_KEY = "portal:page-cache:generation"
KEY_PREFIX = "portal:page"
MAX_QUERY_STRING = 256
# Cookies that mean the visitor has per-person state (a login, a message to
# show, a passed page password): such requests always go to the application.
PERSONAL_COOKIES = ("sessionid", "messages")
# Rows in these apps feed public pages; saving one invalidates the page cache.
INVALIDATING_APPS = frozenset(
    {
        "home",
        "events",
        "projects",
        "portal",
        "wagtailcore",
        "wagtailimages",
        "wagtaildocs",
        "wagtailredirects",
        "wagtail_localize",
        "taggit",
    }
)
# Rows of those apps that no public page shows: the registration e-mail outbox.
NON_PUBLIC_MODELS = frozenset({"events.registrationemail"})
# A registration feeds the free places shown in listings and on event pages
# only through these fields; a save that changes none of them leaves pages as they are.
REGISTRATION_PUBLIC_FIELDS = frozenset({"status", "seats", "event", "event_date"})
CACHEABLE_VARY = frozenset({"cookie", "accept-language", "accept-encoding"})
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary", "Link", "Last-Modified", "ETag")


def _excluded_prefixes() -> tuple[str, ...]:
    prefixes = getattr(settings, "PAGE_CACHE_EXCLUDED_PREFIXES", None)
    if prefixes is not None:
        return tuple(prefixes)
    return tuple(f"/{code}/registrations/" for code, _name in settings.LANGUAGES)


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # the cache is an optimisation: never fail a request on it
        logger.warning("Page cache read failed", exc_info=True)
        return None


def _cache_set(key: str, value, timeout) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("Page cache write failed", exc_info=True)


def page_cache_generation() -> str:
    """The current generation token, creating one if there is none yet."""
    generation = _cache_get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        try:
            # `add` so that two processes starting at once agree on one token.
            if not cache.add(GENERATION_KEY, generation, None):
                generation = _cache_get(GENERATION_KEY) or generation
        except Exception:
            logger.warning("Page cache generation could not be stored", exc_info=True)
    return generation


def page_cache_invalidate() -> None:
    """Start a new generation now: every cached page is stale from here on."""
    _cache_set(GENERATION_KEY, uuid.uuid4().hex, None)


def page_cache_invalidate_on_commit(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Invalidate once the current transaction commits (at once outside one).

    Invalidating before the commit would let a concurrent request cache the
    old content again. Each call costs one small cache write at commit time.
    """
    transaction.on_commit(page_cache_invalidate, using=using, robust=True)


def page_cache_key(*, request: HttpRequest, generation: str) -> str:
    raw = "\n".join([request.get_host(), request.path, request.META.get("QUERY_STRING", "")])
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return f"{KEY_PREFIX}:{generation}:{digest}"


def request_is_cacheable(request: HttpRequest) -> bool:
    if not getattr(settings, "PAGE_CACHE_ENABLED", False):
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    path = request.path
    if not any(path.startswith(f"/{code}/") for code, _name in settings.LANGUAGES):
        return False
    if path.startswith(_excluded_prefixes()):
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
    # get_token() was called: the page carries a CSRF token, i.e. a form.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return vary <= CACHEABLE_VARY


def page_cache_lookup(*, request: HttpRequest) -> HttpResponse | None:
    generation = page_cache_generation()
    request.page_cache_generation = generation
    entry = _cache_get(page_cache_key(request=request, generation=generation))
    if not entry:
        return None
    response = HttpResponse(entry["content"], status=200)
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def page_cache_store(*, request: HttpRequest, response: HttpResponse) -> bool:
    if not response_is_cacheable(request=request, response=response):
        return False
    entry = {
        "content": response.content,
        "headers": [(name, response[name]) for name in STORED_HEADERS if response.has_header(name)],
    }
    generation = getattr(request, "page_cache_generation", None) or page_cache_generation()
    key = page_cache_key(request=request, generation=generation)
    _cache_set(key, entry, settings.PAGE_CACHE_SECONDS)
    response["X-Page-Cache"] = "miss"
    return True


# Invalidation ------------------------------------------------------------


def _content_changed(sender, **kwargs) -> None:
    # A rendition is made the first time an image is shown at a size: it adds
    # a file, not content, so it must not empty the whole cache (on a fresh
    # server the first views would otherwise keep invalidating each other).
    if sender._meta.app_label not in INVALIDATING_APPS or _is_rendition(sender):
        return
    if sender._meta.label_lower in NON_PUBLIC_MODELS:
        return
    update_fields = kwargs.get("update_fields")
    if (
        sender._meta.label_lower == "events.registration"
        and update_fields is not None
        and not REGISTRATION_PUBLIC_FIELDS.intersection(update_fields)
    ):
        return
    page_cache_invalidate_on_commit(using=kwargs.get("using") or DEFAULT_DB_ALIAS)


def _is_rendition(model) -> bool:
    from wagtail.images.models import AbstractRendition

    return issubclass(model, AbstractRendition)


def _page_published_or_unpublished(sender, instance, **kwargs) -> None:
    page_cache_invalidate_on_commit()
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        transaction.on_commit(lambda: purge_frontend_cache(page=instance), robust=True)


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


def connect_signals() -> None:
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_content_changed, dispatch_uid="portal-page-cache-save")
    post_delete.connect(_content_changed, dispatch_uid="portal-page-cache-delete")
    page_published.connect(_page_published_or_unpublished, dispatch_uid="portal-page-cache-publish")
    page_unpublished.connect(_page_published_or_unpublished, dispatch_uid="portal-page-cache-unpublish")
    post_page_move.connect(
        lambda sender, **kwargs: page_cache_invalidate_on_commit(), dispatch_uid="portal-page-cache-move", weak=False
    )


# The site structure cache ---------------------------------------------------
#
# Every public page needs the same few rows that almost never change: the Site
# for the host, the Locale for the language, the home page of each language,
# the centre's settings and whether any page is restricted at all. Reading
# them from the database costs several queries per request, whatever the
# page. They are kept here in process memory, under the same generation token
# as the page cache: any content change starts a new generation, and the next
# request rebuilds what it needs. Only active inside a request served through
# ``SiteStructureMiddleware`` while ``STRUCTURE_CACHE_ENABLED`` (by default
# with the shared fragment cache, so that invalidation reaches every server);
# everywhere else (management commands, tasks, tests) nothing is kept.

_request_state = threading.local()
_structure: dict = {"generation": None, "values": {}}
_MISSING = object()
#: Bound on the values kept for one generation (pages' translations, breadcrumbs
#: and fragments are kept per page); past it the memory starts afresh.
STRUCTURE_CACHE_MAX_VALUES = 5000
#: Rendered fragments kept in process memory per generation (the oldest go first).
FRAGMENT_MEMORY_ENTRIES = 500


def structure_cache_enabled() -> bool:
    return bool(getattr(settings, "STRUCTURE_CACHE_ENABLED", getattr(settings, "FRAGMENT_CACHE_ENABLED", False)))


def request_generation(request: HttpRequest | None = None) -> str:
    """The generation token, read from the cache at most once per request."""
    if request is not None:
        generation = getattr(request, "page_cache_generation", None)
        if generation is None:
            generation = request.page_cache_generation = page_cache_generation()
        return generation
    return getattr(_request_state, "generation", None) or page_cache_generation()


def structure_value(key, build):
    """The value for `key` in the current generation, built once per process.

    Outside a request with the structure cache on, `build()` runs every time.
    Callers hand out copies of model instances (`fresh`), never the kept one.
    """
    generation = getattr(_request_state, "generation", None)
    if generation is None:
        return build()
    values = _structure_values()
    value = values.get(key, _MISSING)
    if value is _MISSING:
        if len(values) >= STRUCTURE_CACHE_MAX_VALUES:
            values.clear()
        value = values[key] = build()
    return value


def structure_cache_clear() -> None:
    global _structure
    _structure = {"generation": None, "values": {}}


def fresh(instance):
    """A shallow copy of a kept model instance, so that a request never changes the kept one."""
    return copy.copy(instance) if instance is not None else None


def _locale_lookup(original):
    def get_for_language(self, language_code):
        if getattr(_request_state, "generation", None) is None:
            return original(self, language_code)

        def build():
            try:
                return original(self, language_code)
            except self.model.DoesNotExist:
                return None

        locale = structure_value(("locale", language_code), build)
        if locale is None:
            raise self.model.DoesNotExist(f"No locale for {language_code!r}")
        return fresh(locale)

    get_for_language.portal_structure_cache = True
    return get_for_language


def _view_restrictions_lookup(original):
    def get_view_restrictions(self):
        if getattr(_request_state, "generation", None) is not None:
            from wagtail.models import PageViewRestriction

            if not any_view_restriction():
                return PageViewRestriction.objects.none()
        return original(self)

    get_view_restrictions.portal_structure_cache = True
    return get_view_restrictions


def install_structure_cache() -> None:
    """Route Wagtail's per-request Locale lookups and page view-restriction
    checks through the structure cache (inert outside cached requests)."""
    from wagtail.models import Page
    from wagtail.models.i18n import LocaleManager

    if not getattr(LocaleManager.get_for_language, "portal_structure_cache", False):
        LocaleManager.get_for_language = _locale_lookup(LocaleManager.get_for_language)
    if not getattr(Page.get_view_restrictions, "portal_structure_cache", False):
        Page.get_view_restrictions = _view_restrictions_lookup(Page.get_view_restrictions)


def _site_key(request: HttpRequest):
    return (request.META.get("HTTP_HOST"), request.META.get("SERVER_NAME"), request.META.get("SERVER_PORT"))


def _load_site(request: HttpRequest):
    from wagtail.models import Site

    site = Site._find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific
    return site


def _preset_site(request: HttpRequest) -> None:
    """Give the request its Site (with the root page already specific) and the
    centre's settings from the structure cache, as Wagtail would look them up."""
    site = structure_value(("site", _site_key(request)), lambda: _load_site(request))
    if site is None:
        return
    site = fresh(site)
    site.root_page = fresh(site.root_page)
    request._wagtail_site = site
    request._wagtail_cached_site_root_paths = structure_value("site-root-paths", site.get_site_root_paths)
    from portal.models import CentreSettings

    def load_settings():
        try:
            return CentreSettings.for_site(site)
        except Exception:  # noqa: BLE001 - looked up the ordinary way later
            return None

    centre = structure_value(("centre-settings", site.pk), load_settings)
    if centre is not None:
        centre = fresh(centre)
        centre._request = request
        setattr(request, CentreSettings.get_cache_attr_name(), centre)


class SiteStructureMiddleware:
    """Serve each request with the structure cache of the current generation."""

    def __init__(self, get_response):
        self.get_response = get_response
        install_structure_cache()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not structure_cache_enabled():
            return self.get_response(request)
        previous = getattr(_request_state, "generation", None)
        _request_state.generation = request_generation(request)
        try:
            try:
                _preset_site(request)
            except DatabaseError:
                raise
            except Exception:  # noqa: BLE001 - Wagtail looks the site up itself
                logger.warning("Site structure cache could not be filled", exc_info=True)
            return self.get_response(request)
        finally:
            _request_state.generation = previous


def page_locale(page):
    """The page's Locale, kept per generation and attached to the page, so that
    `page.locale` costs no query afterwards."""
    cached = page._state.fields_cache.get("locale")
    if cached is not None:
        return cached
    from wagtail.models import Locale

    locale = fresh(structure_value(("locale-id", page.locale_id), lambda: Locale.objects.get(pk=page.locale_id)))
    page.locale = locale
    return locale


def any_view_restriction() -> bool:
    """Whether any page has a view restriction (privacy settings) at all."""
    from wagtail.models import PageViewRestriction

    return structure_value("any-view-restriction", PageViewRestriction.objects.exists)


def _structure_values(part: str = "values") -> dict | None:
    generation = getattr(_request_state, "generation", None)
    if generation is None:
        return None
    global _structure
    if _structure["generation"] != generation:
        _structure = {"generation": generation, "values": {}}
    return _structure.setdefault(part, {})


def fragment_memory(key: str, build):
    """A rendered fragment from process memory (this generation and time
    bucket), else from `build()`: at most FRAGMENT_MEMORY_ENTRIES are kept.

    `build()` returns `(html, expires)`; `expires` (a Unix time, or None)
    is when the copy stops being right and is dropped.
    """
    fragments = _structure_values("fragments")
    if fragments is None:
        return build()[0]
    key = (key, time_bucket())
    kept = fragments.get(key)
    if kept is None or (kept[1] is not None and kept[1] <= time.time()):
        kept = build()
        if len(fragments) >= FRAGMENT_MEMORY_ENTRIES:
            del fragments[next(iter(fragments))]
        fragments[key] = kept
    return kept[0]


def cached_fragment(*, request: HttpRequest | None, name: str, vary, build) -> str:
    """A rendered fragment kept for the current generation: in process memory,
    then in the shared cache, else `build()`.

    `vary` lists what the fragment depends on besides the content (the page,
    the language...). `build()` returns the HTML, or `(html, expires)` when
    the HTML is right only until `expires` (a Unix time), such as a form whose
    dates close: it is then kept no longer than that. Nothing is kept for a
    preview of a draft or while fragment caching is off.
    """

    def built() -> tuple[str, float | None]:
        value = build()
        return value if isinstance(value, tuple) else (value, None)

    if not getattr(settings, "FRAGMENT_CACHE_ENABLED", False) or getattr(request, "is_preview", False):
        return built()[0]
    digest = hashlib.sha256("\n".join(str(value) for value in vary).encode()).hexdigest()[:32]
    # v2: the value is an (html, expires) pair; the version keeps servers of an
    # older release (a rolling deploy or a rollback) from reading it as HTML.
    key = f"portal:fragment:v2:{request_generation(request)}:{name}:{digest}"

    def shared() -> tuple[str, float | None]:
        kept = _cache_get(key)
        if isinstance(kept, tuple) and (kept[1] is None or kept[1] > time.time()):
            return kept
        html, expires = built()
        timeout = settings.PAGE_CACHE_SECONDS
        if expires is not None:
            timeout = min(timeout, max(1, int(expires - time.time())))
        _cache_set(key, (html, expires), timeout)
        return html, expires

    return fragment_memory(key, shared)


def time_bucket() -> int:
    """A number that changes every PAGE_CACHE_SECONDS: part of the key of kept
    values that depend on the time ("upcoming"), so they are at most that old."""
    return int(time.time() // max(1, getattr(settings, "PAGE_CACHE_SECONDS", 300)))


def route_with_cache(*, root, request: HttpRequest, path_components: list[str], route):
    """Route `path_components` below `root` as `route` (Wagtail's tree walk, two
    queries per URL segment) would, remembering per generation which page the
    path leads to: later requests load that one page in a single query and let
    it route the rest of the path (its own sub-pages, such as a month view)."""
    values = _structure_values()
    if not path_components or values is None:
        return route(request, path_components)
    key = ("route", root.pk, tuple(path_components))
    target = values.get(key)
    if target is not None:
        from django.contrib.contenttypes.models import ContentType

        content_type_id, pk, depth = target
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model.objects.filter(pk=pk).first() if model is not None else None
        if page is not None:
            return page.route(request, list(path_components[depth - root.depth :]))
    result = route(request, path_components)
    page = result[0] if result is not None else None
    if page is not None and page.depth > root.depth:
        if len(values) >= STRUCTURE_CACHE_MAX_VALUES:
            values.clear()
        values[key] = (page.content_type_id, page.pk, page.depth)
    return result
