"""Fixtures for the events tests: an event index in cs and en under the demo home pages."""

import datetime as dt

import pytest
from django.utils import timezone

from demo.helpers import upsert_translation
from events.models import EventDate, EventIndexPage

from .factories import EventIndexPageFactory, EventPageFactory


@pytest.fixture
def index_cs(home_cs):
    return EventIndexPageFactory(parent=home_cs)


def translate(page, **fields):
    """The published English translation of `page`, fresh from the database."""
    translation = upsert_translation(page, language_code="en", **fields)
    return translation.__class__.objects.get(pk=translation.pk)


def translate_reason(translation, reason, *, uid=None):
    """Give the translation's cancelled date (or the one with `uid`) a reason in its language, as a translator does."""
    page = translation.__class__.objects.get(pk=translation.pk)
    dates = list(page.dates.all())
    for date in dates:
        if (uid is None and date.cancelled) or date.uid == uid:
            date.cancellation_reason = reason
    page.dates = dates
    page.save_revision().publish()
    return page


@pytest.fixture
def index_en(index_cs, home_en):
    return translate(index_cs, slug="events", title="Events")


@pytest.fixture
def make_event(index_cs):
    """An event page under the Czech index with dates given as (start, end) pairs or day offsets."""

    def make(*, dates=(), parent=None, **fields):
        page = EventPageFactory(parent=parent or index_cs, **fields)
        for item in dates:
            if isinstance(item, int | float):
                start = timezone.now().replace(microsecond=0) + dt.timedelta(days=item)
                end = start + dt.timedelta(hours=2)
            else:
                start, end = item
            EventDate.objects.create(page=page, start=start, end=end)
        return page

    return make


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_default_timezone())


__all__ = ["EventIndexPage", "local", "translate_reason"]
