"""Free places: what event pages and listings show of registrations, through one narrow interface.

Events know nothing of how registrations are stored. They ask the *places
provider* for:

- the availability of each date of an event (`event_availability`), for the
  JSON-LD offers;
- listing rows annotated with `reg_capacity`, `reg_taken` and `reg_free`
  (`annotate_free_places`), and the filter "free places only"
  (`only_free_places`);
- the version of the places shown, to key kept fragments with
  (`places_version`).

The registrations app (`events.registrations`) registers its provider when it
is ready; without it, every date simply has no registration.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Protocol

from django.db.models import IntegerField, QuerySet, Value


class Availability(enum.StrEnum):
    DISABLED = "disabled"
    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    WAITLIST = "waitlist"
    FULL = "full"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class DateAvailability:
    """What a resident can do for one date (or for the whole series when `date` is a series' first date)."""

    date: object  # EventDate, as shown (in the page's own language)
    state: Availability
    capacity: int | None
    taken: int
    waitlisted: int
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None

    @property
    def free(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.taken, 0)

    @property
    def overbooked(self) -> bool:
        """More seats confirmed than places (staff lowered the capacity): the date is full,
        and "20 of 3 places taken" would make no sense to a visitor."""
        return self.capacity is not None and self.taken > self.capacity

    @property
    def can_register(self) -> bool:
        return self.state in (Availability.OPEN, Availability.WAITLIST)


class PlacesProvider(Protocol):
    def event_availability(self, *, page) -> list[DateAvailability]: ...

    def annotate_free_places(self, dates: QuerySet) -> QuerySet: ...

    def only_free_places(self, dates: QuerySet) -> QuerySet: ...

    def places_version(self, *, event_translation_key=None) -> str: ...


class NoRegistrations:
    """Every date has no registration: no limit, nothing taken."""

    def event_availability(self, *, page) -> list[DateAvailability]:
        return []

    def annotate_free_places(self, dates: QuerySet) -> QuerySet:
        nothing = Value(None, output_field=IntegerField())
        return dates.annotate(reg_capacity=nothing, reg_taken=Value(0), reg_free=nothing)

    def only_free_places(self, dates: QuerySet) -> QuerySet:
        return dates

    def places_version(self, *, event_translation_key=None) -> str:
        return ""


_provider: PlacesProvider = NoRegistrations()


def register(provider: PlacesProvider) -> None:
    """Called once by the registrations app when it is ready."""
    global _provider
    _provider = provider


def event_availability(*, page) -> list[DateAvailability]:
    return _provider.event_availability(page=page)


def annotate_free_places(dates: QuerySet) -> QuerySet:
    return _provider.annotate_free_places(dates)


def only_free_places(dates: QuerySet) -> QuerySet:
    return _provider.only_free_places(dates)


def places_version(*, event_translation_key=None) -> str:
    """The version of the free places shown (of every listing, or of one event), noted as a
    dependency of the page being rendered; for the key of a fragment that shows them."""
    return _provider.places_version(event_translation_key=event_translation_key)
