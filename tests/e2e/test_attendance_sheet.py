"""The attendance sheet (prezenční listina) as a tutor prints it: 25 people on one A4 page, nothing but the sheet."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import ARTIFACTS
from .test_accessibility import describe, run_axe

pytestmark = pytest.mark.e2e

SURNAMES = [
    "Nováková", "Svoboda", "Dvořák", "Černá", "Procházka", "Kučerová", "Veselý", "Horáková", "Němec", "Marková",
    "Pokorný", "Pospíšilová", "Hájek", "Jelínková", "Král", "Růžičková", "Beneš", "Fialová", "Sedláček", "Doležalová",
    "Zeman", "Kolářová", "Navrátil", "Čermáková", "Urban",
]  # fmt: skip


def pdf_page_count(pdf: bytes) -> int:
    """Pages in a PDF, from its page objects (Chromium writes them uncompressed)."""
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    if pages:
        return pages
    counts = [int(count) for count in re.findall(rb"/Count\s+(\d+)", pdf)]
    assert counts, "no page tree in the PDF"
    return max(counts)


@pytest.fixture
def sheet_url(demo_site):
    """A funded event's date with 25 registrants (surnames in no order) and the sheet's URL."""
    from wagtail.models import Locale

    from events.models import EventPage
    from events.registrations.models import Registration

    event = EventPage.objects.filter(locale=Locale.get_default(), project__isnull=False).first()
    assert event is not None, "the demo has a funded event"
    date = event.dates.order_by("-start").first()
    Registration.objects.filter(event_date=date).delete()
    for number, surname in enumerate(SURNAMES):
        Registration.objects.create(
            event=event, event_date=date, name=f"Jméno{number:02d} {surname}", email=f"p{number}@example.cz"
        )
    return demo_site.page_url(reverse("registration_attendance", args=[date.pk])), event


@pytest.fixture
def staff_tab(page, demo_site):
    """The browser tab signed in as a Registration manager (the session cookie of a signed-in client)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    # Not `django_user_model`: with the live server it would make the test transactional and flush the demo.
    user, _ = get_user_model().objects.get_or_create(username="tutor-sheet", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Registration managers"))
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": demo_site.url}])
    return page


def test_twenty_five_people_fit_one_a4_page_sorted_by_surname(staff_tab, sheet_url):
    url, event = sheet_url
    staff_tab.goto(url)

    # On screen: the admin links and the print button, and no accessibility violations.
    assert staff_tab.get_by_role("button", name=re.compile("Vytisknout|Print")).is_visible()
    assert staff_tab.get_by_role("link", name=re.compile("registrac|registrations", re.I)).first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    staff_tab.screenshot(path=str(ARTIFACTS / "attendance-sheet-screen.png"), full_page=True)
    (ARTIFACTS / "attendance-sheet.html").write_text(staff_tab.content())
    violations = run_axe(staff_tab)
    assert not violations, describe(url, violations)

    names = staff_tab.locator(".attendance-table tbody tr td:nth-child(2)").all_inner_texts()
    listed = [name for name in names if name.strip()]
    assert len(listed) == 25
    surnames = [name.split()[0] for name in listed]
    assert surnames[:4] == ["Beneš", "Čermáková", "Černá", "Doležalová"], surnames
    assert surnames[-1] == "Zeman"

    # In print: only the sheet, with the signature lines and the funding disclosure, on one A4 page.
    staff_tab.emulate_media(media="print")
    assert not staff_tab.get_by_role("button", name=re.compile("Vytisknout|Print")).is_visible()
    assert not staff_tab.locator(".attendance-nav").is_visible()
    printed = staff_tab.locator("body").inner_text()
    assert "Ctrl+P" not in printed and "Vytiskněte" not in printed
    assert re.search(r"Lektor|Tutor", printed) and re.search(r"Odpovědná osoba|Person in charge", printed)
    assert staff_tab.locator(".attendance-funding .funding-disclosure").is_visible()
    pdf = staff_tab.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "attendance-sheet.pdf").write_bytes(pdf)
    staff_tab.screenshot(path=str(ARTIFACTS / "attendance-sheet-print.png"), full_page=True)
    height = staff_tab.evaluate("() => document.documentElement.scrollHeight")
    print(f"attendance sheet, 25 registrants: {pdf_page_count(pdf)} A4 page(s), printed content {height} px")
    assert pdf_page_count(pdf) == 1
