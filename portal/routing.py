"""Routing to a page in one query.

Wagtail routes one level at a time, in two queries each: the child's page
row, then its specific row. A page whose children can only be of one type (a
listing of events or projects) asks for the specific child directly. The home
page and content pages keep, for the cache version, which page an address
routed to (its type, id and depth), and read that page directly, however deep
it is: an event or a project behind its listing is one query, not two.
Anything else (an address not routed yet, a page no longer where its address
says, an unknown slug) goes through the tree one level at a time.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from portal.cache import kept


def _address_of(parent, path_components, result) -> tuple[int, int, int] | None:
    """(content type id, page id, depth) of the page a route below `parent`
    reached by its slugs, or None when it reached no page below `parent` that
    way (a page of another tree, such as an untranslated page's original)."""
    page = result[0]
    consumed = page.depth - parent.depth
    if not page.path.startswith(parent.path) or not 0 < consumed <= len(path_components):
        return None
    if page.url_path != _url_path(parent, path_components[:consumed]):
        return None
    return page.content_type_id, page.pk, page.depth


def _url_path(parent, slugs) -> str:
    return parent.url_path + "".join(f"{slug}/" for slug in slugs)


class KeptChildRouteMixin:
    """For page models whose children are of several types. Put it before Page.

    Which page an address routes to is kept until the next publish, move or
    deletion (a new cache version, portal/cache.py); an address that routes to
    nothing is looked up in the tree each time, as Wagtail does, and never
    kept. A kept address is only a hint: the page is read afresh, by its id,
    with its place under this page and the address of its own (its
    ``url_path``, which Wagtail keeps with every move and rename), and routes
    the rest of the path itself (its live state, its own sub-pages). A hint the
    tree no longer bears out (a page renamed, moved or deleted without
    signals) goes through the tree. Wagtail's serve view then checks the
    page's view restrictions as it always does.
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        routed = []

        def through_the_tree():
            routed.append(super(KeptChildRouteMixin, self).route(request, path_components))
            return _address_of(self, path_components, routed[0])

        address = kept("page-address", self.pk, *path_components, build=through_the_tree, keep_none=False)
        if routed:
            return routed[0]
        content_type_id, pk, depth = address
        consumed = depth - self.depth
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = None
        if model is not None:
            page = model.objects.filter(
                pk=pk, url_path=_url_path(self, path_components[:consumed]), path__startswith=self.path, depth=depth
            ).first()
        if page is None:
            return super().route(request, path_components)
        return page.route(request, path_components[consumed:])


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
