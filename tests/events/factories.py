"""Factories for the events app (wagtail-factories)."""

import datetime as dt
import uuid

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Locale

from events.models import Audience, EventCategory, EventDate, EventIndexPage, EventPage, Venue


def _cs():
    return Locale.objects.get_or_create(language_code="cs")[0]


class EventCategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Kategorie {n}")
    slug = factory.Sequence(lambda n: f"kategorie-{n}")
    locale = factory.LazyFunction(_cs)

    class Meta:
        model = EventCategory


class AudienceFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Skupina {n}")
    slug = factory.Sequence(lambda n: f"skupina-{n}")
    locale = factory.LazyFunction(_cs)

    class Meta:
        model = Audience


class VenueFactory(factory.django.DjangoModelFactory):
    name = "Komunitní centrum"
    street = "Nádražní 1024"
    postal_code = "375 01"
    city = "Týn nad Vltavou"
    locale = factory.LazyFunction(_cs)

    class Meta:
        model = Venue


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Akce"
    slug = "akce"
    live = True

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Akce {n}")
    slug = factory.Sequence(lambda n: f"akce-{n}")
    summary = "Krátké shrnutí akce."
    live = True

    class Meta:
        model = EventPage


class EventDateFactory(factory.django.DjangoModelFactory):
    start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=2))
    uid = factory.LazyFunction(uuid.uuid4)

    class Meta:
        model = EventDate
