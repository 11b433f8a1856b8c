"""Staff cancel a date: labelled date blocks, the number of people e-mailed, a calendar update that
cancels the entry, and "cancelled by staff" apart from "cancelled by the registrant"."""

import importlib
import re

import icalendar
import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from events.models import EventDate, EventPage
from events.registrations.models import Registration, RegistrationEmail
from events.registrations.services import booking

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db

LIST_URL = "registration_admin:index"


@pytest.fixture
def superuser(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="coordinator", password="pw")
    client.force_login(user)
    return user


@pytest.fixture
def booked(reg_event, django_capture_on_commit_callbacks):
    """A date with two confirmed people and one on the waiting list; their e-mails sent."""
    page = reg_event(capacity=2)
    date = first_date(page)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            register(date, email=f"p{number}@example.cz", name=f"Osoba {number}")
    return page


def _calendar(message) -> icalendar.Calendar:
    attachments = [item for item in message.attachments if item[0].endswith(".ics")]
    assert len(attachments) == 1, message.attachments
    content = attachments[0][1]
    return icalendar.Calendar.from_ical(content if isinstance(content, bytes) else content.encode())


def _only_event(calendar):
    events = [component for component in calendar.walk("VEVENT")]
    assert len(events) == 1
    return events[0]


def test_date_blocks_are_headed_by_their_date_and_time(client, superuser, booked):
    date = first_date(booked)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[booked.pk])).content.decode()
    assert date.admin_label in html
    # "čtvrtek 10. prosince 2026, 17:00–18:30": the weekday, the day and month, the times; a date that
    # runs past midnight (the fixture's dates start at the time of day the test runs) names its end day too.
    day = r"\w+ \d{1,2}\. \w+ \d{4}, \d\d:\d\d"
    assert re.fullmatch(rf"{day}(–\d\d:\d\d| – \d{{1,2}}\. \w+ \d{{4}}, \d\d:\d\d)", date.admin_label)
    headings = re.findall(r'id="inline_child_dates-\d+-panel-heading"[^>]*>(.*?)</h2>', html, re.S)
    assert len(headings) == booked.dates.count()
    assert all("data-inline-panel-child-count" not in heading for heading in headings)
    assert {saved.admin_label for saved in booked.dates.all()} == {
        label for label in (saved.admin_label for saved in booked.dates.all()) if any(label in h for h in headings)
    }


def test_the_editor_says_how_many_people_a_cancellation_emails(client, superuser, booked):
    html = client.get(reverse("wagtailadmin_pages:edit", args=[booked.pk])).content.decode()
    notice = re.search(r'class="help-block help-warning date-registrants">(.*?)</p>', html, re.S)
    assert notice, "the date's block says who would be e-mailed"
    assert re.search(r"\b3\b", notice.group(1))


def test_staff_cancel_a_date_from_the_registrations_panel(
    client, superuser, booked, django_capture_on_commit_callbacks
):
    date = first_date(booked)
    confirmation = next(m for m in mail.outbox if m.to == ["p0@example.cz"])
    confirmed_entry = _only_event(_calendar(confirmation))

    edit_html = client.get(reverse("wagtailadmin_pages:edit", args=[booked.pk])).content.decode()
    cancel_url = reverse("registration_date_cancel", args=[date.pk])
    assert cancel_url in edit_html

    listing = client.get(reverse(LIST_URL), {"event_date": date.pk}).content.decode()
    assert cancel_url in listing, "the registrations listing of the date offers it too"

    page = client.get(cancel_url)
    assert page.status_code == 200
    assert re.search(r"\b3\b", page.content.decode())
    date.refresh_from_db()
    assert not date.cancelled, "GET only asks"

    # No reason: the form says so, nothing happens.
    response = client.post(cancel_url, {"reason": ""})
    assert response.status_code == 200
    date.refresh_from_db()
    assert not date.cancelled

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url, {"reason": "Nemoc lektorky"})
    assert response.status_code == 302
    date.refresh_from_db()
    assert date.cancelled and date.cancellation_reason == "Nemoc lektorky"
    live = EventPage.objects.get(pk=booked.pk)
    assert live.get_latest_revision_as_object().dates.get(uid=date.uid).cancelled, "the next publish keeps it"
    statuses = set(Registration.objects.filter(event_date=date).values_list("status", flat=True))
    assert statuses == {Registration.Status.CANCELLED_BY_STAFF}

    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.cz", "p1@example.cz", "p2@example.cz"]
    message = next(m for m in mail.outbox if m.to == ["p0@example.cz"])
    assert "Nemoc lektorky" in message.body
    calendar = _calendar(message)
    assert str(calendar["METHOD"]) == "CANCEL"
    entry = _only_event(calendar)
    assert str(entry["UID"]) == str(confirmed_entry["UID"])
    assert int(entry["SEQUENCE"]) > int(confirmed_entry.get("SEQUENCE", 0))
    assert str(entry["STATUS"]) == "CANCELLED"
    assert "text/calendar" in [item[2] for item in message.attachments][0]
    assert "method=CANCEL" in [item[2] for item in message.attachments][0]


def test_cancelling_a_date_needs_the_registrations_and_the_publish_permission(client, django_user_model, booked):
    date = first_date(booked)
    manager = django_user_model.objects.create_user(username="manager", password="pw")
    manager.groups.add(Group.objects.get(name="Registration managers"))
    client.force_login(manager)
    cancel_url = reverse("registration_date_cancel", args=[date.pk])
    # Wagtail's admin answers a refused permission with a redirect to the dashboard.
    assert client.get(cancel_url).status_code in (302, 403)
    assert client.post(cancel_url, {"reason": "x"}).status_code in (302, 403)
    editor = django_user_model.objects.create_user(username="editor", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.post(cancel_url, {"reason": "x"}).status_code in (302, 403)
    date.refresh_from_db()
    assert not date.cancelled
    assert not Registration.objects.filter(status=Registration.Status.CANCELLED_BY_STAFF).exists()


def test_cancelled_by_staff_and_by_the_registrant_are_different_states(client, superuser, booked):
    by_resident, by_staff, _waiting = Registration.objects.order_by("pk")
    booking.registration_cancel(registration=by_resident)
    booking.registration_cancel(registration=by_staff, by_staff=True)
    by_resident.refresh_from_db()
    by_staff.refresh_from_db()
    assert by_resident.status == Registration.Status.CANCELLED
    assert by_staff.status == Registration.Status.CANCELLED_BY_STAFF
    assert by_resident.get_status_display() != by_staff.get_status_display()

    listing = client.get(reverse(LIST_URL), {"status": "cancelled_by_staff"}).content.decode()
    assert "p1@example.cz" in listing and "p0@example.cz" not in listing
    csv_text = b"".join(client.get(reverse(LIST_URL), {"export": "csv"}).streaming_content).decode("utf-8-sig")
    assert str(by_staff.get_status_display()) in csv_text and str(by_resident.get_status_display()) in csv_text


def test_existing_cancellations_by_the_centre_move_to_cancelled_by_staff(booked):
    date = first_date(booked)
    told, own, _waiting = Registration.objects.order_by("pk")
    Registration.objects.filter(pk__in=[told.pk, own.pk]).update(status="cancelled")
    RegistrationEmail.objects.create(registration=told, kind=RegistrationEmail.Kind.DATE_CANCELLED, event_date=date)
    migration = importlib.import_module("events.registrations.migrations.0003_registration_cancelled_by_staff")
    migration.split_cancellations(apps, None)
    told.refresh_from_db()
    own.refresh_from_db()
    assert (told.status, own.status) == ("cancelled_by_staff", "cancelled")
    migration.join_cancellations(apps, None)
    told.refresh_from_db()
    assert told.status == "cancelled"


def test_a_resident_cancelling_gets_a_calendar_update_too(booked, django_capture_on_commit_callbacks):
    registration = Registration.objects.get(email="p0@example.cz")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking.registration_cancel(registration=registration)
    message = next(m for m in mail.outbox if m.to == ["p0@example.cz"])
    calendar = _calendar(message)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(_only_event(calendar)["UID"]).startswith(str(EventDate.objects.get(pk=registration.event_date_id).uid))
