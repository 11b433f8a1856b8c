"""The attendance sheet a tutor uses, and attendance only for dates that have started."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from events.models import EventDate
from events.registrations import errors
from events.registrations.models import Registration
from events.registrations.services import staff

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, django_user_model):
    user = django_user_model.objects.create_user(username="manager", password="pw")
    user.groups.add(Group.objects.get(name="Registration managers"))
    client.force_login(user)
    return user


def _start(date, *, hours):
    start = timezone.now() + dt.timedelta(hours=hours)
    EventDate.objects.filter(pk=date.pk).update(start=start, end=start + dt.timedelta(hours=2))


def test_sheet_sorts_by_surname_and_has_signature_lines_without_print_instructions(client, manager, reg_event):
    page = reg_event(capacity=10)
    date = first_date(page)
    for number, name in enumerate(["Adam Zelený", "Zdeňka Adamová", "Bohumil Čech", "Cyril Chalupa", "Eva Horák"]):
        register(date, email=f"p{number}@example.cz", name=name)
    html = client.get(reverse("registration_attendance", args=[date.pk])).content.decode()
    order = [html.index(surname) for surname in ("Adamová", "Čech", "Horák", "Chalupa", "Zelený")]
    assert order == sorted(order), "sorted by surname in Czech order (Č after C, Ch after H)"
    assert "Vytiskněte" not in html and "Ctrl+P" not in html
    for role in ("Lektor", "Odpovědná osoba"):
        assert role in html
    assert "data-print" in html and "no-print" in html
    assert f"{reverse('registration_admin:index')}?event_date={date.pk}" in html


def test_attendance_cannot_be_marked_before_the_date_starts(reg_event):
    page = reg_event(capacity=5)
    date = first_date(page)
    registration = register(date, email="a@example.cz")
    with pytest.raises(errors.InvalidTransition):
        staff.registration_mark_attended(registration=registration)
    with pytest.raises(errors.InvalidTransition):
        staff.registration_mark_no_show(registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED

    _start(date, hours=-0.5)
    assert staff.registration_mark_attended(registration=registration).status == "attended"


def test_the_bulk_action_says_why_a_future_date_is_not_marked(client, manager, reg_event):
    page = reg_event(capacity=5)
    registration = register(first_date(page), email="a@example.cz")
    url = reverse("wagtail_bulk_action", args=["registrations", "registration", "mark_attended"])
    # As the listing's footer sends it: back to the listing afterwards.
    listing = reverse("registration_admin:index")
    response = client.post(f"{url}?id={registration.pk}&next={listing}", follow=True)
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert "začne" in response.content.decode() or "started" in response.content.decode()
