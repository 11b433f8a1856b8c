"""iCalendar (RFC 5545) files for one event or a filtered listing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import icalendar
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags

from portal.locales import url_in_language

if TYPE_CHECKING:
    from events.models import EventDate

TZID = "Europe/Prague"
PRODID = "-//Komunitni portal//Events//CS"


def date_uid(date: EventDate) -> str:
    """The same in every language and after edits: it comes from the date's uid."""
    return f"{date.uid}@komunitni-portal"


def date_sequence(date: EventDate, *, cancelling: bool = False) -> int:
    """The entry's revision (RFC 5545 SEQUENCE): a cancellation is newer than the entry it cancels."""
    cancelled = cancelling or date.cancelled or date.page.status == date.page.Status.CANCELLED
    return 1 if cancelled else 0


def build_calendar(
    *,
    dates: Iterable[EventDate],
    request: HttpRequest,
    name: str,
    method: str = "PUBLISH",
    organizer: tuple[str, str] | None = None,
    attendee: str = "",
) -> bytes:
    """A calendar of `dates`. With method "CANCEL" (RFC 5546) it removes the entries a
    confirmation e-mail added: the same UIDs, a higher SEQUENCE, STATUS:CANCELLED.
    `organizer` is (name, e-mail) and `attendee` an e-mail address, for e-mailed invitations."""
    cancelling = method == "CANCEL"
    tz = ZoneInfo(TZID)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for date in dates:
        page = date.page
        event = icalendar.Event()
        event.add("uid", date_uid(date))
        event.add("sequence", date_sequence(date, cancelling=cancelling))
        event.add("dtstamp", stamp)
        event.add("dtstart", date.start.astimezone(tz))
        event.add("dtend", date.end.astimezone(tz))
        event.add("summary", page.title)
        path = url_in_language(page)  # in the language of the e-mail or of the page it is downloaded from
        url = request.build_absolute_uri(path) if path else ""
        description = strip_tags(page.summary or "")
        if date.cancelled and date.public_reason:
            description = f"{date.public_reason}\n\n{description}"
        if url:
            event.add("url", url)
            description = f"{description}\n\n{url}".strip()
        event.add("description", description)
        if page.venue_id:
            event.add("location", f"{page.venue.name}, {page.venue.address_line}")
            if page.venue.latitude is not None and page.venue.longitude is not None:
                event.add("geo", (float(page.venue.latitude), float(page.venue.longitude)))
        cancelled = cancelling or date.cancelled or page.status == page.Status.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        if organizer is not None:
            event.add("organizer", f"mailto:{organizer[1]}", parameters={"CN": organizer[0]} if organizer[0] else {})
        if attendee:
            event.add("attendee", f"mailto:{attendee}")
        if page.last_published_at:
            event.add("last-modified", page.last_published_at.astimezone(dt.UTC).replace(microsecond=0))
        calendar.add_component(event)
    calendar.add_missing_timezones(first_date=dt.date(2000, 1, 1), last_date=dt.date(2040, 1, 1))
    return calendar.to_ical()


def calendar_response(*, dates: Iterable[EventDate], request: HttpRequest, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(
        build_calendar(dates=dates, request=request, name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
