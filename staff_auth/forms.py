from django import forms
from django.utils.translation import gettext_lazy as _

from staff_auth import services


class SecondFactorForm(forms.Form):
    """The code from the authenticator app, or a recovery code."""

    otp_token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}),
    )

    error_messages = {
        "invalid": _(
            "This code is not valid. Enter the code your authenticator app shows now, or an unused recovery code."
        ),
        "throttled": _("Too many wrong codes. Wait a moment (%(seconds)s s) and try again."),
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("otp_token")
        if code:
            try:
                self.device = services.second_factor_verify(user=self.user, code=code)
            except services.SecondFactorError as error:
                raise self.refusal(error) from None
        return cleaned

    def refusal(self, error: services.SecondFactorError) -> forms.ValidationError:
        if error.code == "throttled":
            return forms.ValidationError(
                self.error_messages["throttled"], code="throttled", params={"seconds": error.retry_after or 1}
            )
        return forms.ValidationError(self.error_messages["invalid"], code="invalid")


class AuthenticatorSetupForm(forms.Form):
    """The first code the newly added authenticator app shows."""

    otp_token = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        help_text=_("After adding the account in the app, enter the six digits it shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
