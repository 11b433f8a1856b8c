"""Only Registration managers and superusers see or export personal data; Editors cannot."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from events.registrations.models import Registration

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_user(django_user_model):
    def make(group=None, superuser=False):
        user = django_user_model.objects.create_user(
            username=f"user-{group or 'super'}", password="pw", is_superuser=superuser, is_staff=superuser
        )
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def booked(reg_event):
    page = reg_event(capacity=1)
    register(first_date(page), email="private@example.cz", name="Soukromá Osoba")
    register(first_date(page), email="second@example.cz", name="Druhá Osoba")
    return page


LIST_URL = "registration_admin:index"


def test_the_group_exists_with_view_change_export_only():
    group = Group.objects.get(name="Registration managers")
    codenames = set(
        group.permissions.filter(content_type__app_label="registrations").values_list("codename", flat=True)
    )
    assert codenames == {"view_registration", "change_registration", "export_registration"}


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_editors_cannot_see_or_export_registrations(client, make_user, booked, group):
    client.force_login(make_user(group))
    for url in (
        reverse(LIST_URL),
        reverse(LIST_URL) + "?export=csv",
        reverse("registration_attendance", args=[first_date(booked).pk]),
        reverse("registration_personal_data") + "?email=private@example.cz",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"private@example.cz" not in response.content
        assert "Soukrom" not in response.content.decode()


def test_managers_see_filter_and_export(client, make_user, booked):
    client.force_login(make_user("Registration managers"))
    response = client.get(reverse(LIST_URL), {"q": "private"})
    assert response.status_code == 200 and "private@example.cz" in response.content.decode()
    assert "second@example.cz" not in response.content.decode()
    response = client.get(reverse(LIST_URL), {"status": "waitlisted"})
    assert "second@example.cz" in response.content.decode()
    assert "private@example.cz" not in response.content.decode()
    csv = client.get(reverse(LIST_URL), {"export": "csv"})
    assert csv.status_code == 200 and "private@example.cz" in csv.getvalue().decode()
    xlsx = client.get(reverse(LIST_URL), {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_attendance_sheet_lists_confirmed_people_numbered(client, make_user, booked):
    client.force_login(make_user("Registration managers"))
    html = client.get(reverse("registration_attendance", args=[first_date(booked).pk])).content.decode()
    assert "Prezenční listina" in html or "Attendance sheet" in html
    assert "Osoba Soukromá" in html and "Druhá" not in html  # surname first; the waitlisted person is not on it
    assert 'class="signature"' in html


def test_bulk_actions_go_through_the_services(client, make_user, booked):
    client.force_login(make_user(superuser=True))
    waiting = Registration.objects.get(status="waitlisted")
    confirmed = Registration.objects.get(status="confirmed")
    url = (
        reverse("wagtail_bulk_action", args=["registrations", "registration", "cancel_registration"])
        + f"?id={confirmed.pk}"
    )
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert (confirmed.status, waiting.status) == ("cancelled_by_staff", "confirmed")
    # Attendance is recorded once the date has started.
    date = first_date(booked)
    date.__class__.objects.filter(pk=date.pk).update(start=timezone.now() - dt.timedelta(minutes=5))
    url = reverse("wagtail_bulk_action", args=["registrations", "registration", "mark_attended"]) + f"?id={waiting.pk}"
    client.post(url)
    waiting.refresh_from_db()
    assert waiting.status == "attended"


def test_event_edit_view_shows_the_per_date_panel(client, make_user, booked):
    client.force_login(make_user(superuser=True))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[booked.pk])).content.decode()
    assert "1 / 1" in html  # confirmed seats / capacity
    assert reverse("registration_attendance", args=[first_date(booked).pk]) in html
    assert f"{reverse(LIST_URL)}?event_date={first_date(booked).pk}" in html


def test_nobody_adds_registrations_in_the_admin_past_the_capacity_check(client, make_user, booked):
    client.force_login(make_user(superuser=True))
    add_url = reverse("registration_admin:add")
    assert client.get(add_url).status_code in (302, 403)
    response = client.post(add_url, {"name": "Obejití", "email": "bypass@example.cz", "phone": "", "note": ""})
    assert response.status_code in (302, 403)
    assert not Registration.objects.filter(email="bypass@example.cz").exists()
    assert client.get(reverse(LIST_URL)).status_code == 200


def test_csv_export_neutralises_formulas_and_shows_the_status_label(client, make_user, reg_event):
    page = reg_event(capacity=5)
    register(first_date(page), email="formula@example.cz", name='=HYPERLINK("http://evil.example","klik")')
    client.force_login(make_user("Registration managers"))
    text = client.get(reverse(LIST_URL), {"export": "csv"}).getvalue().decode()
    assert "'=HYPERLINK(" in text
    assert ",=HYPERLINK(" not in text and '"=HYPERLINK(' not in text
    assert "Potvrzeno" in text or "Confirmed" in text
