"""A member of staff reads the publicity report in Chromium at 1366×768, in Czech and in English, with and
without JavaScript: projects with failures first, the failing rule at the top of its page, the evidence at
hand, and no WCAG 2.1 AA violations (axe-core)."""

import pytest

from .conftest import ARTIFACTS, DESKTOP
from .test_accessibility import describe, run_axe

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def checked_demo(demo_site, browser, django_db_blocker):
    """The demo's projects checked: the Czech pages measured in Chromium, the English ones from the HTML only;
    one project lost its short description before the check."""
    from django.core.cache import caches
    from django.utils import timezone

    from projects.models import ProjectPage
    from projects.publicity import run_publicity_check
    from projects.publicity.browser import BrowserSession
    from projects.publicity.rules import obligation_in_force

    with django_db_blocker.unblock():
        projects = list(ProjectPage.objects.live().filter(programmes__isnull=False).distinct().order_by("path"))
        today = timezone.localdate()
        broken = next(
            p
            for p in projects
            if p.locale.language_code == "cs" and all(obligation_in_force(p, g, today) for g in p.programmes.all())
        )
        broken.short_description = ""
        broken.save(clean=False)
        for cache in caches.all():
            cache.clear()
        run_publicity_check(
            pages=[p for p in projects if p.locale.language_code == "cs"], session=BrowserSession(None, browser)
        )
        run_publicity_check(pages=[p for p in projects if p.locale.language_code != "cs"], browser=False)
        return broken


@pytest.fixture
def signed_in(browser, demo_site):
    """A browser tab of a member of staff (a superuser) reading the admin in `language`."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from wagtail.users.models import UserProfile

    contexts = []

    def open_tab(*, language: str, javascript: bool = True):
        user, _created = get_user_model().objects.get_or_create(
            username=f"koordinatorka-{language}", defaults={"email": f"koordinatorka-{language}@example.com"}
        )
        user.is_superuser = True
        user.save()
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
        client = Client()
        client.force_login(user)
        context = browser.new_context(
            viewport=DESKTOP,
            locale=f"{language}-{'CZ' if language == 'cs' else 'GB'}",
            bypass_csp=True,  # axe-core is injected as an inline script
            java_script_enabled=javascript,
        )
        contexts.append(context)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": demo_site.url}])
        tab = context.new_page()
        tab.goto(demo_site.page_url("/admin/reports/publicity/"), wait_until="load")
        return tab

    yield open_tab
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    ("language", "heading", "fails", "not_in_browser", "description"),
    [
        ("cs", "Souhrn podle projektů", "Nesplněno", "Nezkontrolováno v prohlížeči", "Stránka neuvádí stručný popis."),
        ("en", "Summary by project", "Fails", "Not checked in a browser", "The page shows no short description."),
    ],
)
def test_staff_read_the_report_by_project_with_failures_first(
    signed_in, checked_demo, language, heading, fails, not_in_browser, description
):
    tab = signed_in(language=language)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"admin-publicity-report-{language}.png"))
    # The admin scrolls inside its own panel, so a full-page screenshot needs a tall window.
    tab.set_viewport_size({"width": DESKTOP["width"], "height": 3600})
    tab.screenshot(path=str(ARTIFACTS / f"admin-publicity-report-{language}-long.png"))
    tab.set_viewport_size(DESKTOP)
    assert tab.get_by_role("heading", name=heading, level=2).is_visible()
    sections = tab.locator("section[id^=project-]")
    assert sections.count() == 5
    # The only project with a failing rule comes first, whatever its name.
    assert sections.first.get_attribute("id") == f"project-{checked_demo.translation_key}"

    first_page = sections.first.locator("section").first
    first_row = first_page.locator("tr[data-outcome]").first
    assert first_row.get_attribute("data-rule") == "short_description"
    assert fails in first_row.inner_text() and description in first_row.inner_text()
    assert "Chromium" in first_page.locator("p").first.inner_text()  # the Czech pages were measured in the browser
    assert first_page.get_by_role("link", name="1366x768").is_visible()  # a screenshot, one click away
    assert tab.get_by_text(not_in_browser, exact=True).first.is_visible()  # the English pages were not
    violations = run_axe(tab)
    assert not violations, describe(f"publicity report ({language})", violations)


def test_the_filters_work_without_javascript(signed_in, checked_demo):
    tab = signed_in(language="cs", javascript=False)
    tab.get_by_label("Jen nesplněná pravidla a upozornění").check()
    tab.get_by_role("button", name="Zobrazit", exact=True).click()
    tab.wait_for_load_state("load")
    assert "only_failing=on" in tab.url
    outcomes = set(tab.locator("tr[data-outcome]").evaluate_all("rows => rows.map(r => r.dataset.outcome)"))
    assert outcomes == {"fail"}  # the demo's only problem: no passes listed, no house-rule warnings
    tab.get_by_label("Zkontrolováno od").fill("2000-01-01")
    tab.get_by_label("Zkontrolováno do").fill("1999-01-01")
    tab.get_by_role("button", name="Zobrazit", exact=True).click()
    tab.wait_for_load_state("load")
    assert tab.get_by_text("Konec období nemůže být před jeho začátkem.").is_visible()
