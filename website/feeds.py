"""The news feeds, RSS 2.0 and Atom 1.0, one per news index (so one per language)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from portal.cache import kept

#: A feed lists this many of the latest news items.
FEED_ITEMS = 20


class NewsRssFeed(Feed):
    """RSS 2.0 of one news index: its latest items, in its language."""

    feed_type = Rss201rev2Feed
    #: The index's route that serves this feed.
    route_name = "rss"

    def __init__(self, *, index):
        super().__init__()
        self.index = index
        # The index's own language: a language's site that has no news index of its own yet serves
        # the default language's index and its feeds at its own address (HomePage.route), and those
        # are in the default language.
        self.language = index.locale.language_code

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index

    def title(self, index) -> str:
        from portal.context_processors import centre_settings

        name = centre_settings(self.request).text_for(index.locale.language_code).name
        return f"{index.title} | {name}"

    def link(self, index) -> str:
        return index.get_full_url(self.request)

    def description(self, index) -> str:
        return index.intro or index.title

    def feed_url(self, index) -> str:
        return self.link(index) + index.reverse_subpage(self.route_name)

    def items(self, index) -> list:
        return kept(
            "news-feed-items",
            index.pk,
            build=lambda: list(index.published_news().defer_streamfields().prefetch_related("tags")[:FEED_ITEMS]),
        )

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.summary

    def item_link(self, item) -> str:
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.published_at

    def item_categories(self, item) -> list[str]:
        return sorted(tag.name for tag in item.tags.all())


class NewsAtomFeed(NewsRssFeed):
    """Atom 1.0 of one news index."""

    feed_type = Atom1Feed
    subtitle = NewsRssFeed.description
    route_name = "atom"
