"""The rules applied to the HTML of a rendered page (what holds whatever the browser does with it).

The rules that depend on layout and styles (emblem size and position, the
statement's font and colour) are measured in a browser by `browser.py`; without
a browser, `approximate_layout_rules` estimates them from inline styles and
attributes, and every such result says that it was not checked in a browser.
"""

import re
import unicodedata
from collections.abc import Iterable

from bs4 import BeautifulSoup, NavigableString, Tag
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Page

from projects.models import FunderKind, FundingProgramme, ProjectPage, placeholder_reason
from projects.publicity.rules import RuleResult, result

EU_STATEMENTS = {
    "cs": ("spolufinancováno evropskou unií", "financováno evropskou unií"),
    "en": ("co-funded by the european union", "funded by the european union"),
}
EU_NAMES = ("evropská unie", "evropské unie", "evropskou unií", "european union")
EU_WORDS = {"cs": ("evropská unie", "evropské unie", "evropskou unií"), "en": ("european union",)}
EU_WORDS_DISPLAY = {"cs": "Evropská unie", "en": "European Union"}

# Each mechanism's logo (its alternative text names it) and statement (the donors and the mechanism).
EEA_DONORS = {
    "cs": ("islandu, lichtenštejnska a norska", "islandem, lichtenštejnskem a norskem"),
    "en": ("iceland, liechtenstein and norway",),
}
MECHANISMS = {
    FunderKind.EEA_GRANTS: {
        "logo": ("eea grants", "fondy ehp", "fondů ehp"),
        "donors": EEA_DONORS,
        "names": {"cs": ("fondů ehp", "fondy ehp"), "en": ("eea grants", "eea and norway grants")},
        "statement": {
            "cs": "Podpořeno Islandem, Lichtenštejnskem a Norskem z Fondů EHP.",
            "en": "Supported by Iceland, Liechtenstein and Norway through the EEA Grants.",
        },
    },
    FunderKind.NORWAY_GRANTS: {
        "logo": ("norway grants", "norské fondy", "fondy norska"),
        "donors": {"cs": ("norskem", "norska"), "en": ("norway",)},
        "names": {"cs": ("norských fondů", "norské fondy", "fondů norska", "fondy norska"), "en": ("norway grants",)},
        "statement": {
            "cs": "Podpořeno Norskem z Norských fondů.",
            "en": "Supported by Norway through the Norway Grants.",
        },
    },
    FunderKind.ACTIVE_CITIZENS_FUND: {
        "logo": ("active citizens fund",),
        "donors": EEA_DONORS,
        "names": {
            "cs": ("fondů ehp", "fondy ehp", "active citizens fund", "fondu pro nestátní neziskové organizace"),
            "en": ("eea grants", "eea and norway grants", "active citizens fund"),
        },
        "statement": {
            "cs": "Podpořeno Islandem, Lichtenštejnskem a Norskem z Fondů EHP (Active Citizens Fund).",
            "en": "Supported by Iceland, Liechtenstein and Norway through the EEA Grants (Active Citizens Fund).",
        },
    },
}
PERMITTED_FONTS = ("arial", "auto", "calibri", "garamond", "trebuchet", "trebuchet ms", "tahoma", "verdana", "ubuntu")
PERMITTED_COLOURS = {"#000000": "black", "#ffffff": "white", "#003399": "Reflex Blue"}
NOT_IN_BROWSER = _("Not checked in a browser (HTML only): ")


def norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def visible_text(node: Tag | None) -> str:
    """Text a reader sees in `node`: text nodes only (alt text of images is not visible text)."""
    if node is None:
        return ""
    parts = []
    for piece in node.find_all(string=True):
        if isinstance(piece, NavigableString) and piece.parent.name not in {"script", "style", "title", "template"}:
            parts.append(str(piece))
    return norm(" ".join(parts))


def _image_texts(soup: BeautifulSoup) -> str:
    return norm(" ".join((img.get("alt") or "") + " " + (img.get("title") or "") for img in soup.find_all("img")))


def is_emblem(img: Tag) -> bool:
    classes = " ".join(img.get("class") or [])
    return "eu-emblem" in classes or "eu-emblem" in (img.get("src") or "")


def is_lockup(img: Tag) -> bool:
    return img.has_attr("data-official-lockup")


def programme_blocks(soup: BeautifulSoup, programme: FundingProgramme) -> list[Tag]:
    """The disclosure blocks for this kind of funder, wherever the page shows them."""
    return [
        block
        for block in soup.select(".funding-disclosure [data-funder-kind], .funding-disclosure[data-funder-kind]")
        if block.get("data-funder-kind") == programme.kind
    ]


def _tokens(text: str) -> list[str]:
    return [token.strip(".,;:()[]{}„“”\"'") for token in text.split()]


def statement_phrases(programme: FundingProgramme, language: str) -> tuple[str, ...]:
    if programme.kind == FunderKind.EU_2021_2027:
        return EU_STATEMENTS.get(language, EU_STATEMENTS["en"])
    return ()


def statement_element(blocks: list[Tag], matches) -> Tag | None:
    """The innermost element whose visible text satisfies `matches(text)`."""
    for block in blocks:
        best = None
        for element in [block, *block.find_all(True)]:
            if element.name in {"img", "script", "style"}:
                continue
            if matches(visible_text(element)):
                best = element  # later candidates are deeper in document order
        if best is not None:
            return best
    return None


def _lockup_alt(blocks: list[Tag], programme: FundingProgramme) -> str:
    """The alternative text of the declared official lockup shown in the disclosure, or ""."""
    if not programme.logo_is_official_lockup:
        return ""
    return " ".join(norm(img.get("alt") or "") for block in blocks for img in block.find_all("img") if is_lockup(img))


def _common_rules(soup, *, project: ProjectPage, programme: FundingProgramme, is_project_page: bool):
    results = []
    page_text = visible_text(soup.body or soup)
    if norm(project.title) in page_text:
        results.append(result("project_name", True, _("The project's name is shown."), programme))
    else:
        results.append(
            result(
                "project_name", False, _("The project's name “%s” is not shown on the page.") % project.title, programme
            )
        )
    results.append(_registration_rule(soup, project=project, programme=programme))
    names = [n for n in (programme.name, programme.short_name) if n]
    if any(norm(n) in page_text for n in names):
        results.append(result("programme_named", True, _("The programme %s is named.") % programme.name, programme))
    else:
        results.append(
            result(
                "programme_named", False, _("The programme “%s” is not named on the page.") % programme.name, programme
            )
        )
    if is_project_page:
        summary = soup.find(id="project-summary")
        results.append(
            result("short_description", True, _("A short description is shown."), programme)
            if visible_text(summary)
            else result("short_description", False, _("The page shows no short description."), programme)
        )
        aims = soup.find(id="project-aims")
        aim_items = [li for li in aims.find_all("li") if visible_text(li)] if aims else []
        results.append(
            result("aims", True, _("%d aims are shown.") % len(aim_items), programme)
            if aim_items
            else result("aims", False, _("The page shows no aims."), programme)
        )
        outcome = soup.find(id="project-results")
        results.append(
            result("results", True, _("Results are shown."), programme)
            if visible_text(outcome)
            else result("results", False, _("The page shows no expected or achieved results."), programme)
        )
    return results


def _registration_rule(soup, *, project: ProjectPage, programme: FundingProgramme) -> RuleResult:
    raw_text = " ".join((soup.body or soup).get_text(" ").split())
    tokens = _tokens(raw_text)
    expected = (project.registration_number or "").strip()
    matching = [t for t in tokens if programme.registration_number_matches(t)]
    example = programme.registration_number_example or programme.registration_number_pattern
    if expected and placeholder_reason(expected):
        return result("registration_number", False, placeholder_reason(expected), programme)
    if expected and expected in matching:
        return result("registration_number", True, _("Registration number %s is shown.") % expected, programme)
    if expected and expected in tokens:
        return result(
            "registration_number",
            False,
            _("The registration number “%(number)s” does not match the pattern of %(programme)s (e.g. %(example)s).")
            % {"number": expected, "programme": programme.name, "example": example},
            programme,
        )
    if matching:
        return result(
            "registration_number",
            False,
            _("The page shows registration number %(shown)s, but the project's number is “%(number)s”.")
            % {"shown": matching[0], "number": expected},
            programme,
        )
    return result("registration_number", False, _("No registration number is shown on the page."), programme)


def _eu_rules(soup, *, programme: FundingProgramme, language: str) -> list[RuleResult]:
    results = []
    blocks = programme_blocks(soup, programme)
    emblems = [img for block in blocks for img in block.find_all("img") if is_emblem(img)]
    lockup_alt = _lockup_alt(blocks, programme)

    # The emblem, or the declared official lockup that contains it.
    if emblems:
        alts = [norm(img.get("alt") or "") for img in emblems]
        if any(any(n in alt for n in EU_NAMES) for alt in alts):
            results.append(
                result("eu_emblem_alt", True, _("The EU emblem's alternative text names the EU."), programme)
            )
        elif not any(alts):
            results.append(result("eu_emblem_alt", False, _("The EU emblem image has no alternative text."), programme))
        else:
            results.append(
                result(
                    "eu_emblem_alt",
                    False,
                    _("The EU emblem's alternative text “%s” does not name the European Union.") % alts[0],
                    programme,
                )
            )
    elif lockup_alt and any(n in lockup_alt for n in EU_NAMES):
        results.append(
            result(
                "eu_emblem_alt",
                True,
                _("The emblem is part of the programme's official logo lockup, whose alternative text names the EU."),
                programme,
            )
        )
    else:
        results.append(result("eu_emblem_alt", False, _("No EU emblem image is shown in the disclosure."), programme))

    if programme.kind == FunderKind.EU_2021_2027:
        phrases = statement_phrases(programme, language)
        statement = statement_element(blocks, lambda text: any(p in text for p in phrases))
        if statement is not None:
            results.append(
                result("eu_statement_text", True, _("The funding statement is written out as text."), programme)
            )
        elif any(p in _image_texts(soup) for p in phrases):
            results.append(
                result(
                    "eu_statement_text",
                    False,
                    _(
                        "The funding statement appears only inside an image; in 2021–2027 it must be written out "
                        "as text a reader can select."
                    ),
                    programme,
                )
            )
        else:
            results.append(
                result(
                    "eu_statement_text",
                    False,
                    _("The statement “%s” is not written beside the emblem.") % phrases[0].capitalize(),
                    programme,
                )
            )
    else:
        block_text = " ".join(visible_text(block) for block in blocks)
        words = EU_WORDS.get(language, EU_WORDS["en"])
        if any(w in block_text for w in words):
            results.append(result("eu_union_words", True, _("The words “European Union” are shown."), programme))
        elif any(w in lockup_alt for w in (*words, *EU_NAMES)):
            results.append(
                result(
                    "eu_union_words",
                    True,
                    _("The words “European Union” are inside the programme's official logo lockup."),
                    programme,
                )
            )
        else:
            results.append(
                result(
                    "eu_union_words",
                    False,
                    _("The words “%s” are not written in the disclosure.")
                    % EU_WORDS_DISPLAY.get(language, "European Union"),
                    programme,
                )
            )
        fund = norm(programme.fund_name)
        if not fund:
            results.append(result("eu_fund_name", False, _("The programme has no fund name set."), programme))
        elif fund in block_text:
            results.append(result("eu_fund_name", True, _("The fund %s is named.") % programme.fund_name, programme))
        elif fund in lockup_alt:
            results.append(
                result(
                    "eu_fund_name",
                    True,
                    _("The fund %s is named inside the programme's official logo lockup.") % programme.fund_name,
                    programme,
                )
            )
        else:
            results.append(
                result(
                    "eu_fund_name",
                    False,
                    _("The fund “%s” is not named in the disclosure.") % programme.fund_name,
                    programme,
                )
            )
    results.append(_footer_rule(soup, programme=programme, language=language))
    return results


def _footer_rule(soup, *, programme: FundingProgramme, language: str) -> RuleResult:
    bar = soup.select_one(".funders-bar")
    if bar is None:
        return result("eu_footer_bar", False, _("The page has no funders' bar in its footer."), programme)
    emblem = next((img for img in bar.find_all("img") if is_emblem(img)), None)
    if emblem is None:
        return result("eu_footer_bar", False, _("The funders' bar does not show the EU emblem."), programme)
    holder = emblem.find_parent(class_="funders-eu") or emblem.parent
    text = visible_text(holder)
    wanted = EU_STATEMENTS.get(language, EU_STATEMENTS["en"])
    if programme.kind == FunderKind.EU_2014_2020:
        wanted = (*wanted, *EU_WORDS.get(language, EU_WORDS["en"]))
    if any(w in text for w in wanted):
        return result(
            "eu_footer_bar", True, _("The funders' bar writes out the words beside the EU emblem."), programme
        )
    return result(
        "eu_footer_bar",
        False,
        _("The funders' bar shows the EU emblem without the statement beside it."),
        programme,
    )


def _eea_rules(soup, *, programme: FundingProgramme, language: str) -> list[RuleResult]:
    results = []
    mechanism = MECHANISMS[programme.kind]
    blocks = programme_blocks(soup, programme)
    logos = [img for block in blocks for img in block.find_all("img")]
    alts = [norm(img.get("alt") or "") for img in logos]
    others = [m["logo"] for kind, m in MECHANISMS.items() if kind != programme.kind]
    label = programme.get_kind_display()
    if any(any(n in alt for n in mechanism["logo"]) for alt in alts):
        results.append(
            result("eea_logo", True, _("The %s logo is shown and named in its alternative text.") % label, programme)
        )
    elif logos and not any(alts):
        results.append(result("eea_logo", False, _("The logo has no alternative text."), programme))
    elif any(any(n in alt for names in others for n in names) for alt in alts):
        results.append(
            result(
                "eea_logo",
                False,
                _("The logo shown (“%(alt)s”) is another mechanism's, not the %(mechanism)s logo.")
                % {"alt": alts[0], "mechanism": label},
                programme,
            )
        )
    elif logos:
        results.append(
            result(
                "eea_logo",
                False,
                _("The logo's alternative text “%(alt)s” does not name %(mechanism)s.")
                % {"alt": alts[0], "mechanism": label},
                programme,
            )
        )
    else:
        results.append(result("eea_logo", False, _("No %s logo is shown.") % label, programme))

    donors = mechanism["donors"].get(language, mechanism["donors"]["en"])
    names = mechanism["names"].get(language, mechanism["names"]["en"])

    # The donors, then the mechanism within a few words of the same sentence ("… Norway through the Norway Grants").
    pattern = re.compile(
        "(?:"
        + "|".join(re.escape(d) for d in donors)
        + r")(?:[^\w.·]+\w+){0,6}?[^\w.·]+(?:"
        + "|".join(re.escape(n) for n in names)
        + ")"
    )

    def matches(text: str) -> bool:
        return pattern.search(text) is not None

    if statement_element(blocks, matches) is not None:
        results.append(
            result("eea_statement_text", True, _("The support statement is written out as text."), programme)
        )
    elif matches(_image_texts(soup)):
        results.append(
            result(
                "eea_statement_text",
                False,
                _("The support statement appears only inside an image, not as text."),
                programme,
            )
        )
    else:
        example = mechanism["statement"].get(language, mechanism["statement"]["en"])
        results.append(
            result(
                "eea_statement_text",
                False,
                _("No %(mechanism)s support statement is written in this language (for example “%(example)s”).")
                % {"mechanism": label, "example": example},
                programme,
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
        return result("eea_both_languages", True, _("The page is live in Czech and English."), programme)
    names = {"cs": str(pgettext_lazy("a live … page", "Czech")), "en": str(pgettext_lazy("a live … page", "English"))}
    return result(
        "eea_both_languages",
        False,
        _("There is no live %s page for this project.") % ", ".join(names[c] for c in missing),
        programme,
    )


def check_html(
    html: str,
    *,
    project: ProjectPage,
    programmes: list[FundingProgramme],
    language: str,
    is_project_page: bool,
    soup: BeautifulSoup | None = None,
) -> list[RuleResult]:
    """Apply every rule that can be read from the HTML to one rendered page (`soup`: the HTML already parsed)."""
    soup = soup if soup is not None else BeautifulSoup(html, "html.parser")
    results: list[RuleResult] = []
    for programme in programmes:
        results += _common_rules(soup, project=project, programme=programme, is_project_page=is_project_page)
        if programme.is_eu:
            results += _eu_rules(soup, programme=programme, language=language)
        elif programme.is_eea_norway:
            results += _eea_rules(soup, programme=programme, language=language)
            if is_project_page:
                results.append(both_languages_rule(project=project, programme=programme))
    return dedupe(results)


def dedupe(results: Iterable[RuleResult]) -> list[RuleResult]:
    """Rules shared by several programmes of one project are reported once each (failures win)."""
    seen: dict[tuple[str, str, str], RuleResult] = {}
    for item in results:
        key = (item.rule, item.programme, item.viewport)
        if key not in seen or (seen[key].passed and not item.passed):
            seen[key] = item
    return list(seen.values())


# Without a browser: the layout rules estimated from inline styles and attributes --------------


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


def _hex(colour: str) -> str:
    colour = colour.replace(" ", "").lower()
    names = {"black": "#000000", "white": "#ffffff"}
    if colour in names:
        return names[colour]
    if re.fullmatch(r"#[0-9a-f]{3}", colour):
        return "#" + "".join(c * 2 for c in colour[1:])
    match = re.fullmatch(r"rgba?\((\d+),(\d+),(\d+)(?:,[\d.]+)?\)", colour)
    if match:
        return "#" + "".join(f"{int(v):02x}" for v in match.groups())
    return colour


def _eu_words_element(blocks, programme, language):
    phrases = statement_phrases(programme, language) or EU_WORDS.get(language, EU_WORDS["en"])
    return statement_element(blocks, lambda text: any(p in text for p in phrases))


def approximate_layout_rules(soup: BeautifulSoup, *, programme: FundingProgramme, language: str) -> list[RuleResult]:
    """The layout rules of an EU programme, estimated from the HTML alone (each reason says so)."""
    blocks = programme_blocks(soup, programme)
    images = [img for block in blocks for img in block.find_all("img")]
    emblems = [img for img in images if is_emblem(img) or (is_lockup(img) and programme.logo_is_official_lockup)]
    results = []
    if emblems:
        emblem_height = max((_height(img) or 0) for img in emblems)
        others = [_height(img) for img in images if img not in emblems]
        known = [h for h in others if h is not None]
        if emblem_height and len(known) == len(others) and (not known or max(known) <= emblem_height):
            results.append(
                result(
                    "eu_emblem_height",
                    True,
                    _("The emblem (%d px) is at least as high as every logo beside it.") % emblem_height,
                    programme,
                )
            )
        elif not emblem_height or len(known) != len(others):
            results.append(
                result("eu_emblem_height", False, _("The height of the emblem or of a logo is not stated."), programme)
            )
        else:
            results.append(
                result(
                    "eu_emblem_height",
                    False,
                    _("The emblem is %(emblem)d px high, smaller than a logo beside it (%(other)d px).")
                    % {"emblem": emblem_height, "other": max(known)},
                    programme,
                )
            )
        header = soup.find("header")
        main = soup.find("main")
        first_heading = main.find(["h1", "h2"]) if main else soup.find(["h1", "h2"])
        in_header = header is not None and any(is_emblem(img) for img in header.find_all("img"))
        before = first_heading is None or (emblems[0].sourceline, emblems[0].sourcepos) < (
            first_heading.sourceline,
            first_heading.sourcepos,
        )
        results.append(
            result("eu_emblem_on_landing", True, _("The emblem comes before the first heading."), programme)
            if in_header or before
            else result("eu_emblem_on_landing", False, _("The emblem comes after the page's first heading."), programme)
        )
    else:
        for rule in ("eu_emblem_height", "eu_emblem_on_landing"):
            results.append(result(rule, False, _("There is no emblem to measure."), programme))
    words = _eu_words_element(blocks, programme, language)
    lockup_only = words is None and programme.logo_is_official_lockup and any(is_lockup(i) for i in images)
    if lockup_only:
        for rule in ("eu_statement_font", "eu_statement_colour", "eu_statement_beside_emblem"):
            results.append(result(rule, True, _("The words are inside the official logo lockup."), programme))
    elif words is None:
        for rule in ("eu_statement_font", "eu_statement_colour", "eu_statement_beside_emblem"):
            results.append(result(rule, False, _("There are no words beside the emblem to check."), programme))
    else:
        font, colour, problems = None, None, []
        node = words
        while isinstance(node, Tag):
            style = _style(node)
            if node.name in {"i", "em"} or "italic" in style.get("font-style", ""):
                problems.append(str(_("it is set in italics")))
            if node.name == "u" or "underline" in style.get("text-decoration", ""):
                problems.append(str(_("it is underlined")))
            font = font or style.get("font-family")
            colour = colour or style.get("color")
            node = node.parent
        first = (font or "").split(",")[0].strip().strip("'\"")
        if first not in PERMITTED_FONTS:
            problems.append(str(_("its font “%s” is not a permitted one") % (first or "?")))
        results.append(
            result("eu_statement_font", True, _("The inline style sets a permitted font."), programme)
            if not problems
            else result(
                "eu_statement_font", False, _("The statement is not compliant: %s.") % "; ".join(problems), programme
            )
        )
        results.append(
            result("eu_statement_colour", True, _("The inline colour is permitted."), programme)
            if colour and _hex(colour) in PERMITTED_COLOURS
            else result(
                "eu_statement_colour", False, _("The inline colour %s is not permitted.") % (colour or "?"), programme
            )
        )
        same_block = any(words in block.find_all(True) or words is block for block in blocks) and bool(emblems)
        results.append(
            result(
                "eu_statement_beside_emblem", True, _("The words are in the same disclosure as the emblem."), programme
            )
            if same_block
            else result("eu_statement_beside_emblem", False, _("The words are not beside the emblem."), programme)
        )
    for item in results:
        item.reason = str(NOT_IN_BROWSER) + item.reason
    return results
