"""Capacity: the lock on a date (or a series' event), the seats taken and the waiting list's promotion.

The capacity decision is taken inside `transaction.atomic()` after locking the
date row (or, for whole-series registration, the event row) with
`select_for_update()`. On PostgreSQL that is a row lock that holds across app
servers; SQLite runs with `transaction_mode="IMMEDIATE"`, which serialises
writers. Confirmed seats therefore never exceed capacity, and the waiting list
is promoted oldest first under the same lock.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Sum

from events.models import EventDate, EventPage
from events.registrations.models import Registration, RegistrationEmail
from events.registrations.selectors import Availability, availability, series_first_start
from events.registrations.services.outbox import queue_email

logger = logging.getLogger(__name__)


def lock_capacity(*, event: EventPage, event_date: EventDate | None) -> tuple[EventPage, EventDate | None]:
    """Take the capacity lock: the date row, or the event row for whole-series registration.
    Returns the event and the date as they are now, read under the lock in the same query."""
    if event_date is not None:
        locked = EventDate.objects.select_for_update(of=("self",)).select_related("page").get(pk=event_date.pk)
        return locked.page, locked
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk), None


def registrations_in_scope(*, event: EventPage, event_date: EventDate | None):
    qs = Registration.objects.filter(event=event)
    if event_date is None:
        return qs.filter(event_date__isnull=True)
    return qs.filter(event_date=event_date)


def seats_taken(*, event: EventPage, event_date: EventDate | None) -> int:
    """The seats held in a date's (or a term's) pool. An enrolment that leaves from a date on has given its
    seat back to the waiting list for the rest of the term (see `booking.registration_leave`)."""
    return (
        registrations_in_scope(event=event, event_date=event_date)
        .filter(status__in=Registration.SEAT_STATUSES, leaves_on__isnull=True)
        .aggregate(total=Sum("seats"))["total"]
        or 0
    )


def resolve_source(event_date: EventDate) -> tuple[EventPage, EventDate | None]:
    """The source-locale event and date (None for whole-series registration) a registration points at."""
    source_date = event_date.source_date()
    # The page the date was read with (the event page of this request), else read now.
    event = source_date.page
    if event.registration_is_series:
        return event, None
    return event, source_date


def availability_locked(*, event: EventPage, event_date: EventDate | None, now: dt.datetime):
    taken = seats_taken(event=event, event_date=event_date)
    if event_date is None:
        first = event.term_dates(event.dates.filter(cancelled=False)).order_by("start").first()
        start = series_first_start(page=event)
        return availability(page=event, event_date=first, taken=taken, now=now, series_start=start)
    return availability(page=event, event_date=event_date, taken=taken, now=now)


def term_over(*, event: EventPage, now: dt.datetime) -> bool:
    """Whether the last date of a course's term has ended (or it has no date)."""
    last = event.term_dates(event.dates.filter(cancelled=False)).order_by("-end").first()
    return last is None or last.end <= now


def promote_locked(*, event: EventPage, event_date: EventDate | None, now: dt.datetime) -> list[Registration]:
    """Promote the oldest waitlisted registrations that fit. The caller holds the lock."""
    state = availability_locked(event=event, event_date=event_date, now=now)
    if state.state == Availability.CANCELLED:
        return []
    # Sign-ups for a date close when it starts; a course's waiting list is promoted until its term is over
    # (someone who leaves from a date on hands the place to the next in line for the rest of the term).
    if state.state == Availability.CLOSED and (event_date is not None or term_over(event=event, now=now)):
        return []
    capacity = state.capacity
    taken = state.taken
    promoted = []
    waiting = registrations_in_scope(event=event, event_date=event_date).filter(status=Registration.Status.WAITLISTED)
    for registration in waiting.order_by("created_at", "id"):
        if capacity is not None and taken + registration.seats > capacity:
            continue
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        taken += registration.seats
        promoted.append(registration)
        queue_email(registration=registration, kind=RegistrationEmail.Kind.PROMOTED)
    return promoted
