"""The waiting list: promoting the oldest waiting registrations that fit, or one chosen by staff."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import EventDate, EventPage
from events.registrations.errors import EventFull, InvalidTransition
from events.registrations.models import Registration, RegistrationEmail
from events.registrations.selectors import source_page
from events.registrations.services.capacity import availability_locked, lock_capacity, promote_locked
from events.registrations.services.outbox import queue_email

logger = logging.getLogger(__name__)


def waitlist_promote(
    *, event: EventPage, event_date: EventDate | None = None, now: dt.datetime | None = None
) -> list[Registration]:
    """Fill free places from the waiting list (after staff raised capacity, for example)."""
    event = source_page(event)
    if event_date is not None:
        event_date = event_date.source_date()
    with transaction.atomic():
        lock_capacity(event=event, event_date=event_date)
        event = EventPage.objects.get(pk=event.pk)
        return promote_locked(event=event, event_date=event_date, now=now or timezone.now())


def registration_promote(*, registration: Registration, now: dt.datetime | None = None) -> Registration:
    """Staff move one waitlisted registration up, if its seats fit."""
    with transaction.atomic():
        lock_capacity(event=registration.event, event_date=registration.event_date)
        registration = Registration.objects.select_related("event", "event_date").get(pk=registration.pk)
        if registration.status != Registration.Status.WAITLISTED:
            raise InvalidTransition(_("Only registrations on the waiting list can be moved up."))
        state = availability_locked(
            event=registration.event, event_date=registration.event_date, now=now or timezone.now()
        )
        if state.capacity is not None and state.taken + registration.seats > state.capacity:
            raise EventFull(_("Not enough free places: raise the capacity first."))
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        queue_email(registration=registration, kind=RegistrationEmail.Kind.PROMOTED)
    return registration
