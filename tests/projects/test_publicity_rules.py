"""The rules per period and mechanism, with their sources: each false pass and false fail found in review is a fixture.

These run the HTML rules (no browser); tests/e2e/test_publicity_browser.py measures the layout in Chromium.
"""

import datetime as dt
import json

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from projects.models import FunderKind, PublicityCheck, RuleSeverity, placeholder_reason
from projects.publicity import evaluate_page, run_publicity_check
from projects.services import project_publication_problems
from tests.projects.factories import FundingProgrammeFactory
from tests.projects.test_publicity import eu_page

pytestmark = pytest.mark.django_db

EMBLEM = '<img class="eu-emblem" src="/static/img/eu-emblem.svg" width="84" height="56" alt="Evropská unie">'
OPZ_NUMBER = "CZ.03.2.60/0.0/0.0/16_052/0009098"


@pytest.fixture(autouse=True)
def _english_reasons():
    with translation.override("en"):
        yield


def rules(html, *, project, programme, language="cs", today=None):
    results, _ = evaluate_page(
        html=html,
        url="http://localhost/x/",
        project=project,
        programmes=[programme],
        language=language,
        is_project_page=True,
        session=None,
        fetch=None,
        today=today or dt.date(2024, 6, 1),
    )
    return {r.rule: r for r in results}


# Placeholder registration numbers ------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "CZ-ACTIVECITIZENS-0000",
        "CZ.07.3.63/0.0/0.0/00_000/0000000",
        "CZ.07.3.63/0.0/0.0/16_046/0000000",
        "CZ.03.02.01/00/22_000/0000016",
        "CZ.03.02.01/00/22_008/1234567",
        "CZ-LOCALDEVELOPMENT-1111",
        "CZ.03.02.01/00/22_008/XXXXXXX",
    ],
)
def test_placeholder_registration_numbers_are_rejected(number):
    assert placeholder_reason(number)


@pytest.mark.parametrize(
    "number", ["CZ-ACTIVECITIZENS-0045", "CZ.03.02.01/00/22_008/0000016", "CZ.03.2.60/0.0/0.0/16_052/0009098"]
)
def test_real_registration_numbers_from_the_seeds_are_accepted(number):
    assert placeholder_reason(number) == ""


def test_a_placeholder_number_fails_the_page_and_publication(make_project, acf):
    """False pass: the demo's CZ-ACTIVECITIZENS-0000 matched the programme's pattern and passed."""
    project = make_project(programmes=[acf], registration_number="CZ-ACTIVECITIZENS-0045", translate=False)
    project.registration_number = "CZ-ACTIVECITIZENS-0000"
    html = eu_page(
        kind="active_citizens_fund",
        emblem='<img src="/media/acf.png" width="168" height="56" alt="Active Citizens Fund">',
        statement="Podpořeno Islandem, Lichtenštejnskem a Norskem z Fondů EHP.",
        number="CZ-ACTIVECITIZENS-0000",
        title=project.title,
        programme=acf.name,
    )
    result = rules(html, project=project, programme=acf)["registration_number"]
    assert not result.passed and "all zeros" in result.reason
    problems = project_publication_problems(
        programmes=[acf],
        registration_number="CZ-ACTIVECITIZENS-0000",
        short_description="x",
        aims=[("aim", "x")],
        expected_results=[("text", "x")],
        achieved_results=None,
    )
    assert "all zeros" in problems["registration_number"]


# EU 2014–2020 ------------------------------------------------------------------------------


@pytest.fixture
def our_way(make_project, opz):
    return make_project(programmes=[opz], title="Naše cesta", registration_number=OPZ_NUMBER, translate=False)


def _page_2014(**kwargs):
    defaults = {
        "kind": "eu_2014_2020",
        "title": "Naše cesta",
        "number": OPZ_NUMBER,
        "programme": "Operační program Zaměstnanost",
        "statement": "",
        "footer": EMBLEM.replace('width="84" height="56"', 'width="72" height="48"') + "<span>Evropská unie</span>",
    }
    defaults.update(kwargs)
    return eu_page(**defaults)


def test_2014_2020_page_needs_no_2021_2027_statement(our_way, opz):
    """False fail: a 2014–20 page was required to say “Spolufinancováno Evropskou unií”."""
    results = rules(_page_2014(), project=our_way, programme=opz)
    assert "eu_statement_text" not in results
    failing = {k: r.reason for k, r in results.items() if not r.passed}
    assert failing == {}


def test_2014_2020_official_lockup_satisfies_the_text_rules(our_way, opz):
    """False fail: the official OPZ logo with the words inside the image failed four rules."""
    lockup = (
        '<img class="funder-logo official-lockup" data-official-lockup src="/media/opz-lockup.png" width="300" '
        'height="56" alt="Evropská unie, Evropský sociální fond, Operační program Zaměstnanost">'
    )
    html = _page_2014(emblem=lockup, eu_words="")
    opz.logo_is_official_lockup = True
    results = rules(html, project=our_way, programme=opz)
    for rule in ("eu_emblem_alt", "eu_union_words", "eu_fund_name", "eu_emblem_height", "eu_statement_font"):
        assert results[rule].passed, results[rule]
    assert "lockup" in results["eu_union_words"].reason
    # Without the editor's declaration the same image is just a logo: the words are missing.
    opz.logo_is_official_lockup = False
    results = rules(html, project=our_way, programme=opz)
    assert not results["eu_emblem_alt"].passed
    assert not results["eu_union_words"].passed
    assert not results["eu_fund_name"].passed


def test_lockup_declaration_is_refused_outside_2014_2020(opzplus):
    opzplus.logo_is_official_lockup = True
    with pytest.raises(Exception) as error:
        opzplus.full_clean()
    assert "logo_is_official_lockup" in error.value.message_dict


def test_each_rule_names_its_source(our_way, opz, vltava_like):
    project, programme = vltava_like
    results_2127 = rules(eu_page(), project=project, programme=programme)
    assert "2021/1060, Art. 47(a), Annex IX 1.2" in results_2127["eu_statement_text"].source
    assert "Annex IX 1.7" in results_2127["eu_emblem_height"].source
    results_1420 = rules(_page_2014(), project=our_way, programme=opz)
    assert "821/2014, Art. 4(3)(a)" in results_1420["eu_emblem_on_landing"].source
    assert "821/2014, Art. 4(4)" in results_1420["eu_union_words"].source
    assert all(r.source for r in [*results_2127.values(), *results_1420.values()])


@pytest.fixture
def vltava_like(make_project, opzplus):
    return make_project(programmes=[opzplus], title="Komunitní centrum Vltavotýnska", translate=False), opzplus


# EEA Grants, Norway Grants, Active Citizens Fund ---------------------------------------------------


def _grants_page(*, kind, alt, statement, title, programme, number):
    return eu_page(
        kind=kind,
        emblem=f'<img class="funder-logo" src="/media/logo.png" width="168" height="56" alt="{alt}">',
        statement=statement,
        eu_words="",
        number=number,
        title=title,
        programme=programme,
    )


@pytest.fixture
def norway(db):
    return FundingProgrammeFactory(
        name="Norway Grants 2014–2021",
        short_name="NG",
        kind=FunderKind.NORWAY_GRANTS,
        fund_name="Norway Grants",
        statement="Supported by Norway through the Norway Grants.",
        registration_number_pattern=r"CZ-[A-Z]+-\d{4}",
        registration_number_example="CZ-LOCALDEVELOPMENT-0031",
    )


def test_norway_grants_statement_passes_without_the_eea_wording(make_project, norway):
    """False fail: a Norway Grants page was required to name Iceland and Liechtenstein."""
    project = make_project(programmes=[norway], title="House Leaders", registration_number="CZ-LOCALDEVELOPMENT-0031")
    html = _grants_page(
        kind="norway_grants",
        alt="Norway Grants",
        statement="Supported by Norway through the Norway Grants.",
        title="House Leaders",
        programme=norway.name,
        number="CZ-LOCALDEVELOPMENT-0031",
    )
    results = rules(html, project=project, programme=norway, language="en")
    assert results["eea_statement_text"].passed, results["eea_statement_text"]
    assert results["eea_logo"].passed
    assert "Annex 3" in results["eea_statement_text"].source


def test_each_mechanism_needs_its_own_logo_and_statement(make_project, norway, acf):
    project = make_project(programmes=[norway], title="House Leaders", registration_number="CZ-LOCALDEVELOPMENT-0031")
    eea_wording = "Supported by Iceland, Liechtenstein and Norway through the EEA Grants."
    html = _grants_page(
        kind="norway_grants",
        alt="Active Citizens Fund",
        statement=eea_wording,
        title="House Leaders",
        programme=norway.name,
        number="CZ-LOCALDEVELOPMENT-0031",
    )
    results = rules(html, project=project, programme=norway, language="en")
    assert not results["eea_statement_text"].passed and "Norway through the Norway Grants" in (
        results["eea_statement_text"].reason
    )
    assert not results["eea_logo"].passed and "another mechanism" in results["eea_logo"].reason
    # The Active Citizens Fund (EEA Grants in the Czech Republic) takes that wording and its own logo.
    janov = make_project(programmes=[acf], title="Janov", registration_number="CZ-ACTIVECITIZENS-0045")
    html = _grants_page(
        kind="active_citizens_fund",
        alt="Active Citizens Fund",
        statement=eea_wording,
        title="Janov",
        programme=acf.name,
        number="CZ-ACTIVECITIZENS-0045",
    )
    results = rules(html, project=janov, programme=acf, language="en")
    assert results["eea_statement_text"].passed and results["eea_logo"].passed


# House rules, obligations in force, the command ------------------------------------------------


def test_house_rule_is_a_warning_not_a_failure(make_project, opzplus, capsys):
    project = make_project(programmes=[opzplus], title="Komunitní centrum", translate=False)
    results = rules(eu_page(title="Komunitní centrum", programme="Jiný program"), project=project, programme=opzplus)
    named = results["programme_named"]
    assert not named.passed and named.severity == RuleSeverity.HOUSE and named.warning and not named.failed
    assert named.source.startswith("House rule")


def test_a_rule_fails_only_while_its_obligation_is_in_force(make_project, opz):
    project = make_project(
        programmes=[opz],
        title="Naše cesta",
        registration_number=OPZ_NUMBER,
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2019, 12, 31),
        translate=False,
    )
    broken = _page_2014(eu_words="", footer="")
    during = rules(broken, project=project, programme=opz, today=dt.date(2019, 6, 1))
    assert during["eu_union_words"].failed
    after = rules(broken, project=project, programme=opz, today=dt.date(2021, 1, 1))
    assert not after["eu_union_words"].passed and not after["eu_union_words"].in_force
    assert not after["eu_union_words"].failed
    opz.obligation_years_after_end = 5  # a sustainability period keeps the obligation
    kept = rules(broken, project=project, programme=opz, today=dt.date(2021, 1, 1))
    assert kept["eu_union_words"].failed


def test_without_a_browser_every_result_says_so_and_json_has_viewport_source_browser(make_project, opzplus, capsys):
    project = make_project(programmes=[opzplus], title="Komunitní centrum Vltavotýnska", translate=False)
    snapshots = run_publicity_check(pages=[project])
    assert snapshots and all(
        r.reason.startswith("Not checked in a browser (HTML only): ") and r.browser is False
        for r in snapshots[0].results
    )
    try:
        call_command("check_publicity", "--format", "json")
    except CommandError as error:  # exit 1 on a failure is tested in test_publicity.py; here the output counts
        assert error.returncode == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["browser"] is None and "switched off" in payload["no_browser_reason"]
    result = payload["pages"][0]["results"][0]
    assert {"viewport", "source", "browser", "severity", "in_force"} <= set(result)
    assert payload["pages"][0]["html_sha256"] and payload["pages"][0]["snapshot_sha256"]


def test_admin_report_says_the_page_was_not_checked_in_a_browser(client, django_user_model, make_project, opzplus):
    project = make_project(programmes=[opzplus], title="Komunitní centrum Vltavotýnska", translate=False)
    run_publicity_check(pages=[project])
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    soup = BeautifulSoup(client.get("/admin/reports/publicity/").content.decode(), "html.parser")
    text = " ".join(soup.get_text().split())
    # In the admin's Czech: on the page's line and on each rule.
    assert "Nezkontrolováno v prohlížeči: rozvržení bylo odhadnuto z HTML." in text
    browser_cells = [row.find_all("td")[-1].get_text(strip=True) for row in soup.select("tr[data-rule]")]
    assert browser_cells == ["Nezkontrolováno v prohlížeči"] * PublicityCheck.objects.count()
    assert "Nařízení (EU) 2021/1060, příloha IX bod 1.2" in text  # each row cites its source
