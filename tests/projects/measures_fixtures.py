"""A project with hand-countable attendance, shared by the results and the monitoring export tests.

Project period 1. 1. 2025 – 31. 12. 2025. Two activities of the project ("Klub lídrů",
"Setkání"), one of another project. People A, B, C, D (signed up) and W (a walk-in).

    date (Prague)             activity        length  A        B        C        D        W
    2024-12-16 17:00  before the period       2 h     present  present  -        present  -
    2025-03-03 17:00  Klub lídrů              2 h     present  present  absent   excused  -
    2025-03-10 17:00  Klub lídrů              1.5 h   present  excused  present  -        walk-in
    2025-03-17 17:00  Setkání                 2 h     present  -        present  absent   -
    2025-03-24 17:00  Klub lídrů, cancelled   2 h     present  present  -        -        -
    tomorrow          Klub lídrů (not held)   2 h     -
    2025-03-05 10:00  another project's club  3 h     -        present  -        present  -

Hand count within the period: 3 sessions held; present A, B, C, W = 4 people;
A 3 times, C 2 times (≥ 2: 2 people, ≥ 3: 1); participant-hours
2×2 + 3×1.5 + 2×2 = 12.5.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from events.models import EventDate
from events.registrations.models import Attendance, Participant
from tests.events.factories import EventPageFactory, VenueFactory

SESSIONS, PEOPLE, AT_LEAST_2, AT_LEAST_3, HOURS = 3, 4, 2, 1, "12.5"


def figure(number, label, measure="", min_attendances=None, note=""):
    return (
        "figure",
        {
            "number": Decimal(number),
            "label": label,
            "note": note,
            "measure": measure,
            "min_attendances": min_attendances,
        },
    )


BOUND_RESULTS = [
    figure(1, "komunitní centrum"),
    figure(10, "setkání", "sessions"),
    figure(20, "zapojených osob", "participants"),
    figure(15, "lídrů komunity", "regular_participants", 2, note="účast alespoň dvakrát"),
    figure(3, "stálých členů", "regular_participants", 3),
    figure(100, "hodin účasti", "participant_hours"),
]


def prague(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=timezone.get_default_timezone())


def _date(page, start, hours, *, cancelled=False):
    return EventDate.objects.create(page=page, start=start, end=start + dt.timedelta(hours=hours), cancelled=cancelled)


def build_attendance(*, project, other_project, events_index):
    club = EventPageFactory(parent=events_index, title="Klub lídrů", project=project, venue=VenueFactory())
    meeting = EventPageFactory(parent=events_index, title="Setkání", project=project)
    other = EventPageFactory(parent=events_index, title="Cizí klub", project=other_project)
    people = {
        key: Participant.objects.create(name=f"Osoba {key}", email=f"{key.lower()}@example.cz")
        for key in ("A", "B", "C", "D")
    }
    people["W"] = Participant.objects.create(name="Příchozí bez registrace")
    before = _date(club, prague(2024, 12, 16, 17, 0), 2)
    first = _date(club, prague(2025, 3, 3, 17, 0), 2)
    second = _date(club, prague(2025, 3, 10, 17, 0), 1.5)
    third = _date(meeting, prague(2025, 3, 17, 17, 0), 2)
    cancelled = _date(club, prague(2025, 3, 24, 17, 0), 2, cancelled=True)
    _date(club, timezone.now() + dt.timedelta(days=1), 2)
    elsewhere = _date(other, prague(2025, 3, 5, 10, 0), 3)
    marks = {
        before: {"A": "present", "B": "present", "D": "present"},
        first: {"A": "present", "B": "present", "C": "absent", "D": "excused"},
        second: {"A": "present", "B": "excused", "C": "present", "W": "present"},
        third: {"A": "present", "C": "present", "D": "absent"},
        cancelled: {"A": "present", "B": "present"},
        elsewhere: {"B": "present", "D": "present"},
    }
    for event_date, statuses in marks.items():
        for key, status in statuses.items():
            Attendance.objects.create(event_date=event_date, participant=people[key], status=status, walk_in=key == "W")
    return {"people": people, "dates": [first, second, third], "club": club, "meeting": meeting}
