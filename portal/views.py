"""Views of the portal itself."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from wagtail import views as wagtail_views

from portal.ratelimit import RateLimit, attempts, count_attempt

PAGE_PASSWORD_SCOPE = "page-password"


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
