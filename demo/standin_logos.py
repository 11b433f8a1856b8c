"""Write the clearly labelled stand-in logos the demo uses for funders other than the EU.

Real logos are uploaded by staff; these only say whose logo belongs there.
Run: python -m demo.standin_logos (writes them into demo/logos/)
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

TARGET = Path(__file__).resolve().parent / "logos"

LOGOS = {
    "standin-norway-grants.png": ("Norway Grants", "#c8102e"),
    "standin-active-citizens-fund.png": ("Active Citizens Fund", "#0b5394"),
    "standin-opz-mpsv.png": ("OPZ · MPSV", "#00508c"),
    "standin-op-praha.png": ("OP Praha – pól růstu", "#00508c"),
}


FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default(size=size)


def draw(label: str, colour: str) -> Image.Image:
    image = Image.new("RGB", (480, 160), "white")
    pen = ImageDraw.Draw(image)
    pen.rectangle([3, 3, 476, 156], outline=colour, width=6)
    pen.text((24, 28), label, fill=colour, font=font(40))
    pen.text((24, 104), "stand-in logo / zástupné logo", fill="#333333", font=font(24))
    return image


if __name__ == "__main__":
    for name, (label, colour) in LOGOS.items():
        draw(label, colour).save(TARGET / name, optimize=True)
        print(TARGET / name)
