"""Template context shared by every page."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal.cache import cache_version, kept


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
