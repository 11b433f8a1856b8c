"""Regular activities: a schedule ("every Tuesday 15:00–17:00 from September to June,
except holidays") and the dates it stands for. Nothing here touches the database:
`events.scheduling` materialises the dates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dateutil import rrule
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from events.models import EventPage


#: A schedule never produces more dates than this (about eight years of weekly dates).
MAX_OCCURRENCES = 400


class SchedulingError(Exception):
    """A schedule that cannot produce dates; the message is meant for the editor.

    `parts` names the RepeatRule fields the editor should look at, so a form can put
    the message on them rather than somewhere else on the page.
    """

    def __init__(self, message: str, parts: tuple[str, ...] = ()):
        super().__init__(message)
        self.parts = parts


@dataclass(frozen=True)
class RepeatRule:
    frequency: str  # "weekly", "biweekly" or "monthly"
    start_date: dt.date
    until_date: dt.date
    start_time: dt.time
    end_time: dt.time
    weekday: int | None = None  # 0 = Monday; defaults to the weekday of start_date
    nth: int | None = None  # 1–4 or -1 (last); monthly only
    exclusions: frozenset[dt.date] = field(default_factory=frozenset)


_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})\.\s*(?P<m>\d{1,2})\.\s*(?P<y>\d{4})$"),
)


def parse_exclusions(text: str) -> frozenset[dt.date]:
    """Dates from a text with one date per line (or separated by commas/semicolons)."""
    dates = set()
    for raw in re.split(r"[\n,;]+", text or ""):
        item = raw.strip()
        if not item:
            continue
        match = next((m for m in (p.match(item) for p in _DATE_PATTERNS) if m), None)
        try:
            if match is None:
                raise ValueError(item)
            dates.add(dt.date(int(match["y"]), int(match["m"]), int(match["d"])))
        except ValueError:
            raise SchedulingError(
                _("“%(value)s” is not a date. Use YYYY-MM-DD or D. M. YYYY.") % {"value": item}
            ) from None
    return frozenset(dates)


def rule_occurrences(rule: RepeatRule) -> list[tuple[dt.datetime, dt.datetime]]:
    """The (start, end) pairs of a schedule, timezone-aware in the site's time zone, in order."""
    if rule.until_date < rule.start_date:
        raise SchedulingError(_("The schedule ends before it starts."), ("until_date",))
    if rule.end_time <= rule.start_time:
        raise SchedulingError(_("The end time must be after the start time."), ("end_time",))
    weekday = rule.weekday if rule.weekday is not None else rule.start_date.weekday()
    dtstart = dt.datetime.combine(rule.start_date, dt.time.min)
    if rule.frequency in ("weekly", "biweekly"):
        # Count fortnights from the first meeting, not from the week the period starts in.
        dtstart += dt.timedelta(days=(weekday - rule.start_date.weekday()) % 7)
    until = dt.datetime.combine(rule.until_date, dt.time.max)
    if rule.frequency == "weekly":
        recurrence = rrule.rrule(rrule.WEEKLY, interval=1, byweekday=weekday, dtstart=dtstart, until=until)
    elif rule.frequency == "biweekly":
        recurrence = rrule.rrule(rrule.WEEKLY, interval=2, byweekday=weekday, dtstart=dtstart, until=until)
    elif rule.frequency == "monthly":
        if rule.nth not in (1, 2, 3, 4, -1):
            raise SchedulingError(_("Choose which weekday of the month (first to fourth, or last)."), ("nth",))
        recurrence = rrule.rrule(
            rrule.MONTHLY, byweekday=rrule.weekday(weekday, rule.nth), dtstart=dtstart, until=until
        )
    else:
        raise SchedulingError(_("Choose how often the activity repeats."), ("frequency",))

    tz = timezone.get_default_timezone()
    pairs = []
    for occurrence in recurrence:
        day = occurrence.date()
        if day in rule.exclusions:
            continue
        if len(pairs) >= MAX_OCCURRENCES:
            raise SchedulingError(
                _("The schedule produces more than %(max)d dates. Choose a shorter period.") % {"max": MAX_OCCURRENCES},
                ("until_date",),
            )
        start = dt.datetime.combine(day, rule.start_time, tzinfo=tz)
        end = dt.datetime.combine(day, rule.end_time, tzinfo=tz)
        pairs.append((start, end))
    if not pairs:
        raise SchedulingError(
            _("The schedule produces no dates. Check the period, the weekday and the excluded dates."),
            ("start_date", "until_date", "weekday", "exclusions"),
        )
    return pairs


def rule_from_page(page: EventPage) -> RepeatRule:
    """The schedule stored on an event page; raises SchedulingError if it is incomplete."""
    if not page.repeat:
        raise SchedulingError(_("Choose how often the activity repeats."))
    missing = [
        label
        for label, value in (
            (_("from"), page.repeat_from),
            (_("until"), page.repeat_until),
            (_("start time"), page.repeat_start_time),
            (_("end time"), page.repeat_end_time),
        )
        if value is None
    ]
    if missing:
        raise SchedulingError(_("The schedule needs: %(fields)s.") % {"fields": ", ".join(str(m) for m in missing)})
    return RepeatRule(
        frequency=page.repeat,
        start_date=page.repeat_from,
        until_date=page.repeat_until,
        start_time=page.repeat_start_time,
        end_time=page.repeat_end_time,
        weekday=page.repeat_weekday,
        nth=page.repeat_nth,
        exclusions=parse_exclusions(page.repeat_exclusions),
    )
