"""GDPR: anonymisation after the retention period, export and erasure for one e-mail address."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.models import EventDate
from events.registrations.models import Registration
from events.registrations.services import retention

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db


def move_date(date, days_ago):
    start = timezone.now() - dt.timedelta(days=days_ago)
    EventDate.objects.filter(pk=date.pk).update(start=start, end=start + dt.timedelta(hours=2))


def test_purge_anonymises_only_registrations_past_the_retention_period(reg_event, settings, capsys):
    settings.REGISTRATION_RETENTION_DAYS = 30
    page = reg_event(dates=(2, 9))
    old_date, recent_date = page.dates.order_by("start")
    old = register(old_date, email="old@x.cz", phone="+420 777 111 222", note="alergie")
    recent = register(recent_date, email="recent@x.cz")
    move_date(old_date, 31)
    move_date(recent_date, 29)
    call_command("purge_registrations")
    assert "1" in capsys.readouterr().out
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.email, old.phone, old.note) == ("", "", "", "")
    assert old.anonymised_at is not None and old.seats == 1 and old.status == "confirmed"  # statistics stay
    assert recent.email == "recent@x.cz" and recent.anonymised_at is None
    assert retention.registrations_purge(days=0) == 1  # only "recent" was left


def test_purge_default_is_ninety_days(reg_event):
    page = reg_event(dates=(2,))
    registration = register(first_date(page), email="a@x.cz")
    move_date(first_date(page), 89)
    assert retention.registrations_purge() == 0
    move_date(first_date(page), 91)
    assert retention.registrations_purge() == 1
    registration.refresh_from_db()
    assert registration.anonymised_at


def test_export_and_erase_for_one_address(reg_event, capsys):
    page = reg_event(capacity=1)
    mine = register(first_date(page), email="me@x.cz", note="poznámka")
    waiting = register(first_date(page), email="other@x.cz")
    register(page.dates.order_by("start")[1], email="ME@x.cz")
    call_command("registrations_erase", "me@x.cz")
    exported = json.loads(capsys.readouterr().out)
    assert len(exported["registrations"]) == 2 and exported["registrations"][0]["note"] in ("poznámka", "")
    assert Registration.objects.filter(email="me@x.cz").count() == 2  # export alone deletes nothing
    call_command("registrations_erase", "me@x.cz", "--erase")
    assert not Registration.objects.filter(email="me@x.cz").exists()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"  # the erased registration's place went to the waiting list
    assert not Registration.objects.filter(pk=mine.pk).exists()


def test_admin_personal_data_export_and_erase(reg_event, client, django_user_model):
    page = reg_event()
    register(first_date(page), email="me@x.cz")
    manager = django_user_model.objects.create_user(username="manager", password="pw")
    manager.groups.add(Group.objects.get(name="Registration managers"))
    client.force_login(manager)
    url = reverse("registration_personal_data")
    download = client.get(url, {"email": "me@x.cz", "download": "1"})
    assert download.status_code == 200 and json.loads(download.content)["registrations"][0]["email"] == "me@x.cz"
    response = client.post(url, {"email": "me@x.cz", "action": "erase"})
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_no_ip_address_is_stored(reg_event, client):
    page = reg_event()
    date = first_date(page)
    client.post(
        f"/cs/registrations/event/{page.pk}/",
        {"date": str(date.uid), "name": "Jana", "email": "j@x.cz", "seats": "1", "consent": "on"},
        REMOTE_ADDR="203.0.113.77",
    )
    registration = Registration.objects.get()
    values = [str(getattr(registration, field.attname)) for field in Registration._meta.concrete_fields]
    assert not any("203.0.113.77" in value for value in values)


# Participant records ---------------------------------------------------------------------


def attended(registration, date, status="present"):
    from events.registrations.models import Attendance

    return Attendance.objects.create(
        event_date=date, participant=registration.participant, registration=registration, status=status
    )


def age_participants(days):
    from events.registrations.models import Participant

    Participant.objects.update(created_at=timezone.now() - dt.timedelta(days=days))


def test_participants_with_nothing_left_to_keep_are_anonymised_and_still_counted(reg_event, settings, client):
    from events.registrations.models import Attendance, Participant, RegistrationAttendee

    settings.REGISTRATION_RETENTION_DAYS = 30
    page = reg_event(dates=(2, 9, 16))
    old_date, recent_date, future_date = page.dates.order_by("start")
    family = register(old_date, email="rodic@x.cz", name="Rodič Starý", attendees=["Dítě Staré"])
    attended(family, old_date)
    recently = register(recent_date, email="recent@x.cz", name="Nedávná Osoba")
    attended(recently, recent_date)
    upcoming = register(future_date, email="future@x.cz", name="Budoucí Osoba")
    move_date(old_date, 31)
    move_date(recent_date, 10)
    age_participants(40)

    call_command("purge_registrations")

    parent = Participant.objects.get(pk=family.participant_id)
    child = RegistrationAttendee.objects.get(registration=family).participant
    for record in (parent, child):
        assert (record.name, record.email, record.phone) == ("", "", "") and record.anonymised_at is not None
    assert RegistrationAttendee.objects.get(registration=family).name == ""
    # Kept: an attendance within the retention period, and a registration not anonymised yet.
    assert Participant.objects.get(pk=recently.participant_id).email == "recent@x.cz"
    assert Participant.objects.get(pk=upcoming.participant_id).name == "Budoucí Osoba"
    # The records and attendances stay, so counts of people and attendances still add up.
    assert Participant.objects.count() == 4 and Attendance.objects.count() == 2


def test_a_fresh_walk_in_record_is_not_anonymised_before_its_attendance_is_recorded(reg_event):
    from events.registrations.models import Participant

    Participant.objects.create(name="Nový Příchozí")
    assert retention.participants_purge() == 0
    assert Participant.objects.get().name == "Nový Příchozí"


@pytest.fixture
def project_with(home_cs):
    from tests.projects.factories import FundingProgrammeFactory, ProjectIndexPageFactory, ProjectPageFactory

    index = ProjectIndexPageFactory(parent=home_cs)

    def make(*, end_date, years):
        programme = FundingProgrammeFactory(obligation_years_after_end=years)
        start_date = end_date - dt.timedelta(days=700)
        return ProjectPageFactory(parent=index, start_date=start_date, end_date=end_date, programmes=[programme])

    return make


def test_participants_of_a_funded_activity_are_kept_until_the_projects_archiving_date(
    reg_event, settings, project_with
):
    from events.models import EventPage
    from events.registrations.models import Participant
    from home.tasks import keep_participants_for_projects

    settings.REGISTRATION_RETENTION_DAYS = 30
    ended = timezone.localdate() - dt.timedelta(days=365)
    kept_project = project_with(end_date=ended, years=10)
    lapsed_project = project_with(end_date=dt.date(2010, 6, 30), years=5)
    funded = reg_event(dates=(2,))
    lapsed = reg_event(dates=(2,))
    EventPage.objects.filter(pk=funded.pk).update(project=kept_project)
    EventPage.objects.filter(pk=lapsed.pk).update(project=lapsed_project)
    present = register(first_date(funded), email="leader@x.cz", name="Budoucí Lídryně")
    attended(present, first_date(funded))
    absent = register(first_date(funded), email="absent@x.cz", name="Nepřišel")
    attended(absent, first_date(funded), status="absent")
    old = register(first_date(lapsed), email="old@x.cz", name="Dávný Účastník")
    attended(old, first_date(lapsed))
    move_date(first_date(funded), 60)
    move_date(first_date(lapsed), 60)
    age_participants(90)

    keep_participants_for_projects.call()  # the night's job, before the anonymisation
    call_command("purge_registrations")

    leader = Participant.objects.get(pk=present.participant_id)
    assert leader.keep_until == ended.replace(year=ended.year + 10)
    assert leader.email == "leader@x.cz" and leader.anonymised_at is None
    # Absent people and a project whose archiving date has passed keep nothing.
    assert Participant.objects.get(pk=absent.participant_id).anonymised_at is not None
    lapsed_record = Participant.objects.get(pk=old.participant_id)
    assert lapsed_record.keep_until == dt.date(2015, 6, 30) and lapsed_record.anonymised_at is not None

    # Once the archiving date has passed, the record goes too.
    later = timezone.now() + dt.timedelta(days=365 * 10 + 5)
    assert retention.participants_purge(now=later) == 1
    assert Participant.objects.get(pk=present.participant_id).email == ""
