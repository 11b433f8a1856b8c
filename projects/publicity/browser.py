"""The layout rules, measured in headless Chromium on what a visitor's browser renders.

Playwright drives the Debian `chromium` package (never a browser download). No
server runs: every request the page makes is answered through request
interception, the page itself from the HTML already rendered by Django's test
client, static and media files from their storages (see serving.py).
"""

import asyncio
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from projects.models import FunderKind, FundingProgramme
from projects.publicity.html_rules import EU_STATEMENTS, EU_WORDS, PERMITTED_FONTS
from projects.publicity.rules import RuleResult, result
from projects.publicity.serving import Fetched

VIEWPORTS = [(360, 640), (375, 667), (1366, 768)]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Fonts that Linux servers install under another name with the same metrics as a permitted one.
METRIC_EQUIVALENTS = {"liberation sans": "Arial", "arimo": "Arial", "carlito": "Calibri"}
PERMITTED_COLOURS = {(0, 0, 0): "black", (255, 255, 255): "white", (0, 51, 153): "Reflex Blue"}


def chromium_path() -> Path:
    return Path(getattr(settings, "PUBLICITY_CHROMIUM", "/usr/bin/chromium"))


def browser_missing() -> str:
    """Why no browser check can run here, or "" when it can."""
    if not getattr(settings, "PUBLICITY_BROWSER", True) or os.environ.get(
        "PUBLICITY_NO_BROWSER", ""
    ).strip().lower() in {
        "1",
        "true",
        "yes",
    }:
        return str(_("the browser check is switched off (PUBLICITY_BROWSER / PUBLICITY_NO_BROWSER)"))
    if not chromium_path().exists():
        return str(_("%s is not installed (apt-get install chromium)") % chromium_path())
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return str(_("the playwright package is not installed"))
    return ""


MEASURE_JS = r"""
({kinds, phrases}) => {
  const rect = (el) => { const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const shown = (el) => {
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) return false;
    }
    const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0;
  };
  const background = (el) => {
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor;
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (m) { const p = m[1].split(',').map(Number); if (p.length < 4 || p[3] > 0.5) return p.slice(0, 3); }
    }
    return [255, 255, 255];
  };
  const words = (block, list) => {
    let best = null;
    for (const el of [block, ...block.querySelectorAll('*')]) {
      if (['IMG', 'SCRIPT', 'STYLE'].includes(el.tagName)) continue;
      const text = (el.innerText || '').toLowerCase().replace(/\s+/g, ' ');
      if (list.some((p) => text.includes(p))) best = el;
    }
    return best;
  };
  const describeWords = (el, mark) => {
    if (!el) return null;
    el.setAttribute('data-publicity-words', mark);
    const s = getComputedStyle(el);
    let decorations = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const d = getComputedStyle(n).textDecorationLine; if (d && d !== 'none') decorations.push(d);
    }
    return {rect: rect(el), fontFamily: s.fontFamily, fontStyle: s.fontStyle, decoration: decorations.join(' '),
            textShadow: s.textShadow, stroke: s.webkitTextStrokeWidth, filter: s.filter, color: s.color,
            background: background(el), shown: shown(el)};
  };
  const out = {viewport: {w: innerWidth, h: innerHeight}, blocks: {}, footer: null};
  for (const kind of kinds) {
    const block = document.querySelector(`main .funding-disclosure [data-funder-kind="${kind}"]`)
      || document.querySelector(`.funding-disclosure [data-funder-kind="${kind}"]`);
    if (!block) { out.blocks[kind] = null; continue; }
    const images = [...block.querySelectorAll('img')].filter(shown);
    const emblem = images.find((i) => i.classList.contains('eu-emblem') || i.hasAttribute('data-official-lockup'));
    out.blocks[kind] = {
      emblem: emblem ? {...rect(emblem), lockup: emblem.hasAttribute('data-official-lockup')} : null,
      others: images.filter((i) => i !== emblem).map(rect),
      words: describeWords(words(block, phrases[kind] || []), kind),
    };
  }
  const bar = document.querySelector('.funders-bar');
  if (bar) {
    const emblem = bar.querySelector('img.eu-emblem');
    out.footer = {emblem: emblem && shown(emblem) ? rect(emblem) : null,
                  words: describeWords(words(bar.querySelector('.funders-eu') || bar, phrases.footer || []), 'footer')};
  }
  return out;
}
"""


@dataclass
class PageMeasurement:
    viewport: str
    data: dict
    fonts: dict = field(default_factory=dict)  # mark -> platform font names actually used
    screenshot: bytes = b""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]
    )


def _gap(a: dict, b: dict) -> float:
    dx = max(0.0, max(a["x"], b["x"]) - min(a["x"] + a["w"], b["x"] + b["w"]))
    dy = max(0.0, max(a["y"], b["y"]) - min(a["y"] + a["h"], b["y"] + b["h"]))
    return (dx * dx + dy * dy) ** 0.5


def _rgb(colour: str) -> tuple[int, ...]:
    numbers = re.findall(r"[\d.]+", colour or "")
    return tuple(round(float(n)) for n in numbers[:3]) if len(numbers) >= 3 else ()


def _luminance(rgb) -> float:
    def channel(value):
        value = value / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def min_emblem_height() -> float:
    return float(getattr(settings, "PUBLICITY_MIN_EMBLEM_HEIGHT_PX", 24))


def _word_phrases(programme: FundingProgramme, language: str) -> list[str]:
    statements = list(EU_STATEMENTS.get(language, EU_STATEMENTS["en"]))
    if programme.kind == FunderKind.EU_2014_2020:
        return list(EU_WORDS.get(language, EU_WORDS["en"]))
    return statements


def layout_results(measurement: PageMeasurement, *, programme: FundingProgramme) -> list[RuleResult]:
    """The EU layout rules for one programme at one viewport."""
    viewport = measurement.viewport
    vw, vh = measurement.data["viewport"]["w"], measurement.data["viewport"]["h"]
    block = measurement.data["blocks"].get(programme.kind)
    extra = {"viewport": viewport, "browser": True}
    out = []

    def add(rule, passed, reason):
        out.append(result(rule, passed, reason, programme, **extra))

    emblem = block and block["emblem"]
    if not emblem:
        for rule in ("eu_emblem_on_landing", "eu_emblem_height"):
            add(rule, False, _("No EU emblem is rendered in the disclosure at %s.") % viewport)
    else:
        inside = (
            emblem["x"] >= 0
            and emblem["y"] >= 0
            and emblem["x"] + emblem["w"] <= vw
            and emblem["y"] + emblem["h"] <= vh
        )
        if not inside:
            add(
                "eu_emblem_on_landing",
                False,
                _(
                    "At %(viewport)s the emblem is not fully in the first view: it is at %(top)d–%(bottom)d px, the view ends at %(height)d px."
                )
                % {"viewport": viewport, "top": emblem["y"], "bottom": emblem["y"] + emblem["h"], "height": vh},
            )
        elif emblem["h"] < min_emblem_height():
            add(
                "eu_emblem_on_landing",
                False,
                _(
                    "At %(viewport)s the emblem is rendered only %(height).0f px high, too small to be clearly visible (at least %(minimum).0f px)."
                )
                % {"viewport": viewport, "height": emblem["h"], "minimum": min_emblem_height()},
            )
        else:
            add(
                "eu_emblem_on_landing",
                True,
                _("At %(viewport)s the emblem (%(height).0f px high) is fully in the first view.")
                % {"viewport": viewport, "height": emblem["h"]},
            )
        others = block["others"]
        tallest = max((o["h"] for o in others), default=0)
        widest = max((o["w"] for o in others), default=0)
        if not others or emblem["h"] >= tallest - 0.5 or emblem["w"] >= widest - 0.5:
            add(
                "eu_emblem_height",
                True,
                _("At %(viewport)s the emblem (%(w).0f×%(h).0f px) is at least as large as every other logo.")
                % {"viewport": viewport, "w": emblem["w"], "h": emblem["h"]},
            )
        else:
            add(
                "eu_emblem_height",
                False,
                _(
                    "At %(viewport)s the emblem is %(w).0f×%(h).0f px, smaller in both height and width than a logo beside it (%(ow).0f×%(oh).0f px)."
                )
                % {"viewport": viewport, "w": emblem["w"], "h": emblem["h"], "ow": widest, "oh": tallest},
            )
    words = block and block["words"]
    if not words and emblem and emblem.get("lockup") and programme.logo_is_official_lockup:
        for rule in ("eu_statement_font", "eu_statement_colour", "eu_statement_beside_emblem"):
            add(rule, True, _("The words are inside the official logo lockup."))
        return out
    if not words or not words["shown"]:
        for rule in ("eu_statement_font", "eu_statement_colour", "eu_statement_beside_emblem"):
            add(rule, False, _("At %s no words beside the emblem are rendered.") % viewport)
        return out
    out += _typography(words, measurement.fonts.get(programme.kind, []), programme=programme, extra=extra)
    if not emblem:
        add("eu_statement_beside_emblem", False, _("There is no emblem for the words to stand beside."))
    elif _overlap(emblem, words["rect"]):
        add("eu_statement_beside_emblem", False, _("At %s the words overlap the emblem.") % viewport)
    elif _gap(emblem, words["rect"]) > max(2 * emblem["h"], 48):
        add(
            "eu_statement_beside_emblem",
            False,
            _("At %(viewport)s the words are %(gap).0f px away from the emblem, not next to it.")
            % {"viewport": viewport, "gap": _gap(emblem, words["rect"])},
        )
    else:
        add(
            "eu_statement_beside_emblem",
            True,
            _("At %s the words are next to the emblem without overlapping it.") % viewport,
        )
    return out


def _typography(words: dict, used_fonts: list[str], *, programme: FundingProgramme, extra: dict) -> list[RuleResult]:
    problems = []
    declared = words["fontFamily"].split(",")[0].strip().strip("'\"").lower()
    used = [f.lower() for f in used_fonts]
    used_ok = [f for f in used if f in PERMITTED_FONTS or f in METRIC_EQUIVALENTS]
    if declared not in PERMITTED_FONTS:
        problems.append(str(_("its font “%s” is not a permitted one") % declared))
    elif used and not used_ok:
        problems.append(str(_("the browser drew it in “%s”, not a permitted font") % ", ".join(used_fonts)))
    if words["fontStyle"] in ("italic", "oblique") or words["fontStyle"].startswith("oblique"):
        problems.append(str(_("it is set in italics")))
    if "underline" in words["decoration"] or "line-through" in words["decoration"] or "overline" in words["decoration"]:
        problems.append(str(_("it is underlined or struck through")))
    if (
        words["textShadow"] not in ("none", "")
        or (words["stroke"] not in ("0px", "", "0"))
        or words["filter"] not in ("none", "")
    ):
        problems.append(str(_("it has a text effect (shadow, outline or filter)")))
    drawn = ""
    if used:
        equivalent = [METRIC_EQUIVALENTS.get(f) for f in used if f in METRIC_EQUIVALENTS]
        drawn = " " + str(_("(drawn in %s)") % ", ".join(used_fonts + [f"= {e}" for e in equivalent if e]))
    results = [
        result(
            "eu_statement_font",
            True,
            _("The font %(font)s is permitted, upright, without underline or effects.") % {"font": declared} + drawn,
            programme,
            **extra,
        )
        if not problems
        else result(
            "eu_statement_font",
            False,
            _("The words are not compliant: %s.") % "; ".join(problems) + drawn,
            programme,
            **extra,
        )
    ]
    colour = _rgb(words["color"])
    background = tuple(words["background"])
    name = PERMITTED_COLOURS.get(colour)
    dark_background = _luminance(background) < 0.18
    if name is None:
        results.append(
            result(
                "eu_statement_colour",
                False,
                _("The colour %s is not Reflex Blue, black or white.") % words["color"],
                programme,
                **extra,
            )
        )
    elif (name == "white") != dark_background or contrast(colour, background) < 4.5:
        results.append(
            result(
                "eu_statement_colour",
                False,
                _("%(colour)s is not the colour for this background (%(background)s); contrast %(ratio).1f:1.")
                % {"colour": name, "background": "rgb" + str(background), "ratio": contrast(colour, background)},
                programme,
                **extra,
            )
        )
    else:
        results.append(
            result(
                "eu_statement_colour",
                True,
                _("%(colour)s on this background is permitted (contrast %(ratio).1f:1).")
                % {"colour": name, "ratio": contrast(colour, background)},
                programme,
                **extra,
            )
        )
    return results


def footer_results(measurement: PageMeasurement, *, programme: FundingProgramme) -> list[RuleResult]:
    footer = measurement.data.get("footer")
    extra = {"viewport": measurement.viewport, "browser": True}
    if not footer:
        return [
            result("eu_footer_bar", False, _("The page renders no funders' bar in its footer."), programme, **extra)
        ]
    if not footer["emblem"]:
        return [result("eu_footer_bar", False, _("The funders' bar renders no EU emblem."), programme, **extra)]
    words = footer["words"]
    if not words or not words["shown"]:
        return [
            result(
                "eu_footer_bar",
                False,
                _("The funders' bar shows the EU emblem without the words beside it."),
                programme,
                **extra,
            )
        ]
    if _overlap(footer["emblem"], words["rect"]) or _gap(footer["emblem"], words["rect"]) > max(
        2 * footer["emblem"]["h"], 48
    ):
        return [
            result(
                "eu_footer_bar",
                False,
                _("In the funders' bar the words are not next to the EU emblem, or overlap it."),
                programme,
                **extra,
            )
        ]
    return [
        result(
            "eu_footer_bar", True, _("The funders' bar writes out the words next to the EU emblem."), programme, **extra
        )
    ]


class BrowserSession:
    """One headless Chromium for a whole check run."""

    def __init__(self, playwright, browser):
        self._playwright = playwright
        self.browser = browser
        self.name = f"Chromium {browser.version} (headless, Playwright)"

    def measure(
        self,
        *,
        url: str,
        html: str,
        fetch,
        kinds: list[str],
        phrases: dict[str, list[str]],
        screenshots: bool = True,
    ) -> list[PageMeasurement]:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        measurements = []
        for width, height in VIEWPORTS:
            context = self.browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
            try:
                page = context.new_page()

                def answer(route, request):
                    target = request.url
                    if target.split("#")[0] == url:
                        route.fulfill(status=200, body=html.encode("utf-8"), content_type="text/html; charset=utf-8")
                    elif target.startswith(origin + "/"):
                        fetched: Fetched = fetch(target)
                        route.fulfill(status=fetched.status, body=fetched.body, content_type=fetched.content_type)
                    elif target.startswith("data:"):
                        route.continue_()
                    else:
                        route.abort()

                page.route(re.compile(r".*"), answer)
                page.goto(url, wait_until="load")
                page.evaluate("document.fonts ? document.fonts.ready : null")
                data = page.evaluate(MEASURE_JS, {"kinds": kinds, "phrases": phrases})
                fonts = _platform_fonts(context, page, marks=[*kinds, "footer"])
                shot = page.screenshot(full_page=True, type="png") if screenshots else b""
                measurements.append(PageMeasurement(f"{width}x{height}", data, fonts, shot))
            finally:
                context.close()
        return measurements


def _platform_fonts(context, page, *, marks: list[str]) -> dict[str, list[str]]:
    """The fonts Chromium actually drew each marked text with (DevTools protocol)."""
    session = context.new_cdp_session(page)
    fonts = {}
    try:
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        for mark in marks:
            node = session.send("DOM.querySelector", {"nodeId": root, "selector": f'[data-publicity-words="{mark}"]'})
            if not node.get("nodeId"):
                continue
            used = session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]}).get("fonts", [])
            fonts[mark] = [f["familyName"] for f in used]
    finally:
        session.detach()
    return fonts


@contextmanager
def browser_session():
    """A BrowserSession, or None (with the reason) where no browser can run."""
    missing = browser_missing()
    if not missing:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:  # Playwright's sync API (a browser test, an async caller) is already running here
            missing = str(_("a browser can not be started inside a running event loop"))
    if missing:
        yield None, missing
        return
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the check stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(
                    executable_path=str(chromium_path()), headless=True, args=CHROMIUM_ARGS
                )
            except PlaywrightError as error:
                yield None, str(_("Chromium did not start: %s") % str(error).splitlines()[0])
                return
            try:
                yield BrowserSession(playwright, browser), ""
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def phrases_for(programmes: list[FundingProgramme], language: str) -> dict[str, list[str]]:
    phrases = {p.kind: _word_phrases(p, language) for p in programmes if p.is_eu}
    phrases["footer"] = [*EU_STATEMENTS.get(language, EU_STATEMENTS["en"]), *EU_WORDS.get(language, EU_WORDS["en"])]
    return phrases
