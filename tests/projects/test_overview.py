"""The public funding overview for funders and its JSON twin."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.html import strip_tags

from projects.publicity import run_publicity_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(make_project, opzplus):
    return make_project(
        programmes=[opzplus],
        title="Komunitní centrum Vltavotýnska",
        total_cost=Decimal("5000000.00"),
        grant_amount=Decimal("4750000.00"),
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2025, 12, 31),
    )


@pytest.fixture
def unfunded(make_project):
    return make_project(title="Bez podpory", translate=False)


def test_overview_lists_funded_projects_only(client, project_index, funded, unfunded):
    response = client.get(project_index.url + "publicity/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert funded.title in html and unfunded.title not in html
    # The registration number may wrap after its separators (<wbr>), and reads the same.
    assert "CZ.03.02.01/00/22_008/0000016" in strip_tags(html) and "Operační program Zaměstnanost plus" in html
    assert "CZ.<wbr>03.<wbr>02.<wbr>01/<wbr>00/<wbr>22_<wbr>008/<wbr>0000016" in html
    assert "4\u00a0750\u00a0000\u00a0Kč" in html and "dosud nekontrolováno" in html
    run_publicity_check()
    html = client.get(project_index.url + "publicity/").content.decode()
    assert "dosud nekontrolováno" not in html


def test_json_twin_has_the_same_data(client, project_index, funded, unfunded):
    run_publicity_check()
    response = client.get(project_index.url + "publicity.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["language"] == "cs"
    assert [p["title"] for p in data["projects"]] == [funded.title]
    item = data["projects"][0]
    assert item["registration_number"] == "CZ.03.02.01/00/22_008/0000016"
    assert item["programmes"][0]["kind"] == "eu_2021_2027"
    assert item["start_date"] == "2023-01-01" and item["end_date"] == "2025-12-31"
    assert item["status"] == "completed"
    assert item["total_cost"] == "5000000.00" and item["grant_amount"] == "4750000.00" and item["currency"] == "CZK"
    assert item["last_checked_at"] is not None
    assert item["url"].endswith(funded.url)


def test_english_json_uses_english_names(client, project_index, funded):
    english_index = project_index.get_translation(funded.get_translations().first().locale)
    data = client.get(english_index.url + "publicity.json").json()
    assert data["language"] == "en"
    assert data["projects"][0]["programmes"][0]["name"] == "Employment Plus Operational Programme"


def test_unknown_subpath_is_404(client, project_index):
    assert client.get(project_index.url + "publicity/nothing/").status_code == 404


def test_overview_writes_dates_the_way_each_language_does(client, project_index, funded):
    from wagtail.models import Locale

    english = project_index.get_translation(Locale.objects.get(language_code="en"))
    html_en = client.get(english.url + "publicity/").content.decode()
    html_cs = client.get(project_index.url + "publicity/").content.decode()
    assert "1 January 2023 – 31 December 2025" in strip_tags(html_en)
    assert "1. ledna 2023 – 31. prosince 2025" in strip_tags(html_cs)
