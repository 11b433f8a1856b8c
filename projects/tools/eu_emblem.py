"""Draw the EU emblem from its official geometry and write static/img/eu-emblem.svg.

A rectangle 3:2 in Reflex Blue (#003399); twelve yellow (#FFCC00) five-pointed
stars on a circle whose radius is a third of the height; each star's radius is
1/18 of the height, with one point straight up. Run: python -m projects.tools.eu_emblem
"""

import math
from pathlib import Path

HEIGHT = 540
WIDTH = HEIGHT * 3 // 2
TARGET = Path(__file__).resolve().parents[2] / "static" / "img" / "eu-emblem.svg"


def star_path(x: float, y: float, outer: float) -> str:
    inner = outer * math.sin(math.radians(18)) / math.sin(math.radians(54))
    points = []
    for k in range(10):
        angle = math.radians(-90 + 36 * k)
        radius = outer if k % 2 == 0 else inner
        points.append(f"{x + radius * math.cos(angle):.2f},{y + radius * math.sin(angle):.2f}")
    return "M" + " L".join(points) + " Z"


def emblem_svg() -> str:
    cx, cy, circle = WIDTH / 2, HEIGHT / 2, HEIGHT / 3
    stars = []
    for i in range(12):
        angle = math.radians(-90 + 30 * i)
        stars.append(star_path(cx + circle * math.cos(angle), cy + circle * math.sin(angle), HEIGHT / 18))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">\n'
        "<title>European Union</title>\n"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#003399"/>\n'
        f'<path fill="#FFCC00" d="{" ".join(stars)}"/>\n'
        "</svg>\n"
    )


if __name__ == "__main__":
    TARGET.write_text(emblem_svg())
    print(TARGET)
