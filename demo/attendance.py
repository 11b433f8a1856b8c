"""Demo attendance: who came to the regular activities' past sessions, and the Vltavotýnsko project's
meetings during its period, so its results show measured figures next to the targets (idempotent).

Run by `load_demo_content` after `demo.registrations`. Everything is drawn from a
pseudo-random generator seeded with the session's activity and start, so a second
run (on the same day) records exactly the same, and nothing recorded is changed.

- The enrolled people of the homework club, the leaders' group and the Czech
  course are marked for every session that has ended: mostly present, some
  excused, a few absent; now and then a walk-in comes too.
- The monthly community meeting (an activity of the Vltavotýnsko project) has
  been held since the project started: its meetings during the project's
  period (2023–2025) are added to its dates with the neighbours who came. They
  are what the project's results count: "10 setkání" (sessions held) and
  "15 lídrů komunity" (people present at least LEADER_ATTENDANCES times).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from events.models import EventDate, EventPage
from events.registrations.models import Attendance, Participant, Registration
from events.registrations.services.participants import participant_for
from events.scheduling import event_dates_sync_translations
from projects.services import project_measures_count

SEED = 20230101
#: Activities whose enrolled people are marked for every past session.
ENROLLED_ACTIVITIES = ("doucovaci-klub", "skupina-lidru", "cestina-pro-cizince")
#: Of each enrolled person at a session: present, excused, absent (the rest of 1.0).
PRESENT, EXCUSED = 0.78, 0.12
WALK_IN_CHANCE = 0.35
WALK_INS = ["Karel Beneš", "Ludmila Horáková", "Nguyen Thi Mai", "Josef Kratochvíl"]

MEETING_SLUG = "komunitni-setkani"
#: The community meetings held during the Vltavotýnsko project (the third Thursday, 18:00–20:00).
HISTORY_MEETINGS = [
    (2023, 3), (2023, 6), (2023, 9), (2023, 11), (2024, 2), (2024, 4),
    (2024, 6), (2024, 9), (2024, 11), (2025, 3), (2025, 6), (2025, 10),
]  # fmt: skip
#: Neighbours who come to the meetings: the first CORE_NEIGHBOURS come to most of them.
NEIGHBOURS = [
    "Alena Králová", "Bohuslav Doležal", "Dana Kučerová", "Emil Šťastný", "František Marek", "Gabriela Pokorná",
    "Hana Veselá", "Ivan Zeman", "Jitka Fialová", "Kamil Růžička", "Lenka Urbanová", "Martin Sedlák",
    "Naděžda Kolářová", "Oldřich Navrátil", "Pavla Čermáková", "Radek Hájek", "Simona Jelínková", "Tereza Bartošová",
    "Václav Holub", "Zuzana Šimková", "Anna Pham", "Lukáš Vávra", "Monika Štěpánková", "Roman Kříž",
]  # fmt: skip
CORE_NEIGHBOURS = 14
CORE_CHANCE, OTHER_CHANCE = 0.75, 0.3
#: The project's "15 lídrů komunity" counts the people present at this many meetings at least.
LEADER_ATTENDANCES = 6


def _rng(*parts) -> random.Random:
    return random.Random(f"{SEED}:" + ":".join(str(part) for part in parts))


def _walk_in(name: str) -> Participant:
    """A walk-in's record (staff made it: no contact), the same one every run."""
    found = Participant.objects.filter(name=name, email="", phone="", guardian__isnull=True).order_by("id").first()
    return found or Participant.objects.create(name=name)


def _record(event_date: EventDate, participant: Participant, status: str, **extra) -> bool:
    _row, created = Attendance.objects.get_or_create(
        event_date=event_date,
        participant=participant,
        defaults={"status": status, "recorded_at": event_date.end, **extra},
    )
    return created


def _enrolled_attendance(page: EventPage, now: dt.datetime) -> int:
    enrolments = list(
        Registration.objects.filter(
            event=page, event_date__isnull=True, status__in=Registration.SEAT_STATUSES, participant__isnull=False
        )
        .select_related("participant")
        .order_by("id")
    )
    walk_ins = [_walk_in(name) for name in WALK_INS]
    written = 0
    for session in page.term_dates(page.dates.filter(cancelled=False, end__lte=now)).order_by("start"):
        rng = _rng(page.slug, session.start.isoformat())
        for enrolment in enrolments:
            draw = rng.random()
            status = "present" if draw < PRESENT else "excused" if draw < PRESENT + EXCUSED else "absent"
            written += _record(session, enrolment.participant, status, registration=enrolment)
        if rng.random() < WALK_IN_CHANCE:
            written += _record(session, rng.choice(walk_ins), "present", walk_in=True)
    return written


def _meeting_history(page: EventPage, now: dt.datetime) -> tuple[int, int]:
    """The meetings held during the project's period, with the neighbours who came."""
    tz = timezone.get_default_timezone()
    neighbours = [
        participant_for(name=name, email=f"soused{number + 1:02d}@example.cz") for number, name in enumerate(NEIGHBOURS)
    ]
    existing = {date.start: date for date in page.dates.all()}
    added = written = 0
    for year, month in HISTORY_MEETINGS:
        first = dt.date(year, month, 1)
        thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7 + 14)
        start = dt.datetime.combine(thursday, dt.time(18, 0), tzinfo=tz)
        if start >= now:
            continue
        session = existing.get(start)
        if session is None:
            session = EventDate.objects.create(page=page, start=start, end=start + dt.timedelta(hours=2))
            added += 1
        rng = _rng(page.slug, start.date().isoformat())
        for number, neighbour in enumerate(neighbours):
            chance = CORE_CHANCE if number < CORE_NEIGHBOURS else OTHER_CHANCE
            if rng.random() < chance:
                written += _record(session, neighbour, "present")
            elif number < CORE_NEIGHBOURS and rng.random() < 0.3:
                written += _record(session, neighbour, "excused")
        if rng.random() < WALK_IN_CHANCE:
            written += _record(session, _walk_in(rng.choice(WALK_INS)), "present", walk_in=True)
    if added:
        # A revision with the added dates (the admin's editor shows them), and the same dates in every language.
        EventPage.objects.get(pk=page.pk).save_revision().publish()
        event_dates_sync_translations(source=page)
    return added, written


@transaction.atomic
def load(*, homes) -> str:
    cs = Locale.objects.filter(language_code="cs").first()
    now = timezone.now()
    written = 0
    for slug in ENROLLED_ACTIVITIES:
        page = EventPage.objects.filter(slug=slug, locale=cs).first()
        if page is not None:
            written += _enrolled_attendance(page, now)
    added = 0
    meeting = EventPage.objects.filter(slug=MEETING_SLUG, locale=cs).first()
    if meeting is not None:
        added, history = _meeting_history(meeting, now)
        written += history
    figures = project_measures_count()
    total = Attendance.objects.count()
    return (
        f"{written} attendances recorded ({total} in all), {added} past meetings added, "
        f"{figures} project result figures counted"
    )
