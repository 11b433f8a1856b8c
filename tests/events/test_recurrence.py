"""Regular schedules: rrule materialisation, exclusions, month ends, time zones, regeneration."""

import datetime as dt

import pytest
from django.utils import timezone

from events.models import EventDate
from events.recurrence import RepeatRule, SchedulingError, parse_exclusions, rule_occurrences
from events.registrations.models import Registration
from events.scheduling import event_dates_regenerate

from .conftest import local


def rule(**overrides):
    values = {
        "frequency": "weekly",
        "start_date": dt.date(2026, 9, 1),
        "until_date": dt.date(2026, 9, 30),
        "start_time": dt.time(15, 0),
        "end_time": dt.time(17, 0),
    }
    values.update(overrides)
    return RepeatRule(**values)


def starts(pairs):
    return [timezone.localtime(start).date() for start, _end in pairs]


def test_weekly_on_tuesdays_with_holiday_excluded():
    pairs = rule_occurrences(rule(weekday=1, exclusions=frozenset({dt.date(2026, 9, 15)})))
    assert starts(pairs) == [dt.date(2026, 9, 1), dt.date(2026, 9, 8), dt.date(2026, 9, 22), dt.date(2026, 9, 29)]
    start, end = pairs[0]
    assert timezone.localtime(start).time() == dt.time(15, 0)
    assert timezone.localtime(end).time() == dt.time(17, 0)


def test_weekday_defaults_to_the_weekday_of_the_first_day():
    assert {d.weekday() for d in starts(rule_occurrences(rule(start_date=dt.date(2026, 9, 3))))} == {3}


def test_every_two_weeks():
    days = starts(rule_occurrences(rule(frequency="biweekly", weekday=0, until_date=dt.date(2026, 10, 31))))
    assert days == [dt.date(2026, 9, 7), dt.date(2026, 9, 21), dt.date(2026, 10, 5), dt.date(2026, 10, 19)]


def test_monthly_on_the_last_friday_across_month_ends_and_a_year_end():
    days = starts(
        rule_occurrences(
            rule(
                frequency="monthly", weekday=4, nth=-1, start_date=dt.date(2026, 11, 1), until_date=dt.date(2027, 2, 28)
            )
        )
    )
    assert days == [dt.date(2026, 11, 27), dt.date(2026, 12, 25), dt.date(2027, 1, 29), dt.date(2027, 2, 26)]


def test_monthly_on_the_first_thursday():
    days = starts(
        rule_occurrences(
            rule(frequency="monthly", weekday=3, nth=1, start_date=dt.date(2027, 1, 1), until_date=dt.date(2027, 3, 31))
        )
    )
    assert days == [dt.date(2027, 1, 7), dt.date(2027, 2, 4), dt.date(2027, 3, 4)]


def test_weekly_dates_keep_local_time_across_the_change_to_winter_time():
    pairs = rule_occurrences(rule(weekday=5, start_date=dt.date(2026, 10, 17), until_date=dt.date(2026, 10, 31)))
    offsets = [timezone.localtime(start).utcoffset() for start, _ in pairs]
    assert [timezone.localtime(start).hour for start, _ in pairs] == [15, 15, 15]
    assert offsets[0] == dt.timedelta(hours=2) and offsets[-1] == dt.timedelta(hours=1)


@pytest.mark.parametrize(
    "overrides",
    [
        {"until_date": dt.date(2026, 8, 1)},
        {"end_time": dt.time(14, 0)},
        {"exclusions": frozenset({dt.date(2026, 9, 1)}), "until_date": dt.date(2026, 9, 2)},
        {"frequency": "monthly", "nth": None},
        {"frequency": "daily"},
    ],
)
def test_schedules_that_cannot_produce_dates_are_rejected(overrides):
    with pytest.raises(SchedulingError):
        rule_occurrences(rule(**overrides))


def test_exclusions_accept_iso_and_czech_formats_and_reject_nonsense():
    assert parse_exclusions("2026-12-24\n 31. 12. 2026 ;2027-01-01") == {
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 1),
    }
    for bad in ("vánoce", "2026-02-30", "32. 1. 2026"):
        with pytest.raises(SchedulingError):
            parse_exclusions(bad)


def test_regeneration_keeps_past_dates_and_uids_and_never_drops_registered_dates(make_event):
    now = local(2026, 9, 10, 12, 0)
    page = make_event()
    past = EventDate.objects.create(page=page, start=local(2026, 9, 1, 15), end=local(2026, 9, 1, 17))
    kept = EventDate.objects.create(page=page, start=local(2026, 9, 15, 15), end=local(2026, 9, 15, 17))
    orphan = EventDate.objects.create(page=page, start=local(2026, 9, 16, 15), end=local(2026, 9, 16, 17))
    registered = EventDate.objects.create(page=page, start=local(2026, 9, 17, 15), end=local(2026, 9, 17, 17))
    Registration.objects.create(event=page, event_date=registered, name="Jana Nováková", email="jana@example.cz")
    page = page.__class__.objects.get(pk=page.pk)

    result = event_dates_regenerate(page=page, rule=rule(weekday=1), now=now)
    page.save()

    rows = {d.start: d for d in EventDate.objects.filter(page=page)}
    assert rows[past.start].uid == past.uid
    assert rows[kept.start].uid == kept.uid
    assert orphan.start not in rows
    assert rows[registered.start].uid == registered.uid
    assert result.kept_with_registrations == [registered.start]
    assert result.created == 2  # 22 and 29 September
    assert result.removed == 1
    assert [timezone.localtime(s).day for s in sorted(rows)] == [1, 15, 17, 22, 29]
