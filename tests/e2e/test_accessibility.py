"""Every kind of page, in both languages, passes axe-core's WCAG 2.1 A and AA rules in Chromium.

The pages are discovered from the database when the test runs (one live page
per page type and language, plus search, 404 and the routable sub-pages), so
new page types are covered as soon as they exist.
"""

import re
import urllib.error
import urllib.request

import pytest

from .conftest import ARTIFACTS, AXE_JS, DESKTOP, PHONE, http_status
from .targets import Target

pytestmark = pytest.mark.e2e

NARROW = {"width": 320, "height": 640}
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


POST_FORM = re.compile(r"<main\b.*<form\b[^>]*method=[\"']?post", re.IGNORECASE | re.DOTALL)


def _page_with_a_form(demo_site, target: Target) -> str | None:
    """This page, or another page of its type, whose main content has a POST form (e.g. a registration)."""
    for path in (target.path, *target.alternatives):
        try:
            with urllib.request.urlopen(demo_site.page_url(path), timeout=30) as response:  # noqa: S310
                if POST_FORM.search(response.read().decode("utf-8", "replace")):
                    return path
        except urllib.error.HTTPError:
            continue
    return None


def _submit_empty_form(tab) -> None:
    """Send the page's first POST form empty (browser validation off) to see how errors are shown."""
    form = tab.locator("main form[method='post' i]").first
    form.evaluate("(f) => { f.noValidate = true; }")
    with tab.expect_navigation(wait_until="load"):
        form.evaluate("(f) => f.requestSubmit()")


FILL_REQUIRED = """([f, email]) => {
  f.noValidate = true;
  const done = new Set();
  for (const el of f.elements) {
    if (!el.required || el.disabled || done.has(el.name)) continue;
    if (el.type === "radio") {
      const group = Array.from(f.elements).filter((e) => e.name === el.name && !e.disabled);
      group[group.length - 1].checked = true;
      done.add(el.name);
    } else if (el.type === "checkbox") {
      el.checked = true;
    } else if (el.tagName === "SELECT") {
      if (!el.value) el.selectedIndex = el.options.length - 1;
    } else if (!el.value) {
      el.value = {email: email, tel: "+420 777 123 456", number: el.min || "1"}[el.type] || "Jana Nováková";
    }
  }
}"""


def _fill_and_submit_form(tab, email: str):
    """Fill the page's first POST form the way a visitor would (required fields only) and send it."""
    form = tab.locator("main form[method='post' i]").first
    form.evaluate("(f, email) => (" + FILL_REQUIRED + ")([f, email])", email)
    with tab.expect_navigation(wait_until="load") as navigation:
        form.evaluate("(f) => f.requestSubmit()")
    return navigation.value


def _horizontal_overflow(tab, demo_site, target: Target) -> str:
    """WCAG 1.4.10 reflow: at 320 CSS pixels wide nothing may need horizontal scrolling."""
    tab.set_viewport_size(NARROW)
    _open(tab, demo_site, target)
    width = tab.evaluate("() => document.documentElement.scrollWidth")
    if width <= NARROW["width"]:
        return ""
    culprits = tab.evaluate(
        """(limit) => Array.from(document.querySelectorAll("body *"))
            .filter((el) => el.getBoundingClientRect().right > limit + 1)
            .slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""))""",
        NARROW["width"],
    )
    return f"scrolls sideways at 320 px ({width} px wide): {', '.join(culprits)}"


@pytest.mark.parametrize("language", ["cs", "en", "uk"])
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
        overflow = _horizontal_overflow(page, demo_site, target)
        if overflow:
            failures.append(f"{language} {target.label} {target.path}: {overflow}")
        form_path = _page_with_a_form(demo_site, target)
        if form_path and target.label != "404":
            _open(page, demo_site, Target(target.label, form_path, language))
            _submit_empty_form(page)
            where = f"{language} {target.label} {form_path} after sending its form empty"
            violations = run_axe(page)
            if violations:
                failures.append(describe(where, violations))
            checked.append(where)
            page.screenshot(path=str(ARTIFACTS / f"{language}-{slug(target.label)}-form-errors.png"), full_page=True)

            _open(page, demo_site, Target(target.label, form_path, language))
            # Both languages share one pool of places per date, so each registers with its own address.
            response = _fill_and_submit_form(page, f"e2e.visitor.{language}@example.com")
            where = f"{language} {target.label} {form_path} after sending its form filled in ({page.url})"
            if response is None or response.status >= 400 or response.request.redirected_from is None:
                status = response.status if response else "no response"
                failures.append(f"{where}: no redirect to a result page after a valid POST (HTTP {status})")
            violations = run_axe(page)
            if violations:
                failures.append(describe(where, violations))
            checked.append(where)
            page.screenshot(path=str(ARTIFACTS / f"{language}-{slug(target.label)}-form-sent.png"), full_page=True)

    print(f"axe-core WCAG 2.1 A/AA, {language}: {len(checked)} page views checked")
    for where in checked:
        print("  " + where)
    # The donation page embeds Darujme.cz's widget, the one other host a page may load from (its own
    # policy allows it; test_documents_galleries_donations.py checks that no other page does).
    from website.blocks import DARUJME_ORIGIN

    foreign = [url for url in page.foreign_requests if not url.startswith(DARUJME_ORIGIN + "/")]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not failures, "Pages that failed (HTTP status or axe-core WCAG 2.1 A/AA violations):\n\n" + "\n\n".join(
        failures
    )
