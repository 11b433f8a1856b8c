"""Retention and GDPR: anonymising old registrations, and exporting or erasing one person's data."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from events.registrations.models import Attendance, Participant, Registration, RegistrationAttendee, RegistrationEmail
from events.registrations.services.capacity import lock_capacity, promote_locked
from events.registrations.tokens import normalise_email

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 90


def retention_days() -> int:
    return int(getattr(settings, "REGISTRATION_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def registrations_purge(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Anonymise registrations whose date (or whole series) ended more than `days` ago. Returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days() if days is None else days)
    pending = Registration.objects.filter(anonymised_at__isnull=True)
    per_date = pending.filter(event_date__end__lt=cutoff)
    series = (
        pending.filter(event_date__isnull=True)
        .annotate(last_end=Max("event__dates__end"))
        .filter(Q(last_end__lt=cutoff) | Q(last_end__isnull=True, created_at__lt=cutoff))
    )
    ids = set(per_date.values_list("pk", flat=True)) | set(series.values_list("pk", flat=True))
    with transaction.atomic():
        count = Registration.objects.filter(pk__in=ids).update(
            name="", email="", phone="", note="", anonymised_at=now, updated_at=now
        )
        RegistrationAttendee.objects.filter(registration_id__in=ids).update(name="")
        RegistrationEmail.objects.filter(registration_id__in=ids).exclude(state=RegistrationEmail.State.SENT).update(
            state=RegistrationEmail.State.DROPPED, last_error="", next_attempt_at=None
        )
    return count


def participants_keep_for_projects(*, archiving_dates: Mapping[int, dt.date]) -> int:
    """Keep the participants of funded projects' activities for the projects' reporting: each participant
    present at a date of an activity of a project gets `keep_until` = that project's archiving date (the
    latest one, when several). `archiving_dates` maps project page ids to their archiving dates (the
    projects app computes them). Never shortens a date already set. Returns how many records changed."""
    changed = 0
    for project_id, day in archiving_dates.items():
        attended = Participant.objects.filter(
            anonymised_at__isnull=True,
            attendances__status=Attendance.Status.PRESENT,
            attendances__event_date__page__project_id=project_id,
        )
        changed += (
            Participant.objects.filter(pk__in=attended.values("pk"))
            .filter(Q(keep_until__isnull=True) | Q(keep_until__lt=day))
            .update(keep_until=day)
        )
    return changed


def participants_purge(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Anonymise participant records with nothing left to keep: no registration (their own or as a named
    participant) still holding personal data, no attendance at a date that ended within the retention
    period, and no project keeping them (`keep_until` today or later). The record stays, without name,
    e-mail or phone, so counts of people and attendances still add up. Returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days() if days is None else days)
    today = timezone.localdate(now)
    live_registrations = Registration.objects.filter(anonymised_at__isnull=True)
    ids = list(
        Participant.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff)
        .filter(Q(keep_until__isnull=True) | Q(keep_until__lt=today))
        .exclude(pk__in=live_registrations.filter(participant__isnull=False).values("participant_id"))
        .exclude(
            pk__in=RegistrationAttendee.objects.filter(registration__in=live_registrations).values("participant_id")
        )
        .exclude(pk__in=Attendance.objects.filter(event_date__end__gte=cutoff).values("participant_id"))
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        count = Participant.objects.filter(pk__in=ids).update(name="", email="", phone="", anonymised_at=now)
        RegistrationAttendee.objects.filter(participant_id__in=ids).update(name="")
    return count


def registrations_export_for_email(*, email: str) -> dict[str, Any]:
    """Everything held about one e-mail address (GDPR access request), as JSON-ready data."""
    email = normalise_email(email)
    items = []
    for registration in (
        Registration.objects.filter(email=email).select_related("event", "event_date").prefetch_related("emails")
    ):
        items.append(
            {
                "event": registration.event.title,
                "date": registration.event_date.start.isoformat() if registration.event_date else None,
                "status": registration.status,
                "seats": registration.seats,
                "name": registration.name,
                "email": registration.email,
                "phone": registration.phone,
                "note": registration.note,
                "language": registration.language,
                "consent_at": registration.consent_at.isoformat() if registration.consent_at else None,
                "registered_at": registration.created_at.isoformat(),
                "cancelled_at": registration.cancelled_at.isoformat() if registration.cancelled_at else None,
                "emails": [
                    {
                        "kind": mail.kind,
                        "state": mail.state,
                        "created_at": mail.created_at.isoformat(),
                        "sent_at": mail.sent_at.isoformat() if mail.sent_at else None,
                    }
                    for mail in registration.emails.all()
                ],
            }
        )
    return {"email": email, "exported_at": timezone.now().isoformat(), "registrations": items}


def registrations_erase_for_email(*, email: str, now: dt.datetime | None = None) -> int:
    """Delete everything held for one e-mail address (GDPR erasure); freed places go to the waiting list."""
    email = normalise_email(email)
    if not email:
        return 0
    now = now or timezone.now()
    registrations = list(Registration.objects.filter(email=email).select_related("event", "event_date"))
    count = 0
    for registration in registrations:
        with transaction.atomic():
            lock_capacity(event=registration.event, event_date=registration.event_date)
            held = Registration.objects.filter(pk=registration.pk, status__in=Registration.SEAT_STATUSES).exists()
            Registration.objects.filter(pk=registration.pk).delete()
            count += 1
            if held:
                promote_locked(event=registration.event, event_date=registration.event_date, now=now)
    return count
