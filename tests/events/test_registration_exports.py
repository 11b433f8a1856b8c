"""Registration exports open correctly in Czech Excel: Prague times, `;` and a BOM, buttons in sight."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from events.registrations.models import Registration

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db

LIST_URL = "registration_admin:index"
PRAGUE = ZoneInfo("Europe/Prague")
# A winter time: Prague is UTC+1, so a UTC export is one hour off.
REGISTERED_AT = dt.datetime(2026, 11, 30, 7, 8, 18, 999557, tzinfo=dt.UTC)


@pytest.fixture
def manager(client, django_user_model):
    user = django_user_model.objects.create_user(username="manager", password="pw")
    user.groups.add(Group.objects.get(name="Registration managers"))
    client.force_login(user)
    return user


@pytest.fixture
def exported(reg_event):
    page = reg_event(capacity=5)
    registration = register(first_date(page), email="zofie@example.cz", name="Žofie Šťastná")
    Registration.objects.filter(pk=registration.pk).update(created_at=REGISTERED_AT, consent_at=REGISTERED_AT)
    return registration


def test_csv_splits_on_semicolons_keeps_diacritics_and_shows_prague_time(client, manager, exported):
    response = client.get(reverse(LIST_URL), {"export": "csv"})
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode()), "Excel reads UTF-8 only after a byte order mark"
    assert "charset=utf-8" in response["Content-Type"]
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], rows[1]
    assert len(header) == len(row) > 5
    values = dict(zip(header, row, strict=True))
    assert "Žofie Šťastná" in row
    registered = next(value for key, value in values.items() if key.lower().startswith(("registrov", "registered")))
    # 07:08 UTC is 08:08 in Prague in November; no seconds, microseconds or offset.
    assert registered == "30.11.2026 08:08"
    assert "+00:00" not in raw.decode("utf-8-sig")


def test_xlsx_times_are_prague_time(client, manager, exported):
    response = client.get(reverse(LIST_URL), {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    row = [cell.value for cell in sheet[2]]
    values = dict(zip(header, row, strict=True))
    registered = next(value for key, value in values.items() if key.lower().startswith(("registrov", "registered")))
    assert isinstance(registered, dt.datetime)
    assert registered.replace(microsecond=0) == REGISTERED_AT.astimezone(PRAGUE).replace(tzinfo=None, microsecond=0)
    assert registered.hour == 8


def test_export_buttons_are_in_the_header_not_behind_the_more_menu(client, manager, exported):
    html = client.get(reverse(LIST_URL)).content.decode()
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert "export=xlsx" in header and "export=csv" in header
    dropdown_start = header.find("w-dropdown")
    if dropdown_start != -1:
        assert "export=csv" not in header[dropdown_start:]
        assert "export=xlsx" not in header[dropdown_start:]


def test_staff_without_the_export_permission_see_no_export_buttons(client, django_user_model, exported):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username="viewer", password="pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_registration")
    )
    client.force_login(user)
    html = client.get(reverse(LIST_URL)).content.decode()
    assert "export=csv" not in html and "export=xlsx" not in html


def test_exports_name_a_familys_children_and_the_staff_member_who_took_the_sign_up(client, manager, reg_event):
    page = reg_event(capacity=10)
    family = register(
        first_date(page), email="rodic@example.cz", name="Petra Dvořáková", attendees=["Anna Dvořáková", "Jan Dvořák"]
    )
    by_phone = register(first_date(page), email="", name="Marie Králová", phone="777 123 456", entered_by=manager)
    response = client.get(reverse(LIST_URL), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    rows = {
        row[header.index("Jméno")]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
    }
    assert rows[family.name]["Jmenovaní účastníci"] == "Anna Dvořáková, Jan Dvořák"
    assert rows[family.name]["Počet míst"] == 2
    assert rows[by_phone.name]["Zadal(a)"] == "manager"
    assert not rows[family.name]["Zadal(a)"]
    assert "Odchází od" in header
