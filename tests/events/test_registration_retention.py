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
