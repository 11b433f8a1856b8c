"""The demo content: five seed projects in cs and en that pass the publicity check."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from demo import projects
from projects.models import FunderKind, FundingProgramme, ProjectPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_projects(site_homes):
    projects.load(homes=site_homes)
    return site_homes


def test_demo_has_the_seed_projects_in_both_languages(demo_projects):
    assert ProjectPage.objects.filter(locale__language_code="cs", live=True).count() == 5
    assert ProjectPage.objects.filter(locale__language_code="en", live=True).count() == 5
    # OPZ+, OPZ, OP Praha, the Active Citizens Fund and the Norway Grants (EUROTOPIA's funder in the seed)
    assert FundingProgramme.objects.filter(locale__language_code="cs").count() == 5
    eurotopia = ProjectPage.objects.get(slug="skupina-lidru-v-dome")
    assert [p.kind for p in eurotopia.programmes.all()] == [FunderKind.NORWAY_GRANTS]
    assert not ProjectPage.objects.filter(registration_number__endswith="0000").exists()  # no placeholder numbers
    janov = ProjectPage.objects.get(registration_number="CZ-ACTIVECITIZENS-0045", locale__language_code="cs")
    assert janov.promoter == "Oblastní charita Most" and janov.total_cost == 126095 and janov.currency == "EUR"
    assert janov.status == "completed"
    vltava = ProjectPage.objects.get(slug="komunitni-centrum-vltavotynska")
    assert vltava.promoter == "MAS VLTAVA, z.s." and vltava.status == "completed"
    assert str(vltava.start_date) == "2023-01-01" and str(vltava.end_date) == "2025-12-31"
    vsetin = ProjectPage.objects.get(
        registration_number="CZ.03.2.60/0.0/0.0/16_052/0009098", locale__language_code="cs"
    )
    assert vsetin.grant_amount == 3783392.50 and vsetin.investment_priority == "2.1 Aktivní začleňování"


def test_demo_is_idempotent(demo_projects):
    projects.load(homes=demo_projects)
    assert ProjectPage.objects.count() == 10
    assert FundingProgramme.objects.count() == 10


def test_demo_passes_check_publicity(demo_projects, capsys):
    call_command("check_publicity", "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["passed"] is True and payload["checked_pages"] >= 10


def test_broken_demo_page_makes_check_publicity_fail_with_the_reason(demo_projects, capsys):
    page = ProjectPage.objects.get(slug="nase-cesta-v-nasich-rukou")
    page.registration_number = "CZ.03.2.60/0.0/0.0/16_052/000909"  # one digit missing
    page.save(clean=False)
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("check_publicity", "--format", "json")
    assert error.value.returncode == 1
    payload = json.loads(capsys.readouterr().out)
    failures = [(p["url"], r["rule"], r["reason"]) for p in payload["pages"] for r in p["results"] if not r["passed"]]
    assert failures and all(url == "/cs/projekty/nase-cesta-v-nasich-rukou/" for url, _, _ in failures)
    assert {rule for _, rule, _ in failures} == {"registration_number"}
    assert "does not match the pattern" in failures[0][2]


def test_removing_the_english_norway_grants_page_fails(demo_projects, capsys):
    janov = ProjectPage.objects.get(slug="asistencni-centrum-v-janove")
    janov.get_translations().get().unpublish()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("check_publicity", "--format", "json", "--strict")  # both languages is a house rule
    payload = json.loads(capsys.readouterr().out)
    failures = [r for p in payload["pages"] for r in p["results"] if not r["passed"]]
    assert [r["rule"] for r in failures] == ["eea_both_languages"]
    assert "English" in failures[0]["reason"]


@pytest.mark.parametrize("language", ["cs", "en"])
def test_every_demo_project_page_renders(client, demo_projects, language):
    for page in ProjectPage.objects.filter(locale__language_code=language):
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert html.count("<h1") == 1 and 'class="funding-disclosure"' in html


@pytest.fixture(autouse=True)
def _html_rules_only(settings):
    """These tests roll back a transaction Chromium's handlers can not see; tests/e2e checks the demo in the browser."""
    settings.PUBLICITY_BROWSER = False
    # The seed projects ended in 2019–2025; here their publicity is kept 20 years, so a breach counts.
    settings.PUBLICITY_OBLIGATION_YEARS_AFTER_END = dict.fromkeys(FunderKind.values, 20)
