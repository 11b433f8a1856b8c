"""Template context shared by every page."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from portal.cache import cache_version, kept
from portal.locales import url_in_language


def cache(request):
    """`cache_version` and `cache_seconds` for `{% wagtailcache %}` fragments
    (the version is read only when a fragment is rendered), and the centre's
    settings for the request's site as `centre`, kept per cache version."""
    return {
        "cache_version": SimpleLazyObject(cache_version),
        "cache_seconds": settings.PAGE_CACHE_SECONDS,
        "centre": SimpleLazyObject(lambda: centre_settings(request)),
    }


def centre_settings(request):
    from wagtail.models import Site

    from portal.models import CentreSettings

    site = Site.find_for_request(request)
    if site is None:
        return CentreSettings()
    return kept("centre-settings", site.pk, build=lambda: CentreSettings.for_site(site))


def centre_page_url(request, field: str) -> str:
    """The address of one of the centre's pages named in its settings (`privacy_page`,
    `accessibility_page`) in the language being served: its translation, or, not translated
    yet, the page itself at an address in that language. Kept per host, language and cache
    version; "" when the settings name no such page."""

    def find() -> str:
        page = getattr(centre_settings(request), field)
        if page is None:
            return ""
        return url_in_language(page.specific.localized, request=request)

    return kept("centre-page-url", field, request.get_host(), get_language(), build=find)
