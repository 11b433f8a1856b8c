"""Routing to a child page in one query.

Wagtail routes to a child in two queries: the child's page row, then its
specific row. A page whose children can only be of one type (a listing of
events or projects) asks for the specific child directly. Anything else (a
child of another type, an unknown slug) goes on through Wagtail's own route.
"""

from __future__ import annotations


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
