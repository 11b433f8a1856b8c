"""Calendar files: RFC 5545 shape, time zone, stable UIDs across languages, cancellations, filters."""

import icalendar
import pytest

from events.models import EventDate

from .conftest import local, translate, translate_reason
from .factories import AudienceFactory, VenueFactory


@pytest.fixture
def event(make_event):
    page = make_event(
        title="Sociální poradna",
        venue=VenueFactory(),
        dates=[(local(2030, 3, 5, 15), local(2030, 3, 5, 17)), (local(2030, 3, 12, 15), local(2030, 3, 12, 17))],
    )
    EventDate.objects.filter(page=page, start=local(2030, 3, 12, 15)).update(
        cancelled=True, cancellation_reason="Nemoc"
    )
    return page


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")
    return icalendar.Calendar.from_ical(body)


def test_event_calendar_file(client, event):
    calendar = parse(client.get(event.url + "calendar.ics"))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Prague"]
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    first, second = events
    assert first["DTSTART"].params["TZID"] == "Europe/Prague"
    assert first["DTSTART"].dt == local(2030, 3, 5, 15)
    assert first["DTSTAMP"].to_ical().endswith(b"Z")
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(second["STATUS"]) == "CANCELLED"
    assert "Nemoc" in str(second["DESCRIPTION"])
    assert "Nádražní 1024" in str(first["LOCATION"])
    assert str(first["SUMMARY"]) == "Sociální poradna"


def test_uids_are_the_same_in_both_languages_and_after_edits(client, event, index_en):
    cs_uids = [str(e["UID"]) for e in parse(client.get(event.url + "calendar.ics")).walk("VEVENT")]
    translation = translate(event, slug="social-counselling", title="Social counselling")
    en_calendar = parse(client.get(translation.url + "calendar.ics"))
    assert [str(e["UID"]) for e in en_calendar.walk("VEVENT")] == cs_uids
    # Until the reason is translated, the English calendar gives the Czech one.
    assert "Nemoc" in str(en_calendar.walk("VEVENT")[1]["DESCRIPTION"])
    translate_reason(translation, "Illness")
    assert "Illness" in str(parse(client.get(translation.url + "calendar.ics")).walk("VEVENT")[1]["DESCRIPTION"])
    event.title = "Sociální poradna (nově)"
    dates = list(event.dates.all())
    dates[0].end = local(2030, 3, 5, 18)
    event.dates = dates
    event.save_revision().publish()
    assert [str(e["UID"]) for e in parse(client.get(event.url + "calendar.ics")).walk("VEVENT")] == cs_uids
    # The translation follows the source's dates when the source is published.
    en_events = parse(client.get(translation.url + "calendar.ics")).walk("VEVENT")
    assert en_events[0]["DTEND"].dt == local(2030, 3, 5, 18)
    assert "Illness" in str(en_events[1]["DESCRIPTION"])


def test_index_feed_lists_upcoming_dates_and_honours_filters(client, index_cs, event, make_event):
    children = AudienceFactory(slug="deti")
    club = make_event(title="Doučování", dates=[3])
    club.audiences.set([children])
    club.save()
    make_event(title="Minulost", dates=[-3])
    all_events = parse(client.get(index_cs.url + "calendar.ics")).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in all_events) == ["Doučování", "Sociální poradna", "Sociální poradna"]
    filtered = parse(client.get(index_cs.url + "calendar.ics", {"audience": "deti"})).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in filtered] == ["Doučování"]
    assert parse(client.get(index_cs.url + "calendar.ics", {"audience": "nic"})).walk("VEVENT")
