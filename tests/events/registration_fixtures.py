"""Fixtures shared by the registration tests (imported by each tests/events/test_registration*.py)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from demo.helpers import upsert_translation
from events.models import EventDate
from events.registrations.models import Registration


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reg_event(make_event):
    """A bookable event, 10 places per date, waiting list on, two dates in the future."""

    def make(*, capacity=10, dates=(2, 9), **fields):
        fields.setdefault("registration_enabled", True)
        fields.setdefault("registration_capacity", capacity)
        fields.setdefault("registration_max_seats", 4)
        page = make_event(dates=dates, **fields)
        page.save_revision().publish()
        return page

    return make


@pytest.fixture
def translate_event(index_en):
    def translate(page):
        en = upsert_translation(page, language_code="en", title=f"{page.title} (EN)")
        return en

    return translate


def first_date(page) -> EventDate:
    return page.dates.order_by("start").first()


def register(date, *, email, seats=1, name="Jana Nováková", language="cs", **kwargs) -> Registration:
    from events.registrations.services.booking import registration_create

    return registration_create(event_date=date, name=name, email=email, seats=seats, language=language, **kwargs)


def in_days(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


class BrokenEmailBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("SMTP server is down")
