"""Project results counted from attendance: what projects read of the sessions and of who came.

Projects know nothing of how attendance is stored. They ask the *attendance
provider*, through this narrow interface, for a project's activities (the
events whose page belongs to it, by the project's translation key):

- the figures a result block can be bound to (`measure_values`);
- the rows of the monitoring export: one per session (`session_rows`) and one
  per participant, by pseudonymous code only (`participant_rows`).

What counts: a session is *held* when it is a date of one of the project's
activities (in the default language, where attendance is recorded) that is not
cancelled and has ended; only held sessions and the attendance taken at them
count. A date range (the project's period, or the range staff chose) keeps the
sessions that start on a day within it, in the site's time zone.

The registrations app (`events.registrations`) registers its provider when it
is ready; without it, nothing was held and nobody came.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """What a project's result figure can be counted from."""

    SESSIONS = "sessions", _("Sessions held of the project's activities")
    PARTICIPANTS = "participants", _("Unique participants (present at least once)")
    REGULAR_PARTICIPANTS = "regular_participants", _("Participants present at least N times")
    PARTICIPANT_HOURS = "participant_hours", _("Participant-hours (hours of the sessions each person attended)")


@dataclass(frozen=True)
class MeasureRequest:
    measure: str
    min_attendances: int = 0

    @property
    def key(self) -> str:
        return measure_key(self.measure, self.min_attendances)


def measure_key(measure: str, min_attendances: int | None = 0) -> str:
    """How one bound figure is named among a project's stored figures ("regular_participants:5")."""
    if measure != Measure.REGULAR_PARTICIPANTS:
        min_attendances = 0
    return f"{measure}:{int(min_attendances or 0)}"


@dataclass(frozen=True)
class SessionRow:
    """One held session of a project's activity, for the monitoring export (times are aware)."""

    start: dt.datetime
    end: dt.datetime
    activity: str
    venue: str
    present: int
    excused: int
    absent: int
    walk_ins: int

    @property
    def duration_hours(self) -> Decimal:
        return hours(self.end - self.start)

    @property
    def hours(self) -> Decimal:
        """Participant-hours of the session: the present people times its length."""
        return self.duration_hours * self.present


@dataclass(frozen=True)
class ParticipantRow:
    """One person who came to a project's sessions, by pseudonymous code only (P-000042)."""

    code: str
    attendances: int
    hours: Decimal
    first: dt.datetime
    last: dt.datetime


def hours(duration: dt.timedelta | None) -> Decimal:
    """A duration in hours, to two decimal places."""
    if not duration:
        return Decimal("0.00")
    return (Decimal(duration.total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))


class AttendanceProvider(Protocol):
    def measure_values(
        self, *, project_key, start: dt.date | None, end: dt.date | None, requests: Iterable[MeasureRequest]
    ) -> dict[str, Decimal]: ...

    def session_rows(self, *, project_key, start: dt.date | None, end: dt.date | None) -> list[SessionRow]: ...

    def participant_rows(self, *, project_key, start: dt.date | None, end: dt.date | None) -> list[ParticipantRow]: ...


class NoAttendance:
    """Nothing was held and nobody came."""

    def measure_values(self, *, project_key, start, end, requests) -> dict[str, Decimal]:
        return {request.key: Decimal(0) for request in requests}

    def session_rows(self, *, project_key, start, end) -> list[SessionRow]:
        return []

    def participant_rows(self, *, project_key, start, end) -> list[ParticipantRow]:
        return []


_provider: AttendanceProvider = NoAttendance()


def register(provider: AttendanceProvider) -> None:
    """Called once by the registrations app when it is ready."""
    global _provider
    _provider = provider


def measure_values(
    *, project_key, start: dt.date | None = None, end: dt.date | None = None, requests: Iterable[MeasureRequest]
) -> dict[str, Decimal]:
    """The figure of each requested measure for one project (by translation key), keyed by `MeasureRequest.key`."""
    return _provider.measure_values(project_key=project_key, start=start, end=end, requests=list(requests))


def session_rows(*, project_key, start: dt.date | None = None, end: dt.date | None = None) -> list[SessionRow]:
    return _provider.session_rows(project_key=project_key, start=start, end=end)


def participant_rows(*, project_key, start: dt.date | None = None, end: dt.date | None = None) -> list[ParticipantRow]:
    return _provider.participant_rows(project_key=project_key, start=start, end=end)
