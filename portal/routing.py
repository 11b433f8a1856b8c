"""Routing to a page in one query.

Wagtail's serve view routes from the site's root page: it looks up the
active locale, reads the home page in that language and its specific row,
then routes one level at a time, in two queries each (the child's page row,
then its specific row). `route_for_request` keeps, for the cache version,
which page an address routed to (its type, id, depth and address, and the
home page it was found under), and reads that page directly, in one query
however deep it is; the page then routes the rest of the path itself (its
live state, a routable page's own views). Anything else (an address not
routed yet, a page no longer where its address says, an address that routes
to nothing) goes through the tree as Wagtail does. A page not translated yet,
shown at another language's address, is kept with the default language's
home page it was found under.

A page whose children can only be of one type (a listing of events or
projects) asks for the specific child directly.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists
from django.http import Http404
from django.utils import translation
from wagtail.models import Page, Site

from portal.cache import kept


def _address_of(home, path_components, result) -> tuple | None:
    """What to keep of a route from `home`: the page's content type id, id,
    depth, address (`url_path`) and how many slugs it took, and the home
    page's id and tree path; None when the route reached no page below `home`
    by its slugs (a page of another tree)."""
    page = result[0]
    consumed = page.depth - home.depth
    if not page.path.startswith(home.path) or not 0 <= consumed <= len(path_components):
        return None
    url_path = home.url_path + "".join(f"{slug}/" for slug in path_components[:consumed])
    if page.url_path != url_path:
        return None
    return page.content_type_id, page.pk, page.depth, url_path, consumed, home.pk, home.path


def _kept_page(site, address):
    """The page a kept address names, read afresh by its id, address, depth
    and place under the home page it was found under, or None when the tree
    no longer bears the address out (a page renamed, moved, deleted or its
    home page's translation unpublished without signals)."""
    content_type_id, pk, depth, url_path, _consumed, home_pk, home_path = address
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    pages = model.objects.filter(pk=pk, url_path=url_path, path__startswith=home_path, depth=depth)
    if home_pk != site.root_page_id:
        # The home page in another language is routed from only while it is live (`Page.localized`).
        pages = pages.filter(Exists(Page.objects.filter(pk=home_pk, live=True)))
    return pages.first()


def route_for_request(request, path: str):
    """What Wagtail's `Page.route_for_request` finds for this request and path
    (a RouteResult, or None for no page), through a kept address when there
    is one."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    path_components = [component for component in path.split("/") if component]
    routed = []

    def through_the_tree():
        home = site.root_page.localized.specific
        try:
            routed.append(home.route(request, path_components))
        except Http404:
            routed.append(None)
            return None
        address = _address_of(home, path_components, routed[0])
        # A page not translated yet, found in the default language's tree (HomePage.route).
        default_home = getattr(home, "default_language_home", None)
        if address is None and default_home is not None and (source := default_home()) is not None:
            address = _address_of(source, path_components, routed[0])
        return address

    address = kept(
        "page-address",
        site.pk,
        site.root_page_id,
        translation.get_language(),
        *path_components,
        build=through_the_tree,
        keep_none=False,
    )
    if routed:
        return routed[0]
    page = _kept_page(site, address)
    if page is None:
        through_the_tree()
        return routed[0]
    try:
        return page.route(request, path_components[address[4] :])
    except Http404:
        return None


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
