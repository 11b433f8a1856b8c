"""The attendance screen staff use on a phone for one date: the expected people with present /
absent / excused, and "add a walk-in". It works without JavaScript: each tap is a form submission
that writes only the person whose mark changed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import EventDate, EventPage
from events.registrations import errors
from events.registrations.models import Attendance
from events.registrations.selectors import attendance_last_recorded
from events.registrations.services import attendance
from portal.admin_views import admin_permission_required

#: Who may take attendance: the staff who may change registrations (the "Registration managers").
TAKE_PERMISSION = "registrations.change_registration"

#: The 403 page of the attendance screen and of the participant records.
REFUSED = {
    "title": gettext_lazy("No access"),
    "message": gettext_lazy(
        "You cannot open this page. Attendance and participant records are open to Registration managers only, "
        "and participant records cannot be added, changed or deleted here."
    ),
}


class WalkInForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name and surname"),
        max_length=200,
        error_messages={"required": gettext_lazy("Enter the walk-in's name.")},
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("Optional: the same phone finds the same person next time."),
    )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


def _changes(post) -> dict[int, tuple[str, str]]:
    """{participant id: (chosen, seen before)} from the submitted `status-<id>` and `previous-<id>` fields."""
    changes = {}
    for key, value in post.items():
        if not key.startswith("status-"):
            continue
        raw_id = key.removeprefix("status-")
        if not raw_id.isdigit() or len(raw_id) > 18:
            raise errors.UnknownParticipant()
        changes[int(raw_id)] = (value, post.get(f"previous-{raw_id}", ""))
    return changes


def _recorded_note(record, time_format: str) -> str:
    """Who recorded an attendance and when; a record without its staff member (imported, or whose
    account was deleted) names only the time."""
    time = timezone.localtime(record.recorded_at).strftime(time_format)
    user = record.recorded_by
    if user is None:
        return _("Recorded at %(time)s") % {"time": time}
    return _("Recorded by %(user)s at %(time)s") % {"user": user.get_full_name() or user.get_username(), "time": time}


@admin_permission_required(lambda user: user.has_perm(TAKE_PERMISSION), **REFUSED)
def attendance_take(request: HttpRequest, date_id: int) -> HttpResponse:
    """Take attendance for one date (only for staff who may change registrations)."""
    found = EventDate.objects.select_related("page").filter(pk=date_id).first()
    if found is None:
        return TemplateResponse(
            request,
            "registrations/attendance/unknown_date.html",
            {"listing_url": reverse("registration_admin:index")},
            status=404,
        )
    event_date = found.source_date()
    event = EventPage.objects.get(pk=event_date.page_id)
    url = reverse("registration_attendance_take", args=[event_date.pk])
    walk_in_form = WalkInForm(prefix="walk-in")
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "walk-in":
                walk_in_form = WalkInForm(request.POST, prefix="walk-in")
                if walk_in_form.is_valid():
                    added = attendance.attendance_add_walk_in(
                        event_date=event_date,
                        name=walk_in_form.cleaned_data["name"],
                        phone=walk_in_form.cleaned_data["phone"],
                        user=request.user,
                    )
                    messages.success(
                        request, _("%(name)s is recorded as present.") % {"name": walk_in_form.cleaned_data["name"]}
                    )
                    return redirect(f"{url}#person-{added.participant_id}")
                status = 400
            else:
                recorded = attendance.attendance_record_changes(
                    event_date=event_date, changes=_changes(request.POST), user=request.user
                )
                if len(recorded) == 1:
                    return redirect(f"{url}#person-{recorded[0].participant_id}")
                if recorded:
                    messages.success(request, _("Attendance saved."))
                return redirect(url)
        except errors.UnknownParticipant as error:
            messages.error(request, error.message)
            status = 404
        except errors.AttendanceError as error:
            messages.error(request, error.message)
            status = 400
    rows = attendance.attendance_sheet_for(event_date=event_date)
    for row in rows:
        if row.attendance is not None:
            row.recorded_note = _recorded_note(row.attendance, "%d.%m. %H:%M")
    last = attendance_last_recorded(event_date=event_date)
    counts = {status_value: 0 for status_value in Attendance.Status.values}
    for row in rows:
        if row.status:
            counts[row.status] += 1
    return TemplateResponse(
        request,
        "registrations/attendance/take.html",
        {
            "event": event,
            "event_date": event_date,
            "rows": rows,
            "choices": Attendance.Status.choices,
            "started": event_date.start <= timezone.now(),
            "last_note": _recorded_note(last, "%d.%m.%Y %H:%M") if last else "",
            "counts": [(label, counts[value]) for value, label in Attendance.Status.choices],
            "walk_in_form": walk_in_form,
            "sheet_url": reverse("registration_attendance", args=[event_date.pk]),
            "listing_url": reverse("registration_admin:index") + f"?event_date={event_date.pk}",
            "header_icon": "list-ul",
        },
        status=status,
    )
