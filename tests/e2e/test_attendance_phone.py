"""A tutor takes attendance on a phone (375×667, touch): taps present and excused, adds a walk-in,
reloads and finds it all saved. The tap targets are at least 44 px and axe-core finds no violations."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import ARTIFACTS, PHONE
from .test_accessibility import describe, run_axe

pytestmark = pytest.mark.e2e

MIN_TARGET = 44


@pytest.fixture
def session(demo_site):
    """A demo date that has started, with three registrants, and its attendance screen's URL."""
    from django.utils import timezone
    from wagtail.models import Locale

    from events.models import EventDate
    from events.registrations.models import Attendance, Registration

    date = (
        EventDate.objects.filter(
            page__locale=Locale.get_default(), start__lte=timezone.now(), cancelled=False, page__live=True
        )
        .select_related("page")
        .order_by("-start")
        .first()
    )
    assert date is not None, "the demo has a date that has started"
    Attendance.objects.filter(event_date=date).delete()
    Registration.objects.filter(event_date=date).delete()
    people = {}
    for name in ("Alena Testová", "Bohumil Zkušební", "Cyril Pokusný"):
        people[name] = Registration.objects.create(
            event=date.page, event_date=date, name=name, email=f"{name.split()[0].lower()}@example.cz"
        )
    return demo_site.page_url(reverse("registration_attendance_take", args=[date.pk])), date, people


@pytest.fixture
def phone(browser, demo_site):
    """A touch phone's tab, signed in as a Registration manager."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    # Not `django_user_model`: with the live server it would make the test transactional and flush the demo.
    user, _ = get_user_model().objects.get_or_create(
        username="lektorka-telefon", defaults={"first_name": "Lenka", "last_name": "Lektorová"}
    )
    user.groups.add(Group.objects.get(name="Registration managers"))
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=PHONE, locale="cs-CZ", bypass_csp=True, has_touch=True, is_mobile=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": demo_site.url}])
    tab = context.new_page()
    yield tab
    context.close()


def _row(tab, name):
    return tab.locator(".attendance-take__person", has=tab.locator(".attendance-take__name", has_text=name))


def _tap(tab, locator):
    with tab.expect_navigation(wait_until="load"):
        locator.tap()


def test_a_tutor_takes_attendance_on_a_phone(phone, session):
    url, date, people = session
    tab = phone
    response = tab.goto(url, wait_until="load")
    assert response.status == 200
    assert tab.get_by_role("heading", name="Zapsat docházku").first.is_visible()
    assert tab.locator(".attendance-take__name").all_inner_texts() == [
        "Pokusný Cyril",
        "Testová Alena",
        "Zkušební Bohumil",
    ]

    # Every tap target is big enough for a thumb.
    targets = tab.locator(
        ".attendance-take__choice, .attendance-take__walk-in button, .attendance-take__walk-in input:not([type=hidden])"
    )
    assert targets.count() == 3 * 3 + 3
    for index in range(targets.count()):
        box = targets.nth(index).bounding_box()
        label = targets.nth(index).inner_text() or targets.nth(index).get_attribute("name")
        assert box["height"] >= MIN_TARGET, f"{label}: {box['height']} px high"
        if targets.nth(index).evaluate("(element) => element.tagName") == "BUTTON":
            assert box["width"] >= MIN_TARGET, f"{label}: {box['width']} px wide"
    # Nothing wider than the phone.
    assert tab.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    _tap(tab, _row(tab, "Testová Alena").get_by_role("button", name="Přítomen", exact=True))
    _tap(tab, _row(tab, "Zkušební Bohumil").get_by_role("button", name="Omluven", exact=True))
    tab.get_by_label("Jméno a příjmení").fill("Host Hostovský")
    tab.get_by_label("Telefon").fill("777 111 222")
    _tap(tab, tab.get_by_role("button", name="Přidat jako přítomného"))
    assert "Host Hostovský je zapsán(a) jako přítomen(a)." in tab.locator("body").inner_text()

    tab.reload(wait_until="load")
    pressed = {
        name: _row(tab, name).locator('[aria-pressed="true"]').all_inner_texts()
        for name in ("Testová Alena", "Zkušební Bohumil", "Pokusný Cyril", "Hostovský Host")
    }
    assert pressed == {
        "Testová Alena": ["Přítomen"],
        "Zkušební Bohumil": ["Omluven"],
        "Pokusný Cyril": [],
        "Hostovský Host": ["Přítomen"],
    }, pressed
    assert "Bez přihlášky" in _row(tab, "Hostovský Host").inner_text()
    note = _row(tab, "Testová Alena").locator(".attendance-take__note").inner_text()
    assert re.match(r"Zapsal\(a\) Lenka Lektorová \d", note), note
    assert tab.locator(".attendance-take__session-note").inner_text().startswith("Zapsal(a) Lenka Lektorová")

    from events.registrations.models import Attendance

    saved = dict(Attendance.objects.filter(event_date=date).values_list("participant__name", "status"))
    assert saved == {"Alena Testová": "present", "Bohumil Zkušební": "excused", "Host Hostovský": "present"}

    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "attendance-phone.png"), full_page=True)
    violations = run_axe(tab)
    assert not violations, describe(url, violations)

    # The participants listing shows the walk-in with one attendance, and is accessible too.
    listing = demo_site_url(url) + reverse("participant_admin:index") + "?q=Hostovsk"
    assert tab.goto(listing, wait_until="load").status == 200
    walk_in = Attendance.objects.get(event_date=date, participant__name="Host Hostovský").participant
    assert walk_in.code in tab.locator("main").inner_text()
    violations = run_axe(tab)
    assert not violations, describe(listing, violations)


def demo_site_url(url: str) -> str:
    """The live server's address of a full URL (scheme, host and port)."""
    return re.match(r"https?://[^/]+", url).group(0)
