"""The e-mail outbox: rows written in the registration's transaction, sent by a task after the commit and
retried with backoff by `emails_retry()` (the worker's schedule runs it every minute); reminders."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from events.models import EventDate, EventPage
from events.registrations.emails import deliver, send_registration_email
from events.registrations.models import Registration, RegistrationEmail

logger = logging.getLogger(__name__)

# An outbox row its task has not sent within this time is sent by `emails_retry()`.
EMAIL_RETRY_AFTER = dt.timedelta(minutes=5)
#: Why an e-mail was not sent to a sign-up without an address (stored on the row, shown to staff).
NO_ADDRESS = "No e-mail address"


def queue_email(*, registration: Registration, kind: str, event_date: EventDate | None = None) -> RegistrationEmail:
    """Write an e-mail to the outbox; it is sent after the commit. A sign-up staff took without an address
    gets the row marked "not sent" (staff see it in the registration's detail and tell the person themselves)."""
    if not registration.email:
        return RegistrationEmail.objects.create(
            registration=registration,
            kind=kind,
            event_date=event_date or registration.event_date,
            state=RegistrationEmail.State.DROPPED,
            last_error=NO_ADDRESS,
            next_attempt_at=None,
        )
    mail = RegistrationEmail.objects.create(
        registration=registration,
        kind=kind,
        event_date=event_date or registration.event_date,
        next_attempt_at=timezone.now() + EMAIL_RETRY_AFTER,
    )
    transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def _enqueue(email_id: int) -> None:
    try:
        send_registration_email.enqueue(email_id)
    except Exception:
        # The outbox row stays pending; `emails_retry` sends it later.
        logger.exception("Could not enqueue registration e-mail %s", email_id)


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
        page = date.page
        in_term = page.term_dates(EventDate.objects.filter(pk=date.pk)).exists()
        registrations = Registration.objects.filter(
            Q(event_date=date) | Q(event_date__isnull=True, event_id=date.page_id) if in_term else Q(event_date=date),
            status=Registration.Status.CONFIRMED,
            anonymised_at__isnull=True,
        ).exclude(emails__kind=RegistrationEmail.Kind.REMINDER, emails__event_date=date)
        # An enrolment that leaves from a date on is not reminded of the dates from then on.
        registrations = registrations.exclude(leaves_on__lte=timezone.localdate(date.start))
        for registration in registrations:
            try:
                with transaction.atomic():
                    queue_email(registration=registration, kind=RegistrationEmail.Kind.REMINDER, event_date=date)
            except IntegrityError:
                continue  # another run queued it meanwhile
            queued += 1
    return queued


def emails_retry(*, now: dt.datetime | None = None, all_waiting: bool = False) -> int:
    """Send the outbox e-mails that are due: retries whose time has come and first sends no task made.

    With `all_waiting` every e-mail waiting for a retry is due now (the mail
    server is known to be back). Returns how many were sent.
    """
    now = now or timezone.now()
    if all_waiting:
        RegistrationEmail.objects.filter(state=RegistrationEmail.State.RETRYING).update(next_attempt_at=now)
    due = RegistrationEmail.objects.due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    return sum(
        1
        for email_id in list(due)
        if deliver(email_id=email_id, due_only=True, now=now) == RegistrationEmail.State.SENT
    )
