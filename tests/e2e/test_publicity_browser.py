"""The publicity checker measures what Chromium renders: the false passes of the HTML-only checker, the demo, the evidence.

Hand-made pages are served to the browser through request interception, as the
checker serves real pages; the demo content is checked end to end, and its
self-contained snapshot is opened offline from a file:// URL.
"""

import datetime as dt
import re
import time

import pytest

from projects.publicity.serving import Fetched

pytestmark = pytest.mark.e2e

CSS_OK = """
body { margin: 0; font-family: Georgia, serif; }
.disclosure-programme { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.disclosure-text { font-family: Arial, sans-serif; color: #000; }
.funders-eu { display: flex; align-items: center; gap: 8px; }
.funders-eu span { font-family: Arial, sans-serif; color: #000; }
"""
EMBLEM_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 810 540" width="810" height="540">'
    b'<rect width="810" height="540" fill="#003399"/></svg>'
)
PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf0000020101005d1c2a5b0000000049454e44ae426082"
)


def page_html(*, extra_css="", hero="", other_logo=""):
    return f"""<!doctype html><html lang="cs"><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/test.css"><style>{extra_css}</style></head>
<body><header>Centrum</header><main>{hero}
<section class="funding-disclosure"><div class="disclosure-programme" data-funder-kind="eu_2021_2027">
<div class="disclosure-logos"><img class="eu-emblem" src="/static/img/eu-emblem.svg" width="84" height="56"
 alt="Evropská unie"></div>
<div class="disclosure-text"
 style="font-family: Arial, Helvetica, sans-serif; font-style: normal; text-decoration: none; color: #000000;">
<p class="disclosure-statement">Spolufinancováno Evropskou unií</p>
<p>Operační program Zaměstnanost plus · Komunitní centrum Vltavotýnska · CZ.03.02.01/00/22_008/0000016</p></div>
{other_logo}</div></section>
<h1>Komunitní centrum Vltavotýnska</h1><p id="project-summary">Popis.</p>
<section id="project-aims"><ul><li>Cíl</li></ul></section><section id="project-results"><p>Výsledek</p></section>
</main><footer><section class="funders-bar"><ul><li class="funders-eu">
<img class="eu-emblem" src="/static/img/eu-emblem.svg" width="72" height="48" alt="Evropská unie">
<span>Spolufinancováno Evropskou unií</span></li></ul></section></footer></body></html>"""


def fetcher(files):
    def fetch(url):
        path = re.sub(r"^https?://[^/]+", "", url)
        if path in files:
            body, content_type = files[path]
            return Fetched(200, body, content_type)
        return Fetched(404, b"", "text/plain")

    return fetch


FILES = {
    "/static/test.css": (CSS_OK.encode(), "text/css"),
    "/static/img/eu-emblem.svg": (EMBLEM_SVG, "image/svg+xml"),
    "/media/logo.png": (PNG_1x1, "image/png"),
}


@pytest.fixture(autouse=True)
def _english_reasons():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def session(browser):
    from projects.publicity.browser import BrowserSession

    return BrowserSession(None, browser)


@pytest.fixture
def vltava(db):
    from wagtail.models import Page

    from tests.projects.factories import FundingProgrammeFactory, ProjectPageFactory

    programme = FundingProgrammeFactory()
    root = Page.get_first_root_node()
    project = ProjectPageFactory(
        parent=root,
        title="Komunitní centrum Vltavotýnska",
        end_date=dt.date(2099, 12, 31),
        programmes=[programme],
    )
    return project, programme


def check(session, html, vltava, *, browser=True):
    from projects.publicity import evaluate_page

    project, programme = vltava
    results, measurements = evaluate_page(
        html=html,
        url="http://localhost/cs/projekty/vltava/",
        project=project,
        programmes=[programme],
        language="cs",
        is_project_page=True,
        session=session if browser else None,
        fetch=fetcher(FILES),
    )
    return results, measurements


def failing(results, rule):
    return [r for r in results if r.rule == rule and not r.passed]


def test_compliant_page_passes_at_every_viewport(session, vltava):
    results, measurements = check(session, page_html(), vltava)
    assert [m.viewport for m in measurements] == ["360x640", "375x667", "1366x768"]
    assert all(m.screenshot.startswith(b"\x89PNG") for m in measurements)
    assert [(r.rule, r.viewport, r.reason) for r in results if not r.passed] == []
    assert all(r.browser for r in results)
    assert {r.viewport for r in results if r.rule == "eu_emblem_on_landing"} == {"360x640", "375x667", "1366x768"}


def test_stylesheet_italic_and_underline_fail_in_the_browser(session, vltava):
    """False pass: only inline styles were read, so a stylesheet could italicise and underline the statement."""
    html = page_html(extra_css=".disclosure-statement { font-style: italic; text-decoration: underline; }")
    html_only, _ = check(session, html, vltava, browser=False)
    assert not failing(html_only, "eu_statement_font")  # what the HTML-only checker certified
    results, _ = check(session, html, vltava)
    bad = failing(results, "eu_statement_font")
    assert len(bad) == 3 and "italics" in bad[0].reason and "underlined" in bad[0].reason


def test_emblem_shrunk_by_css_fails(session, vltava):
    """False pass: only height attributes were read, so CSS could shrink the emblem to 8 px."""
    logo = '<div class="disclosure-logos"><img src="/media/logo.png" width="168" height="56" alt="OPZ+"></div>'
    html = page_html(extra_css="main .eu-emblem { height: 8px; width: 12px; }", other_logo=logo)
    html_only, _ = check(session, html, vltava, browser=False)
    assert not failing(html_only, "eu_emblem_height")
    results, _ = check(session, html, vltava)
    assert len(failing(results, "eu_emblem_height")) == 3
    small = failing(results, "eu_emblem_on_landing")
    assert len(small) == 3 and "8 px" in small[0].reason


def test_emblem_below_a_tall_hero_fails(session, vltava):
    """False pass: the emblem came first in the HTML, but a 3,000 px hero pushed it below the fold."""
    html = page_html(hero='<div style="height: 3000px">Hero</div>')
    html_only, _ = check(session, html, vltava, browser=False)
    assert not failing(html_only, "eu_emblem_on_landing")
    results, _ = check(session, html, vltava)
    below = failing(results, "eu_emblem_on_landing")
    assert {r.viewport for r in below} == {"360x640", "375x667", "1366x768"}
    assert "not fully in the first view" in below[0].reason


@pytest.mark.parametrize(
    ("css", "rule", "words"),
    [
        (".disclosure-statement { color: #d00; }", "eu_statement_colour", "not Reflex Blue, black or white"),
        (".disclosure-statement { color: #fff; }", "eu_statement_colour", "not the colour for this background"),
        (".disclosure-statement { text-shadow: 1px 1px 2px #888; }", "eu_statement_font", "text effect"),
        (".disclosure-statement { font-family: 'Comic Sans MS', cursive; }", "eu_statement_font", "not a permitted"),
        (".disclosure-statement { margin-left: -60px; }", "eu_statement_beside_emblem", "overlap"),
        (".funders-eu span { display: none; }", "eu_footer_bar", "without the words"),
    ],
)
def test_each_layout_rule_fails_on_its_breach(session, vltava, css, rule, words):
    results, _ = check(session, page_html(extra_css=css), vltava)
    bad = failing(results, rule)
    assert bad and words in bad[0].reason, [(r.rule, r.reason) for r in results if not r.passed]


def test_font_actually_drawn_is_reported(session, vltava):
    results, _ = check(session, page_html(), vltava)
    font = next(r for r in results if r.rule == "eu_statement_font")
    assert "drawn in" in font.reason  # the platform font Chromium used (Liberation Sans stands in for Arial)


# The demo, end to end ---------------------------------------------------------------------------


def test_demo_projects_pass_in_the_browser_and_evidence_stands_on_its_own(
    demo_site, live_server, browser, session, tmp_path
):
    from projects.models import ProjectPage, PublicityScreenshot
    from projects.publicity import run_publicity_check
    from projects.publicity.evidence import sha256

    projects = list(ProjectPage.objects.live().filter(programmes__isnull=False).distinct())
    assert len(projects) == 10  # five projects, in Czech and English
    started = time.monotonic()
    snapshots = run_publicity_check(pages=projects, session=session)
    print(f"demo projects checked in the browser in {time.monotonic() - started:.1f} s")
    problems = [
        (s.url, r.rule, r.viewport, r.reason) for s in snapshots for r in s.results if not r.passed and r.in_force
    ]
    assert problems == []
    # Where an obligation has ended the rules are still measured, and still hold.
    assert [(s.url, r.rule) for s in snapshots for r in s.results if not r.passed] == []
    assert all(s.browser.startswith("Chromium") for s in snapshots)
    snapshot = next(s for s in snapshots if "/cs/" in s.url)
    shots = list(PublicityScreenshot.objects.filter(snapshot=snapshot))
    assert sorted(s.viewport for s in shots) == ["1366x768", "360x640", "375x667"]
    for shot in shots:
        with shot.image.open("rb") as handle:
            assert sha256(handle.read()) == shot.sha256
    assert sha256(snapshot.standalone_html) == snapshot.standalone_sha256
    assert sha256(snapshot.html) == snapshot.html_sha256

    # The snapshot opens from a file, offline, with the emblem visible and the site's styles applied.
    path = tmp_path / "snapshot.html"
    path.write_text(snapshot.standalone_html, encoding="utf-8")
    context = browser.new_context(viewport={"width": 375, "height": 667}, offline=True)
    tab = context.new_page()
    requests = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.goto(path.as_uri(), wait_until="load")
    emblem = tab.locator("main .funding-disclosure img.eu-emblem, main .funding-disclosure img").first
    loaded = emblem.evaluate("img => img.complete && img.naturalWidth > 0")
    box = emblem.bounding_box()
    styled = tab.evaluate("getComputedStyle(document.querySelector('.funding-disclosure')).borderTopStyle")
    context.close()
    assert loaded and box and box["y"] + box["height"] <= 667
    assert styled == "solid"  # portal.css is inlined
    assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
