"""The contact form: validation only (the fields staff build, a honeypot and the minimum fill time)."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder

SIGNING_SALT = "website.contact.started"
#: Names of the fields every contact form has besides those staff build.
HONEYPOT = "website"
STARTED = "started"
SPAM_FIELDS = (HONEYPOT, STARTED)


def started_token(now: float | None = None) -> str:
    """A signed moment: when the visitor got the form."""
    return signing.dumps({"t": now if now is not None else time.time()}, salt=SIGNING_SALT)


class ContactForm(BaseForm):
    """A contact form: the fields staff built, plus a honeypot and the signed time the form was shown."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields[STARTED] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.fresh_started = started_token()

    def clean_website(self) -> str:
        if self.cleaned_data.get(HONEYPOT):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean(self):
        cleaned = super().clean()
        max_age = getattr(settings, "CONTACT_FORM_MAX_AGE_SECONDS", 24 * 3600)
        try:
            started = signing.loads(self.data.get(STARTED, ""), salt=SIGNING_SALT, max_age=max_age)["t"]
        except (signing.BadSignature, KeyError, TypeError):
            raise forms.ValidationError(
                _(
                    "The form was open for too long or came from elsewhere. Please check your message and send it again."
                ),
                code="expired",
            ) from None
        if time.time() - float(started) < getattr(settings, "CONTACT_FORM_MIN_SECONDS", 3):
            raise forms.ValidationError(
                _("That was very quick. Please check your message and send it again."), code="too_fast"
            )
        return cleaned

    def message_data(self) -> dict:
        """What the visitor wrote: the cleaned data of the fields staff built."""
        return {name: value for name, value in self.cleaned_data.items() if name not in SPAM_FIELDS}


class ContactFormBuilder(FormBuilder):
    def get_form_class(self):
        return type("ContactForm", (ContactForm,), self.formfields)
