"""The funding disclosure is in the first viewport of every project page, on a laptop and on a phone."""

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e


def _project_paths(language: str) -> list[str]:
    from projects.models import ProjectPage

    return [
        p.url
        for p in ProjectPage.objects.live().filter(locale__language_code=language, programmes__isnull=False).distinct()
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x768", "375x667"])
@pytest.mark.parametrize("language", ["cs", "en"])
def test_disclosure_is_visible_without_scrolling(page, demo_site, language, viewport):
    paths = _project_paths(language)
    assert len(paths) == 5, paths
    page.set_viewport_size(viewport)
    problems = []
    for path in paths:
        page.goto(demo_site.page_url(path), wait_until="load")
        disclosure = page.locator("main .funding-disclosure").first
        # The emblem, and the funder's words: the statement where the programme's rules ask for one
        # ("Financováno Evropskou unií"), the emblem's name line under the 2014–2020 rules.
        texts = disclosure.locator(".disclosure-statement, .disclosure-eu").all()
        if not texts:
            problems.append(f"{path}: the disclosure carries no statement")
        for name, element in (("logo", disclosure.locator("img").first), *(("statement", text) for text in texts)):
            box = element.bounding_box()
            if box is None or box["y"] < 0 or box["y"] + box["height"] > viewport["height"]:
                problems.append(
                    f"{path}: the {name} is not in the first {viewport['width']}×{viewport['height']} view ({box})"
                )
    assert problems == []
