"""schema.org Event structured data on event pages."""

import json
import re
from decimal import Decimal

from events.models import EventDate, EventPage

from .conftest import local
from .factories import VenueFactory


def structured(response):
    assert response.status_code == 200
    match = re.search(rb'<script type="application/ld\+json">(.*?)</script>', response.content, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_event_json_ld_has_the_fields_search_engines_need(client, make_event):
    page = make_event(
        title="Rodinný den </script><script>alert(1)</script>",
        venue=VenueFactory(),
        organiser_name="Komunitní centrum",
        dates=[(local(2030, 6, 6, 10), local(2030, 6, 6, 17))],
    )
    data = structured(client.get(page.url))
    assert isinstance(data, list) and len(data) == 1
    event = data[0]
    assert event["@context"] == "https://schema.org" and event["@type"] == "Event"
    assert event["name"] == page.title
    assert event["startDate"] == "2030-06-06T10:00:00+02:00"
    assert event["endDate"] == "2030-06-06T17:00:00+02:00"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"]["@type"] == "Place"
    assert event["location"]["name"] == "Komunitní centrum"
    assert event["location"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Nádražní 1024",
        "postalCode": "375 01",
        "addressLocality": "Týn nad Vltavou",
        "addressCountry": "CZ",
    }
    assert event["description"] == "Krátké shrnutí akce."
    assert event["organizer"]["name"] == "Komunitní centrum"
    assert event["offers"]["price"] == "0" and event["offers"]["priceCurrency"] == "CZK"
    assert event["url"].startswith("http://testserver/cs/")
    assert event["image"] == ["http://testserver/static/img/event-default.png"]
    # the title cannot close the script element
    assert b"</script><script>alert(1)" not in client.get(page.url).content


def test_cancelled_dates_paid_events_and_winter_offsets(client, make_event):
    page = make_event(
        is_free=False,
        price=Decimal("500"),
        status=EventPage.Status.POSTPONED,
        dates=[(local(2030, 1, 10, 9), local(2030, 1, 10, 12)), (local(2030, 1, 17, 9), local(2030, 1, 17, 12))],
    )
    EventDate.objects.filter(page=page, start=local(2030, 1, 17, 9)).update(cancelled=True)
    first, second = structured(client.get(page.url))
    assert first["startDate"] == "2030-01-10T09:00:00+01:00"
    assert first["eventStatus"] == "https://schema.org/EventPostponed"
    assert second["eventStatus"] == "https://schema.org/EventCancelled"
    assert first["offers"]["price"] == "500.00"


def test_each_dates_offer_says_whether_a_place_can_be_had(client, make_event):
    from events.registrations.services.booking import registration_create

    page = make_event(
        registration_enabled=True,
        registration_capacity=1,
        registration_waitlist=True,
        dates=[(local(2030, 3, 1, 9), local(2030, 3, 1, 12)), (local(2030, 3, 8, 9), local(2030, 3, 8, 12))],
    )
    full, free = page.dates.order_by("start")
    registration_create(event_date=full, name="Jana Nováková", email="j@x.cz", seats=1, language="cs", consent=True)
    first, second = structured(client.get(page.url))
    assert first["offers"]["availability"] == "https://schema.org/SoldOut"
    assert second["offers"]["availability"] == "https://schema.org/InStock"
    # Without registration the offer is simply available.
    drop_in = make_event(dates=[(local(2030, 3, 2, 9), local(2030, 3, 2, 12))])
    assert structured(client.get(drop_in.url))[0]["offers"]["availability"] == "https://schema.org/InStock"
    # A past date (shown when none is upcoming) and a cancelled one offer nothing.
    past = make_event(registration_enabled=True, dates=[(local(2020, 3, 2, 9), local(2020, 3, 2, 12))])
    assert structured(client.get(past.url))[0]["offers"]["availability"] == "https://schema.org/OutOfStock"
    free.cancelled = True
    free.save()
    second = structured(client.get(page.url))[1]
    assert second["offers"]["availability"] == "https://schema.org/OutOfStock"


def test_an_offer_not_yet_open_says_from_when(client, make_event):
    opens = local(2030, 2, 1, 8)
    page = make_event(
        registration_enabled=True,
        registration_capacity=10,
        registration_opens_at=opens,
        dates=[(local(2030, 3, 1, 9), local(2030, 3, 1, 12))],
    )
    offer = structured(client.get(page.url))[0]["offers"]
    assert offer["availability"] == "https://schema.org/PreOrder"
    assert offer["validFrom"] == "2030-02-01T08:00:00+01:00"
