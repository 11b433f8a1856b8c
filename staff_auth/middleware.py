"""Staff who can use the admin must pass the second factor before anything else.

Installed after django-otp's ``OTPMiddleware`` (which gives ``request.user``
its ``is_verified()``). With ``WAGTAIL_2FA_REQUIRED`` on, a signed-in person
with admin access who has not entered a code in this session is sent to the
code page (or, without an authenticator yet, to the set-up page); only the
sign-in, sign-out and those pages themselves are open to them meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from staff_auth import services

#: Open to a signed-in person who has not entered a code yet.
OPEN_URL_NAMES = frozenset(
    {
        "staff_auth_verify",
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
    }
)
#: Open as well while the person has no authenticator at all.
SETUP_URL_NAMES = frozenset({"staff_auth_setup"})


def needs_second_factor(user) -> bool:
    if not getattr(settings, "WAGTAIL_2FA_REQUIRED", False) or not user.is_authenticated:
        return False
    if not (user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")):
        return False
    return not user.is_verified()


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not needs_second_factor(user):
            return None
        match = getattr(request, "resolver_match", None)
        url_name = match.url_name if match is not None else None
        if url_name in OPEN_URL_NAMES:
            return None
        if services.has_second_factor(user):
            return redirect_to_login(request.get_full_path(), login_url=reverse("staff_auth_verify"))
        if url_name in SETUP_URL_NAMES:
            return None
        return redirect_to_login(request.get_full_path(), login_url=reverse("staff_auth_setup"))
