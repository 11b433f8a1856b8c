"""The language being served, as a Wagtail Locale (kept, and read once per request), and a page's address in it."""

from __future__ import annotations

from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale

from portal.cache import kept


def active_locale() -> Locale | None:
    """The Locale of the active language, or None when it has none."""
    return locale_for(translation.get_language() or "")


def default_locale() -> Locale | None:
    """The Locale of the default language (settings.LANGUAGE_CODE)."""
    return locale_for(settings.LANGUAGE_CODE)


def the_default_locale() -> Locale:
    """The default language's Locale (kept), or Wagtail's own default; raises Locale.DoesNotExist when there is none."""
    return default_locale() or Locale.get_default()


def locale_for(language_code: str) -> Locale | None:
    """The Locale of a language, or None when it has none (kept)."""

    def lookup() -> Locale | None:
        try:
            return Locale.objects.get_for_language(language_code)
        except Locale.DoesNotExist:
            return None

    return kept("locale", language_code, build=lookup)


def locale_of(page) -> Locale:
    """`page.locale`, without a query when the page is in the language being served or in the
    default one (a page not translated yet, served in another language's site)."""
    for locale in (active_locale(), default_locale()):
        if locale is not None and locale.pk == page.locale_id:
            return locale
    return page.locale


def url_in_language(page, language_code: str | None = None, request=None) -> str:
    """The address at which a visitor reading `language_code` (by default the active language) is shown `page`.

    That is the page's own address, except for a page of the default language shown to a visitor of
    another: it is not translated into their language, so it is served under their language's prefix
    (with a note, home.models.HomePage.route) and the visitor stays in their language. Pass the page
    in the visitor's language when it has a translation.
    """
    url = page.get_url(request) or ""
    language_code = language_code or translation.get_language() or settings.LANGUAGE_CODE
    if (
        not url
        or language_code == settings.LANGUAGE_CODE
        or language_code not in dict(settings.LANGUAGES)
        or page.locale_id != getattr(default_locale(), "pk", None)
    ):
        return url
    with translation.override(settings.LANGUAGE_CODE):  # the path is resolved under its own language's prefix
        return translate_url(url, language_code)


def ensure_configured_locales() -> list[str]:
    """A Wagtail locale for every language in WAGTAIL_CONTENT_LANGUAGES (adding a language is configuration);
    returns the codes it added. Locales of languages taken out of the settings are kept, with their pages."""
    existing = set(Locale.objects.values_list("language_code", flat=True))
    added = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES if code not in existing]
    Locale.objects.bulk_create([Locale(language_code=code) for code in added])
    return added
