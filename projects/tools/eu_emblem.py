"""Draw the EU emblem from its official geometry and write static/img/eu-emblem.svg.

A rectangle 3:2 in Reflex Blue (#003399); twelve yellow (#FFCC00) five-pointed
stars on a circle whose radius is a third of the height; each star's radius is
1/18 of the height, with one point straight up. Run: python -m projects.tools.eu_emblem

The posters (projects/publicity/poster.py) draw the same stars with `emblem_stars`.
"""

import math
from pathlib import Path

HEIGHT = 540
WIDTH = HEIGHT * 3 // 2
TARGET = Path(__file__).resolve().parents[2] / "static" / "img" / "eu-emblem.svg"
REFLEX_BLUE = "#003399"
YELLOW = "#FFCC00"
# The print colours of the EU's graphic guide (CMYK, 0–1): Reflex Blue and yellow.
REFLEX_BLUE_CMYK = (1.0, 0.8, 0.0, 0.0)
YELLOW_CMYK = (0.0, 0.0, 1.0, 0.0)


def star_points(x: float, y: float, outer: float) -> list[tuple[float, float]]:
    """The ten corners of a five-pointed star centred on (x, y), one point up (y grows downwards)."""
    inner = outer * math.sin(math.radians(18)) / math.sin(math.radians(54))
    points = []
    for k in range(10):
        angle = math.radians(-90 + 36 * k)
        radius = outer if k % 2 == 0 else inner
        points.append((x + radius * math.cos(angle), y + radius * math.sin(angle)))
    return points


def emblem_stars(height: float) -> list[list[tuple[float, float]]]:
    """The twelve stars of an emblem `height` high (and 1.5 × as wide), with the origin at its top left."""
    cx, cy, circle = height * 3 / 4, height / 2, height / 3
    stars = []
    for i in range(12):
        angle = math.radians(-90 + 30 * i)
        stars.append(star_points(cx + circle * math.cos(angle), cy + circle * math.sin(angle), height / 18))
    return stars


def star_path(points: list[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{x:.2f},{y:.2f}" for x, y in points) + " Z"


def emblem_svg() -> str:
    stars = [star_path(points) for points in emblem_stars(HEIGHT)]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">\n'
        "<title>European Union</title>\n"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{REFLEX_BLUE.lower()}"/>\n'
        f'<path fill="{YELLOW}" d="{" ".join(stars)}"/>\n'
        "</svg>\n"
    )


if __name__ == "__main__":
    TARGET.write_text(emblem_svg())
    print(TARGET)
