"""Keyboard use: the skip link comes first, moves focus to the main content, and focus is visible."""

import pytest

from .conftest import PHONE

pytestmark = pytest.mark.e2e

ACTIVE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, href: el.getAttribute("href"),
    text: (el.textContent || "").trim(),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight,
    inMain: !!el.closest("main"),
  };
}"""


@pytest.mark.parametrize(("language", "skip_text"), [("cs", "Přejít na hlavní obsah"), ("en", "Skip to main content")])
def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(page, demo_site, language, skip_text):
    page.goto(demo_site.page_url(f"/{language}/"))
    page.keyboard.press("Tab")
    focused = page.evaluate(ACTIVE)
    assert focused["tag"] == "a" and focused["href"] == "#main", focused
    assert focused["text"] == skip_text, focused
    assert focused["visible"], "the skip link must be visible when it has focus"
    assert focused["outline"] or focused["shadow"], "the focused skip link must show a focus indicator"

    page.keyboard.press("Enter")
    focused = page.evaluate(ACTIVE)
    assert focused["tag"] == "main" and focused["id"] == "main", focused

    # The next Tab continues inside the main content, not back at the header.
    page.keyboard.press("Tab")
    focused = page.evaluate(ACTIVE)
    assert focused["inMain"], focused
    assert focused["outline"] or focused["shadow"], f"no visible focus on {focused}"


def test_header_links_show_focus_on_a_phone(page, demo_site):
    page.set_viewport_size(PHONE)
    page.goto(demo_site.page_url("/cs/"))
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        focused = page.evaluate(ACTIVE)
        if focused["inMain"]:
            break
        seen.append(focused)
        assert focused["visible"], f"focused element is off screen: {focused}"
        assert focused["outline"] or focused["shadow"], f"no visible focus on {focused}"
    assert len(seen) >= 3, "skip link, language switch and search should all be reachable by Tab"
