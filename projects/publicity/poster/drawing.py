"""Drawing a poster's layout: a PDF with ReportLab (the font embedded, the emblem and the QR code in vector,
in the EU's print colours) and a PNG with Pillow."""

import io

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from projects.publicity.poster.layout import BLACK, EU_BLUE, EU_YELLOW, WHITE, Box, PosterLayout, QRMark
from projects.publicity.poster.typesetting import poster_font
from projects.tools.eu_emblem import emblem_stars

MM = 72 / 25.4  # PDF points in a millimetre

EMBLEM_FORM = "EUEmblem"
EMBLEM_FORM_HEIGHT = 200


def render_pdf(layout: PosterLayout) -> bytes:
    """The layout as a PDF page of its size (A3: 297×420 mm), with the font embedded and the emblem in vector."""
    font = poster_font()
    scale = MM if layout.unit == "mm" else 0.75  # px at 96 dpi
    page_width, page_height = layout.width * scale, layout.height * scale
    buffer = io.BytesIO()
    # invariant: the same layout gives the same bytes (no creation time or random document id).
    canvas = Canvas(
        buffer,
        pagesize=(page_width, page_height),
        invariant=True,
        pageCompression=1,
        lang=layout.language,
        initialFontName=font.pdf_name(),
    )
    canvas.setTrimBox((0, 0, page_width, page_height))
    canvas.setTitle(layout.title)
    canvas.setSubject(layout.subject)
    canvas.setAuthor(layout.author)
    canvas.setCreator("Komunitní portál")

    def rect(box: Box) -> tuple[float, float, float, float]:
        return box.x * scale, page_height - box.bottom * scale, box.width * scale, box.height * scale

    for panel in layout.panels:
        canvas.setFillColorCMYK(*panel.colour.cmyk)
        x, y, w, h = rect(panel.box)
        if panel.radius:
            canvas.roundRect(x, y, w, h, panel.radius * scale, stroke=0, fill=1)
        else:
            canvas.rect(x, y, w, h, stroke=0, fill=1)
    if any(mark.kind == "eu_emblem" for mark in layout.marks):
        _emblem_form(canvas)
    for mark in layout.marks:
        x, y, w, h = rect(mark.box)
        if mark.kind == "eu_emblem":
            canvas.saveState()
            canvas.translate(x, y)
            canvas.scale(w / (EMBLEM_FORM_HEIGHT * 1.5), h / EMBLEM_FORM_HEIGHT)
            canvas.doForm(EMBLEM_FORM)
            canvas.restoreState()
        else:
            canvas.drawImage(ImageReader(mark.image), x, y, width=w, height=h, mask="auto")
    if layout.qr is not None:
        _draw_pdf_qr(canvas, layout.qr, rect)
    for line in layout.lines:
        canvas.setFillColorCMYK(*line.colour.cmyk)
        canvas.setFont(font.pdf_name(bold=line.bold), line.size * scale)
        canvas.drawString(line.x * scale, page_height - line.baseline * scale, line.text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _emblem_form(canvas: Canvas) -> None:
    """The EU emblem as one reusable form, 300×200, in the EU's print colours."""
    height = EMBLEM_FORM_HEIGHT
    canvas.beginForm(EMBLEM_FORM, 0, 0, height * 1.5, height)
    canvas.setFillColorCMYK(*EU_BLUE.cmyk)
    canvas.rect(0, 0, height * 1.5, height, stroke=0, fill=1)
    canvas.setFillColorCMYK(*EU_YELLOW.cmyk)
    for star in emblem_stars(height):
        path = canvas.beginPath()
        path.moveTo(star[0][0], height - star[0][1])
        for px, py in star[1:]:
            path.lineTo(px, height - py)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
    canvas.endForm()


def _draw_pdf_qr(canvas: Canvas, qr: QRMark, rect) -> None:
    count = len(qr.modules)
    module = qr.box.width / count
    canvas.setFillColorCMYK(*BLACK.cmyk)
    for row, cells in enumerate(qr.modules):
        column = 0
        while column < count:
            if not cells[column]:
                column += 1
                continue
            start = column
            while column < count and cells[column]:
                column += 1
            box = Box(qr.box.x + start * module, qr.box.y + row * module, (column - start) * module, module)
            x, y, w, h = rect(box)
            # A hair wider and higher, so adjacent modules close without seams.
            canvas.rect(x, y - 0.05, w + 0.05, h + 0.05, stroke=0, fill=1)


def render_png(layout: PosterLayout) -> bytes:
    """The layout as an RGB PNG of its size in pixels (the screen poster: 1920×1080)."""
    font = poster_font()
    scale = 1.0 if layout.unit == "px" else 150 / 25.4
    image = Image.new("RGB", (round(layout.width * scale), round(layout.height * scale)), WHITE.rgb)
    pen = ImageDraw.Draw(image)

    def pixels(box: Box) -> tuple[int, int, int, int]:
        return round(box.x * scale), round(box.y * scale), round(box.right * scale), round(box.bottom * scale)

    for panel in layout.panels:
        left, top, right, bottom = pixels(panel.box)
        if panel.radius:
            pen.rounded_rectangle(
                (left, top, right - 1, bottom - 1), radius=round(panel.radius * scale), fill=panel.colour.rgb
            )
        else:
            pen.rectangle((left, top, right - 1, max(top, bottom - 1)), fill=panel.colour.rgb)
    for mark in layout.marks:
        left, top, right, bottom = pixels(mark.box)
        size = (max(1, right - left), max(1, bottom - top))
        if mark.kind == "eu_emblem":
            image.paste(_emblem_image(size[1]).resize(size, Image.Resampling.LANCZOS), (left, top))
        else:
            logo = mark.image.resize(size, Image.Resampling.LANCZOS)
            image.paste(logo, (left, top), logo)
    if layout.qr is not None:
        _draw_png_qr(pen, layout.qr, scale)
    fonts: dict[tuple[bool, float], ImageFont.FreeTypeFont] = {}
    for line in layout.lines:
        key = (line.bold, round(line.size * scale, 2))
        if key not in fonts:
            fonts[key] = ImageFont.truetype(font.bold if line.bold else font.regular, key[1])
        pen.text((line.x * scale, line.baseline * scale), line.text, font=fonts[key], fill=line.colour.rgb, anchor="ls")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _emblem_image(height: int) -> Image.Image:
    """The emblem drawn four times larger than needed (smooth edges once scaled down)."""
    big = height * 4
    emblem = Image.new("RGB", (round(big * 1.5), big), EU_BLUE.rgb)
    pen = ImageDraw.Draw(emblem)
    for star in emblem_stars(big):
        pen.polygon(star, fill=EU_YELLOW.rgb)
    return emblem


def _draw_png_qr(pen: ImageDraw.ImageDraw, qr: QRMark, scale: float) -> None:
    count = len(qr.modules)
    module = int(qr.box.width * scale // count)  # whole pixels: sharp edges for the camera
    left = round(qr.box.x * scale + (qr.box.width * scale - module * count) / 2)
    top = round(qr.box.y * scale + (qr.box.height * scale - module * count) / 2)
    for row, cells in enumerate(qr.modules):
        for column, dark in enumerate(cells):
            if dark:
                x, y = left + column * module, top + row * module
                pen.rectangle((x, y, x + module - 1, y + module - 1), fill=BLACK.rgb)
