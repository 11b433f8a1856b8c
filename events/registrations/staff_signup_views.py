"""Staff-entered sign-ups in the admin: someone who rang, came in or has no e-mail; and cancelling
an enrolment from a date onward for them.

Only Registration managers (view and change registrations) reach these views. The sign-up goes
through `booking.registration_create` (the same capacity lock and waiting list as the public form),
records who entered it, and sends no e-mail where there is no address.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import EventPage
from events.registrations import errors
from events.registrations.forms import PHONE_VALIDATOR, clean_participant_names, date_label
from events.registrations.models import Registration
from events.registrations.selectors import enrolment_leaving_dates, enrolment_term, source_page
from events.registrations.services import booking
from portal.admin_views import admin_forbidden

VIEW_PERMISSION = "registrations.view_registration"
CHANGE_PERMISSION = "registrations.change_registration"
HEADER_ICON = "list-ul"


def _refused(request: HttpRequest) -> HttpResponse | None:
    """The admin's 403 page for anyone but a Registration manager."""
    if request.user.has_perm(VIEW_PERMISSION) and request.user.has_perm(CHANGE_PERMISSION):
        return None
    return admin_forbidden(
        request,
        title=_("No access"),
        message=_(
            "You cannot open this page. Only Registration managers sign people up for events and end their enrolments."
        ),
    )


def signup_dates(event: EventPage, *, now: dt.datetime | None = None):
    """The dates staff can sign someone up for: not cancelled and not over (one entry for a course)."""
    now = now or timezone.now()
    dates = event.dates.filter(cancelled=False, end__gt=now).order_by("start")
    if event.registration_is_series:
        dates = event.term_dates(dates)
        first = dates.first()
        return [first] if first is not None else []
    return list(dates)


class StaffSignupForm(forms.Form):
    date = forms.TypedChoiceField(label=gettext_lazy("Date"), coerce=int)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False, validators=[PHONE_VALIDATOR])
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        max_length=254,
        required=False,
        help_text=gettext_lazy("Leave empty for someone without an e-mail address: no e-mail is sent."),
    )
    seats = forms.IntegerField(label=gettext_lazy("Number of places"), min_value=1, initial=1)
    attendees = forms.CharField(
        label=gettext_lazy("Names of the participants"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional, one name per line (children signed up by a parent, for example)."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the e-mails"), choices=settings.LANGUAGES)
    send_confirmation = forms.BooleanField(
        label=gettext_lazy("Send the confirmation"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Only when an e-mail address is given."),
    )

    def __init__(self, *args, event: EventPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.dates = {date.pk: date for date in signup_dates(event)}
        if event.registration_is_series:
            term = enrolment_term(page=event)
            self.fields["date"].label = gettext_lazy("Course")
            self.fields["date"].choices = [
                (pk, _("Enrolment for the term %(term)s") % {"term": term.label} if term else event.title)
                for pk in self.dates
            ]
        else:
            self.fields["date"].choices = [(pk, date_label(date)) for pk, date in self.dates.items()]
        if len(self.dates) == 1:
            self.fields["date"].initial = next(iter(self.dates))
        self.fields["seats"].max_value = event.registration_max_seats
        self.fields["seats"].widget.attrs.update({"min": 1, "max": event.registration_max_seats})
        self.fields["language"].initial = settings.LANGUAGE_CODE

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2 or not any(char.isalpha() for char in name) or any(ord(char) < 32 for char in name):
            raise forms.ValidationError(_("Enter the person's name."))
        return name

    def clean_seats(self) -> int:
        seats = self.cleaned_data["seats"]
        if seats > self.event.registration_max_seats:
            raise forms.ValidationError(
                _("One registration can have at most %(max)s places.") % {"max": self.event.registration_max_seats}
            )
        return seats

    def clean_attendees(self) -> list[str]:
        return clean_participant_names(self.cleaned_data.get("attendees", ""), limit=self.event.registration_max_seats)

    def clean_note(self) -> str:
        return "".join(char for char in self.cleaned_data.get("note", "") if char in "\n\t" or ord(char) >= 32)

    def clean(self):
        cleaned = super().clean()
        cleaned["event_date"] = self.dates.get(cleaned.get("date"))
        if cleaned.get("attendees"):
            cleaned["seats"] = len(cleaned["attendees"])
            self.errors.pop("seats", None)
        return cleaned


def _listing_url(event: EventPage) -> str:
    return reverse("registration_admin:index") + f"?event={event.pk}"


def staff_signup(request: HttpRequest, event_id: int) -> HttpResponse:
    """Sign someone up for an event: by phone, in person, with or without an e-mail address."""
    if (refused := _refused(request)) is not None:
        return refused
    event = source_page(get_object_or_404(EventPage, pk=event_id))
    form = StaffSignupForm(request.POST if request.method == "POST" else None, event=event)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                registration = booking.registration_create(
                    event_date=data["event_date"],
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    seats=data["seats"],
                    attendees=data["attendees"],
                    note=data["note"],
                    language=data["language"],
                    entered_by=request.user,
                    notify=data["send_confirmation"],
                )
            except errors.RegistrationError as error:
                form.add_error(None, error.message)
                status = 409
            else:
                if registration.status == Registration.Status.WAITLISTED:
                    messages.warning(request, _("%(name)s is on the waiting list.") % {"name": registration.name})
                else:
                    messages.success(request, _("%(name)s is signed up.") % {"name": registration.name})
                return redirect(_listing_url(event))
    return TemplateResponse(
        request,
        "events/admin/staff_signup.html",
        {
            "event": event,
            "form": form,
            "listing_url": _listing_url(event),
            "header_icon": HEADER_ICON,
            "no_dates": not form.dates,
        },
        status=status,
    )


class LeaveForm(forms.Form):
    leaves_on = forms.TypedChoiceField(label=gettext_lazy("Cancel from this date onward"), coerce=dt.date.fromisoformat)

    def __init__(self, *args, dates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaves_on"].choices = [
            (timezone.localdate(date.start).isoformat(), date_label(date)) for date in dates
        ]


def staff_leave(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Cancel an enrolment from a date onward for the person (the dates before it still count)."""
    if (refused := _refused(request)) is not None:
        return refused
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=registration_id)
    inspect_url = reverse("registration_admin:inspect", args=[registration.pk])
    dates = enrolment_leaving_dates(registration=registration, by_staff=True)
    form = LeaveForm(request.POST if request.method == "POST" else None, dates=dates)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                booking.registration_leave(
                    registration=registration, leaves_on=form.cleaned_data["leaves_on"], by_staff=True
                )
            except errors.RegistrationError as error:
                form.add_error(None, error.message)
                status = 409
            else:
                messages.success(request, _("The enrolment is cancelled from the chosen date onward."))
                return redirect(inspect_url)
    return TemplateResponse(
        request,
        "events/admin/staff_leave.html",
        {
            "registration": registration,
            "event": registration.event,
            "form": form,
            "dates": dates,
            "inspect_url": inspect_url,
            "header_icon": HEADER_ICON,
        },
        status=status,
    )
