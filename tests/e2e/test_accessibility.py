"""Every kind of page, in both languages, passes axe-core's WCAG 2.1 A and AA rules in Chromium.

The pages are discovered from the database when the test runs (one live page
per page type and language, plus search, 404 and the routable sub-pages), so
new page types are covered as soon as they exist.
"""

import re

import pytest

from .conftest import ARTIFACTS, AXE_JS, DESKTOP, PHONE, http_status
from .targets import Target

pytestmark = pytest.mark.e2e

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html.slice(0, 200), summary: n.failureSummary})),
  }));
}"""
SCREENSHOT_TYPES = {"HomePage", "StandardPage", "EventIndexPage", "EventPage", "ProjectIndexPage", "ProjectPage"}


def run_axe(tab) -> list[dict]:
    tab.add_script_tag(path=str(AXE_JS))
    return tab.evaluate(AXE_RUN, AXE_TAGS)


def describe(where: str, violations: list[dict]) -> str:
    lines = [where]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"      at {node['target']}: {node['html']}")
            lines.append(f"         {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"      … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _open(tab, demo_site, target: Target):
    response = tab.goto(demo_site.page_url(target.path), wait_until="load")
    assert response is not None, target
    return response


def _submit_empty_form(tab) -> bool:
    """Send the page's first POST form empty (browser validation off) to see how errors are shown."""
    form = tab.locator("main form[method='post' i]").first
    if form.count() == 0:
        return False
    form.evaluate("(f) => { f.noValidate = true; }")
    with tab.expect_navigation(wait_until="load"):
        form.evaluate("(f) => f.requestSubmit ? f.requestSubmit() : f.submit()")
    return True


@pytest.mark.parametrize("language", ["cs", "en"])
def test_every_page_type_has_no_wcag_violations(page, demo_site, language):
    targets = [t for t in demo_site.targets if t.language == language]
    labels = {t.label for t in targets}
    assert {"HomePage", "StandardPage", "search results", "404"} <= labels, labels

    ARTIFACTS.mkdir(exist_ok=True)
    failures: list[str] = []
    checked: list[str] = []
    for target in targets:
        status, content_type = http_status(demo_site.page_url(target.path))
        if target.expected_status and status != target.expected_status:
            failures.append(
                f"{language} {target.label} {target.path}: HTTP {status}, expected {target.expected_status}"
            )
            continue
        if status >= 500:
            failures.append(f"{language} {target.label} {target.path}: HTTP {status}")
            continue
        if not content_type.startswith("text/html"):
            continue  # calendar feeds, JSON twins: not pages
        for viewport in (DESKTOP, PHONE):
            page.set_viewport_size(viewport)
            _open(page, demo_site, target)
            assert page.locator("html").get_attribute("lang") == language, target
            where = f"{language} {target.label} {target.path} at {viewport['width']}×{viewport['height']}"
            violations = run_axe(page)
            if violations:
                failures.append(describe(where, violations))
            checked.append(where)
            if target.label in SCREENSHOT_TYPES or target.label == "404":
                page.screenshot(
                    path=str(ARTIFACTS / f"{language}-{slug(target.label)}-{viewport['width']}.png"), full_page=True
                )
        if target.label != "404" and _submit_empty_form(page):
            where = f"{language} {target.label} {target.path} after sending its form empty"
            violations = run_axe(page)
            if violations:
                failures.append(describe(where, violations))
            checked.append(where)
            page.screenshot(path=str(ARTIFACTS / f"{language}-{slug(target.label)}-form-errors.png"), full_page=True)

    print(f"axe-core WCAG 2.1 A/AA, {language}: {len(checked)} page views checked")
    for where in checked:
        print("  " + where)
    assert not page.foreign_requests, f"requests to other hosts: {page.foreign_requests}"
    assert not failures, "axe-core found WCAG 2.1 A/AA violations:\n\n" + "\n\n".join(failures)
