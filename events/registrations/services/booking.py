"""Booking: a resident registers, cancels or asks for the confirmation again.

E-mails are written to the outbox in the same transaction and handed to a task
once it commits, so a mail server outage never loses a registration.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import EventDate
from events.registrations.errors import (
    ConsentRequired,
    DateCancelled,
    DuplicateRegistration,
    EventFull,
    InvalidTransition,
    RegistrationClosed,
    RegistrationNotOpen,
    TooManySeats,
)
from events.registrations.models import Registration, RegistrationEmail
from events.registrations.selectors import Availability
from events.registrations.services.capacity import (
    availability_locked,
    lock_capacity,
    promote_locked,
    registrations_in_scope,
    resolve_source,
)
from events.registrations.services.outbox import queue_email
from events.registrations.services.participants import participant_for
from events.registrations.tokens import normalise_email

logger = logging.getLogger(__name__)


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
    event, source_date = resolve_source(event_date)
    with transaction.atomic():
        # The event's settings and the date as they are now, under the lock.
        event, source_date = lock_capacity(event=event, event_date=source_date)
        now = now or timezone.now()
        state = availability_locked(event=event, event_date=source_date, now=now)
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
                participant = participant_for(name=name, email=email, phone=phone)
                registration = Registration.objects.create(
                    participant=participant,
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
            # The database allows one active registration per address and date (or series).
            existing = (
                registrations_in_scope(event=event, event_date=source_date)
                .filter(email=email, status__in=Registration.ACTIVE_STATUSES, anonymised_at__isnull=True)
                .first()
            )
            raise DuplicateRegistration(registration=existing) from error
        kind = (
            RegistrationEmail.Kind.CONFIRMATION
            if status == Registration.Status.CONFIRMED
            else RegistrationEmail.Kind.WAITLISTED
        )
        queue_email(registration=registration, kind=kind)
    return registration


def registration_cancel(
    *, registration: Registration, by_staff: bool = False, now: dt.datetime | None = None
) -> Registration:
    """Cancel a registration (idempotent); freed places go to the waiting list, oldest first."""
    with transaction.atomic():
        lock_capacity(event=registration.event, event_date=registration.event_date)
        now = now or timezone.now()
        registration = Registration.objects.select_related("event", "event_date").get(pk=registration.pk)
        if registration.is_cancelled:
            return registration
        if registration.status in (Registration.Status.ATTENDED, Registration.Status.NO_SHOW):
            raise InvalidTransition(_("Attendance has already been recorded for this registration."))
        if not by_staff and registration.event_date is not None and registration.event_date.start <= now:
            raise RegistrationClosed(_("The date has already started, so the registration cannot be cancelled."))
        held_seats = registration.holds_seats
        registration.status = Registration.Status.CANCELLED_BY_STAFF if by_staff else Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "updated_at"])
        queue_email(registration=registration, kind=RegistrationEmail.Kind.CANCELLED)
        if held_seats:
            promote_locked(event=registration.event, event_date=registration.event_date, now=now)
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
        return queue_email(registration=registration, kind=kind)
