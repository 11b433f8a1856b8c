"""Reading listing filters from a query string. Bad values never raise: they become messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import QueryDict
from django.utils.translation import gettext as _

from events.querysets import DateFilters
from portal.text import printable

if TYPE_CHECKING:
    from events.models import Audience, EventCategory

PERIODS = ("today", "week", "month", "next30", "range")
MAX_QUERY_LENGTH = 100
# Dates outside these years are typing mistakes, and at the edges of the
# calendar they would overflow when converted to a time range.
MIN_YEAR, MAX_YEAR = 1900, 2200


@dataclass
class ParsedFilters:
    filters: DateFilters
    problems: list[str] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)


def parse_date(value: str) -> dt.date | None:
    """A date from YYYY-MM-DD (the HTML date input's format) or D. M. YYYY; None if malformed."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        date = None
    if date is None:
        parts = [p.strip() for p in value.replace("/", ".").split(".") if p.strip()]
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                date = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                return None
    if date is None or not MIN_YEAR <= date.year <= MAX_YEAR:
        return None
    return date


def parse_filters(query: QueryDict, *, categories: list[EventCategory], audiences: list[Audience]) -> ParsedFilters:
    """Validated filters plus a message for each value that had to be ignored."""
    problems: list[str] = []
    raw = {
        key: printable(query.get(key))[:MAX_QUERY_LENGTH]
        for key in ("category", "audience", "period", "from", "to", "q", "free")
    }

    category = None
    if raw["category"]:
        category = next((c for c in categories if c.slug == raw["category"]), None)
        if category is None:
            problems.append(
                _("We do not know the category “%(value)s”, so all categories are shown.") % {"value": raw["category"]}
            )
    audience = None
    if raw["audience"]:
        audience = next((a for a in audiences if a.slug == raw["audience"]), None)
        if audience is None:
            problems.append(
                _("We do not know the group “%(value)s”, so events for everyone are shown.")
                % {"value": raw["audience"]}
            )

    period = raw["period"]
    date_from = date_to = None
    if raw["from"] or raw["to"]:
        period = "range" if period in ("", "range") else period
    if period and period not in PERIODS:
        problems.append(
            _("We do not know the period “%(value)s”, so all upcoming dates are shown.") % {"value": period}
        )
        period = ""
    if period == "range":
        date_from, date_to = parse_date(raw["from"]), parse_date(raw["to"])
        if raw["from"] and date_from is None:
            problems.append(_("“%(value)s” is not a date; enter it as YYYY-MM-DD.") % {"value": raw["from"]})
        if raw["to"] and date_to is None:
            problems.append(_("“%(value)s” is not a date; enter it as YYYY-MM-DD.") % {"value": raw["to"]})
        if date_from and date_to and date_to < date_from:
            problems.append(_("The end of the range is before its start, so the range is ignored."))
            date_from = date_to = None
        if date_from is None and date_to is None:
            period = ""

    filters = DateFilters(
        category=category,
        audience=audience,
        period=period,
        date_from=date_from,
        date_to=date_to,
        q=raw["q"],
        free_only=raw["free"] in ("1", "on", "true"),
    )
    return ParsedFilters(filters=filters, problems=problems, raw=raw)


def parse_month(value: str, *, today: dt.date) -> tuple[dt.date, str | None]:
    """The first day of the month asked for as YYYY-MM, or of this month with a message."""
    value = printable(value)
    if not value:
        return today.replace(day=1), None
    try:
        year, month = (int(part) for part in value.split("-"))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(value)
        return dt.date(year, month, 1), None
    except ValueError:
        return today.replace(day=1), _("“%(value)s” is not a month; enter it as YYYY-MM. This month is shown.") % {
            "value": value[:MAX_QUERY_LENGTH]
        }
