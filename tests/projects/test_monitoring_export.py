"""The monitoring export a Registration manager downloads for a progress report: read back with openpyxl."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from events.models import EventDate
from events.registrations.models import Attendance, Participant
from projects.models import ProjectPage
from projects.services import project_measures_count
from tests.events.factories import EventPageFactory
from tests.projects.measures_fixtures import prague

pytestmark = pytest.mark.django_db

URL = "/admin/reports/monitoring/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def manager(client, django_user_model):
    user = django_user_model.objects.create_user(username="manager", password="pw")
    user.groups.add(Group.objects.get(name="Registration managers"))
    client.force_login(user)
    return user


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_user(username="editor", password="pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


@pytest.fixture
def exported_project(counted_project):
    """The hand-counted project, plus a winter and a summer session at 18:00 Prague time."""
    project, data = counted_project
    people = data["people"]
    people["E"] = Participant.objects.create(name="Eliška Tajná", email="eliska@example.cz", phone="+420777123456")
    evenings = EventPageFactory(parent=data["club"].get_parent(), title="Večerní beseda", project=project)
    winter = EventDate.objects.create(page=evenings, start=prague(2025, 1, 15, 18, 0), end=prague(2025, 1, 15, 20, 0))
    summer = EventDate.objects.create(page=evenings, start=prague(2025, 7, 16, 18, 0), end=prague(2025, 7, 16, 20, 0))
    Attendance.objects.create(event_date=winter, participant=people["A"], status="present")
    Attendance.objects.create(event_date=summer, participant=people["B"], status="present")
    Attendance.objects.create(event_date=summer, participant=people["E"], status="present")
    return project, people


def download(client, project, start="2025-01-01", end="2025-12-31"):
    response = client.get(URL, {"project": project.pk, "date_from": start, "date_to": end})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="monitoring-')
    return load_workbook(io.BytesIO(response.content))


def rows(sheet):
    return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_sessions_sheet_in_czech_with_prague_times_as_real_excel_dates(client, manager, exported_project):
    project, _people = exported_project
    workbook = download(client, project)
    assert workbook.sheetnames == ["Setkání", "Účastníci", "Plnění cílů"]
    sheet = workbook["Setkání"]
    assert [cell.value for cell in sheet[1]] == [
        "Datum",
        "Začátek",
        "Konec",
        "Aktivita",
        "Místo",
        "Přítomno",
        "Omluveno",
        "Nepřítomno",
        "Příchozí bez přihlášky",
        "Délka (hodiny)",
        "Účastnické hodiny",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width >= 30
    found = rows(sheet)
    assert [(row[0], row[3]) for row in found] == [
        (dt.datetime(2025, 1, 15), "Večerní beseda"),
        (dt.datetime(2025, 3, 3), "Klub lídrů"),
        (dt.datetime(2025, 3, 10), "Klub lídrů"),
        (dt.datetime(2025, 3, 17), "Setkání"),
        (dt.datetime(2025, 7, 16), "Večerní beseda"),
    ], "held sessions in the period only: not the cancelled one, not one before the period, not another project's"
    winter, first, second, third, summer = found
    # 18:00 in Prague in winter (UTC+1) and in summer (UTC+2) alike.
    assert (winter[1], winter[2]) == (dt.time(18, 0), dt.time(20, 0))
    assert (summer[1], summer[2]) == (dt.time(18, 0), dt.time(20, 0))
    assert first[4] == "Komunitní centrum"
    assert first[5:] == [2, 1, 1, 0, 2, 4]
    assert second[5:] == [3, 1, 0, 1, 1.5, 4.5]
    assert third[5:] == [2, 0, 1, 0, 2, 4]
    date_cell, start_cell, end_cell = sheet["A2"], sheet["B2"], sheet["C2"]
    assert date_cell.is_date and date_cell.number_format == "d.m.yyyy"
    assert start_cell.is_date and start_cell.number_format == "hh:mm" and end_cell.number_format == "hh:mm"
    assert sheet["F2"].data_type == "n" and sheet["K3"].number_format == "0.00"


def test_participants_sheet_has_pseudonymous_codes_and_no_personal_data(client, manager, exported_project):
    project, people = exported_project
    workbook = download(client, project)
    sheet = workbook["Účastníci"]
    assert [cell.value for cell in sheet[1]] == [
        "Kód účastníka",
        "Počet účastí",
        "Hodiny",
        "První účast",
        "Poslední účast",
    ]
    assert sheet.freeze_panes == "A2"
    by_code = {row[0]: row[1:] for row in rows(sheet)}
    assert by_code == {
        people["A"].code: [4, 7.5, dt.datetime(2025, 1, 15), dt.datetime(2025, 3, 17)],
        people["B"].code: [2, 4, dt.datetime(2025, 3, 3), dt.datetime(2025, 7, 16)],
        people["C"].code: [2, 3.5, dt.datetime(2025, 3, 10), dt.datetime(2025, 3, 17)],
        people["W"].code: [1, 1.5, dt.datetime(2025, 3, 10), dt.datetime(2025, 3, 10)],
        people["E"].code: [1, 2, dt.datetime(2025, 7, 16), dt.datetime(2025, 7, 16)],
    }
    assert people["A"].code.startswith("P-0")
    assert sheet["D2"].number_format == "d.m.yyyy"
    cells = [str(value) for ws in workbook for row in ws.iter_rows(values_only=True) for value in row if value]
    for person in people.values():
        for personal in (person.name, person.email, person.phone):
            assert not personal or not any(personal in cell for cell in cells), personal
    assert not any("@" in cell for cell in cells)


def test_targets_sheet_sets_each_bound_figure_against_its_target(client, manager, exported_project):
    project, _people = exported_project
    sheet = download(client, project)["Plnění cílů"]
    assert [cell.value for cell in sheet[1]] == ["Výsledek", "Počítáno jako", "Cíl", "Dosaženo"]
    table = [row for row in rows(sheet) if row[0] and row[1]]
    assert table[:5] == [
        ["setkání", "Uskutečněná setkání aktivit projektu", 10, 5],
        ["zapojených osob", "Různí účastníci (přítomní alespoň jednou)", 20, 5],
        ["lídrů komunity", "Účastníci přítomní alespoň 2krát", 15, 3],
        ["stálých členů", "Účastníci přítomní alespoň 3krát", 3, 1],
        ["hodin účasti", "Účastnické hodiny (hodiny setkání, kterých se kdo zúčastnil)", 100, 18.5],
    ], "the hand-typed figure is not counted"
    labels = [row[0] for row in rows(sheet)]
    assert "Celkem za období" in labels and "Registrační číslo" in labels


def test_a_narrower_period_counts_only_its_sessions(client, manager, exported_project):
    project, _people = exported_project
    workbook = download(client, project, start="2025-03-10", end="2025-03-10")
    assert [row[0] for row in rows(workbook["Setkání"])] == [dt.datetime(2025, 3, 10)]
    assert len(rows(workbook["Účastníci"])) == 3


def test_a_bad_period_gives_a_czech_message_not_a_file(client, manager, exported_project):
    project, _people = exported_project
    response = client.get(URL, {"project": project.pk, "date_from": "2025-12-31", "date_to": "2025-01-01"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Konec období nemůže být před jeho začátkem." in response.content.decode()
    response = client.get(URL, {"project": project.pk, "date_from": "2025-02-31", "date_to": ""})
    html = response.content.decode()
    assert "Zadejte platné datum." in html and "Toto pole je povinné." in html
    response = client.get(URL, {"project": "999999", "date_from": "2025-01-01", "date_to": "2025-01-02"})
    assert "Vyberte jeden z projektů v seznamu." in response.content.decode()


def test_the_form_opens_with_the_projects_period_from_its_page(client, manager, exported_project):
    project, _people = exported_project
    english = project.get_translations().get()
    html = client.get(URL, {"project": english.pk}).content.decode()
    assert 'value="2025-01-01"' in html and 'value="2025-12-31"' in html
    assert f'<option value="{project.pk}" selected>' in html


def test_only_registration_managers_may_export(client, editor, exported_project):
    project, _people = exported_project
    assert client.get(URL, {"project": project.pk}).status_code == 403
    response = client.get(URL, {"project": project.pk, "date_from": "2025-01-01", "date_to": "2025-12-31"})
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")
    assert "Export pro monitoring smějí stáhnout jen správci registrací" in response.content.decode()
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert URL not in html


def test_the_stored_figures_are_not_needed_for_the_export(client, manager, exported_project):
    """The export counts for the chosen period itself; the nightly figures are for the project's period."""
    project, _people = exported_project
    project_measures_count()
    sheet = download(client, project, start="2025-07-01", end="2025-07-31")["Plnění cílů"]
    assert rows(sheet)[0] == ["setkání", "Uskutečněná setkání aktivit projektu", 10, 1]


FUZZ_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", "2025-01-01", "2025-12-31", "2025-02-30", "31.12.2025", "0", "-1", "9" * 30, "\x00"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(date_from=FUZZ_TEXT, date_to=FUZZ_TEXT, project=st.one_of(FUZZ_TEXT, st.just("real")))
def test_no_input_makes_the_export_answer_500(client, manager, make_project, opzplus, date_from, date_to, project):
    real = ProjectPage.objects.filter(title="Projekt pro fuzz").first() or make_project(
        programmes=[opzplus], title="Projekt pro fuzz", translate=False
    )
    params = {"date_from": date_from, "date_to": date_to, "project": str(real.pk) if project == "real" else project}
    response = client.get(URL, params)
    assert response.status_code == 200
    if response["Content-Type"] == XLSX:
        assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Setkání", "Účastníci", "Plnění cílů"]
    else:
        assert 'class="error-message"' in response.content.decode() or "help-critical" in response.content.decode()


def test_the_demo_projects_export_opens_with_its_meetings(client, manager):
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)
    project = ProjectPage.objects.get(slug="komunitni-centrum-vltavotynska")
    workbook = download(client, project, start=str(project.start_date), end=str(project.end_date))
    sessions = rows(workbook["Setkání"])
    assert len(sessions) == 12 and {row[3] for row in sessions} == {"Komunitní setkání k místním problémům"}
    assert all(row[1] == dt.time(18, 0) and row[2] == dt.time(20, 0) for row in sessions), "Prague time all year"
    participants = rows(workbook["Účastníci"])
    assert participants and all(re.fullmatch(r"P-\d{6}", row[0]) for row in participants)
    assert sum(row[1] for row in participants) == sum(row[5] for row in sessions)
    targets = {row[0]: row[2:] for row in rows(workbook["Plnění cílů"]) if row[0] and row[1]}
    assert targets["setkání k řešení společných témat"] == [10, 12]
    assert targets["lídrů komunity"][0] == 15
