"""schema.org Event structured data for an event page."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from events.places import Availability, DateAvailability

if TYPE_CHECKING:
    from events.models import EventDate, EventPage

# By `EventPage.Status` value.
STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}
MAX_DATES = 20
# What a resident can do for a date, in schema.org's offer terms.
OFFER_AVAILABILITY = {
    Availability.OPEN: "https://schema.org/InStock",
    Availability.NOT_YET_OPEN: "https://schema.org/PreOrder",
    Availability.WAITLIST: "https://schema.org/SoldOut",
    Availability.FULL: "https://schema.org/SoldOut",
    Availability.CLOSED: "https://schema.org/OutOfStock",
    Availability.CANCELLED: "https://schema.org/OutOfStock",
}
DEFAULT_IMAGE = "img/event-default.png"


def _iso(value) -> str:
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def event_structured_data(
    *,
    page: EventPage,
    dates: list[EventDate],
    request: HttpRequest,
    organiser_fallback: str = "",
    availabilities: list[DateAvailability] = (),
) -> list[dict]:
    """One schema.org Event per date (the shape search engines expect for repeated events).

    `availabilities` (from `event_availability`) give each date's offer its
    state: open, not yet open, full or closed. Without registration, or for a
    date not among them, the offer is simply available.
    """
    now = timezone.now()
    by_uid = {item.date.uid: item for item in availabilities}
    series = availabilities[0] if page.registration_is_series and availabilities else None
    url = request.build_absolute_uri(page.url)
    base: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "description": strip_tags(page.summary),
        "url": url,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "inLanguage": page.locale.language_code,
    }
    if page.venue_id:
        venue = page.venue
        place: dict = {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": venue.street,
                "postalCode": venue.postal_code,
                "addressLocality": venue.city,
                "addressCountry": venue.country,
            },
        }
        if venue.latitude is not None and venue.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(venue.latitude),
                "longitude": float(venue.longitude),
            }
        base["location"] = place
    if page.image_id:
        rendition = page.image.get_rendition("fill-1200x675")
        base["image"] = [request.build_absolute_uri(rendition.url)]
    else:
        # Search engines want an image for event results; the centre's neutral picture stands in.
        base["image"] = [request.build_absolute_uri(static(DEFAULT_IMAGE))]
    organiser = {"@type": "Organization", "name": page.organiser_name or organiser_fallback}
    if page.organiser_email:
        organiser["email"] = page.organiser_email
    if page.organiser_phone:
        organiser["telephone"] = page.organiser_phone
    organiser["url"] = request.build_absolute_uri("/")
    base["organizer"] = organiser
    price = "0" if page.is_free or page.price is None else f"{page.price:.2f}"
    offer = {"@type": "Offer", "price": price, "priceCurrency": "CZK", "url": url}
    items = []
    for date in dates[:MAX_DATES]:
        item = dict(base)
        item["startDate"] = _iso(date.start)
        item["endDate"] = _iso(date.end)
        status = STATUS.get(page.status, STATUS["scheduled"])
        item["eventStatus"] = STATUS["cancelled"] if date.cancelled else status
        if date.cancelled or date.end < now:  # nothing to be had for a cancelled or past date
            item["offers"] = dict(offer, availability=OFFER_AVAILABILITY[Availability.CLOSED])
        else:
            item["offers"] = _offer(offer, series or by_uid.get(date.uid))
        items.append(item)
    return items


def _offer(offer: dict, state: DateAvailability | None) -> dict:
    available = OFFER_AVAILABILITY[Availability.OPEN]
    if state is None:
        return dict(offer, availability=available)
    result = dict(offer, availability=OFFER_AVAILABILITY.get(state.state, available))
    if state.opens_at is not None:
        result["validFrom"] = _iso(state.opens_at)
    return result


def as_script_content(data) -> SafeString:
    """JSON safe inside <script>: no way to close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above
