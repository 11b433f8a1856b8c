"""Registrations: every write goes through these functions.

The capacity decision is taken inside `transaction.atomic()` after locking the
date row (or, for whole-series registration, the event row) with
`select_for_update()`. On PostgreSQL that is a row lock that holds across app
servers; SQLite runs with `transaction_mode="IMMEDIATE"`, which serialises
writers. Confirmed seats therefore never exceed capacity, and the waiting list
is promoted oldest first under the same lock.

E-mails are written to an outbox (`RegistrationEmail`) in the same transaction
and handed to a task once it commits, so a mail server outage never loses a
registration: failed sends are retried with backoff by `emails_retry()`, which
the worker's schedule runs every minute.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import EventDate, EventPage, Registration, RegistrationEmail
from events.registration_selectors import Availability, availability, series_first_start, source_page

logger = logging.getLogger(__name__)

STATUS_TOKEN_SALT = "events.registration.status"
CANCEL_TOKEN_SALT = "events.registration.cancel"
RESEND_TOKEN_SALT = "events.registration.resend"
# Links in e-mails stay valid for a year; a resend offer for an hour.
TOKEN_MAX_AGE = 366 * 24 * 3600
RESEND_TOKEN_MAX_AGE = 3600
DEFAULT_RETENTION_DAYS = 90
# An outbox row its task has not sent within this time is sent by `emails_retry()`.
EMAIL_RETRY_AFTER = dt.timedelta(minutes=5)


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------


class RegistrationError(Exception):
    """A registration rule says no. `message` is shown to the person, in their language."""

    default_message = _("Registration is not possible.")

    def __init__(self, message: Any = None, *, registration: Registration | None = None):
        self.message = message or self.default_message
        self.registration = registration
        super().__init__(str(self.message))


class RegistrationClosed(RegistrationError):
    default_message = _("Registration for this date is closed.")


class RegistrationNotOpen(RegistrationError):
    default_message = _("Registration for this date is not open yet.")


class DateCancelled(RegistrationError):
    default_message = _("This date has been cancelled.")


class EventFull(RegistrationError):
    default_message = _("There are no free places left.")


class TooManySeats(RegistrationError):
    default_message = _("You asked for more places than one registration allows.")


class DuplicateRegistration(RegistrationError):
    default_message = _("This e-mail address is already registered for this date.")


class ConsentRequired(RegistrationError):
    default_message = _("Please confirm that you have read the privacy notice.")


class InvalidTransition(RegistrationError):
    default_message = _("This change is not possible for a registration in this state.")


class InvalidToken(RegistrationError):
    default_message = _("This link is not valid or has expired.")


# --------------------------------------------------------------------------------------
# Tokens (signed, expiring; nothing is stored)
# --------------------------------------------------------------------------------------


def registration_token(*, registration: Registration, salt: str) -> str:
    return signing.dumps(str(registration.public_id), salt=salt, compress=False)


def registration_from_token(*, token: str, salt: str, max_age: int = TOKEN_MAX_AGE) -> Registration:
    """The registration a signed link names, or InvalidToken."""
    try:
        public_id = signing.loads(token, salt=salt, max_age=max_age)
        return Registration.objects.select_related("event", "event_date").get(public_id=public_id)
    except (signing.BadSignature, Registration.DoesNotExist, ValueError, TypeError) as error:
        raise InvalidToken() from error
    except Exception as error:  # malformed UUIDs raise ValidationError
        raise InvalidToken() from error


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _lock(*, event: EventPage, event_date: EventDate | None) -> None:
    """Take the capacity lock: the date row, or the event row for whole-series registration."""
    if event_date is not None:
        EventDate.objects.select_for_update().filter(pk=event_date.pk).first()
    else:
        EventPage.objects.select_for_update(of=("self",)).filter(pk=event.pk).first()


def _scope(*, event: EventPage, event_date: EventDate | None):
    qs = Registration.objects.filter(event=event)
    if event_date is None:
        return qs.filter(event_date__isnull=True)
    return qs.filter(event_date=event_date)


def _seats_taken(*, event: EventPage, event_date: EventDate | None) -> int:
    return (
        _scope(event=event, event_date=event_date)
        .filter(status__in=Registration.SEAT_STATUSES)
        .aggregate(total=Sum("seats"))["total"]
        or 0
    )


def _queue_email(*, registration: Registration, kind: str, event_date: EventDate | None = None) -> RegistrationEmail:
    mail = RegistrationEmail.objects.create(
        registration=registration,
        kind=kind,
        event_date=event_date or registration.event_date,
        next_attempt_at=timezone.now() + EMAIL_RETRY_AFTER,
    )
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(email_id: int) -> None:
    from events.tasks import send_registration_email

    try:
        send_registration_email.enqueue(email_id)
    except Exception:
        # The outbox row stays pending; `emails_retry` sends it later.
        logger.exception("Could not enqueue registration e-mail %s", email_id)


def _resolve(event_date: EventDate) -> tuple[EventPage, EventDate | None]:
    """The source-locale event and date (None for whole-series registration) a registration points at."""
    source_date = event_date.source_date()
    event = EventPage.objects.get(pk=source_date.page_id)
    if event.registration_is_series:
        return event, None
    return event, source_date


def _availability_locked(*, event: EventPage, event_date: EventDate | None, now: dt.datetime):
    taken = _seats_taken(event=event, event_date=event_date)
    if event_date is None:
        start = series_first_start(page=event)
        first = event.dates.filter(cancelled=False).order_by("start").first()
        return availability(page=event, event_date=first, taken=taken, now=now, series_start=start)
    return availability(page=event, event_date=event_date, taken=taken, now=now)


def _promote_locked(*, event: EventPage, event_date: EventDate | None, now: dt.datetime) -> list[Registration]:
    """Promote the oldest waitlisted registrations that fit. The caller holds the lock."""
    state = _availability_locked(event=event, event_date=event_date, now=now)
    if state.state in (Availability.CANCELLED, Availability.CLOSED):
        return []
    capacity = state.capacity
    taken = state.taken
    promoted = []
    waiting = _scope(event=event, event_date=event_date).filter(status=Registration.Status.WAITLISTED)
    for registration in waiting.order_by("created_at", "id"):
        if capacity is not None and taken + registration.seats > capacity:
            continue
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        taken += registration.seats
        promoted.append(registration)
        _queue_email(registration=registration, kind=RegistrationEmail.Kind.PROMOTED)
    return promoted


# --------------------------------------------------------------------------------------
# Residents
# --------------------------------------------------------------------------------------


def registration_create(
    *,
    event_date: EventDate,
    name: str,
    email: str,
    seats: int,
    phone: str = "",
    note: str = "",
    language: str,
    consent: bool = True,
    now: dt.datetime | None = None,
) -> Registration:
    """Register for a date (in any language): confirmed if the seats fit, else waitlisted, else an error."""
    if not consent:
        raise ConsentRequired()
    email = normalise_email(email)
    name = (name or "").strip()
    if seats < 1:
        raise TooManySeats(_("Ask for at least one place."))
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    event, source_date = _resolve(event_date)
    with transaction.atomic():
        _lock(event=event, event_date=source_date)
        now = now or timezone.now()
        event = EventPage.objects.get(pk=event.pk)  # settings as they are now, under the lock
        if source_date is not None:
            source_date = EventDate.objects.get(pk=source_date.pk)
        state = _availability_locked(event=event, event_date=source_date, now=now)
        if state.state == Availability.DISABLED:
            raise RegistrationClosed(_("This event does not take registrations on the website."))
        if state.state == Availability.CANCELLED:
            raise DateCancelled()
        if state.state == Availability.CLOSED:
            raise RegistrationClosed()
        if state.state == Availability.NOT_YET_OPEN:
            raise RegistrationNotOpen()
        if seats > event.registration_max_seats:
            raise TooManySeats(
                _("One registration can have at most %(max)s places.") % {"max": event.registration_max_seats}
            )
        if state.capacity is not None and seats > state.capacity:
            raise TooManySeats(_("This date only has %(capacity)s places.") % {"capacity": state.capacity})
        existing = (
            _scope(event=event, event_date=source_date)
            .filter(email=email, status__in=Registration.ACTIVE_STATUSES, anonymised_at__isnull=True)
            .first()
        )
        if existing is not None:
            raise DuplicateRegistration(registration=existing)
        if state.capacity is None or state.taken + seats <= state.capacity:
            status = Registration.Status.CONFIRMED
        elif event.registration_waitlist:
            status = Registration.Status.WAITLISTED
        elif state.free:
            raise EventFull(_("Only %(free)s places are left.") % {"free": state.free})
        else:
            raise EventFull()
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event,
                    event_date=source_date,
                    status=status,
                    seats=seats,
                    name=name[:200],
                    email=email,
                    phone=(phone or "").strip()[:40],
                    note=(note or "").strip()[:1000],
                    language=language,
                    consent_at=now,
                    created_at=now,
                )
        except IntegrityError as error:
            raise DuplicateRegistration() from error
        kind = (
            RegistrationEmail.Kind.CONFIRMATION
            if status == Registration.Status.CONFIRMED
            else RegistrationEmail.Kind.WAITLISTED
        )
        _queue_email(registration=registration, kind=kind)
    return registration


def registration_cancel(
    *, registration: Registration, by_staff: bool = False, now: dt.datetime | None = None
) -> Registration:
    """Cancel a registration (idempotent); freed places go to the waiting list, oldest first."""
    with transaction.atomic():
        _lock(event=registration.event, event_date=registration.event_date)
        now = now or timezone.now()
        registration = Registration.objects.select_related("event", "event_date").get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return registration
        if registration.status in (Registration.Status.ATTENDED, Registration.Status.NO_SHOW):
            raise InvalidTransition(_("Attendance has already been recorded for this registration."))
        if not by_staff and registration.event_date is not None and registration.event_date.start <= now:
            raise RegistrationClosed(_("The date has already started, so the registration cannot be cancelled."))
        held_seats = registration.holds_seats
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        _queue_email(registration=registration, kind=RegistrationEmail.Kind.CANCELLED)
        if held_seats:
            _promote_locked(event=registration.event, event_date=registration.event_date, now=now)
    return registration


def registration_resend_confirmation(*, registration: Registration) -> RegistrationEmail:
    """Send the confirmation (or waiting-list) e-mail again, to the registered address only."""
    if not registration.is_active or registration.anonymised_at:
        raise InvalidTransition()
    kind = (
        RegistrationEmail.Kind.WAITLISTED
        if registration.status == Registration.Status.WAITLISTED
        else RegistrationEmail.Kind.CONFIRMATION
    )
    with transaction.atomic():
        return _queue_email(registration=registration, kind=kind)


# --------------------------------------------------------------------------------------
# Staff
# --------------------------------------------------------------------------------------


def waitlist_promote(
    *, event: EventPage, event_date: EventDate | None = None, now: dt.datetime | None = None
) -> list[Registration]:
    """Fill free places from the waiting list (after staff raised capacity, for example)."""
    event = source_page(event)
    if event_date is not None:
        event_date = event_date.source_date()
    with transaction.atomic():
        _lock(event=event, event_date=event_date)
        event = EventPage.objects.get(pk=event.pk)
        return _promote_locked(event=event, event_date=event_date, now=now or timezone.now())


def registration_promote(*, registration: Registration, now: dt.datetime | None = None) -> Registration:
    """Staff move one waitlisted registration up, if its seats fit."""
    with transaction.atomic():
        _lock(event=registration.event, event_date=registration.event_date)
        registration = Registration.objects.select_related("event", "event_date").get(pk=registration.pk)
        if registration.status != Registration.Status.WAITLISTED:
            raise InvalidTransition(_("Only registrations on the waiting list can be moved up."))
        state = _availability_locked(
            event=registration.event, event_date=registration.event_date, now=now or timezone.now()
        )
        if state.capacity is not None and state.taken + registration.seats > state.capacity:
            raise EventFull(_("Not enough free places: raise the capacity first."))
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        _queue_email(registration=registration, kind=RegistrationEmail.Kind.PROMOTED)
    return registration


def _mark(*, registration: Registration, status: str) -> Registration:
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in Registration.SEAT_STATUSES:
            raise InvalidTransition(_("Only confirmed registrations can be marked as attended or not."))
        registration.status = status
        registration.save(update_fields=["status", "updated_at"])
    return registration


def registration_mark_attended(*, registration: Registration) -> Registration:
    return _mark(registration=registration, status=Registration.Status.ATTENDED)


def registration_mark_no_show(*, registration: Registration) -> Registration:
    return _mark(registration=registration, status=Registration.Status.NO_SHOW)


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
            _lock(event=event, event_date=date)
            date = EventDate.objects.get(pk=date.pk)
            if date.cancelled or event_cancelled:
                for registration in _scope(event=event, event_date=date).filter(
                    status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
                ):
                    registration.status = Registration.Status.CANCELLED
                    registration.cancelled_at = now
                    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
                    _queue_email(registration=registration, kind=RegistrationEmail.Kind.DATE_CANCELLED)
                    counts["cancelled"] += 1
            else:
                counts["promoted"] += len(_promote_locked(event=event, event_date=date, now=now))
    if series_active:
        with transaction.atomic():
            _lock(event=event, event_date=None)
            series = _scope(event=event, event_date=None).filter(
                status__in=(Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
            )
            if event_cancelled:
                for registration in series:
                    registration.status = Registration.Status.CANCELLED
                    registration.cancelled_at = now
                    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
                    _queue_email(registration=registration, kind=RegistrationEmail.Kind.DATE_CANCELLED)
                    counts["cancelled"] += 1
            else:
                # One cancelled date of a course: tell each participant once about that date.
                for date in event.dates.filter(cancelled=True, end__gte=now):
                    for registration in series.filter(status=Registration.Status.CONFIRMED):
                        already = registration.emails.filter(
                            kind=RegistrationEmail.Kind.DATE_CANCELLED, event_date=date
                        ).exists()
                        if not already:
                            _queue_email(
                                registration=registration, kind=RegistrationEmail.Kind.DATE_CANCELLED, event_date=date
                            )
                counts["promoted"] += len(_promote_locked(event=event, event_date=None, now=now))
    return counts


# --------------------------------------------------------------------------------------
# Scheduled work: reminders, retention, the outbox
# --------------------------------------------------------------------------------------


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Queue a reminder for every confirmed registration whose date starts tomorrow (local time). Idempotent."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=1)
    dates = EventDate.objects.filter(start__gte=start, start__lt=end, cancelled=False).exclude(
        page__status=EventPage.Status.CANCELLED
    )
    queued = 0
    for date in dates.select_related("page"):
        registrations = Registration.objects.filter(
            Q(event_date=date) | Q(event_date__isnull=True, event_id=date.page_id),
            status=Registration.Status.CONFIRMED,
            anonymised_at__isnull=True,
        ).exclude(emails__kind=RegistrationEmail.Kind.REMINDER, emails__event_date=date)
        for registration in registrations:
            try:
                with transaction.atomic():
                    _queue_email(registration=registration, kind=RegistrationEmail.Kind.REMINDER, event_date=date)
            except IntegrityError:
                continue  # another run queued it meanwhile
            queued += 1
    return queued


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
        RegistrationEmail.objects.filter(registration_id__in=ids).exclude(state=RegistrationEmail.State.SENT).update(
            state=RegistrationEmail.State.DROPPED, last_error="", next_attempt_at=None
        )
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
            _lock(event=registration.event, event_date=registration.event_date)
            held = Registration.objects.filter(pk=registration.pk, status__in=Registration.SEAT_STATUSES).exists()
            Registration.objects.filter(pk=registration.pk).delete()
            count += 1
            if held:
                _promote_locked(event=registration.event, event_date=registration.event_date, now=now)
    return count


def emails_retry(*, now: dt.datetime | None = None, all_waiting: bool = False) -> int:
    """Send the outbox e-mails that are due: retries whose time has come and first sends no task made.

    With `all_waiting` every e-mail waiting for a retry is due now (the mail
    server is known to be back). Returns how many were sent.
    """
    from events.emails import deliver

    now = now or timezone.now()
    if all_waiting:
        RegistrationEmail.objects.filter(state=RegistrationEmail.State.RETRYING).update(next_attempt_at=now)
    due = RegistrationEmail.objects.due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    return sum(
        1
        for email_id in list(due)
        if deliver(email_id=email_id, due_only=True, now=now) == RegistrationEmail.State.SENT
    )
