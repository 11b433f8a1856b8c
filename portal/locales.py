"""The language being served, as a Wagtail Locale (kept, and read once per request)."""

from __future__ import annotations

from django.utils import translation
from wagtail.models import Locale

from portal.cache import kept


def active_locale() -> Locale | None:
    """The Locale of the active language, or None when it has none."""
    language_code = translation.get_language() or ""

    def lookup() -> Locale | None:
        try:
            return Locale.objects.get_for_language(language_code)
        except Locale.DoesNotExist:
            return None

    return kept("locale", language_code, build=lookup)


def locale_of(page) -> Locale:
    """`page.locale`, without a query when the page is in the language being served."""
    active = active_locale()
    if active is not None and active.pk == page.locale_id:
        return active
    return page.locale


def ensure_configured_locales() -> list[str]:
    """A Wagtail locale for every language in WAGTAIL_CONTENT_LANGUAGES (adding a language is configuration);
    returns the codes it added. Locales of languages taken out of the settings are kept, with their pages."""
    from django.conf import settings

    existing = set(Locale.objects.values_list("language_code", flat=True))
    added = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code not in existing]
    Locale.objects.bulk_create([Locale(language_code=code) for code in added])
    return added
