"""Regular activities: turning a schedule into concrete event dates, and keeping languages in step.

A schedule ("every Tuesday 15:00–17:00 from September to June, except holidays") is
materialised once into `EventDate` rows; listings, feeds and registrations then work on
plain rows. Regenerating never drops a date that people have registered for.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dateutil import rrule
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from events.models import EventDate, EventPage

#: A schedule never produces more dates than this (about eight years of weekly dates).
MAX_OCCURRENCES = 400


class SchedulingError(Exception):
    """A schedule that cannot produce dates; the message is meant for the editor."""


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


@dataclass
class RegenerationResult:
    created: int = 0
    removed: int = 0
    unchanged: int = 0
    kept_with_registrations: list[dt.datetime] = field(default_factory=list)


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
        raise SchedulingError(_("The schedule ends before it starts."))
    if rule.end_time <= rule.start_time:
        raise SchedulingError(_("The end time must be after the start time."))
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
            raise SchedulingError(_("Choose which weekday of the month (first to fourth, or last)."))
        recurrence = rrule.rrule(
            rrule.MONTHLY, byweekday=rrule.weekday(weekday, rule.nth), dtstart=dtstart, until=until
        )
    else:
        raise SchedulingError(_("Choose how often the activity repeats."))

    tz = timezone.get_default_timezone()
    pairs = []
    for occurrence in recurrence:
        day = occurrence.date()
        if day in rule.exclusions:
            continue
        if len(pairs) >= MAX_OCCURRENCES:
            raise SchedulingError(
                _("The schedule produces more than %(max)d dates. Choose a shorter period.") % {"max": MAX_OCCURRENCES}
            )
        start = dt.datetime.combine(day, rule.start_time, tzinfo=tz)
        end = dt.datetime.combine(day, rule.end_time, tzinfo=tz)
        pairs.append((start, end))
    if not pairs:
        raise SchedulingError(
            _("The schedule produces no dates. Check the period, the weekday and the excluded dates.")
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


def dates_with_registrations(date_ids: list[int]) -> set[int]:
    """Which of these event dates have registrations (any model pointing at EventDate counts)."""
    from events.models import EventDate

    ids = [pk for pk in date_ids if pk]
    if not ids:
        return set()
    found: set[int] = set()
    for relation in EventDate._meta.related_objects:
        if relation.many_to_many or relation.one_to_one or not relation.field.concrete:
            continue
        related = relation.related_model._default_manager
        found.update(
            related.filter(**{f"{relation.field.name}__in": ids}).values_list(relation.field.attname, flat=True)
        )
    return found


def event_dates_regenerate(*, page: EventPage, rule: RepeatRule, now: dt.datetime | None = None) -> RegenerationResult:
    """Replace the page's future dates (in memory, saved with the page) by the schedule's dates.

    Past dates are left alone. A future date that matches a scheduled start keeps its uid and
    its registrations. A future date the schedule no longer has is removed, unless someone has
    registered for it: then it is kept and reported, so the editor can cancel it explicitly.
    """
    from events.models import EventDate

    now = now or timezone.now()
    occurrences = rule_occurrences(rule)
    existing = list(page.dates.all())
    registered = dates_with_registrations([d.pk for d in existing])
    by_start = {d.start: d for d in existing if d.start >= now}
    result = RegenerationResult()
    keep: list[EventDate] = [d for d in existing if d.start < now]

    wanted = [(s, e) for s, e in occurrences if s >= now]
    wanted_starts = {s for s, _e in wanted}
    for start, end in wanted:
        current = by_start.get(start)
        if current is not None:
            if current.end != end:
                current.end = end
            keep.append(current)
            result.unchanged += 1
        else:
            keep.append(EventDate(start=start, end=end))
            result.created += 1
    for start, current in by_start.items():
        if start in wanted_starts:
            continue
        if current.pk in registered:
            keep.append(current)
            result.kept_with_registrations.append(start)
        else:
            result.removed += 1
    keep.sort(key=lambda d: d.start)
    for order, date in enumerate(keep):
        date.sort_order = order
    page.dates = keep
    return result


#: What every language's row of a date takes from the default language's row.
SYNCHRONISED_DATE_FIELDS = ("start", "end", "capacity", "cancelled", "sort_order", "translation_key")


def translated_reason(*, source: EventDate, current: str) -> str:
    """The reason a translation's row keeps for a date, given the reason it holds now.

    The translated reason is kept. Until there is one, the default language's reason stands in,
    so a cancelled date never goes unexplained. A date that is not cancelled (or has no reason
    in the default language) has none in any language.
    """
    if not source.cancelled or not source.cancellation_reason:
        return ""
    return current or source.cancellation_reason


@transaction.atomic
def event_dates_sync_translations(*, source: EventPage, only: EventPage | None = None) -> int:
    """Make every translation of `source` have the same dates (matched by uid). Returns rows written.

    Start, end, capacity, the cancelled flag and the order come from the source; each translation
    keeps its own reason for cancelling (see `translated_reason`). Registrations point at the
    source page's rows, so translations' rows can be rewritten freely.
    """
    from events.models import EventDate, EventPage

    source_dates = list(EventDate.objects.filter(page=source))
    source_uids = {d.uid for d in source_dates}
    written = 0
    translations = EventPage.objects.filter(translation_key=source.translation_key).exclude(pk=source.pk)
    if only is not None:
        translations = translations.filter(pk=only.pk)
    for translation in translations:
        current = {d.uid: d for d in EventDate.objects.filter(page=translation)}
        stale = [d.pk for uid, d in current.items() if uid not in source_uids]
        if stale:
            # Removed first, so a re-added date's translation key is free again.
            EventDate.objects.filter(pk__in=stale).delete()
            written += len(stale)
        for date in source_dates:
            row = current.get(date.uid) or EventDate(page=translation, locale_id=translation.locale_id, uid=date.uid)
            reason = translated_reason(source=date, current=row.cancellation_reason)
            if (
                row.pk
                and row.cancellation_reason == reason
                and all(getattr(row, f) == getattr(date, f) for f in SYNCHRONISED_DATE_FIELDS)
            ):
                continue
            for f in SYNCHRONISED_DATE_FIELDS:
                setattr(row, f, getattr(date, f))
            row.cancellation_reason = reason
            row.save()
            written += 1
    return written


def event_dates_refresh_uids(*, page: EventPage) -> None:
    """Give a copied event fresh date uids, so the copy is a new event in calendars and registrations."""
    from events.models import EventDate

    for date in EventDate.objects.filter(page=page):
        date.uid = uuid.uuid4()
        date.save(update_fields=["uid"])
