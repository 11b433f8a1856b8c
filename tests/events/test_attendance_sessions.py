"""Attendance per session: who is expected at a date, recording on the phone screen, walk-ins,
clear messages for bad input, and participant records only for Registration managers."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import EventDate
from events.registrations import errors
from events.registrations.models import Attendance, Participant, Registration, RegistrationAttendee
from events.registrations.services import attendance
from events.registrations.services.participants import dependant_for, participant_for

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_user(django_user_model):
    def make(group=None, username=None):
        user = django_user_model.objects.create_user(username=username or f"user-{group}", password="pw")
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def manager(client, make_user):
    user = make_user("Registration managers", username="lektorka")
    client.force_login(user)
    return user


def started(date, *, hours=-0.5):
    """Move the date so that it started `hours` ago (or starts in -hours)."""
    start = timezone.now() + dt.timedelta(hours=hours)
    EventDate.objects.filter(pk=date.pk).update(start=start, end=start + dt.timedelta(hours=2))
    date.refresh_from_db()
    return date


def take_url(date):
    return reverse("registration_attendance_take", args=[date.pk])


def enrol(page, *, name, email, **fields):
    """An enrolment in the whole series (no date), made a month ago."""
    fields.setdefault("created_at", timezone.now() - dt.timedelta(days=30))
    return Registration.objects.create(
        event=page,
        event_date=None,
        name=name,
        email=email,
        participant=participant_for(name=name, email=email),
        **fields,
    )


def add_children(registration, children):
    for child in children:
        RegistrationAttendee.objects.create(
            registration=registration,
            participant=dependant_for(guardian=registration.participant, name=child),
            name=child,
        )
    return registration


def family(date, *, parent, children):
    """A parent's sign-up for a date with named children, each taking a place."""
    registration = register(date, email=f"{parent.split()[0].lower()}@example.cz", name=parent, seats=len(children))
    return add_children(registration, children)


def names(rows):
    return [row.name for row in rows]


def test_expected_people_of_a_course_follow_its_term_and_who_left(reg_event):
    today = timezone.localdate()
    page = reg_event(
        capacity=10,
        dates=(-14, -7, 7, 14),
        registration_scope="series",
        registration_term_from=today - dt.timedelta(days=10),
    )
    dates = list(page.dates.order_by("start"))
    stays = enrol(page, name="Alena Stálá", email="stala@example.cz")
    leaves = enrol(page, name="Libor Odchází", email="odchazi@example.cz", leaves_on=today + dt.timedelta(days=10))
    enrol(page, name="Zrušená Osoba", email="zrusena@example.cz", status=Registration.Status.CANCELLED)
    enrol(page, name="Pozdní Příchozí", email="pozdni@example.cz", created_at=timezone.now() + dt.timedelta(days=8))

    before_term, in_term, next_week, later = (EventDate.objects.get(pk=date.pk) for date in dates)
    assert attendance.attendance_sheet_for(event_date=before_term) == []
    assert names(attendance.attendance_sheet_for(event_date=in_term)) == ["Libor Odchází", "Alena Stálá"]
    assert names(attendance.attendance_sheet_for(event_date=next_week)) == ["Libor Odchází", "Alena Stálá"]
    # From the day they leave on, the leaver is no longer expected.
    # Someone who enrolled later is expected from then on.
    assert names(attendance.attendance_sheet_for(event_date=later)) == ["Pozdní Příchozí", "Alena Stálá"]
    assert {row.registration.pk for row in attendance.attendance_sheet_for(event_date=in_term)} == {stays.pk, leaves.pk}


def test_a_family_sign_up_brings_its_named_children_and_old_registrations_get_a_participant(reg_event):
    page = reg_event(capacity=10)
    date = first_date(page)
    family(date, parent="Petra Malá", children=["Ema Malá", "Ondřej Malý"])
    old = Registration.objects.create(event=page, event_date=date, name="Karel Starý", email="stary@example.cz")
    assert old.participant_id is None

    rows = attendance.attendance_sheet_for(event_date=date)
    assert names(rows) == ["Ema Malá", "Ondřej Malý", "Karel Starý"]
    assert rows[0].guardian_name == "Petra Malá"
    old.refresh_from_db()
    assert old.participant is not None and old.participant.email == "stary@example.cz"
    # The parent is the responsible adult, not a participant of the session.
    assert "Petra Malá" not in names(rows)


def test_staff_record_attendance_on_the_phone_screen(client, manager, reg_event):
    page = reg_event(capacity=10)
    date = first_date(page)
    jana = register(date, email="jana@example.cz", name="Jana Nováková")
    petr = register(date, email="petr@example.cz", name="Petr Dvořák")
    started(date)

    screen = client.get(take_url(date))
    assert screen.status_code == 200
    html = screen.content.decode()
    assert html.index("Dvořák Petr") < html.index("Nováková Jana")
    assert "Přítomen" in html and "Omluven" in html and "Nepřítomen" in html

    response = client.post(
        take_url(date),
        {
            "action": "record",
            f"status-{jana.participant_id}": "present",
            f"previous-{jana.participant_id}": "",
            f"previous-{petr.participant_id}": "",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#person-{jana.participant_id}")
    row = Attendance.objects.get(event_date=date, participant=jana.participant)
    assert (row.status, row.recorded_by, row.registration_id, row.walk_in) == ("present", manager, jana.pk, False)
    jana.refresh_from_db()
    assert jana.status == Registration.Status.ATTENDED

    client.post(take_url(date), {f"status-{petr.participant_id}": "excused", f"previous-{petr.participant_id}": ""})
    petr.refresh_from_db()
    assert petr.status == Registration.Status.NO_SHOW
    html = client.get(take_url(date)).content.decode()
    assert "Zapsal(a) lektorka" in html
    assert 'aria-pressed="true">Přítomen<' in html and 'aria-pressed="true">Omluven<' in html
    assert html.count('aria-pressed="false">') == 4


def test_a_course_date_records_enrolled_people_without_touching_the_enrolment(client, manager, reg_event):
    page = reg_event(capacity=10, dates=(-1, 6), registration_scope="series")
    date = first_date(page)
    enrolment = enrol(page, name="Alena Stálá", email="stala@example.cz")
    client.post(take_url(date), {f"status-{enrolment.participant_id}": "absent"})
    assert Attendance.objects.get(event_date=date).status == "absent"
    enrolment.refresh_from_db()
    assert enrolment.status == Registration.Status.CONFIRMED


def test_attendance_cannot_be_recorded_before_the_date_starts(client, manager, reg_event):
    page = reg_event(capacity=10)
    date = first_date(page)
    jana = register(date, email="jana@example.cz")
    html = client.get(take_url(date)).content.decode()
    assert "Docházku lze zapsat až" in html
    assert f'name="status-{jana.participant_id}"' not in html

    response = client.post(take_url(date), {f"status-{jana.participant_id}": "present"})
    assert response.status_code == 400
    assert "Docházku lze zapsat až" in response.content.decode()
    response = client.post(take_url(date), {"action": "walk-in", "walk-in-name": "Host Hostovský"})
    assert response.status_code == 400
    assert not Attendance.objects.exists()
    assert not Participant.objects.filter(name="Host Hostovský").exists()
    with pytest.raises(errors.AttendanceNotStarted):
        attendance.attendance_record(event_date=date, participant=jana.participant, status="present")


def test_an_unknown_person_or_date_gets_a_clear_message_not_an_error(client, manager, reg_event):
    page = reg_event(capacity=10)
    register(first_date(page), email="jana@example.cz")
    date = started(first_date(page))
    stranger = participant_for(name="Cizí Člověk", email="cizi@example.cz")

    for field in (f"status-{stranger.pk}", "status-999999", "status-abc"):
        response = client.post(take_url(date), {field: "present"})
        assert response.status_code == 404, field
        assert "není na seznamu" in response.content.decode()
    response = client.post(take_url(date), {f"status-{stranger.pk}": "asleep"})
    assert response.status_code in (400, 404)
    assert not Attendance.objects.exists()

    response = client.get(reverse("registration_attendance_take", args=[987654]))
    assert response.status_code == 404
    assert "Termín nebyl nalezen" in response.content.decode()
    response = client.post(reverse("registration_attendance_take", args=[987654]), {"status-1": "present"})
    assert response.status_code == 404


def test_a_walk_in_is_recorded_present_with_who_added_them(client, manager, reg_event):
    page = reg_event(capacity=10)
    date = started(first_date(page))
    response = client.post(
        take_url(date), {"action": "walk-in", "walk-in-name": "  Host  Hostovský ", "walk-in-phone": "777 123 456"}
    )
    assert response.status_code == 302
    walk_in = Attendance.objects.get(event_date=date)
    assert (walk_in.status, walk_in.walk_in, walk_in.registration, walk_in.recorded_by) == (
        "present",
        True,
        None,
        manager,
    )
    assert (walk_in.participant.name, walk_in.participant.phone, walk_in.participant.created_by) == (
        "Host Hostovský",
        "+777123456"[1:],
        manager,
    )
    html = client.get(take_url(date)).content.decode()
    assert "Hostovský Host" in html and "Bez přihlášky" in html

    # The walk-in can be corrected like anyone else on the list.
    client.post(
        take_url(date), {f"status-{walk_in.participant_id}": "excused", f"previous-{walk_in.participant_id}": "present"}
    )
    walk_in.refresh_from_db()
    assert walk_in.status == "excused"

    response = client.post(take_url(date), {"action": "walk-in", "walk-in-name": "   "})
    assert response.status_code == 400
    assert "Zadejte jméno" in response.content.decode()
    assert Participant.objects.count() == 1


def test_two_staff_submitting_the_same_session_keep_each_others_marks(client, make_user, reg_event):
    page = reg_event(capacity=10)
    people = [register(first_date(page), email=f"p{n}@example.cz", name=f"Osoba{n} Testová") for n in range(3)]
    date = started(first_date(page))
    first, second = make_user("Registration managers", "prvni"), make_user("Registration managers", "druhy")
    # Both opened the screen when nothing was recorded; each submits everything they see.
    seen = {f"previous-{person.participant_id}": "" for person in people}

    client.force_login(first)
    client.post(take_url(date), {**seen, f"status-{people[0].participant_id}": "present"})
    client.force_login(second)
    client.post(take_url(date), {**seen, f"status-{people[1].participant_id}": "excused"})

    recorded = {row.participant_id: (row.status, row.recorded_by.username) for row in Attendance.objects.all()}
    assert recorded == {
        people[0].participant_id: ("present", "prvni"),
        people[1].participant_id: ("excused", "druhy"),
    }
    # A submitted value that did not change (the second saw it blank and left it) writes nothing.
    attendance.attendance_record_changes(
        event_date=date,
        changes={people[0].participant_id: ("present", "present"), people[2].participant_id: ("", "")},
        user=second,
    )
    assert Attendance.objects.get(participant=people[0].participant).recorded_by == first
    assert Attendance.objects.count() == 2


def test_the_bulk_action_writes_attendance_rows_too(client, manager, reg_event):
    page = reg_event(capacity=10)
    children = family(first_date(page), parent="Petra Malá", children=["Ema Malá", "Ondřej Malý"])
    date = started(first_date(page))
    url = reverse("wagtail_bulk_action", args=["registrations", "registration", "mark_attended"])
    client.post(f"{url}?id={children.pk}")
    children.refresh_from_db()
    assert children.status == Registration.Status.ATTENDED
    assert sorted(Attendance.objects.filter(event_date=date).values_list("participant__name", "status")) == [
        ("Ema Malá", "present"),
        ("Ondřej Malý", "present"),
    ]
    url = reverse("wagtail_bulk_action", args=["registrations", "registration", "mark_no_show"])
    client.post(f"{url}?id={children.pk}")
    children.refresh_from_db()
    assert children.status == Registration.Status.NO_SHOW
    assert set(Attendance.objects.values_list("status", flat=True)) == {"absent"}


def test_the_attendance_sheet_lists_enrolled_people_children_and_recorded_attendance(client, manager, reg_event):
    page = reg_event(capacity=10, dates=(-1, 6), registration_scope="series")
    date = first_date(page)
    enrolment = enrol(page, name="Alena Stálá", email="stala@example.cz")
    add_children(enrol(page, name="Petra Malá", email="petra@example.cz"), ["Ema Malá"])
    attendance.attendance_record(event_date=date, participant=enrolment.participant, status="present", user=manager)
    attendance.attendance_add_walk_in(event_date=date, name="Host Hostovský", user=manager)

    html = client.get(reverse("registration_attendance", args=[date.pk])).content.decode()
    for name in ("Stálá Alena", "Malá Ema", "Hostovský Host"):
        assert name in html
    assert "Petra" not in html
    assert html.count("Přítomen") == 2 and "bez přihlášky" in html
    assert take_url(date) in html


def test_the_screen_is_reached_from_the_listing_and_the_event_editor(client, manager, reg_event):
    page = reg_event(capacity=10)
    register(first_date(page), email="jana@example.cz")
    date = started(first_date(page))
    listing = client.get(reverse("registration_admin:index"), {"event_date": date.pk}).content.decode()
    assert take_url(date) in listing
    client.force_login(manager.__class__.objects.create_superuser("koordinatorka", "k@example.cz", "pw"))
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert take_url(date) in editor


def test_the_screen_takes_as_many_queries_for_thirty_people_as_for_three(client, manager, reg_event):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count):
        page = reg_event(capacity=40)
        for n in range(count):
            register(first_date(page), email=f"p{count}-{n}@example.cz", name=f"Osoba{n} Testová")
        date = started(first_date(page))
        client.get(take_url(date))  # gives any registration without one its participant
        for person in Registration.objects.filter(event_date=date)[:2]:
            attendance.attendance_record(
                event_date=date, participant=person.participant, status="present", user=manager
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(take_url(date)).status_code == 200
        return len(captured)

    assert queries(3) == queries(30)


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_editors_and_moderators_get_403_on_every_attendance_and_participant_url(client, make_user, reg_event, group):
    page = reg_event(capacity=10)
    jana = register(first_date(page), email="jana@example.cz", name="Jana Nováková")
    date = started(first_date(page))
    client.force_login(make_user(group))
    pk = jana.participant_id
    urls = [
        take_url(date),
        reverse("participant_admin:index"),
        reverse("participant_admin:index") + "?q=jana",
        reverse("participant_admin:inspect", args=[pk]),
        reverse("participant_admin:add"),
        reverse("participant_admin:edit", args=[pk]),
        reverse("participant_admin:delete", args=[pk]),
    ]
    for url in urls:
        for method in (client.get, client.post):
            response = method(url, {f"status-{pk}": "present", "name": "X"} if method == client.post else None)
            assert response.status_code == 403, (url, method)
            assert "Tuto stránku nemůžete otevřít" in response.content.decode(), (url, method)
            assert "Nováková" not in response.content.decode() and "jana@example.cz" not in response.content.decode()
    assert not Attendance.objects.exists()
    assert Participant.objects.get(pk=pk).name == "Jana Nováková"
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("participant_admin:index") not in home


def test_managers_see_participants_with_their_attendance_and_can_search(client, manager, reg_event):
    page = reg_event(capacity=10, dates=(1, 2, 6))
    dates = list(page.dates.order_by("start"))
    jana = register(dates[0], email="jana@example.cz", name="Jana Nováková")
    register(dates[1], email="jana@example.cz", name="Jana Nováková")
    register(dates[1], email="petr@example.cz", name="Petr Dvořák")
    for date in dates[:2]:
        started(date, hours=-24 * (3 if date == dates[0] else 1))
    for date in dates[:2]:
        attendance.attendance_record(event_date=date, participant=jana.participant, status="present", user=manager)
    listing = client.get(reverse("participant_admin:index"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert jana.participant.code in html and "jana@example.cz" in html and "Petr Dvořák" in html
    first, last = (timezone.localtime(EventDate.objects.get(pk=d.pk).start).strftime("%d.%m.%Y") for d in dates[:2])
    assert first in html and last in html
    found = client.get(reverse("participant_admin:index"), {"q": jana.participant.code}).content.decode()
    assert "jana@example.cz" in found and "petr@example.cz" not in found
    found = client.get(reverse("participant_admin:index"), {"q": "petr"}).content.decode()
    assert "petr@example.cz" in found and "jana@example.cz" not in found
    inspect = client.get(reverse("participant_admin:inspect", args=[jana.participant_id]))
    assert inspect.status_code == 200 and jana.participant.code in inspect.content.decode()
    # Read-only: nothing can be added, changed or deleted here.
    assert client.get(reverse("participant_admin:add")).status_code == 403
    assert client.post(reverse("participant_admin:edit", args=[jana.participant_id]), {"name": "X"}).status_code == 403


@pytest.fixture
def postgres_only(transactional_db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; run with DATABASE_URL=postgres://…")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("attempt", range(3))
def test_six_staff_marking_one_session_at_once_lose_nothing(attempt, postgres_only, django_user_model, reg_event):
    """Six phones submit the same session at the same moment, each having seen it blank: every mark
    is kept, and the one person they all marked ends with one of their marks, not a mix or an error."""
    from django.test import Client

    from .test_concurrency import run_concurrently

    page = reg_event(capacity=40)
    people = [register(first_date(page), email=f"p{n}@example.cz", name=f"Osoba{n} Testová") for n in range(25)]
    date = started(first_date(page))
    group = Group.objects.get(name="Registration managers")
    clients = []
    for index in range(6):
        user = django_user_model.objects.create_user(username=f"staff{index}", password="pw")
        user.groups.add(group)
        client = Client()
        client.force_login(user)
        clients.append(client)
    seen = {f"previous-{person.participant_id}": "" for person in people}
    statuses = ["present", "absent", "excused"]

    def work(index):
        # Each marks four people of their own, and everyone marks the first person.
        mine = people[1 + index * 4 : 1 + (index + 1) * 4]
        marks = {f"status-{person.participant_id}": statuses[index % 3] for person in mine}
        marks[f"status-{people[0].participant_id}"] = statuses[index % 3]
        return clients[index].post(take_url(date), {**seen, **marks}).status_code

    assert run_concurrently(6, work) == [302] * 6
    recorded = {row.participant_id: row for row in Attendance.objects.select_related("recorded_by")}
    assert len(recorded) == 25
    for index in range(6):
        for person in people[1 + index * 4 : 1 + (index + 1) * 4]:
            row = recorded[person.participant_id]
            assert (row.status, row.recorded_by.username) == (statuses[index % 3], f"staff{index}")
    shared = recorded[people[0].participant_id]
    assert shared.status == statuses[int(shared.recorded_by.username.removeprefix("staff")) % 3]


KEYS = ["action", "status-1", "previous-1", "status-x", "status-99999999999999999999", "walk-in-name", "walk-in-phone"]
fuzz_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        ["", " ", "present", "absent", "excused", "walk-in", "record", "-1", "x" * 5000, "\x00", "😀" * 50]
    ),
)
fuzz_payloads = st.dictionaries(
    st.one_of(st.sampled_from(KEYS), st.text(max_size=30)),
    st.one_of(fuzz_text, st.lists(fuzz_text, max_size=3)),
    max_size=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=fuzz_payloads, use_the_person=st.booleans())
def test_the_attendance_screen_never_answers_500(client, manager, reg_event, data, use_the_person):
    page = Registration.objects.first().event if Registration.objects.exists() else reg_event(capacity=10)
    if not Registration.objects.exists():
        register(first_date(page), email="jana@example.cz")
    date = started(first_date(page))
    if use_the_person:
        data = {**data, f"status-{Registration.objects.first().participant_id}": data.get("status-1", "present")}
    response = client.post(take_url(date), data)
    assert response.status_code in (302, 400, 404)
