"""The poster's layout: what is drawn where, in the poster's units (mm on A3, px on the screen).

The PDF and the PNG (drawing.py) draw exactly this, so a test can measure the
layout as well as the files: the principal marks (the EU emblem, an official
lockup or an EEA/Norway mechanism's logo) and every other logo, with their boxes.
"""

from dataclasses import dataclass, field

from PIL import Image

from projects.tools.eu_emblem import REFLEX_BLUE_CMYK, YELLOW_CMYK

A3 = "a3"
SCREEN = "screen"


class PosterError(Exception):
    """A poster can not be made as the project stands; the message says what to do."""


# Colours ---------------------------------------------------------------------


@dataclass(frozen=True)
class Colour:
    """A colour for the screen (RGB) and for print (CMYK, 0–1)."""

    rgb: tuple[int, int, int]
    cmyk: tuple[float, float, float, float]


BLACK = Colour((0, 0, 0), (0, 0, 0, 1))
INK = Colour((26, 26, 26), (0, 0, 0, 0.9))
MUTED = Colour((74, 74, 74), (0, 0, 0, 0.71))
BRAND = Colour((11, 79, 138), (0.92, 0.43, 0, 0.46))
TINT = Colour((243, 245, 248), (0.02, 0.01, 0, 0.03))
LINE = Colour((200, 206, 214), (0.07, 0.04, 0, 0.16))
WHITE = Colour((255, 255, 255), (0, 0, 0, 0))
EU_BLUE = Colour((0, 51, 153), REFLEX_BLUE_CMYK)
EU_YELLOW = Colour((255, 204, 0), YELLOW_CMYK)


# The layout ------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A rectangle in the poster's units (mm on A3, px on the screen), from its top left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Mark:
    """The EU emblem or a logo.

    A principal mark is the EU emblem, an official lockup or the logo of an EEA
    or Norway Grants mechanism: no other logo on the poster is larger.
    """

    box: Box
    kind: str  # "eu_emblem" or "logo"
    principal: bool
    alt: str
    image: Image.Image | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class TextLine:
    text: str
    x: float
    baseline: float
    size: float
    bold: bool
    colour: Colour
    role: str  # "statement", "title", "label", "aim", "fact", "caption"


@dataclass(frozen=True)
class Panel:
    box: Box
    colour: Colour
    radius: float = 0


@dataclass(frozen=True)
class QRMark:
    box: Box
    url: str
    modules: tuple[tuple[bool, ...], ...] = field(repr=False)


@dataclass
class PosterLayout:
    """Everything drawn on one poster, with its place: the PDF and the PNG draw exactly this."""

    kind: str
    width: float
    height: float
    unit: str  # "mm" or "px"
    language: str
    title: str
    subject: str
    author: str
    panels: list[Panel] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)
    qr: QRMark | None = None

    @property
    def principal_marks(self) -> list[Mark]:
        return [mark for mark in self.marks if mark.principal]

    @property
    def other_logos(self) -> list[Mark]:
        return [mark for mark in self.marks if not mark.principal]

    def text(self, role: str | None = None) -> str:
        return "\n".join(line.text for line in self.lines if role is None or line.role == role)
