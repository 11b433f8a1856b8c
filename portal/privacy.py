"""Private pages stay private in every language.

A page view restriction (a login or a password) on a page covers the page, the
pages below it, and the same pages in every other language: a translation of a
private page is private too, whoever made the restriction and however (the
admin, a bulk insert, a queryset update). Read from the database on every
request: nothing here is kept. When the request's first query found no
restriction at all (portal.cache), no page is private and nothing more is asked.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.models import Page, PageViewRestriction

from portal.cache import restrictions_at_start


def no_page_is_private() -> bool:
    """True when this request began with no page view restriction in the database."""
    return restrictions_at_start() == ()


def exclude_private(queryset: QuerySet, translation_key: str = "translation_key") -> QuerySet:
    """`queryset` without the rows whose page (through the `translation_key`
    lookup) is private in any language."""
    if no_page_is_private():
        return queryset
    return queryset.exclude(**{f"{translation_key}__in": private_translation_keys()})


def private_translation_keys() -> QuerySet:
    """The translation keys of every page in a private section (a subquery)."""
    return Page.objects.private().values("translation_key")


def public_pages(pages: QuerySet) -> QuerySet:
    """`pages` without those an anonymous visitor may not see, in any language
    (a private page's own translation key is among the private ones)."""
    return exclude_private(pages)


class PrivateInEveryLanguageMixin:
    """For page models: the view restrictions of a page include those on its
    ancestors and on every translation of itself and of its ancestors (Wagtail
    checks them when it serves the page). One query, as Wagtail's own."""

    def get_view_restrictions(self):
        if no_page_is_private():
            return PageViewRestriction.objects.none()
        own = super().get_view_restrictions()
        paths = [self.path[:end] for end in range(Page.steplen, len(self.path) + 1, Page.steplen)]
        keys = Page.objects.filter(path__in=paths).values("translation_key")
        return PageViewRestriction.objects.filter(Q(pk__in=own.values("pk")) | Q(page__translation_key__in=keys))
