from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from staff_auth import views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("2fa/", views.overview, name="staff_auth"),
        path("2fa/verify/", views.verify, name="staff_auth_verify"),
        path("2fa/setup/", views.setup, name="staff_auth_setup"),
        path("2fa/recovery-codes/", views.recovery_codes, name="staff_auth_recovery_codes"),
        path("2fa/reset/<int:user_id>/", views.reset, name="staff_auth_reset"),
    ]


@hooks.register("register_account_menu_item")
def account_menu_item(request):
    return {
        "url": reverse("staff_auth"),
        "label": _("Two-factor authentication"),
        "help_text": _("Your authenticator app and recovery codes."),
    }


@hooks.register("register_user_listing_buttons")
def reset_button(user, request_user):
    if request_user.is_superuser and user.pk != request_user.pk:
        yield Button(
            _("Reset two-factor authentication"),
            reverse("staff_auth_reset", args=[user.pk]),
            priority=100,
        )
