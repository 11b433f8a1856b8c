"""Read queries for the home page (each section is one query, whatever the data size) and for the site search."""

from collections.abc import Sequence

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from wagtail.models import Locale, Page

from events.models import EventDate
from events.places import places_version
from portal.cache import kept
from portal.locales import default_locale, locale_of
from portal.privacy import public_pages
from portal.search_text import query_terms
from projects.selectors import current_projects_for_home
from website.models import NewsIndexPage, NewsPage

#: In a language other than the default, each of the two searches (the language's own pages, the
#: default language's) is read up to this many results, to be merged.
SEARCH_RESULTS_MAX = 500


def search_pages(query: str, *, locale: Locale) -> Sequence[Page]:
    """The live public pages that match every word of `query` on the site of `locale`'s language, the best first.

    In the default language, its own pages (a lazy search result: the backend reads one page of it).

    A language's site also shows the default language's pages that are not translated into it, at its
    own addresses (HomePage.route), so its search covers them too. Both languages' pages are searched,
    each with the normalisation of its own language; a default-language page that has a live translation
    is listed as that translation (a Czech word finds the Ukrainian page it names). Each page is listed
    once: the pages in the language first (found in it, then found by their original), then the
    default-language pages not translated yet.
    """
    own = _search_in(query, locale)
    default = default_locale()
    if default is None or locale.pk == default.pk:
        return own
    found = list(own[:SEARCH_RESULTS_MAX])
    originals = list(_search_in(query, default)[:SEARCH_RESULTS_MAX])
    translated = {
        page.translation_key: page
        for page in public_pages(Page.objects.live()).filter(
            locale=locale, translation_key__in=[page.translation_key for page in originals]
        )
    }
    in_language = [translated[page.translation_key] for page in originals if page.translation_key in translated]
    not_translated = [page for page in originals if page.translation_key not in translated]
    results: dict = {}
    for page in found + in_language + not_translated:
        results.setdefault(page.translation_key, page)
    return list(results.values())


def _search_in(query: str, locale: Locale):
    """The search over the live public pages in one language, with that language's normalisation."""
    # Pages are indexed normalised (portal/search_text.py): the query is normalised the same way.
    terms = query_terms(query, language=locale.language_code)
    pages = public_pages(Page.objects.live()).filter(locale=locale)
    return pages.search(terms, operator="and") if terms else pages.none()


def attach_summaries(pages: list[Page]) -> list[Page]:
    """Set `summary` on plain Page search results from the page types that have
    one, in a single query whatever the results' types (instead of one
    `.specific()` query per type)."""
    from wagtail.models import get_page_models

    pages = list(pages)
    ids = [page.pk for page in pages]
    models = [
        model
        for model in get_page_models()
        if not model._meta.abstract and any(f.name == "summary" for f in model._meta.local_fields)
    ]
    if not ids or not models:
        return pages
    queries = [model.objects.filter(pk__in=ids).order_by().values_list("pk", "summary") for model in models]
    summaries = dict(queries[0].union(*queries[1:], all=True)) if len(queries) > 1 else dict(queries[0])
    for page in pages:
        page.summary = summaries.get(page.pk, "")
    return pages


def home_page_sections(*, page: Page, request: HttpRequest) -> dict:
    """What the home page shows beside its own fields.

    Each app that contributes a section exposes a selector; the home page only
    reads them.
    """
    locale = locale_of(page)

    def news_index():
        # A language without a news index of its own yet shows the default language's at its own
        # address (HomePage.route): its feeds are the ones to discover.
        def build():
            index = public_pages(NewsIndexPage.objects.live().child_of(page)).first()
            source = page.default_language_home() if index is None else None
            if source is not None:
                index = public_pages(NewsIndexPage.objects.live().child_of(source)).first()
            return index

        return kept("home-news-index", page.pk, build=build)

    def feed_links():
        index = news_index()
        return index.feed_links(request) if index is not None else {}

    # Read only when a section is rendered (not when its fragment is cached).
    return {
        # The coming dates show free places: the sections' fragment is keyed with this too.
        "availability_version": places_version(),
        "upcoming_dates": SimpleLazyObject(lambda: EventDate.objects.upcoming_for_home(locale=locale, limit=6)),
        "current_projects": SimpleLazyObject(lambda: current_projects_for_home(locale=locale, limit=3)),
        "latest_news": SimpleLazyObject(lambda: NewsPage.objects.latest_in(locale, limit=3)),
        "news_index": SimpleLazyObject(news_index),
        "feed_links": SimpleLazyObject(feed_links),
    }
