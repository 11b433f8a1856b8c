"""The publicity checker: every rule has a passing and a failing fixture; the command, the task and the evidence."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from wagtail.models import Locale

from projects.models import FunderKind, PublicityCheck, PublicitySnapshot
from projects.publicity import evaluate_page, run_publicity_check
from tests.projects.conftest import translate_project

pytestmark = pytest.mark.django_db

REG = "CZ.03.02.01/00/22_008/0000016"
FONT = "font-family: Arial, sans-serif; font-style: normal; text-decoration: none; color: #000000;"


@pytest.fixture(autouse=True)
def _obligations_in_force(settings):
    """The factory's projects ended in 2025; here their programmes keep publicity ten years after the end."""
    settings.PUBLICITY_OBLIGATION_YEARS_AFTER_END = dict.fromkeys(FunderKind.values, 10)


@pytest.fixture(autouse=True)
def _english_reasons():
    with translation.override("en"):
        yield


def eu_page(
    *,
    kind="eu_2021_2027",
    emblem='<img class="eu-emblem" src="/static/img/eu-emblem.svg" width="84" height="56" alt="Evropská unie">',
    other_logo="",
    statement="Spolufinancováno Evropskou unií",
    style=FONT,
    eu_words="Evropská unie · Evropský sociální fond",
    number=REG,
    title="Komunitní centrum Vltavotýnska",
    programme="Operační program Zaměstnanost plus",
    before_h1=True,
    body_extra="",
    footer='<img class="eu-emblem" src="/static/img/eu-emblem.svg" width="72" height="48" alt="Evropská unie">'
    "<span>Spolufinancováno Evropskou unií</span>",
):
    disclosure = (
        f'<aside class="funding-disclosure"><div class="disclosure-programme" data-funder-kind="{kind}">'
        f'<div class="disclosure-logos">{emblem}{other_logo}</div>'
        f'<div class="disclosure-text" style="{style}"><p>{eu_words}</p><p class="disclosure-statement">{statement}</p>'
        f"<p>{programme} · {title} · Reg. č. {number}</p></div></div></aside>"
    )
    content = (
        f'<h1>{title}</h1><p id="project-summary">Stručný popis.</p>'
        '<section id="project-aims"><h2>Cíle</h2><ul><li>15 lídrů</li></ul></section>'
        '<section id="project-results"><h2>Výsledky</h2><p>15 lídrů komunity</p></section>'
    )
    main = disclosure + content if before_h1 else content + disclosure
    bar = f'<footer><section class="funders-bar"><ul><li class="funders-eu">{footer}</li></ul></section></footer>'
    return (
        f'<html lang="cs"><body><header><a href="/">Centrum</a></header><main>{main}{body_extra}</main>{bar}'
        "</body></html>"
    )


def results_by_rule(html, *, project, programme, language="cs", is_project_page=True):
    """Every rule for a hand-made page, checked without a browser (the layout rules estimated from the HTML)."""
    results, _measurements = evaluate_page(
        html=html,
        url="http://localhost/cs/projekty/projekt/",
        project=project,
        programmes=[programme],
        language=language,
        is_project_page=is_project_page,
        session=None,
        fetch=None,
    )
    return {r.rule: r for r in results}


@pytest.fixture
def vltava(make_project, opzplus):
    return make_project(programmes=[opzplus], title="Komunitní centrum Vltavotýnska", translate=False)


def test_compliant_eu_page_passes_every_rule(vltava, opzplus):
    results = results_by_rule(eu_page(), project=vltava, programme=opzplus)
    assert set(results) >= {
        "project_name",
        "registration_number",
        "programme_named",
        "short_description",
        "aims",
        "results",
        "eu_emblem_alt",
        "eu_statement_text",
        "eu_emblem_height",
        "eu_statement_font",
    }
    assert all(r.passed for r in results.values()), [r for r in results.values() if not r.passed]


def test_emblem_without_alt_fails(vltava, opzplus):
    html = eu_page(emblem='<img class="eu-emblem" src="/static/img/eu-emblem.svg" width="84" height="56">')
    result = results_by_rule(html, project=vltava, programme=opzplus)["eu_emblem_alt"]
    assert not result.passed and "no alternative text" in result.reason


def test_emblem_alt_not_naming_the_eu_fails(vltava, opzplus):
    html = eu_page(emblem='<img class="eu-emblem" src="/static/img/eu-emblem.svg" width="84" height="56" alt="logo">')
    result = results_by_rule(html, project=vltava, programme=opzplus)["eu_emblem_alt"]
    assert not result.passed and "does not name the European Union" in result.reason


def test_statement_only_inside_an_image_fails(vltava, opzplus):
    html = eu_page(
        emblem='<img class="eu-emblem" src="/static/img/eu-emblem.svg" width="84" height="56" '
        'alt="Evropská unie – Spolufinancováno Evropskou unií">',
        statement="",
    )
    result = results_by_rule(html, project=vltava, programme=opzplus)["eu_statement_text"]
    assert not result.passed and "only inside an image" in result.reason


def test_statement_in_the_wrong_language_fails(vltava, opzplus):
    html = eu_page(statement="Co-funded by the European Union")
    result = results_by_rule(html, project=vltava, programme=opzplus, language="cs")["eu_statement_text"]
    assert not result.passed
    assert results_by_rule(html, project=vltava, programme=opzplus, language="en")["eu_statement_text"].passed


def test_wrong_registration_number_fails(vltava, opzplus):
    vltava.registration_number = "CZ.03.2.60/0.0/0.0/16_052/0009098"
    html = eu_page(number="CZ.03.2.60/0.0/0.0/16_052/0009098")
    result = results_by_rule(html, project=vltava, programme=opzplus)["registration_number"]
    assert not result.passed and "does not match the pattern" in result.reason


def test_missing_registration_number_fails(vltava, opzplus):
    result = results_by_rule(eu_page(number=""), project=vltava, programme=opzplus)["registration_number"]
    assert not result.passed and "No registration number" in result.reason


def test_other_projects_number_fails(vltava, opzplus):
    html = eu_page(number="CZ.03.02.01/00/22_008/0000099")
    result = results_by_rule(html, project=vltava, programme=opzplus)["registration_number"]
    assert not result.passed and "0000099" in result.reason


def test_missing_project_name_and_programme_fail(vltava, opzplus):
    html = eu_page(title="Jiný název", programme="Jiný program")
    results = results_by_rule(html, project=vltava, programme=opzplus)
    assert not results["project_name"].passed and not results["programme_named"].passed


def test_missing_description_aims_and_results_fail(vltava, opzplus):
    html = (
        eu_page()
        .replace('<p id="project-summary">Stručný popis.</p>', "")
        .replace("<li>15 lídrů</li>", "")
        .replace('<section id="project-results"><h2>Výsledky</h2><p>15 lídrů komunity</p></section>', "")
    )
    results = results_by_rule(html, project=vltava, programme=opzplus)
    assert not results["short_description"].passed
    assert not results["aims"].passed
    assert not results["results"].passed


def test_emblem_smaller_than_another_logo_fails(vltava, opzplus):
    html = eu_page(other_logo='<img class="funder-logo" src="/media/opz.png" width="240" height="80" alt="OPZ">')
    result = results_by_rule(html, project=vltava, programme=opzplus)["eu_emblem_height"]
    assert not result.passed and "56" in result.reason and "80" in result.reason
    html = eu_page(other_logo='<img class="funder-logo" src="/media/opz.png" width="168" height="56" alt="OPZ">')
    assert results_by_rule(html, project=vltava, programme=opzplus)["eu_emblem_height"].passed


@pytest.mark.parametrize(
    ("style", "wrap", "rule", "problem"),
    [
        ("font-family: 'Comic Sans MS'; color: #000;", "", "eu_statement_font", "comic sans ms"),
        (FONT.replace("font-style: normal", "font-style: italic"), "", "eu_statement_font", "italics"),
        (FONT, "em", "eu_statement_font", "italics"),
        (FONT.replace("text-decoration: none", "text-decoration: underline"), "", "eu_statement_font", "underlined"),
        (FONT.replace("color: #000000", "color: #ff0000"), "", "eu_statement_colour", "#ff0000"),
        ("", "", "eu_statement_font", "not a permitted one"),
    ],
)
def test_wrong_font_style_or_colour_fails(vltava, opzplus, style, wrap, rule, problem):
    statement = "Spolufinancováno Evropskou unií"
    if wrap:
        statement = f"<{wrap}>{statement}</{wrap}>"
    html = eu_page(style=style, statement=statement)
    result = results_by_rule(html, project=vltava, programme=opzplus)[rule]
    assert not result.passed and problem in result.reason.lower()
    assert result.reason.startswith("Not checked in a browser (HTML only): ")


@pytest.mark.parametrize("font", ["Verdana", "Calibri", "Tahoma", "Ubuntu", "Trebuchet MS", "Garamond"])
def test_permitted_fonts_pass(vltava, opzplus, font):
    html = eu_page(style=f"font-family: '{font}', sans-serif; color: #003399")
    assert results_by_rule(html, project=vltava, programme=opzplus)["eu_statement_font"].passed


def test_2014_2020_needs_union_words_fund_and_top_placement(make_project, opz):
    project = make_project(
        programmes=[opz], title="Naše cesta", registration_number="CZ.03.2.60/0.0/0.0/16_052/0009098", translate=False
    )
    good = eu_page(
        kind="eu_2014_2020",
        title="Naše cesta",
        number="CZ.03.2.60/0.0/0.0/16_052/0009098",
        programme="Operační program Zaměstnanost",
    )
    results = results_by_rule(good, project=project, programme=opz)
    for rule in ("eu_union_words", "eu_fund_name", "eu_emblem_on_landing"):
        assert results[rule].passed, results[rule]

    bad = eu_page(
        kind="eu_2014_2020",
        title="Naše cesta",
        number="CZ.03.2.60/0.0/0.0/16_052/0009098",
        programme="Operační program Zaměstnanost",
        eu_words="",
        statement="",
        before_h1=False,
    )
    results = results_by_rule(bad, project=project, programme=opz)
    assert not results["eu_union_words"].passed
    assert not results["eu_fund_name"].passed and "Evropský sociální fond" in results["eu_fund_name"].reason
    assert not results["eu_emblem_on_landing"].passed


def _eea_page(*, logo_alt="Active Citizens Fund", statement=None, language="cs", title="Asistenční centrum v Janově"):
    if statement is None:
        statement = (
            f"Projekt {title} je podpořen grantem z Islandu, Lichtenštejnska a Norska v rámci Fondů EHP a Norska."
        )
    alt = f' alt="{logo_alt}"' if logo_alt is not None else ""
    return eu_page(
        kind="active_citizens_fund",
        emblem=f'<img class="funder-logo" src="/media/norway.png" width="168" height="56"{alt}>',
        statement=statement,
        eu_words="",
        number="CZ-ACTIVECITIZENS-0045",
        title=title,
        programme="Fondy EHP a Norska 2014–2021 – Active Citizens Fund",
    )


@pytest.fixture
def janov(make_project, acf):
    return make_project(
        programmes=[acf], title="Asistenční centrum v Janově", registration_number="CZ-ACTIVECITIZENS-0045"
    )


def test_eea_page_passes_with_logo_statement_and_both_languages(janov, acf):
    results = results_by_rule(_eea_page(), project=janov, programme=acf)
    for rule in ("eea_logo", "eea_statement_text", "eea_both_languages", "registration_number"):
        assert results[rule].passed, results[rule]


def test_eea_logo_without_alt_or_statement_fails(janov, acf):
    results = results_by_rule(_eea_page(logo_alt=None, statement="Děkujeme."), project=janov, programme=acf)
    assert not results["eea_logo"].passed and "no alternative text" in results["eea_logo"].reason
    assert not results["eea_statement_text"].passed


def test_missing_english_page_for_norway_grants_fails(make_project, acf):
    project = make_project(
        programmes=[acf], title="Jen česky", registration_number="CZ-ACTIVECITIZENS-0046", translate=False
    )
    result = results_by_rule(_eea_page(title="Jen česky"), project=project, programme=acf)["eea_both_languages"]
    assert not result.passed and "English" in result.reason


def test_run_checks_real_pages_and_keeps_history(janov, vltava):
    snapshots = run_publicity_check()
    pages = {(s.page_id, s.locale) for s in snapshots}
    english = janov.get_translation(Locale.objects.get(language_code="en"))
    assert {(janov.pk, "cs"), (english.pk, "en"), (vltava.pk, "cs")} <= pages
    failing = [(s.url, r) for s in snapshots for r in s.results if not r.passed]
    assert failing == []
    run_publicity_check()
    assert PublicitySnapshot.objects.filter(page=janov).count() == 2
    assert PublicityCheck.objects.filter(page=janov, is_current=True).count() == len(
        PublicityCheck.objects.filter(page=janov).order_by("-checked_at")[:1].get().snapshot.checks.all()
    )
    assert PublicityCheck.objects.filter(page=janov, is_current=False).exists()
    snapshot = PublicitySnapshot.objects.filter(page=janov).first()
    assert "Asistenční centrum v Janově" in snapshot.html and snapshot.status_code == 200


def test_event_pages_of_funded_projects_are_checked(make_project, opzplus):
    import datetime as dt

    from django.utils import timezone

    from events.models import EventDate
    from tests.events.factories import EventIndexPageFactory, EventPageFactory

    project = make_project(programmes=[opzplus], translate=False)
    events = EventIndexPageFactory(parent=project.get_parent().get_parent())
    event = EventPageFactory(parent=events, title="Setkání", project=project)
    EventDate.objects.create(
        page=event, start=timezone.now() + dt.timedelta(days=1), end=timezone.now() + dt.timedelta(days=1, hours=1)
    )
    snapshots = {s.page_id: s for s in run_publicity_check()}
    assert event.pk in snapshots
    rules = {r.rule for r in snapshots[event.pk].results}
    assert "eu_emblem_alt" in rules and "aims" not in rules


def test_command_exits_1_with_the_reason_on_a_broken_page(vltava, capsys):
    call_command("check_publicity")  # all good first
    capsys.readouterr()
    vltava.registration_number = "CZ-WRONG-1"
    vltava.save(clean=False)
    with pytest.raises(CommandError) as error:
        call_command("check_publicity", "--format", "json")
    assert error.value.returncode == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["passed"] is False
    failed = [r for page in payload["pages"] for r in page["results"] if not r["passed"]]
    assert {r["rule"] for r in failed} == {"registration_number"}
    assert "CZ-WRONG-1" in failed[0]["reason"]


def test_each_result_is_stored_with_its_reason_in_every_staff_language(vltava):
    """Checked in English (this module's language), the reason is kept in every admin language too (Czech, Ukrainian)."""
    vltava.short_description = ""
    vltava.save(clean=False)
    run_publicity_check()
    check = PublicityCheck.objects.get(page=vltava, rule="short_description")
    prefix = {
        "cs": "Neověřeno v prohlížeči (jen HTML): ",
        "en": "Not checked in a browser (HTML only): ",
        "uk": "Не перевірено в браузері (лише HTML): ",
    }
    assert check.reasons == {
        "cs": prefix["cs"] + "Stránka neuvádí stručný popis.",
        "en": prefix["en"] + "The page shows no short description.",
        "uk": prefix["uk"] + "На сторінці немає короткого опису.",
    }
    assert check.reason == check.reasons["en"]  # the CLI, the JSON and the evidence keep the language of the run
    assert check.reason_in("cs") == check.reasons["cs"] and check.reason_in("en-gb") == check.reasons["en"]
    assert check.source == "Regulation (EU) 2021/1060, Art. 50(1)(a)"
    with translation.override("cs"):
        assert check.translated_source == "Nařízení (EU) 2021/1060, čl. 50 odst. 1 písm. a)"


def test_publishing_a_project_rechecks_it_as_a_task(vltava, django_capture_on_commit_callbacks):
    assert not PublicitySnapshot.objects.filter(page=vltava).exists()
    with django_capture_on_commit_callbacks(execute=True):
        vltava.save_revision().publish()
    assert PublicitySnapshot.objects.filter(page=vltava).exists()


def test_staff_download_a_dated_evidence_record(client, django_user_model, janov):
    run_publicity_check()
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    response = client.get(f"/admin/projects/{janov.pk}/publicity-evidence/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "publicity-evidence-" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "evidence.json" in names
    record = json.loads(archive.read("evidence.json"))
    assert {p["language"] for p in record["pages"]} == {"cs", "en"}
    page = next(p for p in record["pages"] if p["language"] == "cs")
    html = archive.read(page["html_file"]).decode()
    assert html == PublicitySnapshot.objects.filter(page=janov).latest("checked_at").html
    assert page["passed"] is True and page["checked_at"]


def test_evidence_is_for_staff_only(client, janov):
    response = client.get(f"/admin/projects/{janov.pk}/publicity-evidence/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _evidence_rows() -> tuple[int, int]:
    return PublicitySnapshot.objects.count(), PublicityCheck.objects.count()


def test_a_get_never_checks_again_or_stores_anything(client, django_user_model, janov):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    # Never checked: the download leads to the evidence page, which stores nothing either.
    for url in (f"/admin/projects/{janov.pk}/publicity-evidence/?fresh=1", f"/admin/projects/{janov.pk}/publicity/"):
        response = client.get(url)
        assert response.status_code in (200, 302)
    assert _evidence_rows() == (0, 0)
    run_publicity_check()
    stored = _evidence_rows()
    response = client.get(f"/admin/projects/{janov.pk}/publicity-evidence/", {"fresh": "1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert _evidence_rows() == stored


def test_checking_again_is_a_post_for_those_who_may_edit_the_project(client, django_user_model, janov):
    from django.contrib.auth.models import Permission

    assert _evidence_rows() == (0, 0)
    reader = django_user_model.objects.create_user("reader", "reader@example.com", "pw")
    reader.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.force_login(reader)
    # Without the permission to read publicity checks, not even the evidence page opens.
    refused = client.get(f"/admin/projects/{janov.pk}/publicity/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    reader.user_permissions.add(
        Permission.objects.get(content_type__app_label="projects", codename="view_publicitycheck")
    )
    page = client.get(f"/admin/projects/{janov.pk}/publicity/")
    assert page.status_code == 200 and b'method="post"' not in page.content
    refused = client.post(f"/admin/projects/{janov.pk}/publicity/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # the admin's "no permission" answer
    assert _evidence_rows() == (0, 0)

    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    page = client.get(f"/admin/projects/{janov.pk}/publicity/")
    assert b'method="post"' in page.content and b"csrfmiddlewaretoken" in page.content
    response = client.post(f"/admin/projects/{janov.pk}/publicity/")
    assert response.status_code == 302 and response["Location"] == f"/admin/projects/{janov.pk}/publicity/"
    snapshots, checks = _evidence_rows()
    assert snapshots == 2 and checks > 0  # both languages, rendered and stored now
    page = client.get(response["Location"])
    assert "2 stránky byly znovu zkontrolovány" in page.content.decode()  # the admin speaks Czech by default
    assert client.get(f"/admin/projects/{janov.pk}/publicity-evidence/")["Content-Type"] == "application/zip"


def test_admin_report_filters_and_exports(client, django_user_model, vltava):
    vltava.short_description = ""
    vltava.save(clean=False)
    run_publicity_check()
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    response = client.get("/admin/reports/publicity/", {"only_failing": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-rule="short_description"' in html and "Stránka neuvádí stručný popis." in html
    response = client.get("/admin/reports/publicity/", {"export": "csv", "only_failing": "on"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "short_description" in body and "registration_number" not in body
    response = client.get("/admin/reports/publicity/", {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def test_dashboard_panel_lists_current_failures(client, django_user_model, vltava):
    vltava.aims = []
    vltava.save(clean=False)
    run_publicity_check()
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    html = client.get("/admin/").content.decode()
    assert "publicity-panel-heading" in html
    assert vltava.title in html


def test_english_translation_of_a_project(make_project, acf):
    project = make_project(
        programmes=[acf], title="Později přeložený", registration_number="CZ-ACTIVECITIZENS-0047", translate=False
    )
    assert not results_by_rule(_eea_page(title="Později přeložený"), project=project, programme=acf)[
        "eea_both_languages"
    ].passed
    translate_project(project)
    assert results_by_rule(_eea_page(title="Později přeložený"), project=project, programme=acf)[
        "eea_both_languages"
    ].passed
