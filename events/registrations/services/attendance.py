"""Attendance per session: who is expected at a date, recording present / absent / excused, walk-ins.

Attendance is kept per participant and (default-language) date, one row each. Every write goes
through `attendance_record`, which writes that one row under its lock: two members of staff marking
the same session at once never overwrite each other's people, and for one person the last write wins.
A per-date registration's status (attended / did not come) follows its people's attendance.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import EventDate
from events.registrations.errors import AttendanceError, AttendanceNotStarted, UnknownParticipant
from events.registrations.models import Attendance, Participant, Registration
from events.registrations.selectors import attendance_list, expected_registrations
from events.registrations.services.participants import participant_for

logger = logging.getLogger(__name__)

#: The registration status that follows the attendance of a per-date registration's people.
REGISTRATION_STATUS = {
    Attendance.Status.PRESENT: Registration.Status.ATTENDED,
    Attendance.Status.ABSENT: Registration.Status.NO_SHOW,
    Attendance.Status.EXCUSED: Registration.Status.NO_SHOW,
}


def _check_session(event_date: EventDate, now: dt.datetime) -> None:
    if event_date.cancelled:
        raise AttendanceError(_("This date was cancelled: there is no attendance to record."))
    if event_date.start > now:
        raise AttendanceNotStarted(
            _("Attendance can only be recorded once the date has started (%(start)s).")
            % {"start": timezone.localtime(event_date.start).strftime("%d.%m.%Y %H:%M")}
        )


def participants_ensure(*, event_date: EventDate) -> int:
    """Give a participant to each registration expected at the date that has none (one made before
    participants existed, or entered without one). Returns how many were given one."""
    given = 0
    for registration_id in (
        expected_registrations(event_date=event_date).filter(participant__isnull=True).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            registration = Registration.objects.select_for_update().get(pk=registration_id)
            if registration.participant_id is not None:
                continue
            registration.participant = participant_for(
                name=registration.name, email=registration.email, phone=registration.phone
            )
            registration.save(update_fields=["participant", "updated_at"])
            given += 1
    return given


def attendance_sheet_for(*, event_date: EventDate) -> list:
    """The date's attendance list (see `selectors.attendance_list`), every person with a participant."""
    event_date = event_date.source_date()
    participants_ensure(event_date=event_date)
    return attendance_list(event_date=event_date)


def _registration_of(*, event_date: EventDate, participant: Participant) -> Registration | None:
    """The registration that brings this participant to the date (themselves, or as a named participant)."""
    return (
        expected_registrations(event_date=event_date)
        .filter(Q(participant=participant, attendees__isnull=True) | Q(attendees__participant=participant))
        .distinct()
        .first()
    )


def _sync_registration(*, registration: Registration, event_date: EventDate) -> None:
    """A per-date registration is marked attended when one of its people came, did not come otherwise."""
    if registration is None or registration.event_date_id != event_date.pk:
        return
    statuses = set(
        Attendance.objects.filter(event_date=event_date, registration=registration).values_list("status", flat=True)
    )
    if not statuses:
        return
    status = Registration.Status.ATTENDED if Attendance.Status.PRESENT in statuses else Registration.Status.NO_SHOW
    Registration.objects.filter(pk=registration.pk, status__in=Registration.SEAT_STATUSES).exclude(
        status=status
    ).update(status=status, updated_at=timezone.now())


def attendance_record(
    *,
    event_date: EventDate,
    participant: Participant | int,
    status: str,
    user=None,
    now: dt.datetime | None = None,
) -> Attendance:
    """Record one participant's attendance at a date (present, absent or excused).

    Refused before the date starts, for a cancelled date, and for someone neither expected at the date
    nor recorded at it already (a walk-in). The row is written on its own, under its lock.
    """
    now = now or timezone.now()
    event_date = event_date.source_date()
    _check_session(event_date, now)
    if status not in Attendance.Status.values:
        raise AttendanceError(_("Choose present, absent or excused."))
    participant_id = participant.pk if isinstance(participant, Participant) else participant
    participant = Participant.objects.filter(pk=participant_id, anonymised_at__isnull=True).first()
    if participant is None:
        raise UnknownParticipant()
    registration = _registration_of(event_date=event_date, participant=participant)
    with transaction.atomic():
        if registration is None:
            attendance = Attendance.objects.select_for_update().filter(event_date=event_date, participant=participant)
            if not attendance.exists():
                raise UnknownParticipant()
        attendance, _created = Attendance.objects.update_or_create(
            event_date=event_date,
            participant=participant,
            defaults={"status": status, "recorded_by": user, "recorded_at": now},
            create_defaults={
                "status": status,
                "recorded_by": user,
                "recorded_at": now,
                "registration": registration,
            },
        )
        if registration is not None and attendance.registration_id != registration.pk:
            attendance.registration = registration
            attendance.save(update_fields=["registration"])
        _sync_registration(registration=registration, event_date=event_date)
    logger.info("Attendance %s recorded for %s at date %s", status, participant.code, event_date.pk)
    return attendance


def attendance_record_changes(
    *,
    event_date: EventDate,
    changes: dict[int, tuple[str, str]],
    user=None,
    now: dt.datetime | None = None,
) -> list[Attendance]:
    """Record what a member of staff changed on the attendance screen: `changes` maps a participant
    to (the value they chose, the value they saw). Only rows whose value they changed are written,
    so two people submitting the same session at once keep each other's marks."""
    recorded = []
    for participant_id, (status, previous) in changes.items():
        if status and status != previous:
            recorded.append(
                attendance_record(event_date=event_date, participant=participant_id, status=status, user=user, now=now)
            )
    return recorded


def attendance_add_walk_in(
    *, event_date: EventDate, name: str, phone: str = "", user=None, now: dt.datetime | None = None
) -> Attendance:
    """Someone came without a registration: a participant record (found by the phone, if given, else
    new) present at the date as a walk-in."""
    now = now or timezone.now()
    event_date = event_date.source_date()
    _check_session(event_date, now)
    name = " ".join((name or "").split())
    if not name:
        raise AttendanceError(_("Enter the walk-in's name."))
    with transaction.atomic():
        participant = participant_for(name=name, phone=phone, created_by=user)
        registration = _registration_of(event_date=event_date, participant=participant)
        attendance, _created = Attendance.objects.update_or_create(
            event_date=event_date,
            participant=participant,
            defaults={"status": Attendance.Status.PRESENT, "recorded_by": user, "recorded_at": now},
            create_defaults={
                "status": Attendance.Status.PRESENT,
                "recorded_by": user,
                "recorded_at": now,
                "registration": registration,
                "walk_in": registration is None,
            },
        )
        _sync_registration(registration=registration, event_date=event_date)
    logger.info("Walk-in %s recorded at date %s", participant.code, event_date.pk)
    return attendance


def registration_attendance_record(
    *, registration: Registration, status: str, user=None, now: dt.datetime | None = None
) -> Registration:
    """Record the attendance of everyone a per-date registration brings (the bulk actions in the
    registrations' listing); the registration's status follows."""
    if registration.event_date_id is None:
        raise AttendanceError(
            _("A course enrolment's attendance is recorded per date: open the date's attendance screen.")
        )
    event_date = registration.event_date
    now = now or timezone.now()
    _check_session(event_date, now)
    participants_ensure(event_date=event_date)
    registration = Registration.objects.prefetch_related("attendees").get(pk=registration.pk)
    people = [attendee.participant_id for attendee in registration.attendees.all()] or [registration.participant_id]
    for participant_id in people:
        attendance_record(event_date=event_date, participant=participant_id, status=status, user=user, now=now)
    registration.refresh_from_db()
    return registration
