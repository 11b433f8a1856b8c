"""Admin views for the second factor (registered in wagtail_hooks.py, so
Wagtail's admin-access check and the user's admin language apply)."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from staff_auth import services
from staff_auth.forms import AuthenticatorSetupForm, SecondFactorForm

PENDING_AUTHENTICATOR_KEY = "staff_auth_pending_authenticator"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def _verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


@never_cache
@sensitive_post_parameters("otp_token")
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the authenticator app or a recovery code."""
    if _verified(request):
        return redirect(_next_url(request))
    if not services.has_second_factor(request.user):
        return redirect(f"{reverse('staff_auth_setup')}?{urlencode({'next': _next_url(request)})}")
    form = SecondFactorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        request.session.cycle_key()
        otp_login(request, form.device)
        return redirect(_next_url(request))
    return TemplateResponse(request, "staff_auth/verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@sensitive_post_parameters("otp_token")
def setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the code (or type the key), confirm with
    the first code it shows, and get recovery codes."""
    if services.has_second_factor(request.user) and not _verified(request):
        return redirect(f"{reverse('staff_auth_verify')}?{urlencode({'next': request.get_full_path()})}")
    # The secret waits in the session (the same one until it is confirmed, so
    # that reloading the page keeps the scanned code); nothing is stored on a GET.
    key = request.session.get(PENDING_AUTHENTICATOR_KEY)
    if not key:
        key = request.session[PENDING_AUTHENTICATOR_KEY] = services.authenticator_key_new()
    device = services.authenticator_unconfirmed(user=request.user, key=key)
    form = AuthenticatorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.authenticator_confirm(
                user=request.user, key=key, code=form.cleaned_data["otp_token"]
            )
        except services.SecondFactorError:
            form.add_error(
                "otp_token", _("This code is not valid. Check that the time on your phone is right and try again.")
            )
        else:
            del request.session[PENDING_AUTHENTICATOR_KEY]
            request.session.cycle_key()
            otp_login(request, device)
            return _recovery_codes_page(request, codes, next_url=_next_url(request))
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request),
        "replacing": services.has_second_factor(request.user),
    }
    return TemplateResponse(request, "staff_auth/setup.html", context)


@never_cache
def overview(request: HttpRequest) -> HttpResponse:
    """The signed-in person's second factor: set up or not, recovery codes left."""
    context = {
        "has_second_factor": services.has_second_factor(request.user),
        "recovery_codes_left": services.recovery_codes_left(user=request.user),
    }
    return TemplateResponse(request, "staff_auth/overview.html", context)


@never_cache
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes for the signed-in person (the old ones stop working)."""
    if not services.has_second_factor(request.user) or not _verified(request):
        raise PermissionDenied
    return _recovery_codes_page(
        request, services.recovery_codes_renew(user=request.user), next_url=reverse("staff_auth")
    )


@never_cache
def reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """A superuser removes another person's second factor (a lost phone)."""
    if not request.user.is_superuser:
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        services.second_factor_reset(user=person)
        messages.success(
            request,
            _("The second factor of %(name)s was removed; they set up a new one at their next sign-in.")
            % {"name": person.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return TemplateResponse(request, "staff_auth/reset_confirm.html", {"person": person})


def _recovery_codes_page(request: HttpRequest, codes: list[str], *, next_url: str) -> HttpResponse:
    response = TemplateResponse(request, "staff_auth/recovery_codes.html", {"codes": codes, "next": next_url})
    response["Cache-Control"] = "no-store"
    return response


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # The XML declaration is not valid inside an HTML page.
    return svg[svg.index("<svg") :]
