"""The registrations' side of `events.measures`: project results counted from recorded attendance.

Every figure is a handful of aggregate queries, whatever the number of people.
A session is held when it is a date (default language) of one of the project's
activities, not cancelled and ended; the attendance taken at it counts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone
from wagtail.models import Locale

from events.measures import Measure, MeasureRequest, ParticipantRow, SessionRow, hours
from events.models import EventDate
from events.registrations.models import Attendance, Participant

PRESENT = Attendance.Status.PRESENT


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def held_sessions(
    *, project_key, start: dt.date | None = None, end: dt.date | None = None, now: dt.datetime | None = None
) -> QuerySet[EventDate]:
    """The held sessions of a project's activities starting on a day from `start` to `end` (both included)."""
    now = now or timezone.now()
    dates = EventDate.objects.filter(
        page__locale=Locale.get_default(),
        page__project__translation_key=project_key,
        cancelled=False,
        end__lte=now,
    )
    if start is not None:
        dates = dates.filter(start__gte=_day_start(start))
    if end is not None:
        dates = dates.filter(start__lt=_day_start(end + dt.timedelta(days=1)))
    return dates


def _duration():
    return ExpressionWrapper(F("event_date__end") - F("event_date__start"), output_field=DurationField())


def _present(sessions: QuerySet[EventDate]) -> QuerySet[Attendance]:
    return Attendance.objects.filter(event_date__in=sessions, status=PRESENT)


def measure_values(*, project_key, start, end, requests, now=None) -> dict[str, Decimal]:
    sessions = held_sessions(project_key=project_key, start=start, end=end, now=now)
    present = _present(sessions)
    values: dict[str, Decimal] = {}
    for request in requests:
        if request.key in values:
            continue
        if request.measure == Measure.SESSIONS:
            value = sessions.count()
        elif request.measure == Measure.PARTICIPANTS:
            value = present.values("participant").distinct().count()
        elif request.measure == Measure.REGULAR_PARTICIPANTS:
            value = (
                present.values("participant")
                .annotate(times=Count("id"))
                .filter(times__gte=max(request.min_attendances, 1))
                .count()
            )
        elif request.measure == Measure.PARTICIPANT_HOURS:
            value = hours(present.aggregate(total=Sum(_duration()))["total"])
        else:
            continue
        values[request.key] = Decimal(value)
    return values


def session_rows(*, project_key, start, end, now=None) -> list[SessionRow]:
    sessions = (
        held_sessions(project_key=project_key, start=start, end=end, now=now)
        .select_related("page__venue")
        .annotate(
            n_present=Count("attendances", filter=Q(attendances__status=PRESENT)),
            n_excused=Count("attendances", filter=Q(attendances__status=Attendance.Status.EXCUSED)),
            n_absent=Count("attendances", filter=Q(attendances__status=Attendance.Status.ABSENT)),
            n_walk_ins=Count("attendances", filter=Q(attendances__walk_in=True)),
        )
        .order_by("start", "pk")
    )
    return [
        SessionRow(
            start=session.start,
            end=session.end,
            activity=session.page.title,
            venue=session.page.venue.name if session.page.venue_id else "",
            present=session.n_present,
            excused=session.n_excused,
            absent=session.n_absent,
            walk_ins=session.n_walk_ins,
        )
        for session in sessions
    ]


def participant_rows(*, project_key, start, end, now=None) -> list[ParticipantRow]:
    sessions = held_sessions(project_key=project_key, start=start, end=end, now=now)
    rows = (
        _present(sessions)
        .values("participant")
        .annotate(
            times=Count("id"),
            duration=Sum(_duration()),
            first=Min("event_date__start"),
            last=Max("event_date__start"),
        )
        .order_by("participant")
    )
    return [
        ParticipantRow(
            code=Participant(pk=row["participant"]).code,
            attendances=row["times"],
            hours=hours(row["duration"]),
            first=row["first"],
            last=row["last"],
        )
        for row in rows
    ]


class RegistrationAttendance:
    def measure_values(self, *, project_key, start, end, requests: list[MeasureRequest]) -> dict[str, Decimal]:
        return measure_values(project_key=project_key, start=start, end=end, requests=requests)

    def session_rows(self, *, project_key, start, end) -> list[SessionRow]:
        return session_rows(project_key=project_key, start=start, end=end)

    def participant_rows(self, *, project_key, start, end) -> list[ParticipantRow]:
        return participant_rows(project_key=project_key, start=start, end=end)
