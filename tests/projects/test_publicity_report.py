"""The publicity report staff read: by project, then page, failing rules first, worded in the reader's language,
with each page's evidence beside it, and only for staff with the permission to read it."""

import datetime as dt
import io
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from projects.models import FunderKind, PublicityCheck, PublicityScreenshot, PublicitySnapshot, RuleSeverity
from projects.publicity import run_publicity_check
from projects.publicity.evidence import sha256
from projects.publicity.rules import EEA_WEBSITE

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/publicity/"
# A 1×1 PNG: a stored screenshot.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ffff3f0005fe02fea7d6a4bd0000000049454e44ae426082"
)

STATEMENT_MISSING = {
    "cs": "Text „Spolufinancováno Evropskou unií“ není vedle znaku napsán.",
    "en": "The statement “Co-funded by the european union” is not written beside the emblem.",
}
EMBLEM_LOW = {
    "cs": "Při 360×640 je znak až pod první obrazovkou (horní okraj 812 px).",
    "en": "At 360×640 the emblem is below the first view (its top at 812 px).",
}
PROGRAMME_UNNAMED = {
    "cs": "Program „Operační program Zaměstnanost plus“ na stránce není uveden.",
    "en": "The programme “Operační program Zaměstnanost plus” is not named on the page.",
}
LANGUAGES_MISSING = {"cs": "Projekt nemá živou stránku v angličtině.", "en": "There is no live English page."}
NAME_SHOWN = {"cs": "Název projektu je uveden.", "en": "The project's name is shown."}


@pytest.fixture(autouse=True)
def _obligations_in_force(settings):
    settings.PUBLICITY_OBLIGATION_YEARS_AFTER_END = dict.fromkeys(FunderKind.values, 10)


def store_check(page, project, *, results, browser="", when=None, screenshots=()):
    """One stored check of a page: its snapshot, rule results and screenshots, as `check_page` stores them."""
    when = when or timezone.now()
    language = page.locale.language_code
    html = f"<html><body><h1>{page.title}</h1></body></html>"
    snapshot = PublicitySnapshot.objects.create(
        page=page,
        project=project,
        page_title=page.title,
        locale=language,
        url=page.url,
        html=html,
        html_sha256=sha256(html),
        standalone_html=html,
        standalone_sha256=sha256(html),
        browser=browser,
        checked_at=when,
    )
    for viewport in screenshots:
        shot = PublicityScreenshot(snapshot=snapshot, viewport=viewport, sha256=sha256(PNG), taken_at=when)
        shot.image.save(f"{page.pk}-{language}-{viewport}.png", ContentFile(PNG), save=True)
    PublicityCheck.objects.filter(page=page, locale=language, is_current=True).update(is_current=False)
    for rule, passed, reasons, extra in results:
        PublicityCheck.objects.create(
            snapshot=snapshot,
            page=page,
            project=project,
            page_title=page.title,
            locale=language,
            programme="Operační program Zaměstnanost plus",
            rule=rule,
            passed=passed,
            reason=reasons["cs"],
            reasons=reasons,
            checked_at=when,
            browser=bool(browser),
            **extra,
        )
    return snapshot


LEGAL_EU = {"source": "Regulation (EU) 2021/1060, Art. 47(a), Annex IX 1.2"}
LANDING = {"source": "Regulation (EU) 2021/1060, Annex IX 1.1 (clearly visible, also in the mobile view)"}
HOUSE = {"source": "House rule (no legal source)", "severity": RuleSeverity.HOUSE}


@pytest.fixture
def two_projects(make_project, opzplus, acf):
    """Vltava fails two legal rules (one measured in Chromium), Janov only has a house-rule warning."""
    vltava = make_project(programmes=[opzplus], title="Komunitní centrum Vltavotýnska")
    vltava_en = vltava.get_translation(Locale.objects.get(language_code="en"))
    janov = make_project(
        programmes=[acf], title="Asistenční centrum v Janově", registration_number="CZ-ACTIVECITIZENS-0045"
    )
    checked = timezone.now() - dt.timedelta(hours=2)
    store_check(
        vltava,
        vltava,
        browser="Chromium 131.0",
        when=checked,
        screenshots=["360x640", "1366x768"],
        results=[
            ("project_name", True, NAME_SHOWN, {"source": "Regulation (EU) 2021/1060, Art. 50(1)(a)"}),
            ("programme_named", False, PROGRAMME_UNNAMED, HOUSE),
            ("eu_emblem_on_landing", False, EMBLEM_LOW, {**LANDING, "viewport": "360x640"}),
            ("eu_statement_text", False, STATEMENT_MISSING, LEGAL_EU),
        ],
    )
    store_check(
        vltava_en,
        vltava_en,
        when=checked,
        results=[
            ("project_name", True, NAME_SHOWN, {"source": "Regulation (EU) 2021/1060, Art. 50(1)(a)"}),
            ("eu_statement_text", False, STATEMENT_MISSING, LEGAL_EU),
        ],
    )
    store_check(
        janov,
        janov,
        when=checked - dt.timedelta(hours=1),
        results=[
            ("eea_both_languages", False, LANGUAGES_MISSING, HOUSE),
            ("project_name", True, NAME_SHOWN, {"source": EEA_WEBSITE}),
        ],
    )
    return vltava, vltava_en, janov


def staff(django_user_model, client, *, language=None, name="koordinatorka", superuser=True):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw", is_superuser=superuser)
    if language:
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    client.force_login(user)
    return user


def editor(django_user_model, client, *, may_read=False):
    """An Editor; without `may_read`, at a centre that took reading the report away from its Editors."""
    user = staff(django_user_model, client, name="editorka", superuser=False)
    editors = Group.objects.get(name="Editors")
    user.groups.add(editors)
    editors.permissions.remove(
        Permission.objects.get(content_type__app_label="projects", codename="view_publicitycheck")
    )
    if may_read:
        readers = Group.objects.create(name="Publicity readers")
        readers.permissions.add(
            Permission.objects.get(content_type__app_label="projects", codename="view_publicitycheck")
        )
        user.groups.add(readers)
    return user


def html_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response
    return BeautifulSoup(response.content.decode(), "html.parser")


def project_sections(soup):
    return soup.select("section[id^=project-]")


def page_section(soup, title, language_name):
    for heading in soup.find_all("h3"):
        if heading.get_text(" ", strip=True) == f"{title} ({language_name})":
            return heading.find_parent("section")
    found = [h.get_text(" ", strip=True) for h in soup.find_all("h3")]
    raise AssertionError(f"no page section for {title} ({language_name}) in {found}")


def test_projects_with_failures_come_first_and_failing_rules_lead_each_page(client, django_user_model, two_projects):
    vltava, vltava_en, janov = two_projects
    staff(django_user_model, client)
    soup = html_of(client.get(REPORT))

    # Vltava fails legal rules, so it comes before Janov (only a warning), although "A" comes before "K".
    headings = [section.find("h2").get_text(strip=True) for section in project_sections(soup)]
    assert headings == ["Komunitní centrum Vltavotýnska", "Asistenční centrum v Janově"]

    # The summary at the top: fails, warnings, passes and the time of the last check, per project.
    summary = soup.find(id="publicity-summary-heading").find_parent("section")
    rows = {
        row.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in row.find_all("td")]
        for row in summary.tbody.find_all("tr")
    }
    assert rows["Komunitní centrum Vltavotýnska"][:3] == ["3", "1", "2"]
    assert rows["Asistenční centrum v Janově"][:3] == ["0", "1", "1"]
    last = timezone.localtime(PublicitySnapshot.objects.filter(project=vltava).latest("checked_at").checked_at)
    assert (
        f"{last.day}. " in rows["Komunitní centrum Vltavotýnska"][3]
        and f"{last:%H:%M}"[-2:] in rows["Komunitní centrum Vltavotýnska"][3]
    )
    assert summary.find("caption") is not None and summary.find("th", scope="col") is not None

    # Within the Czech page: the failing legal rules, then the house-rule warning; the pass is folded away below.
    page = page_section(soup, "Komunitní centrum Vltavotýnska", "česky")
    outcomes = [row["data-outcome"] for row in page.select("tr[data-outcome]")]
    assert outcomes == ["fail", "fail", "warning", "pass"]
    assert [row["data-rule"] for row in page.select("tr[data-outcome=fail]")] == [
        "eu_emblem_on_landing",
        "eu_statement_text",
    ]
    assert page.find("details").find("tr", attrs={"data-outcome": "pass"}) is not None
    assert page.find("details").find("tr", attrs={"data-outcome": "fail"}) is None
    # The project page in Czech comes before the English one.
    page_titles = [h.get_text(" ", strip=True) for h in project_sections(soup)[0].find_all("h3")]
    assert page_titles == ["Komunitní centrum Vltavotýnska (česky)", "Komunitní centrum Vltavotýnska EN (anglicky)"]


def test_the_report_speaks_czech_to_czech_staff(client, django_user_model, two_projects):
    staff(django_user_model, client)
    soup = html_of(client.get(REPORT))
    page = page_section(soup, "Komunitní centrum Vltavotýnska", "česky")
    statement = page.find("tr", attrs={"data-rule": "eu_statement_text"})
    cells = [cell.get_text(" ", strip=True) for cell in statement.find_all(["th", "td"])]
    assert cells[1] == "Nesplněno"
    assert cells[2] == STATEMENT_MISSING["cs"]
    assert cells[3] == "Nařízení (EU) 2021/1060, čl. 47 písm. a), příloha IX bod 1.2"
    landing = page.find("tr", attrs={"data-rule": "eu_emblem_on_landing"})
    assert "360x640" in landing.get_text() and "Zkontrolováno v prohlížeči" in landing.get_text()
    warning = page.find("tr", attrs={"data-rule": "programme_named"})
    assert (
        "Upozornění (vlastní pravidlo)" in warning.get_text()
        and "Vlastní pravidlo (bez právního zdroje)" in warning.get_text()
    )
    assert "Zkontrolováno v prohlížeči Chromium 131.0" not in page.get_text()  # the browser is named in the page line
    assert "v prohlížeči (Chromium 131.0)" in " ".join(page.get_text().split())

    # The English page was checked from its HTML only: said plainly on the page and on each rule.
    english = page_section(soup, "Komunitní centrum Vltavotýnska EN", "anglicky")
    text = " ".join(english.get_text().split())
    assert "Nezkontrolováno v prohlížeči: rozvržení bylo odhadnuto z HTML." in text
    assert "Nezkontrolováno v prohlížeči" in english.find("tr", attrs={"data-rule": "eu_statement_text"}).get_text()
    assert "Neznámé" not in soup.get_text()


def test_the_report_speaks_english_to_english_staff(client, django_user_model, two_projects):
    staff(django_user_model, client, language="en")
    soup = html_of(client.get(REPORT))
    page = page_section(soup, "Komunitní centrum Vltavotýnska", "Czech")
    statement = page.find("tr", attrs={"data-rule": "eu_statement_text"})
    cells = [cell.get_text(" ", strip=True) for cell in statement.find_all(["th", "td"])]
    assert cells[1:4] == ["Fails", STATEMENT_MISSING["en"], "Regulation (EU) 2021/1060, Art. 47(a), Annex IX 1.2"]
    assert "Warning (house rule)" in page.find("tr", attrs={"data-rule": "programme_named"}).get_text()
    english = page_section(soup, "Komunitní centrum Vltavotýnska EN", "English")
    assert "Not checked in a browser" in english.find("tr", attrs={"data-rule": "eu_statement_text"}).get_text()
    assert "Summary by project" in soup.get_text()


def test_a_checked_project_reads_in_each_language_from_one_check(client, django_user_model, make_project, opzplus):
    """The checker words each reason in every staff language when it runs, whoever reads the report later."""
    project = make_project(programmes=[opzplus], title="Komunitní centrum Vltavotýnska", translate=False)
    project.short_description = ""
    project.save(clean=False)
    run_publicity_check()
    staff(django_user_model, client)
    czech = page_section(html_of(client.get(REPORT)), project.title, "česky")
    row = czech.find("tr", attrs={"data-rule": "short_description"})
    assert row["data-outcome"] == "fail"
    assert "Stránka neuvádí stručný popis." in row.get_text()
    assert "Nezkontrolováno v prohlížeči" in row.get_text()
    assert "Nařízení (EU) 2021/1060, čl. 50 odst. 1 písm. a)" in row.get_text()

    client.logout()
    staff(django_user_model, client, language="en", name="coordinator")
    english = page_section(html_of(client.get(REPORT)), project.title, "Czech")
    row = english.find("tr", attrs={"data-rule": "short_description"})
    assert "The page shows no short description." in row.get_text()
    assert "Regulation (EU) 2021/1060, Art. 50(1)(a)" in row.get_text()


def test_each_page_offers_its_evidence_to_permitted_staff(client, django_user_model, two_projects):
    vltava, _vltava_en, _janov = two_projects
    editor(django_user_model, client, may_read=True)  # not a superuser: the permission is what lets her in
    soup = html_of(client.get(REPORT))
    page = page_section(soup, "Komunitní centrum Vltavotýnska", "česky")
    snapshot = PublicitySnapshot.objects.get(page=vltava)
    link = page.find("a", href=f"/admin/reports/publicity/pages/{snapshot.pk}/evidence/")
    assert link is not None and "zip" in link.get_text()
    shots = [a["href"] for a in page.select("a[href*='/screenshots/']")]
    assert len(shots) == 2

    response = client.get(link["href"])
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert any(name.endswith("-360x640.png") for name in names)
    assert any(name.endswith("-offline.html") for name in names) and "evidence.json" in names
    shot = client.get(shots[0])
    assert shot.status_code == 200 and shot["Content-Type"] == "image/png"
    assert b"".join(shot.streaming_content) == PNG
    project_zip = soup.find("a", href=f"/admin/projects/{vltava.pk}/publicity-evidence/")
    assert project_zip is not None
    assert client.get(project_zip["href"])["Content-Type"] == "application/zip"


def test_an_editor_without_the_permission_is_refused_everywhere(client, django_user_model, two_projects):
    vltava, _vltava_en, _janov = two_projects
    editor(django_user_model, client)
    snapshot = PublicitySnapshot.objects.get(page=vltava)
    shot = PublicityScreenshot.objects.filter(snapshot=snapshot).first()
    urls = [
        REPORT,
        f"{REPORT}?only_failing=on",
        f"{REPORT}?export=csv",
        f"{REPORT}?export=xlsx",
        f"/admin/reports/publicity/pages/{snapshot.pk}/evidence/",
        f"/admin/reports/publicity/screenshots/{shot.pk}/",
        f"/admin/projects/{vltava.pk}/publicity/",
        f"/admin/projects/{vltava.pk}/publicity-evidence/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url
    checks = PublicitySnapshot.objects.count()
    response = client.post(f"/admin/projects/{vltava.pk}/publicity/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert PublicitySnapshot.objects.count() == checks
    # Neither the menu nor the dashboard points her to it: the dashboard's publicity panel shows her
    # only the obligation register, which Editors keep.
    home = client.get("/admin/").content.decode()
    assert REPORT not in home and "Poslední kontrola" not in home
    assert "/admin/reports/obligations/?status=missing" in home


def test_filters_project_only_failing_and_period(client, django_user_model, two_projects):
    vltava, _vltava_en, janov = two_projects
    staff(django_user_model, client)

    soup = html_of(client.get(REPORT, {"project": str(janov.translation_key)}))
    assert [s.find("h2").get_text(strip=True) for s in project_sections(soup)] == ["Asistenční centrum v Janově"]

    soup = html_of(client.get(REPORT, {"only_failing": "on"}))
    assert not soup.select("tr[data-outcome=pass]") and not soup.find("details")
    assert soup.select("tr[data-outcome=fail]") and soup.select("tr[data-outcome=warning]")

    # An older check: within its period, that check is shown instead of the latest one.
    last_week = timezone.now() - dt.timedelta(days=7)
    store_check(janov, janov, when=last_week, results=[("eea_both_languages", True, NAME_SHOWN, HOUSE)])
    PublicityCheck.objects.filter(page=janov, checked_at=last_week).update(is_current=False)
    PublicityCheck.objects.filter(page=janov).exclude(checked_at=last_week).update(is_current=True)
    day = timezone.localdate(last_week)
    soup = html_of(client.get(REPORT, {"checked_from": day.isoformat(), "checked_to": day.isoformat()}))
    assert [s.find("h2").get_text(strip=True) for s in project_sections(soup)] == ["Asistenční centrum v Janově"]
    assert not soup.select("tr[data-outcome=warning]")
    # Without a period, the latest check again.
    assert html_of(client.get(REPORT, {"project": str(janov.translation_key)})).select("tr[data-outcome=warning]")


def test_bad_filters_get_a_czech_message_not_an_error(client, django_user_model, two_projects):
    staff(django_user_model, client)
    response = client.get(REPORT, {"checked_from": "2026-05-10", "checked_to": "2026-05-01"})
    text = " ".join(html_of(response).get_text().split())
    assert "Konec období nemůže být před jeho začátkem." in text
    assert "Komunitní centrum Vltavotýnska" in text  # the report still shows, unfiltered
    response = client.get(REPORT, {"checked_from": "32. 13. 2026", "project": "no-such-project"})
    text = " ".join(html_of(response).get_text().split())
    assert "Zadejte platné datum." in text and "Vyberte platnou možnost" in text


def test_checking_now_from_the_report_comes_back_to_it(client, django_user_model, make_project, opzplus):
    project = make_project(programmes=[opzplus], title="Komunitní centrum Vltavotýnska")
    run_publicity_check(pages=[project])
    staff(django_user_model, client)
    soup = html_of(client.get(REPORT))
    form = soup.find("form", action=f"/admin/projects/{project.pk}/publicity/")
    assert form is not None and form.find("button").get_text(strip=True) == "Zkontrolovat stránky projektu teď"
    before = PublicitySnapshot.objects.count()
    response = client.post(form["action"], {"next": form.find("input", attrs={"name": "next"})["value"]})
    assert response.status_code == 302 and response["Location"].startswith(REPORT)
    assert PublicitySnapshot.objects.count() == before + 2  # both languages checked again


def test_export_keeps_the_report_order_and_wording(client, django_user_model, two_projects):
    staff(django_user_model, client, language="en")
    response = client.get(REPORT, {"export": "csv", "only_failing": "on"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    lines = body.splitlines()
    assert lines[0].startswith("Project,Page,Language")
    assert "eu_emblem_on_landing" in lines[1] and "Fails" in lines[1]
    assert "project_name" not in body  # only failing rules and warnings
    response = client.get(REPORT, {"export": "xlsx"})
    assert "spreadsheetml" in response["Content-Type"]


def _many_projects(make_project, opzplus, count):
    for number in range(count):
        project = make_project(programmes=[opzplus], title=f"Projekt {number}")
        english = project.get_translation(Locale.objects.get(language_code="en"))
        for page in (project, english):
            store_check(
                page,
                page,
                browser="Chromium 131.0" if number % 2 else "",
                screenshots=["360x640"] if number % 2 else [],
                results=[
                    ("project_name", True, NAME_SHOWN, {"source": "Regulation (EU) 2021/1060, Art. 50(1)(a)"}),
                    ("programme_named", False, PROGRAMME_UNNAMED, HOUSE),
                    ("eu_statement_text", False, STATEMENT_MISSING, LEGAL_EU),
                ],
            )


@pytest.mark.parametrize("reader", ["superuser", "editor with the permission"])
def test_the_report_takes_the_same_queries_for_one_project_or_many(
    client, django_user_model, make_project, opzplus, reader
):
    if reader == "superuser":
        staff(django_user_model, client)
    else:  # her page permissions decide, project by project, whether she may check again
        editor(django_user_model, client, may_read=True)
    _many_projects(make_project, opzplus, 1)
    client.get(REPORT)  # the session and the user's profile are loaded once
    with CaptureQueriesContext(connection) as few:
        assert client.get(REPORT).status_code == 200
    _many_projects(make_project, opzplus, 5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(REPORT)
    assert len(html_of(response).select("section[id^=project-]")) == 6
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 20


def test_the_report_stays_within_a_fixed_number_of_queries(
    client, django_user_model, make_project, opzplus, django_assert_max_num_queries
):
    staff(django_user_model, client)
    _many_projects(make_project, opzplus, 6)
    with django_assert_max_num_queries(20):
        response = client.get(REPORT)
    assert response.status_code == 200 and len(html_of(response).select("tr[data-outcome=fail]")) == 12


def test_reading_the_report_can_be_given_to_a_group(client, django_user_model):
    staff(django_user_model, client)
    permission = Permission.objects.get(content_type__app_label="projects", codename="view_publicitycheck")
    form = html_of(client.get(reverse("wagtailusers_groups:add")))
    assert form.find("input", attrs={"name": "permissions", "value": str(permission.pk)}) is not None


def test_editors_and_moderators_read_the_report_out_of_the_box(client, django_user_model, two_projects):
    """The report holds no personal data: the staff who publish the project pages see what the checker found."""
    for name in ("Editors", "Moderators"):
        user = django_user_model.objects.create_user(username=f"staff-{name}", password="x")
        user.groups.add(Group.objects.get(name=name))
        client.force_login(user)
        soup = html_of(client.get(REPORT))
        assert soup.find("h1") is not None, name
    assert (
        not Group.objects.get(name="Registration managers").permissions.filter(codename="view_publicitycheck").exists()
    )
