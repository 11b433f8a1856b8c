"""Staff actions: attendance, and what a published change to an event (a cancelled date, more places)
means for its registrations."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import EventDate, EventPage
from events.registrations.errors import InvalidTransition
from events.registrations.models import Attendance, Registration, RegistrationEmail
from events.registrations.selectors import date_cancellation_recipients, source_page
from events.registrations.services import attendance
from events.registrations.services.capacity import lock_capacity, promote_locked, registrations_in_scope
from events.registrations.services.outbox import queue_email

logger = logging.getLogger(__name__)


def _has_started(registration: Registration, now: dt.datetime) -> bool:
    """Whether the registration's date (or the first date of its series) has started."""
    if registration.event_date_id is not None:
        return registration.event_date.start <= now
    first = registration.event.dates.filter(cancelled=False).order_by("start").first()
    return first is not None and first.start <= now


def _mark(*, registration: Registration, status: str, now: dt.datetime | None = None, user=None) -> Registration:
    """Mark everyone a per-date registration brings as present or absent at its date (their attendance
    rows); the registration's status follows."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event", "event_date")
            .get(pk=registration.pk)
        )
        if registration.status not in Registration.SEAT_STATUSES:
            raise InvalidTransition(_("Only confirmed registrations can be marked as attended or not."))
        if not _has_started(registration, now):
            raise InvalidTransition(_("Attendance can only be recorded once the date has started."))
        if registration.event_date_id is None:
            raise InvalidTransition(
                _("A course enrolment's attendance is recorded per date: open the date's attendance screen.")
            )
        return attendance.registration_attendance_record(registration=registration, status=status, user=user, now=now)


def registration_mark_attended(
    *, registration: Registration, now: dt.datetime | None = None, user=None
) -> Registration:
    return _mark(registration=registration, status=Attendance.Status.PRESENT, now=now, user=user)


def registration_mark_no_show(*, registration: Registration, now: dt.datetime | None = None, user=None) -> Registration:
    return _mark(registration=registration, status=Attendance.Status.ABSENT, now=now, user=user)


def _cancel_for_the_centre(registrations, *, now: dt.datetime, tell: bool = True) -> int:
    """The centre cancelled the date (or the event): cancel these active registrations
    and tell each person (unless `tell` is off). The caller holds the capacity lock."""
    count = 0
    for registration in registrations.filter(
        status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
    ):
        registration.status = Registration.Status.CANCELLED_BY_STAFF
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        if tell:
            queue_email(registration=registration, kind=RegistrationEmail.Kind.DATE_CANCELLED)
        count += 1
    return count


def event_registrations_cancel(*, event: EventPage, now: dt.datetime | None = None) -> int:
    """Staff cancel every confirmed and waitlisted registration of an event (before deleting it).

    Everyone whose date (or course) has not ended yet gets the cancellation e-mail through the
    outbox; registrations for dates that are over are closed without one. Returns how many.
    """
    now = now or timezone.now()
    event = source_page(event)
    active = Registration.objects.filter(
        event=event, status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
    )
    count = 0
    date_ids = set(active.exclude(event_date__isnull=True).values_list("event_date_id", flat=True))
    for date in EventDate.objects.filter(pk__in=date_ids).order_by("start"):
        with transaction.atomic():
            _event, date = lock_capacity(event=event, event_date=date)
            count += _cancel_for_the_centre(
                registrations_in_scope(event=event, event_date=date), now=now, tell=date.end >= now
            )
    if active.filter(event_date__isnull=True).exists():
        with transaction.atomic():
            lock_capacity(event=event, event_date=None)
            ongoing = event.dates.filter(end__gte=now).exists()
            count += _cancel_for_the_centre(registrations_in_scope(event=event, event_date=None), now=now, tell=ongoing)
    logger.info("Staff cancelled %s registrations of event %s", count, event.pk)
    return count


def event_registrations_sync(*, event: EventPage, now: dt.datetime | None = None) -> dict[str, int]:
    """After staff publish an event: cancelled dates tell their registrants; raised capacity promotes."""
    now = now or timezone.now()
    event = source_page(event)
    counts = {"cancelled": 0, "promoted": 0}
    active = Registration.objects.filter(event=event, status__in=Registration.ACTIVE_STATUSES)
    date_ids = set(active.exclude(event_date__isnull=True).values_list("event_date_id", flat=True))
    series_active = active.filter(event_date__isnull=True).exists()
    event_cancelled = event.status == EventPage.Status.CANCELLED
    for date in EventDate.objects.filter(pk__in=date_ids, end__gte=now):
        with transaction.atomic():
            _event, date = lock_capacity(event=event, event_date=date)
            if date.cancelled or event_cancelled:
                counts["cancelled"] += _cancel_for_the_centre(
                    registrations_in_scope(event=event, event_date=date), now=now
                )
            else:
                counts["promoted"] += len(promote_locked(event=event, event_date=date, now=now))
    if series_active:
        with transaction.atomic():
            lock_capacity(event=event, event_date=None)
            series = registrations_in_scope(event=event, event_date=None).filter(
                status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
            )
            if event_cancelled:
                counts["cancelled"] += _cancel_for_the_centre(series, now=now)
            else:
                # One cancelled date of a course: tell each participant once about that date.
                for date in event.term_dates(event.dates.filter(cancelled=True, end__gte=now)):
                    # Not those who leave the course from an earlier date on.
                    staying = series.filter(status=Registration.Status.CONFIRMED).exclude(
                        leaves_on__lte=timezone.localdate(date.start)
                    )
                    for registration in staying:
                        already = registration.emails.filter(
                            kind=RegistrationEmail.Kind.DATE_CANCELLED, event_date=date
                        ).exists()
                        if not already:
                            queue_email(
                                registration=registration, kind=RegistrationEmail.Kind.DATE_CANCELLED, event_date=date
                            )
                counts["promoted"] += len(promote_locked(event=event, event_date=None, now=now))
    return counts


def event_date_cancel(*, event_date: EventDate, reason: str, user=None, now: dt.datetime | None = None) -> int:
    """Staff cancel one date: the event is published with the date cancelled (in every language,
    with the reason), and its registrants are cancelled and e-mailed (see `event_registrations_sync`).

    A draft waiting on the page keeps its other changes and gets the cancellation too.
    Returns how many registrants are e-mailed.
    """
    now = now or timezone.now()
    source = event_date.source_date()
    page = EventPage.objects.get(pk=source.page_id)
    if source.cancelled:
        raise InvalidTransition(_("This date is already cancelled."))
    if source.end < now:
        raise InvalidTransition(_("This date is over; it cannot be cancelled."))
    if not page.live:
        raise InvalidTransition(_("The event is not published: cancel the date in the page editor."))
    reason = (reason or "").strip()[:255]
    recipients = date_cancellation_recipients(event_date=source)
    draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else None

    dates = list(page.dates.all())
    for date in dates:
        if date.uid == source.uid:
            date.cancelled = True
            date.cancellation_reason = reason
    page.dates = dates
    page.save_revision(user=user, log_action=True).publish(user=user)

    if draft is not None:
        draft_dates = list(draft.dates.all())
        for date in draft_dates:
            if date.uid == source.uid:
                date.cancelled = True
                date.cancellation_reason = reason
        draft.dates = draft_dates
        draft.save_revision(user=user, log_action=True)
    return recipients
