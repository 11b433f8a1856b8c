"""Routing to a child page in one query.

Wagtail routes to a child in two queries: the child's page row, then its
specific row. A page whose children can only be of one type (a listing of
events or projects) asks for the specific child directly. A page with
children of several types (the home page, content pages) keeps which page a
slug names (its type and id) for the cache version, and reads that child
directly. Anything else (a child of another type, an unknown slug, a kept
address the tree no longer has) goes on through Wagtail's own route.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from wagtail.models import Page

from portal.cache import kept


def _child_address(parent, slug: str) -> tuple[int, int] | None:
    """(content type id, page id) of the child of `parent` with this slug, or None."""
    row = Page.objects.child_of(parent).filter(slug=slug).values_list("content_type_id", "pk").first()
    return tuple(row) if row is not None else None


class KeptChildRouteMixin:
    """For page models whose children are of several types. Put it before Page.

    Which child a slug names is kept until the next publish, move or deletion
    (a new cache version, portal/cache.py); a slug that names no child is
    looked up in the tree each time, as Wagtail does, and never kept. A kept
    address is only a hint: the child, its slug, its place under this page and
    its live state are read afresh in one query, and a hint the tree no longer
    bears out (a page renamed or moved without signals) goes to Wagtail's own
    route. Wagtail's serve view then checks the page's view restrictions as it
    always does.
    """

    def route(self, request, path_components):
        if path_components:
            child_slug, *remaining = path_components
            address = kept(
                "child-page", self.pk, child_slug, build=lambda: _child_address(self, child_slug), keep_none=False
            )
            if address is None:
                # Just read from the tree (a slug with no child is never kept): Wagtail's own 404.
                raise Http404
            content_type_id, pk = address
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            # The address is only a hint: the child must still be here under this slug.
            child = model.objects.child_of(self).filter(pk=pk, slug=child_slug).first() if model else None
            if child is not None:
                return child.route(request, remaining)
        return super().route(request, path_components)


class OneChildTypeRouteMixin:
    """For page models with exactly one allowed subpage type. Put it after
    RoutablePageMixin, so that the page's own routes are tried first."""

    def route(self, request, path_components):
        models = self.allowed_subpage_models()
        if path_components and len(models) == 1:
            child_slug, *remaining = path_components
            child = models[0].objects.child_of(self).filter(slug=child_slug).first()
            if child is not None:
                return child.route(request, remaining)
        return super().route(request, path_components)
