"""Registration with the keyboard only, in Chromium, and axe-core on the form, status and cancellation pages."""

import pytest

from .conftest import PHONE
from .test_accessibility import describe, run_axe

pytestmark = pytest.mark.e2e

ACTIVE = "() => ({tag: document.activeElement.tagName.toLowerCase(), type: document.activeElement.type || '', name: document.activeElement.name || '', text: (document.activeElement.textContent || '').trim(), inMain: !!document.activeElement.closest('main')})"


def tab_to(tab, predicate, limit=40):
    for _ in range(limit):
        tab.keyboard.press("Tab")
        active = tab.evaluate(ACTIVE)
        if predicate(active):
            return active
    raise AssertionError("not reachable with Tab")


PARENTS_CAFE = {"cs": "kavarna-pro-rodice", "en": "parents-cafe", "uk": "kaviarnia-dlia-batkiv"}


@pytest.mark.parametrize("language", list(PARENTS_CAFE))
def test_keyboard_only_registration_and_cancellation(page, demo_site, language):
    from events.models import EventPage

    event = EventPage.objects.get(slug=PARENTS_CAFE[language])
    page.set_viewport_size(PHONE)
    page.goto(demo_site.page_url(event.url))
    violations = run_axe(page)
    assert not violations, describe(f"event page {event.url}", violations)

    # From the registration heading on, only the keyboard.
    page.locator("#registration-heading").evaluate("el => { el.tabIndex = -1; el.focus(); }")
    tab_to(page, lambda a: a["type"] == "radio")
    page.keyboard.press("Space")
    tab_to(page, lambda a: a["name"] == "name")
    page.keyboard.type("Jana Klávesnicová")
    tab_to(page, lambda a: a["name"] == "email")
    page.keyboard.type(f"keyboard-{language}@example.cz")
    tab_to(page, lambda a: a["name"] == "consent")
    page.keyboard.press("Space")
    tab_to(page, lambda a: a["tag"] == "button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/registrations/status/**")
    assert page.locator("h1").count() == 1
    violations = run_axe(page)
    assert not violations, describe("status page", violations)

    tab_to(page, lambda a: "/registrations/cancel/" in (page.evaluate("() => document.activeElement.href || ''")))
    page.keyboard.press("Enter")
    page.wait_for_url("**/registrations/cancel/**")
    violations = run_axe(page)
    assert not violations, describe("cancellation page", violations)
    tab_to(page, lambda a: a["tag"] == "button" and a["inMain"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/registrations/status/**")
    assert "status-cancelled" in page.content()
    assert not page.foreign_requests
