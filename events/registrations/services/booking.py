"""Booking: a resident registers, cancels or asks for the confirmation again.

E-mails are written to the outbox in the same transaction and handed to a task
once it commits, so a mail server outage never loses a registration.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import EventDate, EventPage
from events.registrations.errors import (
    ConsentRequired,
    DateCancelled,
    DuplicateRegistration,
    EventFull,
    InvalidAttendees,
    InvalidTransition,
    RegistrationClosed,
    RegistrationNotOpen,
    TooManySeats,
)
from events.registrations.models import Registration, RegistrationAttendee, RegistrationEmail
from events.registrations.selectors import Availability
from events.registrations.services.capacity import (
    availability_locked,
    lock_capacity,
    promote_locked,
    registrations_in_scope,
    resolve_source,
    term_over,
)
from events.registrations.services.outbox import queue_email
from events.registrations.services.participants import dependant_for, participant_for
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
    attendees: Sequence[str] = (),
    entered_by=None,
    notify: bool = True,
    now: dt.datetime | None = None,
) -> Registration:
    """Register for a date (in any language): confirmed if the seats fit, else waitlisted, else an error.

    `attendees` are the named participants of a family sign-up: each takes one seat, so when names
    are given they set the seats. `entered_by` is the staff member who took the sign-up (by phone,
    in person): staff may sign someone up outside the public registration window, until the date
    (or the term) is over, but never past the capacity. The e-mail goes out only to an address,
    and only when `notify` is on.
    """
    if not consent:
        raise ConsentRequired()
    email = normalise_email(email)
    name = (name or "").strip()
    attendees = clean_attendee_names(attendees)
    if attendees:
        seats = len(attendees)
    if seats < 1:
        raise TooManySeats(_("Ask for at least one place."))
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    event, source_date = resolve_source(event_date)
    try:
        with transaction.atomic():
            # The person first: their record's lock is theirs alone, so the date's lock below (which every
            # registration for the date waits for) is held only for the capacity decision and the inserts.
            participant = participant_for(name=name, email=email, phone=phone)
            registration, kind = _book_locked(
                event=event,
                source_date=source_date,
                participant=participant,
                name=name,
                email=email,
                seats=seats,
                phone=phone,
                note=note,
                language=language,
                attendees=attendees,
                entered_by=entered_by,
                now=now,
            )
            if email and notify:
                queue_email(registration=registration, kind=kind)
    except IntegrityError as error:
        # The database allows one active registration per address and date (or series). The transaction
        # is over (rolled back), so the registration that is already there can be looked up.
        existing = (
            registrations_in_scope(event=event, event_date=source_date)
            .filter(email=email, status__in=Registration.ACTIVE_STATUSES, anonymised_at__isnull=True)
            .first()
        )
        raise DuplicateRegistration(registration=existing) from error
    return registration


def _book_locked(
    *,
    event: EventPage,
    source_date: EventDate | None,
    participant,
    name: str,
    email: str,
    seats: int,
    phone: str,
    note: str,
    language: str,
    attendees: Sequence[str],
    entered_by,
    now: dt.datetime | None,
) -> tuple[Registration, str]:
    """Under the capacity lock: decide confirmed or waitlisted (or refuse), and write the registration.
    Returns it with the kind of e-mail it gets."""
    # The event's settings and the date as they are now, under the lock.
    event, source_date = lock_capacity(event=event, event_date=source_date)
    now = now or timezone.now()
    state = availability_locked(event=event, event_date=source_date, now=now)
    if state.state == Availability.DISABLED:
        raise RegistrationClosed(_("This event does not take registrations on the website."))
    if state.state == Availability.CANCELLED:
        raise DateCancelled()
    staff_may_enter = entered_by is not None and not _is_over(event=event, event_date=source_date, now=now)
    if state.state == Availability.CLOSED and not staff_may_enter:
        raise RegistrationClosed()
    if state.state == Availability.NOT_YET_OPEN and not staff_may_enter:
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
    registration = Registration.objects.create(
        participant=participant,
        entered_by=entered_by,
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
    for attendee_name in attendees:
        RegistrationAttendee.objects.create(
            registration=registration,
            participant=dependant_for(guardian=participant, name=attendee_name),
            name=attendee_name,
        )
    kind = (
        RegistrationEmail.Kind.CONFIRMATION
        if status == Registration.Status.CONFIRMED
        else RegistrationEmail.Kind.WAITLISTED
    )
    return registration, kind


def clean_attendee_names(names: Sequence[str]) -> list[str]:
    """The named participants of a family sign-up: blanks dropped, spaces tidied, each name once."""
    cleaned: list[str] = []
    seen = set()
    for raw in names or ():
        name = " ".join(str(raw).split())[:200]
        if not name:
            continue
        if name.casefold() in seen:
            raise InvalidAttendees(_("Each participant's name can only be given once: %(name)s.") % {"name": name})
        seen.add(name.casefold())
        cleaned.append(name)
    return cleaned


def _is_over(*, event: EventPage, event_date: EventDate | None, now: dt.datetime) -> bool:
    """Whether the date (or the last date of the term) has ended: then not even staff can sign anyone up."""
    if event_date is not None:
        return event_date.end <= now
    return term_over(event=event, now=now)


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


def registration_leave(
    *, registration: Registration, leaves_on: dt.date, by_staff: bool = False, now: dt.datetime | None = None
) -> Registration:
    """Cancel an enrolment from one date of its term onward; the dates before it still count.

    The enrolment's seat goes back to the term's waiting list at once, for the rest of the term: the oldest
    waiting enrolments that fit are promoted now (and e-mailed), so the place is not left empty until the
    leaving date. Leaving from the term's first date (or before the term starts) cancels the enrolment,
    as does leaving a place on the waiting list. A resident can only leave from a date that has not
    started yet; staff may record a leaving date in the past. Leaving again from an earlier date is
    allowed; from a later one changes nothing.
    """
    if registration.event_date_id is not None:
        raise InvalidTransition(_("Only an enrolment in a whole course can be cancelled from a date on."))
    now = now or timezone.now()
    with transaction.atomic():
        event, _none = lock_capacity(event=registration.event, event_date=None)
        registration = Registration.objects.select_related("event").get(pk=registration.pk)
        if registration.is_cancelled:
            return registration
        term = list(event.term_dates(event.dates.filter(cancelled=False)).order_by("start"))
        leaving_dates = {timezone.localdate(date.start): date for date in term}
        date = leaving_dates.get(leaves_on)
        if date is None:
            raise InvalidTransition(_("Choose one of the course's dates."))
        if not by_staff and date.start <= now:
            raise RegistrationClosed(_("This date has already started; choose a later one."))
        if registration.status == Registration.Status.WAITLISTED or (term and date.pk == term[0].pk):
            if registration.status not in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED):
                raise InvalidTransition(_("Attendance has already been recorded for this registration."))
            registration.status = Registration.Status.CANCELLED_BY_STAFF if by_staff else Registration.Status.CANCELLED
            registration.cancelled_at = now
        elif registration.status not in Registration.SEAT_STATUSES:
            raise InvalidTransition()
        elif registration.leaves_on is not None and registration.leaves_on <= leaves_on:
            return registration
        held_seat = registration.holds_seats and registration.leaves_on is None
        registration.leaves_on = leaves_on
        registration.save(update_fields=["status", "cancelled_at", "leaves_on", "updated_at"])
        queue_email(registration=registration, kind=RegistrationEmail.Kind.CANCELLED)
        if held_seat or registration.is_cancelled:
            promote_locked(event=event, event_date=None, now=now)
    return registration
