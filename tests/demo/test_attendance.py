"""Demo attendance: the regular activities' past sessions are marked, the Vltavotýnsko project's results
show measured figures next to their targets, and a second load records nothing new."""

import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.attendance import ENROLLED_ACTIVITIES, LEADER_ATTENDANCES
from events.models import EventDate, EventPage
from events.registrations.models import Attendance, Participant, Registration
from projects.models import ProjectMeasure, ProjectPage

pytestmark = pytest.mark.django_db


def _state():
    return {
        "attendance": sorted(
            Attendance.objects.values_list("event_date__uid", "participant__email", "participant__name", "status")
        ),
        "participants": Participant.objects.count(),
        "dates": EventDate.objects.count(),
        "figures": sorted(ProjectMeasure.objects.values_list("measure", "min_attendances", "value")),
    }


def test_the_demo_records_attendance_once_and_counts_the_projects_results(client):
    call_command("load_demo_content", verbosity=0)
    first = _state()
    call_command("load_demo_content", verbosity=0)
    assert _state() == first

    now = timezone.now()
    for slug in ENROLLED_ACTIVITIES:
        page = EventPage.objects.get(slug=slug, locale__language_code="cs")
        assert page.registration_scope == "series" and page.registration_term_from and page.registration_term_until
        enrolled = Registration.objects.filter(event=page, event_date__isnull=True, status="confirmed")
        assert enrolled.count() >= 5 and not enrolled.filter(participant__isnull=True).exists()
        past = page.dates.filter(cancelled=False, end__lte=now)
        assert past.exists(), slug
        for session in past:
            marked = Counter(session.attendances.values_list("status", flat=True))
            assert marked["present"] + marked["excused"] + marked["absent"] >= enrolled.count(), session
        assert Attendance.objects.filter(event_date__page=page, walk_in=True).exists(), slug
        assert Attendance.objects.filter(event_date__page=page, status="excused").exists(), slug
        assert not Attendance.objects.filter(event_date__page=page, event_date__end__gt=now).exists()

    project = ProjectPage.objects.get(slug="komunitni-centrum-vltavotynska")
    meetings = EventDate.objects.filter(
        page__project=project, cancelled=False, start__year__in=[2023, 2024, 2025], end__lte=now
    )
    present = Counter(
        Attendance.objects.filter(event_date__in=meetings, status="present").values_list("participant", flat=True)
    )
    leaders = sum(1 for times in present.values() if times >= LEADER_ATTENDANCES)
    figures = {row.key: row.value for row in ProjectMeasure.objects.filter(project=project)}
    assert figures == {"sessions:0": meetings.count(), f"regular_participants:{LEADER_ATTENDANCES}": leaders}
    assert meetings.count() >= 10 and leaders >= 10

    for page, words in ((project, ("cíl", "dosaženo")), (project.get_translations().get(), ("target", "achieved"))):
        html = client.get(page.url).content.decode()
        text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        assert f"{words[0]} 10 · {words[1]} {meetings.count()}" in text
        assert f"{words[0]} 15 · {words[1]} {leaders}" in text
