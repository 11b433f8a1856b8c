"""A Czech-speaking member of staff in Chromium at 1366×768 signs in (password and authenticator code),
adds a weekly activity by typing Czech dates, translates it to English with wagtail-localize and
publishes both; residents then find it in both languages, under each language's audience filter.

The walk is timed step by step (the machine's time, not a person's) and written with the clicks
and the typed fields of each step to tests/e2e/artifacts/weekly-activity-timing.json.
"""

import contextlib
import dataclasses
import datetime as dt
import json
import re
import time

import pytest
from django.utils import timezone

from .conftest import ARTIFACTS, DESKTOP

pytestmark = pytest.mark.e2e

USERNAME = "koordinatorka-tyden"
PASSWORD = "Kroužek-2026-heslo"  # noqa: S105 - a test account in the test database
TITLE_CS = "Šachový kroužek pro děti"
SUMMARY_CS = "Šachy pro děti od 8 let, každý čtvrtek v klubovně."
TITLE_EN = "Chess club for children"
SUMMARY_EN = "Chess for children aged 8 and over, every Thursday in the club room."
WEEKS = 7


def first_thursday(today: dt.date) -> dt.date:
    """10 December 2026 while it is ahead, otherwise the first Thursday at least a week away."""
    wanted = dt.date(2026, 12, 10)
    if wanted > today:
        return wanted
    return today + dt.timedelta(days=(3 - today.weekday()) % 7 + 7)


def czech(day: dt.date) -> str:
    return f"{day.day}. {day.month}. {day.year}"


def english(day: dt.date) -> str:
    """The date as the English event page writes it: "Thursday 10 December 2026"."""
    from django.utils import formats, translation

    with translation.override("en"):
        return formats.date_format(day, "l j F Y")


@dataclasses.dataclass
class Step:
    name: str
    seconds: float = 0.0
    clicks: int = 0
    fields_typed: int = 0
    characters_typed: int = 0
    page_loads: int = 0


class Walk:
    """The scripted walk: every click and typed field is counted in the step it belongs to."""

    def __init__(self, tab):
        self.tab = tab
        self.steps: list[Step] = []

    @contextlib.contextmanager
    def step(self, name: str):
        self.steps.append(Step(name))
        started = time.perf_counter()
        try:
            yield self
        finally:
            self.steps[-1].seconds = round(time.perf_counter() - started, 3)

    @property
    def current(self) -> Step:
        return self.steps[-1]

    def click(self, locator, *, navigates: bool = False) -> None:
        self.current.clicks += 1
        if navigates:
            self.current.page_loads += 1
            with self.tab.expect_navigation(wait_until="load"):
                locator.click()
        else:
            locator.click()

    def type(self, locator, text: str) -> None:
        """Click into the field and type, key by key, then leave it with Tab (a date picker closes)."""
        self.current.clicks += 1
        self.current.fields_typed += 1
        self.current.characters_typed += len(text)
        locator.click()
        locator.press_sequentially(text)
        locator.press("Tab")

    def choose(self, select, value: str) -> None:
        """A drop-down list: one click to open it, one to choose."""
        self.current.clicks += 2
        select.select_option(value)

    def tick(self, checkbox) -> None:
        self.current.clicks += 1
        checkbox.check()
        assert checkbox.is_checked()

    def open(self, url: str) -> None:
        """A page opened from a bookmark or the address bar."""
        self.current.page_loads += 1
        self.tab.goto(url, wait_until="load")


@pytest.fixture
def coordinator(demo_site, settings):
    """A member of staff with a password and an authenticator app, as production requires."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.WAGTAIL_2FA_REQUIRED = True
    user, _created = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"email": "koordinatorka-tyden@example.com", "is_staff": True}
    )
    user.is_superuser = True
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)


def authenticator_code(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def test_staff_create_a_weekly_activity_and_translate_it_to_english(page, demo_site, coordinator):
    from events.models import EventPage

    tab = page
    assert tab.viewport_size == DESKTOP
    walk = Walk(tab)
    first = first_thursday(timezone.localdate())
    until = first + dt.timedelta(weeks=WEEKS - 1)
    thursdays = [first + dt.timedelta(weeks=n) for n in range(WEEKS)]

    with walk.step("sign in (password and authenticator code)"):
        walk.open(demo_site.page_url("/admin/login/"))
        walk.type(tab.locator("#id_username"), USERNAME)
        walk.type(tab.locator("#id_password"), PASSWORD)
        walk.click(tab.get_by_role("button", name="Přihlásit se"), navigates=True)
        assert "/admin/2fa/verify/" in tab.url, tab.url
        walk.type(tab.locator("#id_otp_token"), authenticator_code(coordinator))
        walk.click(tab.get_by_role("button", name="Pokračovat"), navigates=True)
        assert tab.url.rstrip("/").endswith("/admin"), tab.url

    with walk.step("events listing, Přidat akci"):
        walk.click(tab.get_by_role("link", name="Akce", exact=True), navigates=True)
        walk.click(tab.get_by_role("link", name="Přidat akci").first, navigates=True)
        assert "/admin/pages/add/events/eventpage/" in tab.url, "Přidat akci should open the form"

    with walk.step("title, summary and audience"):
        walk.type(tab.locator("#id_title"), TITLE_CS)
        walk.type(tab.locator("#id_summary"), SUMMARY_CS)
        walk.tick(tab.get_by_role("checkbox", name="Děti a mládež"))

    with walk.step("weekly schedule with Czech dates"):
        walk.choose(tab.locator("#id_repeat"), "weekly")
        walk.choose(tab.locator("#id_repeat_weekday"), "3")
        walk.type(tab.locator("#id_repeat_from"), czech(first))
        walk.type(tab.locator("#id_repeat_until"), czech(until))
        walk.type(tab.locator("#id_repeat_start_time"), "18:00")
        walk.type(tab.locator("#id_repeat_end_time"), "19:30")
        walk.tick(tab.locator("#id_generate_dates"))
        # What was typed stays as typed: no picker replaced it with another date.
        assert tab.input_value("#id_repeat_from") == czech(first)
        assert tab.input_value("#id_repeat_until") == czech(until)

    with walk.step("publish"):
        walk.click(tab.locator("footer").get_by_role("button", name="Další akce"))
        walk.click(tab.get_by_role("button", name="Publikovat", exact=True), navigates=True)
    czech_page = EventPage.objects.get(title=TITLE_CS)
    assert czech_page.live, tab.locator("body").inner_text()[:2000]

    with walk.step("translate action, English"):
        row = tab.locator("tr", has_text=TITLE_CS)
        walk.click(row.get_by_role("button", name=re.compile("Další možnosti")))
        walk.click(row.get_by_role("link", name="Přeložit tuto stránku"), navigates=True)
        walk.tick(tab.get_by_role("checkbox", name="English"))
        walk.click(tab.get_by_role("button", name="Uložit"), navigates=True)
        assert re.search(r"/admin/pages/\d+/edit/", tab.url), tab.url

    with walk.step("English title and summary"):
        for heading, text in (("Název", TITLE_EN), ("Shrnutí", SUMMARY_EN)):
            segment = tab.locator("li", has=tab.locator("h3", has_text=heading)).first
            walk.click(segment.get_by_role("button", name="Přeložit"))
            walk.type(segment.locator("textarea"), text)
            walk.click(segment.get_by_role("button", name="Uložit"))
            segment.locator("li.complete").first.wait_for()

    with walk.step("publish the translation"):
        walk.click(tab.locator("footer").get_by_role("button", name=re.compile("^Publikovat")), navigates=True)
    english_page = EventPage.objects.get(translation_key=czech_page.translation_key, locale__language_code="en")
    assert english_page.live and english_page.title == TITLE_EN

    with walk.step("check the English page"):
        walk.open(demo_site.page_url(english_page.url))
        assert tab.locator("h1").inner_text().strip() == TITLE_EN

    # Both pages live, with the seven Thursdays at 18:00 (Prague time) the Czech dates said.
    for event in (EventPage.objects.get(pk=czech_page.pk), EventPage.objects.get(pk=english_page.pk)):
        assert event.live
        starts = [timezone.localtime(date.start) for date in event.dates.order_by("start")]
        assert [start.date() for start in starts] == thursdays, (event.locale, starts)
        assert {(start.hour, start.minute) for start in starts} == {(18, 0)}
    assert english_page.url.startswith("/en/"), english_page.url
    shown = tab.content()
    for day in thursdays:
        assert f"{english(day)}, 18:00" in shown, english(day)
    assert SUMMARY_EN in tab.locator("main").inner_text()

    # Each language's audience: the English page is listed under the English filter only.
    assert [audience.slug for audience in english_page.audiences.all()] == ["children"]
    assert [audience.slug for audience in czech_page.audiences.all()] == ["deti"]
    day = first.isoformat()
    listings = {
        ("/en/events/", "children"): True,
        ("/en/events/", "seniors"): False,
        ("/cs/akce/", "deti"): True,
    }
    for (listing, audience), listed in listings.items():
        tab.goto(demo_site.page_url(f"{listing}?audience={audience}&from={day}&to={day}"), wait_until="load")
        title = TITLE_EN if listing.startswith("/en/") else TITLE_CS
        found = tab.locator("main").get_by_role("link", name=title).count() > 0
        assert found is listed, (listing, audience, tab.locator("main").inner_text()[:1500])

    steps = [dataclasses.asdict(step) for step in walk.steps]
    report = {
        "what": "a weekly activity created and translated to English in the admin by the scripted walk",
        "measured": "machine time of the scripted walk (Playwright, no human pauses)",
        "browser": f"Chromium {tab.context.browser.version}",
        "viewport": f"{DESKTOP['width']}x{DESKTOP['height']}",
        "database": _database_vendor(),
        "dates_typed": [czech(first), czech(until), "18:00", "19:30"],
        "total_seconds": round(sum(step["seconds"] for step in steps), 3),
        "totals": {
            key: sum(step[key] for step in steps)
            for key in ("clicks", "fields_typed", "characters_typed", "page_loads")
        },
        "steps": steps,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "weekly-activity-timing.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(report, ensure_ascii=False, indent=2))


def _database_vendor() -> str:
    from django.db import connection

    return connection.vendor
