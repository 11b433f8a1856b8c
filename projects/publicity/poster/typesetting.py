"""Fonts and text for the posters: measuring, breaking lines, fitting text to a box.

Every text is set in Liberation Sans (Debian's fonts-liberation), which has the
metrics of Arial, a permitted font (Regulation (EU) 2021/1060, Annex IX 1.3);
without it, Carlito (fonts-crosextra-carlito), which has those of Calibri.
Ubuntu, also permitted, is not in Debian's main archive. The PDF embeds the
font (a subset of it); the PNG draws with the same file, so both break lines alike.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from projects.publicity.poster.layout import Colour, PosterError, PosterLayout, TextLine

# The fonts, looked for in this order: (family, regular, bold). PUBLICITY_POSTER_FONTS overrides them.
FONT_CANDIDATES = (
    (
        "Liberation Sans",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "Liberation Sans",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
    ),
    (
        "Carlito",
        "/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf",
        "/usr/share/fonts/truetype/crosextra/Carlito-Bold.ttf",
    ),
)


@dataclass(frozen=True)
class PosterFont:
    family: str
    regular: str
    bold: str

    def pdf_name(self, *, bold: bool = False) -> str:
        """The name the font is registered under for ReportLab (one per file)."""
        return "Poster-" + Path(self.bold if bold else self.regular).stem


@functools.cache
def _font_from(candidates: tuple) -> PosterFont:
    for family, regular, bold in candidates:
        if Path(regular).is_file() and Path(bold).is_file():
            font = PosterFont(family, regular, bold)
            pdfmetrics.registerFont(TTFont(font.pdf_name(), regular))
            pdfmetrics.registerFont(TTFont(font.pdf_name(bold=True), bold))
            return font
    raise PosterError(
        gettext(
            "No permitted font for the poster is installed: install fonts-liberation (apt-get install fonts-liberation)."
        )
    )


def poster_font() -> PosterFont:
    """The first installed permitted font (Liberation Sans, or Carlito), registered for ReportLab."""
    configured = getattr(settings, "PUBLICITY_POSTER_FONTS", None)
    return _font_from(tuple(tuple(entry) for entry in configured) if configured else FONT_CANDIDATES)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    return pdfmetrics.stringWidth(text, poster_font().pdf_name(bold=bold), size)


def _ascent_descent() -> tuple[float, float]:
    face = pdfmetrics.getFont(poster_font().pdf_name()).face
    return face.ascent / 1000, -face.descent / 1000


def wrap(text: str, *, size: float, width: float, bold: bool = False) -> list[str]:
    """Greedy line breaks at spaces; a word wider than the line is broken where it must."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while text_width(current, size, bold=bold) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and text_width(current[:cut], size, bold=bold) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def balanced_wrap(text: str, *, size: float, width: float, bold: bool = False, narrowest: float = 0) -> list[str]:
    """As few lines as greedy wrapping needs, but of even length (no lone last word).

    The lines may be narrowed down to `narrowest` × the width (0: as far as it takes).
    """
    lines = wrap(text, size=size, width=width, bold=bold)
    if len(lines) < 2:
        return lines
    low, high = width * narrowest, width
    if len(wrap(text, size=size, width=low, bold=bold)) == len(lines):
        return wrap(text, size=size, width=low, bold=bold)
    for _step in range(18):
        middle = (low + high) / 2
        if len(wrap(text, size=size, width=middle, bold=bold)) == len(lines):
            high = middle
        else:
            low = middle
    return wrap(text, size=size, width=high, bold=bold)


def block_height(count: int, size: float, leading: float) -> float:
    ascent, descent = _ascent_descent()
    return (ascent + descent) * size + (count - 1) * leading * size if count else 0


@dataclass
class TextBlock:
    lines: list[tuple[str, bool]]
    size: float
    leading: float

    @property
    def height(self) -> float:
        return block_height(len(self.lines), self.size, self.leading)

    @property
    def width(self) -> float:
        return max((text_width(text, self.size, bold=bold) for text, bold in self.lines), default=0)

    def place(self, *, x: float, top: float, colour: Colour, role: str, layout: PosterLayout) -> float:
        """Add the lines with their first line's top at `top`; return the block's bottom."""
        ascent, _descent = _ascent_descent()
        baseline = top + ascent * self.size
        for text, bold in self.lines:
            layout.lines.append(TextLine(text, x, baseline, self.size, bold, colour, role))
            baseline += self.leading * self.size
        return top + self.height


def fit_text(
    paragraphs: Iterable[tuple[str, bool]],
    *,
    width: float,
    height: float,
    sizes: tuple[float, float],
    leading: float = 1.2,
    max_lines: int | None = None,
    keep_short: int = 0,
    narrowest: float = 0,
) -> TextBlock | None:
    """The largest size between sizes[1] and sizes[0] at which the paragraphs fit the box, or None.

    A paragraph of at most `keep_short` characters must stay on one line.
    """
    paragraphs = [(text, bold) for text, bold in paragraphs if text]
    largest, smallest = sizes
    size = largest
    while size >= smallest - 1e-9:
        lines: list[tuple[str, bool]] = []
        fits = True
        for text, bold in paragraphs:
            if len(text) <= keep_short and text_width(text, size, bold=bold) > width:
                fits = False
                break
            lines += [
                (line, bold) for line in balanced_wrap(text, size=size, width=width, bold=bold, narrowest=narrowest)
            ]
        block = TextBlock(lines, size, leading)
        if fits and block.height <= height and (max_lines is None or len(lines) <= max_lines):
            return block
        size -= max(largest * 0.02, 0.01)
    return None


def truncated(block: TextBlock, *, height: float) -> TextBlock:
    """The block cut to the lines that fit the height, the last ending with an ellipsis."""
    lines = list(block.lines)
    cut = False
    while lines and block_height(len(lines), block.size, block.leading) > height:
        lines.pop()
        cut = True
    if cut and lines:
        text, bold = lines[-1]
        lines[-1] = (text.rstrip(" ,.;:–-") + "…", bold)
    return TextBlock(lines, block.size, block.leading)
