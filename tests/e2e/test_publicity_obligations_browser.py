"""A Moderator keeps a project's publicity obligations in Chromium and gives the funder's controller a read-only link.

At 1366×768 in the admin: the register of every project, one project's obligations, the upload of a photo of the
A3 poster whose date is read from its EXIF data, after which the poster obligation is fulfilled. Then a controller
link made from the project's publicity page opens without an account, at 375×667 and 1366×768, in Czech and in
English, and stops opening once the Moderator revokes it. axe-core finds no WCAG 2.1 AA violation on any of them.
"""

import datetime
import re

import pytest

from .conftest import ARTIFACTS, DESKTOP, PHONE
from .test_accessibility import describe, run_axe

pytestmark = pytest.mark.e2e

TAKEN = datetime.datetime(2026, 3, 14, 10, 30)


@pytest.fixture(scope="module")
def poster(demo_site, django_db_blocker):
    """A demo project's A3 poster obligation, still without evidence; the project's pages checked (HTML rules),
    so the controller has a check history to read."""
    from projects.models import Obligation, ProjectPage
    from projects.publicity import run_publicity_check

    with django_db_blocker.unblock():
        obligation = (
            Obligation.objects.filter(kind="poster", not_applicable=False, evidence__isnull=True, project__live=True)
            .select_related("project")
            .order_by("project__path")
            .first()
        )
        assert obligation is not None, "the demo content has no project with an A3 poster obligation"
        pages = list(ProjectPage.objects.live().filter(translation_key=obligation.project.translation_key))
        run_publicity_check(pages=pages, browser=False)
        return obligation


@pytest.fixture(scope="module")
def moderator(demo_site, django_db_blocker):
    """A member of the "Moderators" group (and of no other), reading the admin in Czech."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.users.models import UserProfile

    with django_db_blocker.unblock():
        user, _created = get_user_model().objects.get_or_create(
            username="moderatorka", defaults={"email": "moderatorka@example.com", "first_name": "Marta"}
        )
        user.groups.set([Group.objects.get(name="Moderators")])
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "cs"
        profile.save()
        return user


@pytest.fixture
def admin_tab(browser, demo_site, moderator):
    """A browser tab signed in as the Moderator, at 1366×768."""
    from django.test import Client

    client = Client()
    client.force_login(moderator)
    context = browser.new_context(viewport=DESKTOP, locale="cs-CZ", bypass_csp=True)  # axe-core is an inline script
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": demo_site.url}])
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def photo(tmp_path):
    """A JPEG as a phone camera writes it: DateTimeOriginal in its EXIF data."""
    from PIL import Image

    image = Image.new("RGB", (640, 480), (200, 40, 40))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = TAKEN.strftime("%Y:%m:%d %H:%M:%S")  # Exif IFD → DateTimeOriginal
    exif[0x0110] = "Portal test camera"  # Model
    path = tmp_path / "plakat-a3.jpg"
    image.save(path, "JPEG", exif=exif.tobytes())
    with Image.open(path) as saved:  # the file really carries the date
        assert saved.getexif().get_ifd(0x8769)[0x9003] == "2026:03:14 10:30:00"
    return path


def _axe(tab, where: str) -> None:
    violations = run_axe(tab)
    assert not violations, describe(where, violations)


def _goto(tab, url: str, status: int = 200):
    response = tab.goto(url, wait_until="load")
    assert response is not None and response.status == status, f"{url}: {response and response.status}"
    return response


def _no_horizontal_overflow(tab, where: str) -> None:
    widths = tab.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{where}: the page is {widths[0]} px wide in a {widths[1]} px window"


def test_moderator_uploads_a_dated_photo_of_the_poster(admin_tab, demo_site, poster, photo):
    from django.utils import translation
    from django.utils.formats import date_format

    tab = admin_tab
    project = poster.project

    # The register of every project: this project is listed, with a link to its obligations.
    _goto(tab, demo_site.page_url("/admin/reports/obligations/"))
    # One h1, the page's own (Wagtail's header renders it only when given no `heading` of the caller's).
    assert [t.strip() for t in tab.locator("h1").all_inner_texts()] == ["Povinnosti publicity"]
    project_link = tab.locator(f"#project-{project.pk} a")
    assert project_link.inner_text().strip() == project.title
    _axe(tab, "obligation register")

    project_link.click()
    tab.wait_for_load_state("load")
    assert tab.url.endswith(f"/admin/projects/{project.pk}/obligations/")
    assert tab.get_by_role("heading", name=f"Povinnosti publicity {project.title}", level=1).is_visible()
    section = tab.locator(f"section[aria-labelledby='obligation-{poster.pk}']")
    heading = section.locator(f"#obligation-{poster.pk}")
    # The status badge is set in capitals by CSS: read its text, not the rendered one.
    assert "A3 plakát v prostorách" in heading.text_content()
    assert heading.locator(".w-status").text_content().strip() in {"Chybí", "Blíží se termín"}
    assert section.get_by_text("Zatím nebyl nahrán žádný doklad.").is_visible()
    _axe(tab, "a project's obligations (before the upload)")

    section.get_by_role("link", name="Přidat doklad").click()
    tab.wait_for_load_state("load")
    assert tab.url.endswith(f"/admin/obligations/{poster.pk}/evidence/")
    assert tab.get_by_role("heading", name="Přidat doklad", level=1).is_visible()
    assert tab.get_by_label("Druh dokladu").input_value() == "photo"  # a poster's evidence is a photo by default
    _axe(tab, "the evidence upload form")

    # No date entered: it comes from the photo.
    tab.get_by_label("Soubor").set_input_files(str(photo))
    tab.get_by_role("button", name="Uložit doklad").click()
    tab.wait_for_load_state("load")
    assert tab.url.endswith(f"/admin/projects/{project.pk}/obligations/"), tab.url

    with translation.override("cs"):
        shown = date_format(TAKEN.date(), "DATE_FORMAT")
    # Wagtail fades its messages in: axe measures their contrast once they are fully shown.
    tab.wait_for_function("getComputedStyle(document.querySelector('.messages > ul')).opacity === '1'")
    message = tab.locator(".messages").inner_text()
    assert "Doklad byl uložen." in message and shown in message, message
    section = tab.locator(f"section[aria-labelledby='obligation-{poster.pk}']")
    assert section.locator(f"#obligation-{poster.pk} .w-status").text_content().strip() == "Splněno"
    row = section.locator("tbody tr")
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert cells[0].strip() == "14. 3. 2026"  # the EXIF date, not the day of the upload
    assert "plakat-a3" in cells[2] and "SHA-256" in cells[2]
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "admin-project-obligations.png"), full_page=True)
    _axe(tab, "a project's obligations (after the upload)")

    # The register counts it as fulfilled too.
    _goto(tab, demo_site.page_url("/admin/reports/obligations/?status=fulfilled"))
    assert tab.locator(f"#project-{project.pk}").count() == 1
    assert "A3 plakát v prostorách" in tab.locator(f"#project-{project.pk} + table").inner_text()


def test_controller_reads_the_record_until_the_link_is_revoked(admin_tab, browser, demo_site, poster, moderator, photo):
    from django.core.files import File

    from projects.models import ControllerLink
    from projects.obligations import obligation_evidence_add

    tab = admin_tab
    project = poster.project
    if not poster.evidence.exists():  # this test run alone: the photo the test above uploads
        with photo.open("rb") as handle:
            obligation_evidence_add(
                obligation=poster, kind="photo", taken_on=TAKEN.date(), user=moderator, file=File(handle, photo.name)
            )

    _goto(tab, demo_site.page_url(f"/admin/projects/{project.pk}/publicity/"))
    tab.get_by_role("link", name="Vytvořit odkaz pro kontrolora").click()
    tab.wait_for_load_state("load")
    assert tab.url.endswith(f"/admin/projects/{project.pk}/controller-links/new/")
    _axe(tab, "the controller link form")
    tab.get_by_label("Pro koho").fill("Kontrolor poskytovatele")
    tab.get_by_role("button", name="Vytvořit odkaz", exact=True).click()
    tab.wait_for_load_state("load")
    assert tab.get_by_role("heading", name="Odkaz pro kontrolora vytvořen").is_visible()
    address = tab.get_by_label("Adresa").input_value()
    assert re.fullmatch(re.escape(demo_site.url) + r"/kontrola/[^/]+/", address), address
    _axe(tab, "the controller link, shown once")

    # The controller: a browser that has never signed in.
    context = browser.new_context(viewport=PHONE, locale="cs-CZ", bypass_csp=True)
    try:
        reader = context.new_page()
        _goto(reader, address)
        assert reader.evaluate("document.documentElement.lang") == "cs"
        assert reader.get_by_role("heading", name=project.title, level=1).is_visible()
        row = reader.locator("tr[data-kind='poster']")
        assert row.get_attribute("data-status") == "fulfilled"
        assert "A3 plakát v prostorách" in row.inner_text()
        assert "Splněno" in row.inner_text()
        evidence = row.get_by_role("link", name=re.compile(r"plakat-a3.*\.jpg"))
        assert evidence.count() == 1
        assert "14. března 2026" in row.inner_text() or "14. 3. 2026" in row.inner_text(), row.inner_text()
        assert reader.get_by_role("heading", name="Historie kontrol", level=2).is_visible()
        assert reader.locator("article.controller-check").count() >= 1  # the stored checks are listed
        reader.screenshot(path=str(ARTIFACTS / "controller-page-375.png"), full_page=True)
        _no_horizontal_overflow(reader, "controller page at 375 px")
        _axe(reader, "controller page at 375×667")

        reader.set_viewport_size(DESKTOP)
        _goto(reader, address)
        _no_horizontal_overflow(reader, "controller page at 1366 px")
        _axe(reader, "controller page at 1366×768")

        _goto(reader, address + "en/")
        assert reader.evaluate("document.documentElement.lang") == "en"
        assert reader.get_by_role("heading", name="Check history", level=2).is_visible()
        assert "A3 poster at the premises" in reader.locator("tr[data-kind='poster']").inner_text()
        _axe(reader, "controller page in English")

        # The Moderator withdraws the link from the project's publicity page.
        _goto(tab, demo_site.page_url(f"/admin/projects/{project.pk}/publicity/"))
        link_row = tab.locator("tr[data-state='active']", has_text="Kontrolor poskytovatele")
        assert link_row.count() == 1
        link_row.get_by_role("button", name="Zrušit").click()
        tab.wait_for_load_state("load")
        assert tab.locator("tr[data-state='revoked']", has_text="Kontrolor poskytovatele").count() == 1
        assert ControllerLink.objects.get(label="Kontrolor poskytovatele").revoked_at is not None

        reader.set_viewport_size(PHONE)
        _goto(reader, address, status=404)
        assert reader.get_by_role("heading", name="Tento odkaz se neotevře", level=1).is_visible()
        assert reader.get_by_text("Tento odkaz centrum zrušilo.").is_visible()
        assert project.title not in reader.content()
        _no_horizontal_overflow(reader, "refused controller page at 375 px")
        _axe(reader, "refused controller page")
    finally:
        context.close()
