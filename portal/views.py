"""Views of the portal itself."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail import views as wagtail_views

from portal.ratelimit import RateLimit, attempts, count_attempt
from portal.routing import route_for_request

PAGE_PASSWORD_SCOPE = "page-password"


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's serve view (`wagtail.views.serve`, its `on_serve_page` and
    `before_serve_page` hooks, view restrictions included) with the page
    found by `portal.routing.route_for_request`."""
    route_result = route_for_request(request, path)
    if route_result is None:
        raise Http404
    page, args, kwargs = route_result
    on_serve_chain = wagtail_views.serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        on_serve_chain = fn(on_serve_chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return on_serve_chain(page, request, args, kwargs)


def page_password_rate() -> RateLimit:
    limit, window = getattr(settings, "PAGE_PASSWORD_RATE_LIMIT", (10, 600))
    return RateLimit(limit, window)


@never_cache
def authenticate_with_password(request: HttpRequest, page_view_restriction_id: int, page_id: int) -> HttpResponse:
    """The password form of a password-protected page (Wagtail's view), with
    at most PAGE_PASSWORD_RATE_LIMIT wrong passwords per address per window."""
    rate = page_password_rate()
    limited = request.method == "POST" and bool(rate.limit)
    if limited and attempts(request, scope=PAGE_PASSWORD_SCOPE) >= rate.limit:
        response = render(
            request, "portal/password_rate_limited.html", {"minutes": max(1, rate.window // 60)}, status=429
        )
        response["Retry-After"] = str(rate.window)
        return response
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if limited and response.status_code != 302:  # the password was wrong: the form again
        count_attempt(request, scope=PAGE_PASSWORD_SCOPE, rate=rate)
    return response
