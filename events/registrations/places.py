"""The registrations' side of `events.places`: free places from the registrations."""

from __future__ import annotations

from django.db.models import QuerySet

from events.places import DateAvailability
from events.registrations import selectors


class RegistrationPlaces:
    def event_availability(self, *, page) -> list[DateAvailability]:
        return selectors.event_availability_shown(page=page)

    def annotate_free_places(self, dates: QuerySet) -> QuerySet:
        return selectors.annotate_free_places(dates)

    def only_free_places(self, dates: QuerySet) -> QuerySet:
        return selectors.only_free_places(dates)

    def places_version(self, *, event_translation_key=None) -> str:
        return selectors.availability_version(event_translation_key=event_translation_key)
