"""A Czech-speaking member of staff in Chromium at 1366×768: adds a weekly activity by typing Czech dates,
meets errors on the field that is wrong, and reads the staff guide (axe-core finds no violations)."""

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import ARTIFACTS
from .test_accessibility import describe, run_axe

pytestmark = pytest.mark.e2e


@pytest.fixture
def staff(page, demo_site):
    """The browser tab, signed in as a member of staff (a superuser, as the centre's coordinator is)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    # Not `django_user_model`: with the live server it would make the test transactional and flush the demo.
    user, _created = get_user_model().objects.get_or_create(
        username="koordinatorka", defaults={"email": "koordinatorka@example.com", "is_staff": True}
    )
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": demo_site.url}])
    return page


def czech(day: dt.date, *, spaced: bool = True) -> str:
    return f"{day.day}. {day.month}. {day.year}" if spaced else f"{day.day}.{day.month}.{day.year}"


def _tick(tab, selector: str) -> None:
    """Tick a checkbox from the keyboard (an open date picker may cover it for the mouse)."""
    if not tab.is_checked(selector):
        tab.focus(selector)
        tab.keyboard.press("Space")
    assert tab.is_checked(selector)


def _publish(tab) -> None:
    with tab.expect_navigation(wait_until="load"):
        tab.locator('button[name="action-publish"]').evaluate("(button) => button.click()")


def test_staff_add_a_weekly_activity_typing_czech_dates(staff, demo_site):
    from events.models import EventPage

    tab = staff
    tab.goto(demo_site.page_url("/admin/events/"), wait_until="load")
    tab.get_by_role("link", name="Přidat akci").first.click()
    tab.wait_for_load_state("load")
    assert "/admin/pages/add/events/eventpage/" in tab.url, "Přidat akci should open the form, not Choose parent"

    today = timezone.localdate()
    first = today + dt.timedelta(days=(3 - today.weekday()) % 7 + 7)  # a Thursday at least a week ahead
    until = first + dt.timedelta(weeks=3)
    tab.fill("#id_title", "Keramika pro děti (test)")
    tab.fill("#id_summary", "Keramická dílna pro děti každý čtvrtek.")
    tab.select_option("#id_repeat", "weekly")
    tab.select_option("#id_repeat_weekday", "3")

    # A date that does not exist: an error on that field, and the typed text stays.
    tab.fill("#id_repeat_from", "32. 12. 2026")
    tab.press("#id_repeat_from", "Tab")
    assert tab.input_value("#id_repeat_from") == "32. 12. 2026", "the date picker replaced the typed text"
    tab.fill("#id_repeat_until", czech(until, spaced=False))
    tab.fill("#id_repeat_start_time", "15:00")
    tab.press("#id_repeat_start_time", "Tab")
    tab.fill("#id_repeat_end_time", "17:00")
    tab.press("#id_repeat_end_time", "Tab")
    _tick(tab, "#id_generate_dates")
    _publish(tab)
    assert not EventPage.objects.filter(title="Keramika pro děti (test)").exists()
    field_error = tab.locator(".w-field:has(#id_repeat_from)").inner_text()
    assert "Zadejte platné datum." in field_error, field_error
    assert tab.input_value("#id_repeat_from") == "32. 12. 2026"
    assert "Stránku nelze vytvořit" in tab.locator("body").inner_text()

    # Corrected the Czech way: saved and published with the dates of the schedule.
    tab.fill("#id_repeat_from", czech(first))
    tab.press("#id_repeat_from", "Tab")
    assert tab.input_value("#id_repeat_from") == czech(first), "the date picker replaced the typed text"
    if not tab.is_checked("#id_generate_dates"):
        _tick(tab, "#id_generate_dates")
    _publish(tab)
    tab.screenshot(path=str(ARTIFACTS / "admin-weekly-activity-published.png"))
    event = EventPage.objects.get(title="Keramika pro děti (test)")
    assert event.live
    assert (event.repeat_from, event.repeat_until) == (first, until)
    starts = [timezone.localtime(d.start) for d in event.dates.order_by("start")]
    assert [s.date() for s in starts] == [first + dt.timedelta(weeks=n) for n in range(4)]
    assert all((s.hour, s.minute) == (15, 0) for s in starts)


def test_the_staff_guide_is_in_the_menu_and_has_no_wcag_violations(staff, demo_site):
    from django.contrib.auth import get_user_model
    from wagtail.users.models import UserProfile

    tab = staff
    profile = UserProfile.get_for_user(get_user_model().objects.get(username="koordinatorka"))
    for language, label in (("cs", "Nápověda pro pracovníky centra"), ("en", "Help for the centre's staff")):
        profile.preferred_language = language
        profile.save()
        tab.goto(demo_site.page_url("/admin/events/"), wait_until="load")
        tab.get_by_role("link", name=label).click()
        tab.wait_for_load_state("load")
        assert tab.url.endswith("/admin/staff-guide/")
        assert tab.locator("h1").inner_text().strip() == label
        assert tab.locator("header").first.inner_text().strip().endswith(label)
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"admin-staff-guide-{language}.png"), full_page=True)
        violations = run_axe(tab)
        assert not violations, describe(f"staff guide ({language})", violations)


def test_the_registration_staff_pages_have_no_wcag_violations_in_either_language(staff, demo_site):
    """The pages staff use for a date: its registrations, cancelling it, its attendance sheet and the personal data."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from wagtail.users.models import UserProfile

    from events.models import EventDate

    date = (
        EventDate.objects.filter(page__locale__language_code="cs", start__gte=timezone.now(), cancelled=False)
        .filter(registrations__isnull=False)
        .order_by("start")
        .first()
    )
    assert date is not None, "the demo has a future date with registrations"
    pages = {
        "registrations of a date": reverse("registration_admin:index") + f"?event_date={date.pk}",
        "cancel a date": reverse("registration_date_cancel", args=[date.pk]),
        "attendance sheet": reverse("registration_attendance", args=[date.pk]),
        "personal data": reverse("registration_personal_data"),
    }
    tab = staff
    profile = UserProfile.get_for_user(get_user_model().objects.get(username="koordinatorka"))
    problems = []
    for language, cancel_heading in (("cs", "Zrušit termín"), ("en", "Cancel the date")):
        profile.preferred_language = language
        profile.save()
        for name, path in pages.items():
            response = tab.goto(demo_site.page_url(path), wait_until="load")
            assert response.status == 200, (name, language, response.status)
            if name == "cancel a date":
                assert cancel_heading in tab.locator("main").inner_text(), (language, tab.locator("main").inner_text())
            violations = run_axe(tab)
            if violations:
                problems.append(describe(f"{name} ({language})", violations))
    assert problems == [], "\n\n".join(problems)
