"""The poster of a funded project: the A3 PDF and the 1920×1080 PNG, read back as a printer and a screen would.

The PDF is parsed with pypdf: its page size, its text, its fonts and the boxes
of the emblem and the logos as drawn (the content stream's transformations).
The PNG is opened with Pillow: its size, the emblem's colours and the QR code's
modules. The admin download is refused to an editor who may not edit the
project; the examples in docs/examples/ are what `make_posters` makes of the demo.
"""

import io
import re
from pathlib import Path

import pytest
import wagtail_factories
import zxingcpp
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader
from pypdf.generic import ContentStream
from wagtail.models import GroupPagePermission, Locale, Page

from projects.models import FunderKind
from projects.publicity.poster import A3, SCREEN, PosterError, compose_poster, poster_facts, project_poster
from projects.publicity.poster.layout import TINT
from projects.publicity.poster.typesetting import text_width
from tests.projects.factories import FundingProgrammeFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
A3_POINTS = (297 * 72 / 25.4, 420 * 72 / 25.4)
VLTAVA_NUMBER = "CZ.03.02.01/00/22_008/0000016"


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_page(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return reader, reader.pages[0]


def _multiply(m, n):
    """The product of two PDF matrices [a b c d e f] (m applied first)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return [
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    ]


def drawn_boxes(data: bytes) -> list[dict]:
    """Every image and form XObject the page draws, with its box in millimetres (from the content stream)."""
    reader, page = pdf_page(data)
    xobjects = page["/Resources"]["/XObject"]
    ctm, stack, boxes = [1, 0, 0, 1, 0, 0], [], []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = _multiply([float(value) for value in operands], ctm)
        elif operator == b"Do":
            xobject = xobjects[operands[0]].get_object()
            if xobject["/Subtype"] == "/Image":
                x0, y0, x1, y1 = 0, 0, 1, 1
            else:
                x0, y0, x1, y1 = (float(value) for value in xobject["/BBox"])
            matrix = _multiply([float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])], ctm)
            corners = [
                (x * matrix[0] + y * matrix[2] + matrix[4], x * matrix[1] + y * matrix[3] + matrix[5])
                for x, y in ((x0, y0), (x1, y1))
            ]
            mm = 25.4 / 72
            boxes.append(
                {
                    "kind": "form" if xobject["/Subtype"] == "/Form" else "image",
                    "width": abs(corners[1][0] - corners[0][0]) * mm,
                    "height": abs(corners[1][1] - corners[0][1]) * mm,
                }
            )
    return boxes


def embedded_fonts(data: bytes) -> dict[str, dict]:
    """Each font the page uses: its name, whether its file is embedded and its italic angle."""
    _reader, page = pdf_page(data)
    fonts = {}
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        fonts[str(font["/BaseFont"])] = {
            "embedded": any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")),
            "italic_angle": float(descriptor.get("/ItalicAngle", 0)),
        }
    return fonts


def logo(width: int, height: int, title: str):
    return wagtail_factories.ImageFactory(title=title, file__width=width, file__height=height)


@pytest.fixture
def vltava(make_project, opzplus):
    return make_project(
        programmes=[opzplus],
        title="Komunitní centrum Vltavotýnska",
        registration_number=VLTAVA_NUMBER,
        aims=[("aim", "15 osob z cílových skupin se stane lídry komunity"), ("aim", "10 setkání")],
    )


@pytest.fixture
def vsetin(make_project, opz):
    opz.logo = logo(480, 160, "OPZ")
    opz.logo_alt = "Operační program Zaměstnanost"
    opz.save()
    return make_project(
        programmes=[opz], title="Naše cesta v našich rukou", registration_number="CZ.03.2.60/0.0/0.0/16_052/0009098"
    )


@pytest.fixture
def norway(db):
    return FundingProgrammeFactory(
        name="Norské fondy 2014–2021",
        short_name="NG",
        kind=FunderKind.NORWAY_GRANTS,
        fund_name="Norské fondy",
        statement="Podpořeno Norskem z Norských fondů.",
        registration_number_pattern=r"CZ-[A-Z]+-\d{4}",
        registration_number_example="CZ-LOCALDEVELOPMENT-0031",
        logo=logo(480, 160, "Norway Grants"),
        logo_alt="Norway Grants",
    )


# The A3 PDF -------------------------------------------------------------------


def test_the_a3_poster_is_an_a3_page_with_the_projects_facts_and_the_statement(vltava):
    data = project_poster(project=vltava, kind=A3)
    assert data.startswith(b"%PDF-")
    _reader, page = pdf_page(data)
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width * 25.4 / 72, 1), round(height * 25.4 / 72, 1)) == (297.0, 420.0)
    assert (float(page.trimbox.width), float(page.trimbox.height)) == pytest.approx(A3_POINTS, abs=0.01)
    text = one_line(page.extract_text())
    for expected in (
        "Komunitní centrum Vltavotýnska",
        VLTAVA_NUMBER,
        "Spolufinancováno Evropskou unií",
        "15 osob z cílových skupin se stane lídry komunity",  # the main aim: the first of the aims
        "MAS VLTAVA, z.s.",
        "Operační program Zaměstnanost plus",
    ):
        assert expected in text, expected
    assert "10 setkání" not in text  # only the main aim


def test_every_font_of_the_pdf_is_embedded_and_is_a_permitted_one_upright(vltava):
    fonts = embedded_fonts(project_poster(project=vltava, kind=A3))
    assert fonts, "the poster has text"
    for name, font in fonts.items():
        # Liberation Sans has Arial's metrics (Carlito: Calibri's), permitted by 2021/1060 Annex IX 1.3.
        assert re.search(r"\+(LiberationSans|Carlito)(-Bold)?$", name), name
        assert font["embedded"], f"{name} is not embedded"
        assert font["italic_angle"] == 0, f"{name} is italic"


def test_the_emblem_is_drawn_at_least_as_large_as_the_programmes_logo(vsetin):
    boxes = drawn_boxes(project_poster(project=vsetin, kind=A3))
    emblems = [box for box in boxes if box["kind"] == "form"]
    logos = [box for box in boxes if box["kind"] == "image"]
    assert len(emblems) == 1 and len(logos) == 1
    emblem = emblems[0]
    assert emblem["width"] / emblem["height"] == pytest.approx(1.5, abs=0.01)  # the emblem's 3:2
    assert emblem["height"] >= 30  # clearly visible on A3
    assert emblem["height"] >= logos[0]["height"] - 0.01


def test_a_tall_logo_of_another_funder_is_never_higher_than_the_emblem(make_project, opzplus):
    city = FundingProgrammeFactory(
        name="Grant hlavního města",
        short_name="HMP",
        kind=FunderKind.OTHER,
        statement="",
        registration_number_pattern=r"CZ\.03\.\d{2}\.\d{2}/\d{2}/\d{2}_\d{3}/\d{7}",
        logo=logo(200, 400, "Praha"),
        logo_alt="Hlavní město Praha",
    )
    project = make_project(programmes=[opzplus, city], title="Dva poskytovatelé", registration_number=VLTAVA_NUMBER)
    boxes = drawn_boxes(project_poster(project=project, kind=A3))
    emblem = next(box for box in boxes if box["kind"] == "form")
    other = next(box for box in boxes if box["kind"] == "image")
    assert other["height"] <= emblem["height"] + 0.01
    # The screen poster's layout keeps the same proportion.
    layout = compose_poster(poster_facts(project=project), SCREEN)
    (principal,) = layout.principal_marks
    assert all(mark.box.height <= principal.box.height for mark in layout.other_logos)


def test_each_period_and_mechanism_has_its_own_words(vsetin, norway, make_project, acf):
    eu_1420 = one_line(pdf_page(project_poster(project=vsetin, kind=A3))[1].extract_text())
    assert "Evropská unie" in eu_1420 and "Evropský sociální fond" in eu_1420
    assert "Spolufinancováno" not in eu_1420  # 2014–2020 has no such statement

    house = make_project(
        programmes=[norway], title="Skupina lídrů v domě", registration_number="CZ-LOCALDEVELOPMENT-0031"
    )
    norway_text = one_line(pdf_page(project_poster(project=house, kind=A3))[1].extract_text())
    assert "Podpořeno Norskem z Norských fondů." in norway_text
    assert "Islandu" not in norway_text and "Evropská unie" not in norway_text
    assert not [box for box in drawn_boxes(project_poster(project=house, kind=A3)) if box["kind"] == "form"]

    janov = make_project(
        programmes=[acf], title="Asistenční centrum v Janově", registration_number="CZ-ACTIVECITIZENS-0045"
    )
    acf_text = one_line(pdf_page(project_poster(project=janov, kind=A3))[1].extract_text())
    assert "Projekt Asistenční centrum v Janově je podpořen grantem z Islandu, Lichtenštejnska a Norska" in acf_text
    assert "CZ-ACTIVECITIZENS-0045" in acf_text


def test_the_english_page_has_an_english_poster(vltava):
    english = vltava.get_translation(Locale.objects.get(language_code="en"))
    text = one_line(pdf_page(project_poster(project=english, kind=A3))[1].extract_text())
    assert "Co-funded by the European Union" in text and "Main aim of the project" in text
    assert "Spolufinancováno" not in text


@pytest.mark.parametrize("kind", [A3, SCREEN])
def test_long_facts_stay_inside_the_poster_and_off_the_panel(make_project, opz, kind):
    opz.logo = logo(900, 150, "OP")
    opz.logo_alt = "OP"
    opz.save()
    project = make_project(
        programmes=[opz],
        title="Velmi dlouhý název projektu o komunitní práci " * 5,
        registration_number="CZ.03.2.60/0.0/0.0/16_052/0009098",
        aims=[("aim", "Zvýšit schopnost obyvatel řešit problémy, které jsou pro ně důležité, " * 5)],
        short_description="Popis činnosti. " * 60,
        promoter="Nezisková organizace s velmi dlouhým jménem " * 5,
    )
    layout = compose_poster(poster_facts(project=project), kind)
    margin, bottom = (20, 400) if kind == A3 else (80, 1080 - 56)
    for line in layout.lines:
        right = line.x + text_width(line.text, line.size, bold=line.bold)
        assert margin - 0.01 <= line.x and right <= layout.width - margin + 0.01, line
        assert line.baseline <= bottom, line
    for mark in layout.marks:
        assert margin - 0.01 <= mark.box.x and mark.box.right <= layout.width - margin + 0.01, mark
    tinted = [panel.box for panel in layout.panels if panel.colour == TINT]
    body = [line for line in layout.lines if line.role in ("title", "label", "aim", "about")]
    assert tinted and body
    for line in body:  # the name and the aim end before the facts' panel begins
        assert all(line.baseline < panel.y or line.x + 1 < panel.x for panel in tinted if panel.x <= line.x), line
    assert one_line(layout.text("title")).startswith("Velmi dlouhý název projektu")
    assert "CZ.03.2.60/0.0/0.0/16_052/0009098" in layout.text()


# The screen PNG ---------------------------------------------------------------


def test_the_screen_poster_is_a_1920_by_1080_png_with_the_emblem_drawn(vltava):
    data = project_poster(project=vltava, kind=SCREEN)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1920, 1080)
    layout = compose_poster(poster_facts(project=vltava), SCREEN)
    (emblem,) = layout.principal_marks
    assert emblem.kind == "eu_emblem" and emblem.box.height >= 120
    rgb = image.convert("RGB")
    corner = rgb.getpixel((round(emblem.box.x) + 3, round(emblem.box.y) + 3))
    assert corner == pytest.approx((0, 51, 153), abs=3)  # Reflex Blue
    centre = rgb.getpixel((round(emblem.box.x + emblem.box.width / 2), round(emblem.box.y + emblem.box.height / 2)))
    assert centre == pytest.approx((0, 51, 153), abs=3)  # the ring of stars leaves the middle blue
    assert "Spolufinancováno Evropskou unií" in layout.text("statement")
    assert VLTAVA_NUMBER in layout.text() and one_line(layout.text("title")) == "Komunitní centrum Vltavotýnska"


def test_the_qr_code_on_the_screen_poster_leads_to_the_project_page(vltava):
    """A phone reads the code on the screen poster (ZXing, the decoder phones' apps use) as the project's address."""
    image = Image.open(io.BytesIO(project_poster(project=vltava, kind=SCREEN)))
    layout = compose_poster(poster_facts(project=vltava), SCREEN)
    assert layout.qr.url == vltava.get_full_url()
    results = zxingcpp.read_barcodes(image)
    assert [(result.format, result.text) for result in results] == [
        (zxingcpp.BarcodeFormat.QRCode, vltava.get_full_url())
    ]
    # It is where the layout put it.
    (result,) = results
    corners = [result.position.top_left, result.position.bottom_right]
    assert all(layout.qr.box.x - 2 <= point.x <= layout.qr.box.x + layout.qr.box.width + 2 for point in corners)


# Refusals ---------------------------------------------------------------------


def test_a_mechanism_without_its_logo_or_a_draft_gets_no_poster(make_project, norway):
    norway.logo = None
    norway.save()
    house = make_project(programmes=[norway], registration_number="CZ-LOCALDEVELOPMENT-0031")
    with pytest.raises(PosterError, match="Nejprve nahrajte logo programu „Norské fondy 2014–2021“"):
        project_poster(project=house, kind=A3)
    draft = make_project(programmes=[], translate=False)
    draft.unpublish()
    with pytest.raises(PosterError, match="Projekt nejprve zveřejněte"):
        project_poster(project=draft, kind=A3)


# The admin download -----------------------------------------------------------


def _staff(django_user_model, username: str, *, page=None):
    """A member of staff who may use the admin and edit the pages under `page` (none when None)."""
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw")
    group = Group.objects.create(name=f"{username} group")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    if page is not None:
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.create(
                group=group, page=page, permission=Permission.objects.get(codename=codename)
            )
    user.groups.add(group)
    return user


def test_an_editor_of_the_project_downloads_both_posters_from_its_menu(client, django_user_model, vltava):
    editor = django_user_model.objects.create_user("editor", "editor@example.com", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    edit = client.get(f"/admin/pages/{vltava.pk}/edit/").content.decode()
    assert f"/admin/projects/{vltava.pk}/poster.pdf" in edit and "Plakát (A3 PDF)" in edit
    assert f"/admin/projects/{vltava.pk}/poster.png" in edit and "Plakát pro obrazovku (PNG)" in edit
    pdf = client.get(f"/admin/projects/{vltava.pk}/poster.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;") and pdf.content.startswith(b"%PDF-")
    png = client.get(f"/admin/projects/{vltava.pk}/poster.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (1920, 1080)


def test_an_editor_without_edit_permission_on_the_project_gets_no_poster(client, django_user_model, vltava, home_cs):
    events_only = home_cs.add_child(instance=Page(title="Akce", slug="akce-jen"))
    outsider = _staff(django_user_model, "events-editor", page=events_only)
    client.force_login(outsider)
    for url in (f"/admin/projects/{vltava.pk}/poster.pdf", f"/admin/projects/{vltava.pk}/poster.png"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert not response.content.startswith(b"%PDF") and not response.content.startswith(b"\x89PNG")
        assert "attachment" not in response.get("Content-Disposition", "")
    client.logout()
    anonymous = client.get(f"/admin/projects/{vltava.pk}/poster.pdf")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_a_poster_that_can_not_be_made_is_explained_not_a_500(client, django_user_model, vltava, settings):
    settings.PUBLICITY_POSTER_FONTS = [("Missing", "/nonexistent/Regular.ttf", "/nonexistent/Bold.ttf")]
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    response = client.get(f"/admin/projects/{vltava.pk}/poster.pdf", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == f"/admin/pages/{vltava.pk}/edit/"
    assert "fonts-liberation" in response.content.decode()


# The command and the examples -------------------------------------------------


@pytest.fixture
def demo_projects(settings):
    """The demo's centre and five projects, at the address the examples were made with (make run's)."""
    from demo import centre, projects

    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    homes = centre.load_home()
    projects.load(homes=homes)


def test_make_posters_writes_what_docs_examples_hold(demo_projects, tmp_path, capsys):
    call_command("make_posters", output=str(tmp_path), languages=["cs"])
    made = sorted(path.name for path in tmp_path.iterdir())
    assert len(made) == 10  # five projects, A3 and screen
    examples = sorted(path.name for path in EXAMPLES.iterdir() if path.suffix in (".pdf", ".png"))
    assert examples == made
    readme = (EXAMPLES / "README.md").read_text()
    for name in made:
        assert name in readme, f"docs/examples/README.md does not list {name}"
        fresh, kept = (tmp_path / name).read_bytes(), (EXAMPLES / name).read_bytes()
        if name.endswith(".pdf"):
            page = pdf_page(kept)[1]
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A3_POINTS, abs=0.01)
            assert one_line(page.extract_text()) == one_line(pdf_page(fresh)[1].extract_text()), name
        else:
            kept_image, fresh_image = Image.open(io.BytesIO(kept)), Image.open(io.BytesIO(fresh))
            assert kept_image.size == fresh_image.size == (1920, 1080)
            difference = ImageStat.Stat(ImageChops.difference(kept_image.convert("L"), fresh_image.convert("L"))).mean[
                0
            ]
            assert difference < 1, f"{name} differs from a fresh one (mean {difference:.2f} per pixel)"
    assert "10 posters of 5 project pages" in capsys.readouterr().out


def test_make_posters_names_a_project_it_can_not_make_and_fails(make_project, norway, tmp_path, capsys):
    norway.logo = None
    norway.save()
    make_project(programmes=[norway], title="Bez loga", registration_number="CZ-LOCALDEVELOPMENT-0031")
    with pytest.raises(CommandError, match="no poster yet"):
        call_command("make_posters", output=str(tmp_path))
    assert "Bez loga" in capsys.readouterr().err
