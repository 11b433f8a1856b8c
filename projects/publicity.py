"""The funders' publicity rules, applied to pages exactly as a visitor receives them.

Each live funded project page, and each live page of an event that belongs to a
funded project, is rendered in every language through Django's test client
(anonymous, with the site's host name). The rules of DESIGN §4 are then applied
to the HTML with an HTML parser, and every result is stored as a
`PublicityCheck` beside a `PublicitySnapshot` holding the HTML as evidence.

Sources: Regulation (EU) 2021/1060 Art. 47, 50 and Annex IX; Regulation
1303/2013 Annex XII with Implementing Regulation 821/2014 Art. 4; EEA and Norway
Grants 2014–2021 Regulation, Annex 3, and its Communication and Design Manual.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from bs4 import BeautifulSoup, NavigableString, Tag
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Page, Site

from events.models import EventPage
from projects.models import FunderKind, FundingProgramme, ProjectPage, PublicityCheck, PublicitySnapshot
from projects.selectors import localized_programmes

# Rule codes (stable: they are stored and exported) and what each checks, in words.
RULES = {
    "page_renders": _("The page can be opened"),
    "project_name": _("The project's name is shown"),
    "registration_number": _("The registration number is shown, in the programme's pattern"),
    "programme_named": _("The programme is named"),
    "short_description": _("A short description is shown"),
    "aims": _("The aims are shown"),
    "results": _("Expected or achieved results are shown"),
    "eu_emblem_alt": _("The EU emblem is an image whose alternative text names the European Union"),
    "eu_statement_text": _("The funding statement is written out as text beside the emblem"),
    "eu_emblem_height": _("The EU emblem is at least as high as any other logo beside it"),
    "eu_statement_font": _(
        "The statement uses a permitted font, not italic or underlined, in black, white or Reflex Blue"
    ),
    "eu_union_words": _("The words “European Union” are shown (2014–2020)"),
    "eu_fund_name": _("The fund is named (2014–2020)"),
    "eu_emblem_on_landing": _("The emblem is visible on landing, at the top of the page (2014–2020)"),
    "eea_logo_alt": _("The Norway Grants or EEA Grants logo has alternative text naming them"),
    "eea_statement_text": _("The EEA and Norway Grants support statement is written out as text"),
    "eea_both_languages": _("The page is live in both Czech and English"),
}

EU_STATEMENTS = {
    "cs": ("spolufinancováno evropskou unií", "financováno evropskou unií"),
    "en": ("co-funded by the european union", "funded by the european union"),
}
EU_NAMES = ("evropská unie", "evropské unie", "evropskou unií", "european union")
EU_WORDS = {"cs": "evropská unie", "en": "european union"}
EU_WORDS_DISPLAY = {"cs": "Evropská unie", "en": "European Union"}
EEA_NAMES = ("norway grants", "eea grants", "eea and norway grants", "fondy ehp", "norské fondy", "fondů ehp")
EEA_STATEMENTS = {
    "cs": ("islandu, lichtenštejnska a norska",),
    "en": ("iceland, liechtenstein and norway",),
}
PERMITTED_FONTS = ("arial", "auto", "calibri", "garamond", "trebuchet", "trebuchet ms", "tahoma", "verdana", "ubuntu")
PERMITTED_COLOURS = {
    "black",
    "#000",
    "#000000",
    "rgb(0,0,0)",
    "white",
    "#fff",
    "#ffffff",
    "rgb(255,255,255)",
    "#039",
    "#003399",
    "rgb(0,51,153)",
}


@dataclass
class RuleResult:
    rule: str
    passed: bool
    reason: str
    programme: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def _visible_text(node: Tag | None) -> str:
    """Text a reader sees in `node`: text nodes only (alt text of images is not visible text)."""
    if node is None:
        return ""
    parts = []
    for piece in node.find_all(string=True):
        if isinstance(piece, NavigableString) and piece.parent.name not in {"script", "style", "title", "template"}:
            parts.append(str(piece))
    return _norm(" ".join(parts))


def _image_texts(soup: BeautifulSoup) -> str:
    return _norm(" ".join((img.get("alt") or "") + " " + (img.get("title") or "") for img in soup.find_all("img")))


def _style(tag: Tag) -> dict[str, str]:
    declarations = {}
    for part in (tag.get("style") or "").split(";"):
        if ":" in part:
            name, value = part.split(":", 1)
            declarations[name.strip().lower()] = value.strip().lower()
    return declarations


def _height(img: Tag) -> float | None:
    style = _style(img)
    for value in (style.get("height"), img.get("height")):
        if value:
            match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(px)?\s*", str(value))
            if match:
                return float(match.group(1))
    return None


def _is_emblem(img: Tag) -> bool:
    classes = " ".join(img.get("class") or [])
    return "emblem" in classes or "eu-emblem" in (img.get("src") or "")


def _programme_blocks(soup: BeautifulSoup, programme: FundingProgramme) -> list[Tag]:
    """The disclosure blocks for this kind of funder, wherever the page shows them."""
    return [
        block
        for block in soup.select(".funding-disclosure [data-funder-kind], .funding-disclosure[data-funder-kind]")
        if block.get("data-funder-kind") == programme.kind
    ]


def _tokens(text: str) -> list[str]:
    return [token.strip(".,;:()[]{}„“”\"'") for token in text.split()]


def _common_rules(
    soup: BeautifulSoup, *, project: ProjectPage, programme: FundingProgramme, is_project_page: bool
) -> list[RuleResult]:
    name = programme.name
    results = []
    page_text = _visible_text(soup.body or soup)

    if _norm(project.title) in page_text:
        results.append(RuleResult("project_name", True, str(_("The project's name is shown.")), name))
    else:
        results.append(
            RuleResult(
                "project_name", False, str(_("The project's name “%s” is not shown on the page.") % project.title), name
            )
        )

    raw_text = " ".join((soup.body or soup).get_text(" ").split())
    tokens = _tokens(raw_text)
    expected = (project.registration_number or "").strip()
    matching = [t for t in tokens if programme.registration_number_matches(t)]
    if expected and expected in matching:
        results.append(
            RuleResult("registration_number", True, str(_("Registration number %s is shown.") % expected), name)
        )
    elif expected and expected in tokens:
        example = programme.registration_number_example or programme.registration_number_pattern
        results.append(
            RuleResult(
                "registration_number",
                False,
                str(
                    _(
                        "The registration number “%(number)s” does not match the pattern of %(programme)s (e.g. %(example)s)."
                    )
                    % {"number": expected, "programme": name, "example": example}
                ),
                name,
            )
        )
    elif matching:
        results.append(
            RuleResult(
                "registration_number",
                False,
                str(
                    _("The page shows registration number %(shown)s, but the project's number is “%(number)s”.")
                    % {"shown": matching[0], "number": expected}
                ),
                name,
            )
        )
    else:
        results.append(
            RuleResult("registration_number", False, str(_("No registration number is shown on the page.")), name)
        )

    names = [n for n in (programme.name, programme.short_name) if n]
    if any(_norm(n) in page_text for n in names):
        results.append(RuleResult("programme_named", True, str(_("The programme %s is named.") % name), name))
    else:
        results.append(
            RuleResult("programme_named", False, str(_("The programme “%s” is not named on the page.") % name), name)
        )

    if is_project_page:
        summary = soup.find(id="project-summary")
        results.append(
            RuleResult("short_description", True, str(_("A short description is shown.")), name)
            if _visible_text(summary)
            else RuleResult("short_description", False, str(_("The page shows no short description.")), name)
        )
        aims = soup.find(id="project-aims")
        aim_items = [li for li in aims.find_all("li") if _visible_text(li)] if aims else []
        results.append(
            RuleResult("aims", True, str(_("%d aims are shown.") % len(aim_items)), name)
            if aim_items
            else RuleResult("aims", False, str(_("The page shows no aims.")), name)
        )
        outcome = soup.find(id="project-results")
        results.append(
            RuleResult("results", True, str(_("Results are shown.")), name)
            if _visible_text(outcome)
            else RuleResult("results", False, str(_("The page shows no expected or achieved results.")), name)
        )
    return results


def _statement_element(blocks: list[Tag], phrases: Iterable[str]) -> Tag | None:
    """The innermost element whose visible text contains one of the phrases."""
    for block in blocks:
        candidates = [block, *block.find_all(True)]
        best = None
        for element in candidates:
            if element.name in {"img", "script", "style"}:
                continue
            if any(p in _visible_text(element) for p in phrases):
                best = element  # later candidates are deeper in document order
        if best is not None:
            return best
    return None


def _font_problems(element: Tag) -> list[str]:
    """What is wrong with the typeface of the statement, from its own and its ancestors' inline styles."""
    problems = []
    font_family = font_style = decoration = colour = None
    node: Tag | None = element
    while node is not None and isinstance(node, Tag):
        if node.name in {"i", "em"}:
            problems.append(str(_("it is set in italics (<%s>)") % node.name))
        if node.name == "u":
            problems.append(str(_("it is underlined (<u>)")))
        style = _style(node)
        font_family = font_family or style.get("font-family")
        font_style = font_style or style.get("font-style")
        decoration = decoration or style.get("text-decoration") or style.get("text-decoration-line")
        colour = colour or style.get("color")
        if node.name in {"body", "html"}:
            break
        node = node.parent
    if not font_family:
        problems.append(str(_("no font is set for it")))
    else:
        first = font_family.split(",")[0].strip().strip("'\"")
        if first not in PERMITTED_FONTS:
            problems.append(str(_("its font “%s” is not a permitted one") % first))
    if font_style and ("italic" in font_style or "oblique" in font_style):
        problems.append(str(_("it is set in italics")))
    if decoration and "underline" in decoration:
        problems.append(str(_("it is underlined")))
    if colour and colour.replace(" ", "") not in PERMITTED_COLOURS:
        problems.append(str(_("its colour %s is not black, white or Reflex Blue") % colour))
    if not colour:
        problems.append(str(_("no colour is set for it")))
    return problems


def _eu_rules(soup: BeautifulSoup, *, programme: FundingProgramme, language: str) -> list[RuleResult]:
    name = programme.name
    results = []
    blocks = _programme_blocks(soup, programme)
    emblems = [img for block in blocks for img in block.find_all("img") if _is_emblem(img)]

    if not emblems:
        results.append(
            RuleResult("eu_emblem_alt", False, str(_("No EU emblem image is shown in the disclosure.")), name)
        )
    else:
        alts = [_norm(img.get("alt") or "") for img in emblems]
        if any(any(n in alt for n in EU_NAMES) for alt in alts):
            results.append(
                RuleResult("eu_emblem_alt", True, str(_("The EU emblem's alternative text names the EU.")), name)
            )
        elif not any(alts):
            results.append(
                RuleResult("eu_emblem_alt", False, str(_("The EU emblem image has no alternative text.")), name)
            )
        else:
            results.append(
                RuleResult(
                    "eu_emblem_alt",
                    False,
                    str(_("The EU emblem's alternative text “%s” does not name the European Union.") % alts[0]),
                    name,
                )
            )

    phrases = EU_STATEMENTS.get(language, EU_STATEMENTS["en"])
    statement = _statement_element(blocks, phrases)
    if statement is not None:
        results.append(
            RuleResult("eu_statement_text", True, str(_("The funding statement is written out as text.")), name)
        )
    elif any(p in _image_texts(soup) for p in phrases):
        results.append(
            RuleResult(
                "eu_statement_text",
                False,
                str(_("The funding statement appears only inside an image, not as text a reader can select.")),
                name,
            )
        )
    else:
        results.append(
            RuleResult(
                "eu_statement_text",
                False,
                str(_("The statement “%s” is not written beside the emblem.") % phrases[0].capitalize()),
                name,
            )
        )

    if emblems:
        emblem_height = max((_height(img) or 0) for img in emblems)
        others = [img for block in blocks for img in block.find_all("img") if not _is_emblem(img)]
        other_heights = [_height(img) for img in others]
        if not emblem_height:
            results.append(RuleResult("eu_emblem_height", False, str(_("The emblem's height is not stated.")), name))
        elif any(h is None for h in other_heights):
            results.append(
                RuleResult(
                    "eu_emblem_height", False, str(_("A logo beside the emblem has no stated height to compare.")), name
                )
            )
        elif other_heights and max(other_heights) > emblem_height:
            results.append(
                RuleResult(
                    "eu_emblem_height",
                    False,
                    str(
                        _("The emblem is %(emblem)d px high, smaller than a logo beside it (%(other)d px).")
                        % {"emblem": emblem_height, "other": max(other_heights)}
                    ),
                    name,
                )
            )
        else:
            results.append(
                RuleResult(
                    "eu_emblem_height",
                    True,
                    str(_("The emblem (%d px) is at least as high as every logo beside it.") % emblem_height),
                    name,
                )
            )
    else:
        results.append(RuleResult("eu_emblem_height", False, str(_("There is no emblem to measure.")), name))

    if statement is None:
        results.append(RuleResult("eu_statement_font", False, str(_("There is no statement text to check.")), name))
    else:
        problems = _font_problems(statement)
        results.append(
            RuleResult("eu_statement_font", True, str(_("The statement's typeface and colour are permitted.")), name)
            if not problems
            else RuleResult(
                "eu_statement_font", False, str(_("The statement is not compliant: %s.") % "; ".join(problems)), name
            )
        )

    if programme.kind == FunderKind.EU_2014_2020:
        block_text = " ".join(_visible_text(block) for block in blocks)
        words = EU_WORDS.get(language, EU_WORDS["en"])
        results.append(
            RuleResult("eu_union_words", True, str(_("The words “European Union” are shown.")), name)
            if words in block_text
            else RuleResult(
                "eu_union_words",
                False,
                str(
                    _("The words “%s” are not written in the disclosure.")
                    % EU_WORDS_DISPLAY.get(language, "European Union")
                ),
                name,
            )
        )
        fund = _norm(programme.fund_name)
        if not fund:
            results.append(RuleResult("eu_fund_name", False, str(_("The programme has no fund name set.")), name))
        else:
            results.append(
                RuleResult("eu_fund_name", True, str(_("The fund %s is named.") % programme.fund_name), name)
                if fund in block_text
                else RuleResult(
                    "eu_fund_name",
                    False,
                    str(_("The fund “%s” is not named in the disclosure.") % programme.fund_name),
                    name,
                )
            )
        results.append(_landing_rule(soup, emblems=emblems, programme=programme))
    return results


def _landing_rule(soup: BeautifulSoup, *, emblems: list[Tag], programme: FundingProgramme) -> RuleResult:
    name = programme.name
    header = soup.find("header")
    if header is not None and any(_is_emblem(img) for img in header.find_all("img")):
        return RuleResult("eu_emblem_on_landing", True, str(_("The emblem is shown in the site header.")), name)
    if emblems:
        first_h2 = soup.find("h2")
        if first_h2 is None:
            return RuleResult("eu_emblem_on_landing", True, str(_("The emblem is at the top of the page.")), name)
        emblem_position = emblems[0].sourceline, emblems[0].sourcepos
        heading_position = first_h2.sourceline, first_h2.sourcepos
        if emblem_position < heading_position:
            return RuleResult("eu_emblem_on_landing", True, str(_("The emblem is at the top of the page.")), name)
    return RuleResult(
        "eu_emblem_on_landing",
        False,
        str(_("The emblem is not at the top of the page, so it is not visible without scrolling.")),
        name,
    )


def _eea_rules(soup: BeautifulSoup, *, programme: FundingProgramme, language: str) -> list[RuleResult]:
    name = programme.name
    results = []
    blocks = _programme_blocks(soup, programme)
    logos = [img for block in blocks for img in block.find_all("img")]
    alts = [_norm(img.get("alt") or "") for img in logos]
    if any(any(n in alt for n in EEA_NAMES) for alt in alts):
        results.append(
            RuleResult("eea_logo_alt", True, str(_("The grants' logo names them in its alternative text.")), name)
        )
    elif logos and not any(alts):
        results.append(RuleResult("eea_logo_alt", False, str(_("The grants' logo has no alternative text.")), name))
    elif logos:
        results.append(
            RuleResult(
                "eea_logo_alt",
                False,
                str(_("The logo's alternative text “%s” does not name the Norway Grants or EEA Grants.") % alts[0]),
                name,
            )
        )
    else:
        results.append(RuleResult("eea_logo_alt", False, str(_("No Norway Grants or EEA Grants logo is shown.")), name))

    phrases = EEA_STATEMENTS.get(language, EEA_STATEMENTS["en"])
    if _statement_element(blocks, phrases) is not None:
        results.append(
            RuleResult("eea_statement_text", True, str(_("The support statement is written out as text.")), name)
        )
    elif any(p in _image_texts(soup) for p in phrases):
        results.append(
            RuleResult(
                "eea_statement_text",
                False,
                str(_("The support statement appears only inside an image, not as text.")),
                name,
            )
        )
    else:
        results.append(
            RuleResult(
                "eea_statement_text",
                False,
                str(_("No statement of support from Iceland, Liechtenstein and Norway is written in this language.")),
                name,
            )
        )
    return results


def both_languages_rule(*, project: ProjectPage, programme: FundingProgramme) -> RuleResult:
    live = set(
        Page.objects.filter(translation_key=project.translation_key)
        .live()
        .values_list("locale__language_code", flat=True)
    )
    missing = [code for code in ("cs", "en") if code not in live]
    if not missing:
        return RuleResult("eea_both_languages", True, str(_("The page is live in Czech and English.")), programme.name)
    names = {"cs": str(pgettext_lazy("a live … page", "Czech")), "en": str(pgettext_lazy("a live … page", "English"))}
    return RuleResult(
        "eea_both_languages",
        False,
        str(_("There is no live %s page for this Norway Grants project.") % ", ".join(names[c] for c in missing)),
        programme.name,
    )


def check_html(
    html: str,
    *,
    project: ProjectPage,
    programmes: list[FundingProgramme],
    language: str,
    is_project_page: bool,
) -> list[RuleResult]:
    """Apply every rule that the project's programmes impose to one rendered page."""
    soup = BeautifulSoup(html, "html.parser")
    results: list[RuleResult] = []
    for programme in programmes:
        results += _common_rules(soup, project=project, programme=programme, is_project_page=is_project_page)
        if programme.is_eu:
            results += _eu_rules(soup, programme=programme, language=language)
        elif programme.is_eea_norway:
            results += _eea_rules(soup, programme=programme, language=language)
            if is_project_page:
                results.append(both_languages_rule(project=project, programme=programme))
    return _dedupe(results)


def _dedupe(results: list[RuleResult]) -> list[RuleResult]:
    """Rules shared by several programmes of one project are reported once each (failures win)."""
    seen: dict[tuple[str, str], RuleResult] = {}
    for result in results:
        key = (result.rule, result.programme)
        if key not in seen or (seen[key].passed and not result.passed):
            seen[key] = result
    return list(seen.values())


# Rendering -----------------------------------------------------------------


def _client_for(page: Page) -> tuple[Client, dict]:
    site = page.get_site() or Site.objects.filter(is_default_site=True).first()
    host = "localhost"
    if site is not None:
        host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
    secure = bool(getattr(settings, "SECURE_SSL_REDIRECT", False)) or (site is not None and site.port == 443)
    return Client(raise_request_exception=False, HTTP_HOST=host), {"secure": secure}


def render_page(page: Page) -> tuple[int, str, str]:
    """(status code, HTML, path) of the page as an anonymous visitor gets it."""
    path = page.get_url_parts()[2] if page.get_url_parts() else page.url
    client, options = _client_for(page)
    response = client.get(path, **options)
    body = response.content.decode(response.charset or "utf-8", errors="replace")
    return response.status_code, body, path


def pages_to_check() -> list[Page]:
    """Live funded project pages and live pages of events that belong to a funded project, every language."""
    funded = ProjectPage.objects.live().filter(programmes__isnull=False).distinct()
    pages: list[Page] = list(funded.select_related("locale").order_by("path"))
    funded_keys = set(ProjectPage.objects.filter(programmes__isnull=False).values_list("translation_key", flat=True))
    events = (
        EventPage.objects.live()
        .filter(project__translation_key__in=funded_keys)
        .select_related("locale", "project")
        .order_by("path")
    )
    return pages + list(events)


def project_for(page: Page) -> ProjectPage | None:
    """The project whose publicity rules apply to a page, in the page's own language where it exists."""
    page = page.specific
    if isinstance(page, ProjectPage):
        return page
    project = getattr(page, "project", None)
    if project is None:
        return None
    translated = project.get_translation_or_none(page.locale)
    return translated if translated is not None and translated.live else project


@transaction.atomic
def check_page(page: Page, *, run=None) -> PublicitySnapshot | None:
    """Render one page, apply the rules, store the snapshot and its results."""
    page = page.specific
    project = project_for(page)
    if project is None:
        return None
    language = page.locale.language_code
    programmes = localized_programmes(project.programmes.select_related("logo"), page.locale)
    if not programmes:
        return None
    with translation.override(language):
        status_code, html, path = render_page(page)
    if status_code != 200:
        results = [
            RuleResult(
                "page_renders",
                False,
                str(_("The page answered with HTTP status %d instead of showing.") % status_code),
                programmes[0].name,
            )
        ]
    else:
        results = check_html(
            html,
            project=project,
            programmes=programmes,
            language=language,
            is_project_page=isinstance(page, ProjectPage),
        )
    now = timezone.now()
    snapshot_fields = {
        "page": page,
        "project": project,
        "page_title": page.title[:255],
        "locale": language,
        "url": path[:500],
        "status_code": status_code,
        "html": html,
        "checked_at": now,
    }
    if run is not None:
        snapshot_fields["run"] = run
    snapshot = PublicitySnapshot.objects.create(**snapshot_fields)
    PublicityCheck.objects.filter(page=page, locale=language, is_current=True).update(is_current=False)
    PublicityCheck.objects.bulk_create(
        [
            PublicityCheck(
                snapshot=snapshot,
                page=page,
                project=project,
                page_title=page.title[:255],
                locale=language,
                programme=r.programme[:200],
                rule=r.rule,
                passed=r.passed,
                reason=r.reason,
                checked_at=now,
                is_current=True,
            )
            for r in results
        ]
    )
    snapshot.results = results
    return snapshot


def run_publicity_check(*, pages: Iterable[Page] | None = None) -> list[PublicitySnapshot]:
    """Check the given pages (default: every page the rules apply to) and store the results."""
    import uuid

    run = uuid.uuid4()
    snapshots = []
    for page in pages if pages is not None else pages_to_check():
        snapshot = check_page(page, run=run)
        if snapshot is not None:
            snapshots.append(snapshot)
    return snapshots


def pages_affected_by(page: Page) -> list[Page]:
    """Which pages to check again after `page` was published."""
    page = page.specific
    project = project_for(page)
    if project is None or not project.programmes.exists():
        return []
    if isinstance(page, ProjectPage):
        keys = [page.translation_key]
        affected: list[Page] = list(ProjectPage.objects.live().filter(translation_key__in=keys))
        affected += list(EventPage.objects.live().filter(project__translation_key=page.translation_key))
        return affected
    return list(Page.objects.live().filter(translation_key=page.translation_key).specific())
