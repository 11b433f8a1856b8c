from django.apps import AppConfig


class StaffAuthConfig(AppConfig):
    """Staff sign-in: the second factor (authenticator app) and recovery codes."""

    name = "staff_auth"
    verbose_name = "Staff sign-in"
