"""The registration form: validation only. Decisions are taken by events.services."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, RegexValidator
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from events.registrations.selectors import DateAvailability
from portal.templatetags.portal_dates import local_date

PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9][0-9 ()./-]{4,38}$", _("Enter a phone number using digits, spaces and an optional + at the start.")
)


def date_label(date) -> str:
    """E.g. "úterý 5. března 2026, 15:00–17:00" / "Tuesday 5 March 2026, 15:00–17:00" (the active language)."""
    start = timezone.localtime(date.start)
    end = timezone.localtime(date.end)
    label = local_date(start, "datetime")
    if start.date() == end.date():
        return f"{label}–{end:%H:%M}"
    return f"{label} – {local_date(end, 'datetime')}"


lazy_date_label = lazy(date_label, str)


def clean_participant_names(text: str, *, limit: int) -> list[str]:
    """The names of a family sign-up's participants, one per line: at most `limit`, each once."""
    names = []
    for line in (text or "").splitlines():
        name = " ".join(line.split())
        if not name:
            continue
        if any(ord(char) < 32 for char in name) or not any(char.isalpha() for char in name):
            raise forms.ValidationError(_("Write one name per line, in letters."))
        if len(name) > 200:
            raise forms.ValidationError(_("A name can have at most 200 characters."))
        if name.casefold() in {known.casefold() for known in names}:
            raise forms.ValidationError(_("Each participant's name can only be given once: %(name)s.") % {"name": name})
        names.append(name)
    if len(names) > limit:
        raise forms.ValidationError(_("One registration can have at most %(limit)s participants.") % {"limit": limit})
    return names


#: Instead of Django's "Null characters are not allowed.", which means nothing to a visitor.
NOT_ALLOWED_CHARACTERS = _("This field contains characters that are not allowed.")


class RegistrationForm(forms.Form):
    date = forms.ChoiceField(
        label=_("Date"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a date."),
            # A date that filled up or closed since the form was shown; Django's message would repeat its code.
            "invalid_choice": _("This date can no longer be chosen: choose one of the dates offered."),
        },
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        min_length=2,
        error_messages={
            "required": _("Enter your name."),
            "min_length": _("Enter your name."),
            "null_characters_not_allowed": _("The name contains characters that are not allowed."),
        },
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("We send the confirmation and the cancellation link here."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter a valid e-mail address, such as name@example.com."),
        },
    )
    seats = forms.IntegerField(label=_("Number of places"), min_value=1, initial=1)
    attendees = forms.CharField(
        label=_("Names of the participants"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional: when you sign up others (your children, for example), write one name per line. "
            "Each name takes one place, and the number of places follows the names."
        ),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, validators=[PHONE_VALIDATOR])
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example what the organisers should know (at most 1,000 characters)."),
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that the centre keeps these details for this registration."),
        error_messages={"required": _("Please confirm that you have read the privacy notice.")},
    )
    # A honeypot: hidden from people, filled in by bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, page, availabilities: list[DateAvailability], **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.availabilities = availabilities
        self.open_dates = {str(item.date.uid): item for item in availabilities if item.can_register}
        # The labels are worked out only if the field is rendered with its widget (the panel shows its own).
        self.fields["date"].choices = [(uid, lazy_date_label(item.date)) for uid, item in self.open_dates.items()]
        if len(self.open_dates) == 1:
            self.fields["date"].initial = next(iter(self.open_dates))
        self.fields["seats"].max_value = page.registration_max_seats
        self.fields["seats"].validators.append(
            MaxValueValidator(
                page.registration_max_seats, _("One registration can have at most %(limit_value)s places.")
            )
        )
        self.fields["seats"].widget.attrs.update({"min": 1, "max": page.registration_max_seats})
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        for field in self.fields.values():
            field.error_messages.setdefault("null_characters_not_allowed", NOT_ALLOWED_CHARACTERS)
        if not page.registration_ask_phone:
            del self.fields["phone"]
        if not page.registration_ask_note:
            del self.fields["note"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2 or not any(char.isalpha() for char in name):
            raise forms.ValidationError(_("Enter your name."))
        if any(ord(char) < 32 for char in name):
            raise forms.ValidationError(_("The name contains characters that are not allowed."))
        return name

    def clean_attendees(self) -> list[str]:
        return clean_participant_names(self.cleaned_data.get("attendees", ""), limit=self.page.registration_max_seats)

    def clean_note(self) -> str:
        note = self.cleaned_data.get("note", "")
        return "".join(char for char in note if char in "\n\t" or ord(char) >= 32)

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean(self):
        cleaned = super().clean()
        uid = cleaned.get("date")
        cleaned["event_date"] = self.open_dates[uid].date if uid in self.open_dates else None
        if cleaned.get("attendees"):
            # The named participants set the number of places.
            cleaned["seats"] = len(cleaned["attendees"])
            self.errors.pop("seats", None)
        return cleaned
