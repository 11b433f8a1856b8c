"""Read queries for the home page: each section is one query, whatever the data size."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page

from events.models import EventDate
from events.places import places_version
from portal.cache import kept
from portal.locales import locale_of
from portal.privacy import public_pages
from projects.selectors import current_projects_for_home
from website.models import NewsIndexPage, NewsPage


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
        return kept(
            "home-news-index",
            page.pk,
            build=lambda: public_pages(NewsIndexPage.objects.live().child_of(page)).first(),
        )

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
