"""The composition of the two posters: the funders across the top, the project's name and aim, the facts and the QR code.

A3 (297×420 mm, portrait): the funders' rows; the name, the main aim and what
the project is about, as large as the room allows; a tinted panel with the
registration number, the period, the promoter and the programme, and the QR code.
The screen (1920×1080 px): the funders' rows; the name and the main aim on the
left with the registration number and the promoter under them; the QR code on the right.

Principal marks are all as high as the spec's mark height (a very wide logo
is narrowed to half the width); no other logo is higher than the lowest of them.
"""

from dataclasses import dataclass

import qrcode
from PIL import Image

from projects.publicity.poster.facts import PosterFacts
from projects.publicity.poster.layout import (
    A3,
    BLACK,
    BRAND,
    INK,
    LINE,
    MUTED,
    SCREEN,
    TINT,
    WHITE,
    Box,
    Mark,
    Panel,
    PosterLayout,
    QRMark,
)
from projects.publicity.poster.typesetting import (
    TextBlock,
    block_height,
    fit_text,
    poster_font,
    text_width,
    truncated,
    wrap,
)


@dataclass(frozen=True)
class PosterSpec:
    kind: str
    width: float
    height: float
    unit: str
    margin_x: float
    margin_y: float
    mark_height: float  # the height of the emblem and the other principal marks
    gap: float
    title_sizes: tuple[float, float]
    title_lines: int
    label_size: float
    aim_sizes: tuple[float, float]
    about_sizes: tuple[float, float] | None
    fact_sizes: tuple[float, float]
    caption_size: float
    qr_size: float


A3_SPEC = PosterSpec(
    kind=A3,
    width=297,
    height=420,
    unit="mm",
    margin_x=20,
    margin_y=20,
    mark_height=38,
    gap=7,
    title_sizes=(28, 13),
    title_lines=5,
    label_size=6.5,
    aim_sizes=(13, 7),
    about_sizes=(8.5, 6.5),
    fact_sizes=(8, 5.5),
    caption_size=5,
    qr_size=64,
)
SCREEN_SPEC = PosterSpec(
    kind=SCREEN,
    width=1920,
    height=1080,
    unit="px",
    margin_x=80,
    margin_y=56,
    mark_height=140,
    gap=32,
    title_sizes=(92, 52),
    title_lines=3,
    label_size=30,
    aim_sizes=(46, 28),
    about_sizes=None,
    fact_sizes=(34, 24),
    caption_size=28,
    qr_size=300,
)
SPECS = {A3: A3_SPEC, SCREEN: SCREEN_SPEC}


def _qr_modules(url: str) -> tuple[tuple[bool, ...], ...]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def _aspect(image: Image.Image) -> float:
    return image.width / image.height if image.height else 1


def _compose_funders(facts: PosterFacts, spec: PosterSpec, layout: PosterLayout, top: float) -> float:
    """The funders' rows across the top; returns the bottom of the last one."""
    left, content = spec.margin_x, spec.width - 2 * spec.margin_x
    height, gap = spec.mark_height, spec.gap
    # Principal marks are all `height` high (a very wide logo is narrowed to half the width, and its height
    # with it); no other logo is higher than the lowest principal mark.
    principal_sizes = []
    for funder in facts.funders:
        if funder.principal == "eu_emblem":
            principal_sizes.append((1.5 * height, height))
        elif funder.principal == "logo":
            aspect = _aspect(funder.principal_image)
            width = min(aspect * height, content / 2)
            principal_sizes.append((width, width / aspect))
        else:
            principal_sizes.append((0, 0))
    cap = min((size[1] for size in principal_sizes if size[1]), default=height)
    y = top
    for funder, (principal_width, principal_height) in zip(facts.funders, principal_sizes, strict=True):
        row_height = max(principal_height, cap if funder.others else 0) or height
        x = left
        if funder.principal:
            box = Box(x, y + (row_height - principal_height) / 2, principal_width, principal_height)
            layout.marks.append(Mark(box, funder.principal, True, funder.principal_alt, funder.principal_image))
            x = box.right + gap
        # The words beside the principal mark, as large as they fit: the other logos at the right end (never
        # higher than the principal mark) are made lower when that gives the words a larger size.
        choice = None
        for scale in (1.0, 0.85, 0.7, 0.6):
            other_height = cap * scale
            room = left + content - x - sum(_aspect(image) * other_height + gap for image, _alt in funder.others)
            block = fit_text(
                funder.words, width=room, height=row_height, sizes=(0.36 * height, 0.16 * height), keep_short=40
            )
            size = block.size if block is not None else 0
            if choice is None or size > choice[0]:
                choice = (size, other_height, block)
            if size >= 0.26 * height or not funder.words or not funder.others:
                break
        _size, other_height, words_block = choice
        # A long statement that comes out small beside the mark goes right under the marks, across the width.
        below = None
        if funder.words and (words_block is None or words_block.size < 0.2 * height):
            below = fit_text(funder.words, width=content, height=1.2 * height, sizes=(0.26 * height, 0.12 * height))
            if below is not None and words_block is not None and below.size < words_block.size * 1.15:
                below = None
            if below is None and words_block is None:
                below = fit_text(funder.words, width=content, height=spec.height, sizes=(0.12 * height, 0.04 * height))
        if below is not None:
            words_block, other_height = None, cap
        right = left + content
        for image, alt in reversed(funder.others):
            width = _aspect(image) * other_height
            box = Box(right - width, y + (row_height - other_height) / 2, width, other_height)
            layout.marks.append(Mark(box, "logo", False, alt, image))
            right = box.x - gap
        bottom = y + row_height
        if words_block is not None:
            words_block.place(
                x=x, top=y + (row_height - words_block.height) / 2, colour=BLACK, role="statement", layout=layout
            )
        elif below is not None:
            bottom = below.place(x=left, top=bottom + gap * 0.8, colour=BLACK, role="statement", layout=layout)
        y = bottom + gap
    return y - gap


@dataclass(frozen=True)
class Section:
    """A run of text in the body: the project's name, its main aim or what it is about."""

    label: str
    text: str
    sizes: tuple[float, float]
    bold: bool
    leading: float
    role: str
    max_lines: int | None = None
    optional: bool = False  # left out rather than made small


def _body_sections(facts: PosterFacts, spec: PosterSpec) -> list[Section]:
    sections = [Section("", facts.title, spec.title_sizes, True, 1.1, "title", spec.title_lines)]
    if facts.main_aim:
        sections.append(Section(facts.labels["aim"], facts.main_aim, spec.aim_sizes, False, 1.28, "aim"))
    if spec.about_sizes and facts.about and facts.about != facts.main_aim:
        sections.append(
            Section(facts.labels["about"], facts.about, spec.about_sizes, False, 1.32, "about", optional=True)
        )
    return sections


def _fit_sections(sections: list[Section], spec: PosterSpec, *, width: float, height: float):
    """The sections' text blocks at the largest common scale that fits, or None."""
    label_height = block_height(1, spec.label_size, 1.2) + spec.gap / 2
    space = spec.gap * 2
    for step in range(16):
        scale = 1 - step * 0.04
        blocks = []
        for section in sections:
            size = max(section.sizes[0] * scale, section.sizes[1])
            block = fit_text(
                [(section.text, section.bold)],
                width=width,
                height=height,
                sizes=(size, size),
                leading=section.leading,
                max_lines=section.max_lines,
                narrowest=0 if section.role == "title" else 0.8,
            )
            if block is None:
                break
            blocks.append(block)
        else:
            total = sum(
                block.height + (label_height if section.label else 0)
                for section, block in zip(sections, blocks, strict=True)
            )
            total += space * (len(sections) - 1)
            total += sum(spec.gap * 1.25 for section in sections if section.role == "title")
            if total <= height:
                return blocks, total
        if any(section.optional for section in sections) and scale < 0.8:
            return None  # rather than shrink the name and the aim for an optional section
    return None


def _compose_body(
    facts: PosterFacts, spec: PosterSpec, layout: PosterLayout, *, x: float, top: float, width: float, bottom: float
) -> None:
    """The project's name, its main aim (and on A3 what it is about), as large as the room allows.

    What is left over goes a third above and two thirds below, so the text sits high on the page.
    """
    sections = _body_sections(facts, spec)
    fitted = _fit_sections(sections, spec, width=width, height=bottom - top)
    if fitted is None:
        sections = [section for section in sections if not section.optional]
        fitted = _fit_sections(sections, spec, width=width, height=bottom - top)
    if fitted is None:  # even at the smallest sizes: the smallest name, and the aim cut to the room left
        blocks = []
        room = bottom - top
        for section in sections:
            lines = wrap(section.text, size=section.sizes[1], width=width, bold=section.bold)
            block = TextBlock([(line, section.bold) for line in lines], section.sizes[1], section.leading)
            limit = room / 2 if section.role == "title" else room - block_height(1, spec.label_size, 1.2) - spec.gap * 3
            block = truncated(block, height=limit)
            room -= block.height + spec.gap * 3
            blocks.append(block)
        fitted = (blocks, bottom - top)
    blocks, total = fitted
    y = top + (bottom - top - total) / 3
    for index, (section, block) in enumerate(zip(sections, blocks, strict=True)):
        if index:
            y += spec.gap * 2
        if section.label:
            y = TextBlock([(section.label, True)], spec.label_size, 1.2).place(
                x=x, top=y, colour=BRAND, role="label", layout=layout
            )
            y += spec.gap / 2
        y = block.place(x=x, top=y, colour=INK, role=section.role, layout=layout)
        if section.role == "title":
            layout.panels.append(Panel(Box(x, y + spec.gap * 0.9, spec.gap * 5, spec.gap * 0.35), BRAND))
            y += spec.gap * 1.25


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    bold: bool = False


def _fact_grid(facts: PosterFacts, kind: str) -> list[list[Fact]]:
    """Rows of facts: the registration number first (with the period beside it on A3)."""
    labels = facts.labels
    number = Fact(labels["registration_number"], facts.registration_number, True)
    promoter = Fact(labels["promoter"], facts.promoter) if facts.promoter else None
    programme = Fact(labels["programme"], "; ".join(facts.programmes))
    if kind == SCREEN:
        return [[number, promoter or programme]]
    rows = [[number, Fact(labels["period"], facts.period)] if facts.period else [number]]
    if promoter:
        rows.append([promoter])
    rows.append([programme])
    return rows


def _rows_that_fit(grid: list[list[Fact]], spec: PosterSpec, *, size: float, width: float) -> list[list[Fact]]:
    """A row of several facts stays one row only when each value fits on one line side by side (A3).

    On the screen the facts share the row in equal columns.
    """
    if spec.kind == SCREEN:
        return grid
    rows = []
    for row in grid:
        natural = sum(text_width(fact.value, size, bold=fact.bold) for fact in row) + spec.gap * 2 * (len(row) - 1)
        rows += [row] if len(row) == 1 or natural <= width else [[fact] for fact in row]
    return rows


@dataclass
class FittedFacts:
    rows: list[list[tuple[float, TextBlock, TextBlock]]]  # (x offset, label, value) per cell
    size: float
    height: float


def _fit_facts(grid: list[list[Fact]], spec: PosterSpec, *, width: float, height: float) -> FittedFacts:
    """The facts at the largest size (down to the smallest) whose rows fit the height; values keep to two lines."""
    largest, smallest = spec.fact_sizes
    size = largest
    while True:
        label_size = size * 0.72
        rows = []
        total = 0.0
        for row in _rows_that_fit(grid, spec, size=size, width=width):
            cells = []
            if len(row) == 1:
                columns = [width]
            elif spec.kind == SCREEN:
                columns = [(width - spec.gap * 2 * (len(row) - 1)) / len(row)] * len(row)
            else:
                columns = [text_width(fact.value, size, bold=fact.bold) for fact in row]
            offset = 0.0
            for fact, column in zip(row, columns, strict=True):
                value = fit_text(
                    [(fact.value, fact.bold)], width=column, height=spec.height, sizes=(size, size), max_lines=2
                )
                if value is None:
                    lines = wrap(fact.value, size=size, width=column, bold=fact.bold)
                    value = truncated(
                        TextBlock([(line, fact.bold) for line in lines], size, 1.2), height=block_height(2, size, 1.2)
                    )
                cells.append((offset, TextBlock([(fact.label, False)], label_size, 1.2), value))
                offset += column + spec.gap * 2
            rows.append(cells)
            total += max(label.height + size * 0.25 + value.height for _x, label, value in cells)
        total += (len(rows) - 1) * size * 0.9
        if total <= height or size <= smallest:
            return FittedFacts(rows, size, total)
        size = max(smallest, size - largest * 0.04)


def _place_facts(fitted: FittedFacts, layout: PosterLayout, *, x: float, top: float) -> None:
    y = top
    for cells in fitted.rows:
        bottom = y
        for offset, label, value in cells:
            value_top = label.place(x=x + offset, top=y, colour=MUTED, role="fact", layout=layout) + fitted.size * 0.25
            bottom = max(bottom, value.place(x=x + offset, top=value_top, colour=INK, role="fact", layout=layout))
        y = bottom + fitted.size * 0.9


def _compose_qr(facts: PosterFacts, spec: PosterSpec, layout: PosterLayout, *, x: float, top: float) -> float:
    """The QR code on white, with its caption under it; returns the caption's bottom."""
    modules = _qr_modules(facts.url)
    quiet = spec.qr_size * 4 / (len(modules) + 8)  # the code's quiet zone: four modules
    layout.panels.append(Panel(Box(x, top, spec.qr_size, spec.qr_size), WHITE))
    layout.qr = QRMark(
        Box(x + quiet, top + quiet, spec.qr_size - 2 * quiet, spec.qr_size - 2 * quiet), facts.url, modules
    )
    caption = TextBlock([(facts.labels["more"], True)], spec.caption_size, 1.2)
    caption_x = x + (spec.qr_size - caption.width) / 2
    return caption.place(x=caption_x, top=top + spec.qr_size + spec.gap / 2, colour=INK, role="caption", layout=layout)


def _short_url(url: str) -> str:
    return url.split("://", 1)[-1]


def compose_poster(facts: PosterFacts, kind: str = A3) -> PosterLayout:
    """The poster's layout in one of the two formats (A3 or SCREEN)."""
    poster_font()
    spec = SPECS[kind]
    layout = PosterLayout(
        kind=kind,
        width=spec.width,
        height=spec.height,
        unit=spec.unit,
        language=facts.language,
        title=f"{facts.title} – {facts.labels['poster']}",
        subject=" ".join(text for funder in facts.funders for text, _bold in funder.words),
        author=facts.promoter,
    )
    left, right = spec.margin_x, spec.width - spec.margin_x
    funders_bottom = _compose_funders(facts, spec, layout, spec.margin_y)
    rule_y = funders_bottom + spec.gap * 1.4
    layout.panels.append(Panel(Box(left, rule_y, right - left, spec.gap / 10), LINE))
    body_top = rule_y + spec.gap * 2
    pad = spec.gap * 1.2
    caption_height = spec.gap / 2 + block_height(1, spec.caption_size, 1.2)
    grid = _fact_grid(facts, kind)
    if kind == A3:
        # Name and aim across the page; under them a tinted panel: the facts on the left, the QR code on the right.
        url = TextBlock([(_short_url(facts.url), False)], spec.caption_size * 0.85, 1.2)
        facts_width = right - left - 3 * pad - spec.qr_size
        fitted = _fit_facts(grid, spec, width=facts_width, height=spec.height * 0.28)
        inside = max(spec.qr_size + caption_height, fitted.height + spec.gap + url.height)
        panel = Box(left, spec.height - spec.margin_y - inside - 2 * pad, right - left, inside + 2 * pad)
        _compose_body(facts, spec, layout, x=left, top=body_top, width=right - left, bottom=panel.y - spec.gap * 2)
        layout.panels.append(Panel(panel, TINT, radius=spec.gap / 2))
        _place_facts(fitted, layout, x=panel.x + pad, top=panel.y + pad)
        if url.width <= facts_width:
            url.place(x=panel.x + pad, top=panel.bottom - pad - url.height, colour=MUTED, role="url", layout=layout)
        _compose_qr(facts, spec, layout, x=panel.right - pad - spec.qr_size, top=panel.y + pad)
    else:
        # A wide screen: name and aim on the left, the facts under them; the QR code in a panel on the right.
        column = spec.qr_size + 2 * pad
        panel = Box(right - column, body_top, column, spec.height - spec.margin_y - body_top)
        body_right = panel.x - spec.gap * 2
        fitted = _fit_facts(grid, spec, width=body_right - left, height=spec.height * 0.2)
        facts_top = spec.height - spec.margin_y - fitted.height
        _compose_body(
            facts, spec, layout, x=left, top=body_top, width=body_right - left, bottom=facts_top - spec.gap * 1.5
        )
        layout.panels.append(Panel(panel, TINT, radius=spec.gap / 2))
        _place_facts(fitted, layout, x=left, top=facts_top)
        qr_top = panel.y + (panel.height - spec.qr_size - caption_height) / 2
        _compose_qr(facts, spec, layout, x=panel.x + pad, top=qr_top)
    return layout
