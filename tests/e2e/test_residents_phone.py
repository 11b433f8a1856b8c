"""A resident on a 375×667 phone and a funder on a 1366×768 desktop, measured in Chromium.

- the event page shows a Register link and the next free date in the first screen;
- after applying filters, the result count and the first result are in the first screen;
- the funding overview keeps every amount on one line at 1366 px, fits its column,
  and shows one card per project on a phone.
"""

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    return box


def _most_dated_event_url(language: str) -> str:
    """The live event with the most upcoming dates that residents book one date at a time (a weekly
    activity) in the demo content; the demo's courses take enrolments for a term that is under way."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from events.models import EventPage

    page = (
        EventPage.objects.live()
        .filter(locale__language_code=language, registration_enabled=True, registration_scope="date")
        .annotate(upcoming=Count("dates", filter=Q(dates__end__gte=timezone.now(), dates__cancelled=False)))
        .order_by("-upcoming", "path")
        .first()
    )
    assert page is not None and page.upcoming > 3, "the demo has no bookable weekly activity"
    return page.url


@pytest.mark.parametrize(("language", "label"), [("cs", "Registrovat"), ("en", "Register")])
def test_phone_event_page_has_register_link_and_next_date_in_first_screen(page, demo_site, language, label):
    page.set_viewport_size(PHONE)
    page.goto(demo_site.page_url(_most_dated_event_url(language)), wait_until="load")

    register = page.locator(".register-shortcut a.button")
    assert register.inner_text().strip() == label
    box = _box(register)
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], f"Register link at y={box['y']}"
    next_date = page.locator(".register-shortcut-date a")
    date_box = _box(next_date)
    assert date_box["y"] + date_box["height"] <= PHONE["height"], f"next free date at y={date_box['y']}"
    print(f"{language}: Register link at y={box['y']:.0f}, next date at y={date_box['y']:.0f} (viewport 667)")

    # The full list of dates is kept, folded (no JavaScript needed: <details>).
    dates = page.locator("details.all-dates")
    assert dates.evaluate("(d) => d.open") is False
    assert dates.locator("li.event-item").count() > 3

    # The link leads to the form, and the date link to that date's choice in it.
    register.click()
    page.wait_for_function("() => location.hash === '#registration'")
    form_top = _box(page.locator("#registration"))["y"]
    assert -1 <= form_top < PHONE["height"] / 2, f"the form starts at y={form_top} after following the link"
    page.goto(demo_site.page_url(_most_dated_event_url(language)), wait_until="load")
    target = page.locator(".register-shortcut-date a").get_attribute("href")
    page.locator(".register-shortcut-date a").click()
    choice = _box(page.locator(target))
    assert -1 <= choice["y"] < PHONE["height"], f"the chosen date's radio at y={choice['y']}"


def test_phone_filtered_listing_shows_results_in_first_screen(page, demo_site):
    from events.models import EventIndexPage

    index = EventIndexPage.objects.live().get(locale__language_code="cs")
    page.set_viewport_size(PHONE)
    page.goto(demo_site.page_url(index.url), wait_until="load")

    # A resident looks for a children's activity in the next 30 days.
    page.select_option("#ef-audience", label="Děti a mládež")
    page.select_option("#ef-period", value="next30")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Ukázat akce").click()

    count = _box(page.locator("#event-results-heading"))
    first_result = _box(page.locator(".event-results .event-item").first)
    summary = _box(page.locator("details.filters-applied > summary"))
    print(f"results heading at y={count['y']:.0f}, first result at y={first_result['y']:.0f} (viewport 667)")
    assert count["y"] + count["height"] <= PHONE["height"]
    assert first_result["y"] < PHONE["height"], f"the first result starts at y={first_result['y']}"
    assert summary["y"] < first_result["y"]
    assert page.locator("details.filters-applied").evaluate("(d) => d.open") is False
    assert "Děti a mládež" in page.locator("details.filters-applied > summary").inner_text()

    # The folded filters open without JavaScript's help and keep the choices.
    page.locator("details.filters-applied > summary").click()
    assert page.locator("#ef-period").input_value() == "next30"


def test_funding_overview_amounts_stay_on_one_line_and_phone_shows_cards(page, demo_site):
    from projects.models import ProjectIndexPage

    index = ProjectIndexPage.objects.live().get(locale__language_code="cs")
    overview = demo_site.page_url(index.url + index.reverse_subpage("publicity_overview"))

    # Linked near the top of the projects index (in the first screen on a phone) and from the footer.
    page.set_viewport_size(PHONE)
    page.goto(demo_site.page_url(index.url), wait_until="load")
    top_link = page.locator(".funding-overview-link a")
    assert _box(top_link)["y"] < PHONE["height"]
    assert top_link.get_attribute("href") == index.url + "publicity/"
    assert page.locator("footer a", has_text="Přehled financování").get_attribute("href") == index.url + "publicity/"

    page.set_viewport_size(DESKTOP)
    page.goto(overview, wait_until="load")
    measured = page.evaluate(
        """() => {
          const table = document.querySelector('.publicity-table');
          const line = (el) => parseFloat(getComputedStyle(el).lineHeight);
          return {
            visible: table.getBoundingClientRect().height > 0,
            rows: table.querySelectorAll('tbody tr').length,
            tableWidth: table.getBoundingClientRect().width,
            boxWidth: table.parentElement.getBoundingClientRect().width,
            pageWidth: document.documentElement.scrollWidth,
            amounts: Array.from(table.querySelectorAll('.money')).map((el) => ({
              text: el.textContent, height: el.getBoundingClientRect().height, line: line(el),
              lines: el.getClientRects().length})),
            headers: Array.from(table.querySelectorAll('thead th')).map((th) => {
              // A header word that cannot break ("Celkové") is never wider than its cell.
              return {text: th.textContent.trim(), scroll: th.scrollWidth, client: th.clientWidth};
            }),
          };
        }"""
    )
    assert measured["visible"], "the table is not shown at 1366 px"
    assert measured["amounts"], "no amounts in the overview"
    for amount in measured["amounts"]:
        assert amount["lines"] == 1 and amount["height"] <= amount["line"] + 1, f"amount wraps: {amount}"
    assert measured["tableWidth"] <= measured["boxWidth"] + 1, measured
    assert measured["pageWidth"] <= DESKTOP["width"], measured
    for header in measured["headers"]:
        assert header["scroll"] <= header["client"], f"header overflows its cell: {header}"
    # No word is broken inside: every word of every cell fits on one line of its cell.
    broken = page.evaluate(
        """() => Array.from(document.querySelectorAll('.publicity-table th, .publicity-table td')).filter((cell) => {
          const style = getComputedStyle(cell);
          return style.overflowWrap === 'anywhere' || style.wordBreak === 'break-all';
        }).length"""
    )
    assert broken == 0
    print(f"1366 px: table {measured['tableWidth']:.0f} px wide, {len(measured['amounts'])} amounts on one line")

    page.set_viewport_size(PHONE)
    page.goto(overview, wait_until="load")
    layout = page.evaluate(
        """() => ({
          tableShown: document.querySelector('.publicity-table').getBoundingClientRect().height > 0,
          cards: Array.from(document.querySelectorAll('.publicity-card')).map((card) => {
            const box = card.getBoundingClientRect(); return {left: box.left, right: box.right, width: box.width};
          }),
          pageWidth: document.documentElement.scrollWidth,
          amounts: Array.from(document.querySelectorAll('.publicity-card .money')).map((el) => el.getClientRects().length),
        })"""
    )
    assert not layout["tableShown"], "the wide table is shown on a phone"
    assert len(layout["cards"]) == measured["rows"] > 0
    assert layout["pageWidth"] <= PHONE["width"], layout
    for card in layout["cards"]:
        assert card["left"] >= 0 and card["right"] <= PHONE["width"] and card["width"] > PHONE["width"] * 0.8, card
    assert layout["amounts"] and all(lines == 1 for lines in layout["amounts"])
