"""Demo content: the document library (annual reports and other documents as generated PDFs), the photos
of two galleries (generated pictures) and the donation page ("Podpořte nás").

Everything is drawn here, the same on every run: the PDFs with ReportLab, the
pictures with Pillow from a fixed seed. The numbers in the reports are
illustrative, and the reports say so.
"""

from __future__ import annotations

import hashlib
import io
import random
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import RichText

from demo.centre import CENTRE
from demo.helpers import upsert_child, upsert_translation
from demo.standin_logos import font
from website.models import DocumentKind, DocumentLibraryPage, DonationPage, LibraryDocument

PDF_FONTS = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
)

PROJECT = {
    "name": "Komunitní centrum Vltavotýnska",
    "number": "CZ.03.02.01/00/22_008/0000016",
    "promoter": "MAS VLTAVA, z.s.",
    "period": "1. 1. 2023 – 31. 12. 2025",
}

# --------------------------------------------------------------------------------------
# The documents
# --------------------------------------------------------------------------------------

#: (file name, title, kind, year, [pages: (heading, paragraphs)], cs description, en description)
DOCUMENTS = [
    (
        "vyrocni-zprava-2024.pdf",
        "Výroční zpráva 2024",
        DocumentKind.ANNUAL_REPORT,
        2024,
        [
            (
                "Slovo úvodem",
                [
                    "Rok 2024 byl druhým rokem projektu Komunitní centrum Vltavotýnska. Centrum se stalo místem, kam "
                    "sousedé chodí nejen pro radu, ale také za sebou navzájem.",
                    "Děkujeme všem dobrovolníkům, partnerům a dárcům. Bez nich by se centrum neobešlo.",
                ],
            ),
            (
                "Projekt Komunitní centrum Vltavotýnska",
                [
                    f"Registrační číslo: {PROJECT['number']}. Příjemce dotace: {PROJECT['promoter']}. "
                    f"Období: {PROJECT['period']}. Projekt je financován z Evropské unie v Operačním programu Zaměstnanost plus.",
                    "Cíle do konce roku 2025: komunitní centrum jako udržitelný a fungující prostor, 15 osob z cílových "
                    "skupin se stane lídry komunity a proběhne 10 setkání k řešení společných témat.",
                ],
            ),
            (
                "Co se nám podařilo",
                [
                    "Sociální poradna byla otevřená každé úterý, bez objednání a zdarma. Doučovací klub se scházel "
                    "každý týden a na komunitních setkáních se sousedé domluvili mimo jiné na opravě hřiště u nádraží.",
                    "Ilustrativní údaje pro ukázku webu: 6 komunitních setkání, 48 konzultací v poradně, 22 dětí v doučovacím klubu.",
                ],
            ),
        ],
        "Co jsme v roce 2024 dělali, s kým a za kolik.",
        "What we did in 2024, with whom and at what cost (in Czech).",
    ),
    (
        "vyrocni-zprava-2023.pdf",
        "Výroční zpráva 2023",
        DocumentKind.ANNUAL_REPORT,
        2023,
        [
            (
                "Slovo úvodem",
                [
                    "V lednu 2023 jsme zahájili projekt Komunitní centrum Vltavotýnska, a proto mohou být naše služby zdarma "
                    "pro všechny občany Vltavotýnska.",
                ],
            ),
            (
                "Začátky centra",
                [
                    "Chceme vytvářet příležitosti pro seznamování lidí, pro sdílení potřeb a řešení problémů, nápravu "
                    "narušených sociálních vazeb a vytváření nových kontaktů.",
                    f"Projekt realizuje {PROJECT['promoter']} (registrační číslo {PROJECT['number']}).",
                ],
            ),
        ],
        "První rok komunitního centra.",
        "The community centre's first year (in Czech).",
    ),
    (
        "ucetni-zaverka-2024.pdf",
        "Účetní závěrka 2024",
        DocumentKind.FINANCIAL_STATEMENT,
        2024,
        [
            (
                "Rozvaha a výkaz zisku a ztráty (zkrácený rozsah)",
                [
                    f"Účetní jednotka: {CENTRE['operator']}, IČO {CENTRE['ico']}, {CENTRE['street']}, "
                    f"{CENTRE['postal_code']} {CENTRE['city']}.",
                    "Ilustrativní údaje pro ukázku webu, nejde o skutečnou účetní závěrku.",
                ],
            ),
        ],
        "",
        "The financial statement for 2024 (in Czech).",
    ),
    (
        "prubezna-evaluacni-zprava-2024.pdf",
        "Průběžná evaluační zpráva projektu Komunitní centrum Vltavotýnska",
        DocumentKind.EVALUATION_REPORT,
        2024,
        [
            (
                "Hodnocení po dvou letech",
                [
                    "Aktivní zapojování lidí z cílových skupin se daří lépe tam, kde sociální vyloučení není tak hluboké. "
                    "Rodiny s dětmi a migranti se do aktivit centra zapojují aktivně.",
                    "Komunikace s obcemi, sociálními odbory a poskytovateli sociálních služeb se díky činnosti centra zlepšila.",
                ],
            ),
        ],
        "Jak se daří plnit cíle projektu.",
        "How the project is meeting its aims (in Czech).",
    ),
    (
        "stanovy-soused.pdf",
        "Stanovy spolku Soused, z. s.",
        DocumentKind.STATUTES,
        2019,
        [
            (
                "Název, sídlo a účel spolku",
                [
                    f"Spolek {CENTRE['operator']} se sídlem {CENTRE['street']}, {CENTRE['postal_code']} {CENTRE['city']}.",
                    "Účelem spolku je podpora sousedských vztahů, komunitní práce a pomoc lidem v obtížné životní situaci.",
                ],
            ),
        ],
        "",
        "The association's statutes (in Czech).",
    ),
]


def _pdf_fonts() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for regular, bold in PDF_FONTS:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont("Demo-Regular", regular))
            pdfmetrics.registerFont(TTFont("Demo-Bold", bold))
            return "Demo-Regular", "Demo-Bold"
    return "Helvetica", "Helvetica-Bold"


def report_pdf(title: str, year: int, pages: list[tuple[str, list[str]]]) -> bytes:
    """A few A4 pages: a title page with the centre's facts, then one page per section (the same bytes every run)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    regular, bold = _pdf_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15, spaceAfter=8)
    heading = ParagraphStyle("heading", fontName=bold, fontSize=16, leading=20, spaceAfter=10)
    cover = ParagraphStyle("cover", fontName=bold, fontSize=28, leading=34, spaceAfter=16)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=CENTRE["operator"],
        lang="cs",
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        invariant=True,
    )
    story = [
        Spacer(1, 60 * mm),
        Paragraph(title, cover),
        Paragraph(f"Komunitní centrum Soused · {CENTRE['operator']}", body),
        Paragraph(f"{CENTRE['street']}, {CENTRE['postal_code']} {CENTRE['city']} · IČO {CENTRE['ico']}", body),
        Paragraph(f"{CENTRE['email']} · {CENTRE['phone']}", body),
        Spacer(1, 20 * mm),
        Paragraph(f"Rok {year}. Ukázkový dokument webu komunitního centra.", body),
    ]
    for section, paragraphs in pages:
        story += [PageBreak(), Paragraph(section, heading), *(Paragraph(text, body) for text in paragraphs)]
    document.build(story)
    return buffer.getvalue()


def demo_document(file_name: str, title: str, year: int, pages):
    """The Wagtail document with this title, made once."""
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is not None:
        return document
    data = report_pdf(title, year, pages)
    document = Document(title=title, file=ContentFile(data, name=f"demo-{file_name}"), file_size=len(data))
    document.save()
    return document


LIBRARY = {
    "cs": {
        "title": "Dokumenty a výroční zprávy",
        "search_description": "Výroční zprávy, účetní závěrky, evaluační zprávy a stanovy Komunitního centra Soused.",
        "intro": "<p>Hospodaříme s veřejnými penězi i s dary, a proto zveřejňujeme, co jsme dělali a za kolik. "
        "Dokumenty jsou ve formátu PDF.</p>",
    },
    "en": {
        "title": "Documents and annual reports",
        "search_description": "Annual reports, financial statements, evaluation reports and statutes of the Soused Community Centre.",
        "intro": "<p>We spend public money and donations, so we publish what we did and what it cost. "
        "The documents are PDF files, in Czech.</p>",
    },
}


def _rows(page: Page, documents: list, *, language: str, source_rows: list | None = None) -> list[LibraryDocument]:
    """The library's rows in the DOCUMENTS' order, updated in place (their translation keys kept).

    A translation's rows share the translation keys of the source's rows (`source_rows`).
    """
    current = list(page.library_documents.all())
    description = 5 if language == "cs" else 6
    rows = []
    for order, (document, spec) in enumerate(zip(documents, DOCUMENTS, strict=True)):
        if source_rows is None:
            row = next((r for r in current if r.document_id == document.pk), None) or LibraryDocument()
        else:
            key = source_rows[order].translation_key
            row = next((r for r in current if r.translation_key == key), None) or LibraryDocument(translation_key=key)
        row.locale_id = page.locale_id
        row.sort_order, row.document, row.kind, row.year = order, document, spec[2], spec[3]
        row.description = spec[description]
        rows.append(row)
    return rows


def load_library(*, homes: dict[str, Page]) -> DocumentLibraryPage:
    documents = [demo_document(spec[0], spec[1], spec[3], spec[4]) for spec in DOCUMENTS]
    page = upsert_child(homes["cs"], DocumentLibraryPage, slug="dokumenty", show_in_menus=True, **LIBRARY["cs"])
    page.library_documents = _rows(page, documents, language="cs")
    page.save_revision().publish()
    # As stored (the rows with their ids), before it is copied for translation.
    page = DocumentLibraryPage.objects.get(pk=page.pk)
    translation = upsert_translation(page, language_code="en", slug="documents", show_in_menus=True, **LIBRARY["en"])
    # The kinds, years and files are the Czech page's (the same translation keys); the descriptions are English.
    source_rows = list(page.library_documents.all())
    translation.library_documents = _rows(translation, documents, language="en", source_rows=source_rows)
    translation.save_revision().publish()
    return page


# --------------------------------------------------------------------------------------
# The galleries
# --------------------------------------------------------------------------------------

#: Per gallery: the news item (cs slug) it belongs to, its title, and each picture's (scene, alt, caption) in cs and en.
GALLERIES = {
    "komunitni-setkani-o-hristi": {
        "title": ("Fotografie ze setkání", "Photos from the meeting"),
        "pictures": [
            (
                ("#2f6f4f", "#cfe8d8", "#f2b134"),
                (
                    "Ilustrace: sousedé sedí v kruhu na louce",
                    "Illustration: neighbours sitting in a circle on the grass",
                ),
                ("Dvacet sousedů a starosta", "Twenty neighbours and the mayor"),
            ),
            (
                ("#0b4f8a", "#dbe7f3", "#e4572e"),
                (
                    "Ilustrace: plánek hřiště na velkém papíře",
                    "Illustration: a plan of the playground on a large sheet",
                ),
                ("Co na hřišti chybí", "What the playground lacks"),
            ),
            (
                ("#7a3e9d", "#efe6f7", "#ffd166"),
                ("Ilustrace: děti kreslí křídou na chodník", "Illustration: children drawing on the pavement in chalk"),
                ("", ""),
            ),
            (
                ("#a33a00", "#fff1d6", "#1d6b2f"),
                ("Ilustrace: čaj a koláče na stole pod stromem", "Illustration: tea and cakes on a table under a tree"),
                ("Občerstvení připravili sousedé", "The neighbours brought the refreshments"),
            ),
        ],
    },
    "projekt-komunitni-centrum-zahajen": {
        "title": ("Jak vypadá centrum", "What the centre looks like"),
        "pictures": [
            (
                ("#083a66", "#f3f5f8", "#ffcc00"),
                ("Ilustrace: klubovna se stoly a židlemi", "Illustration: the club room with tables and chairs"),
                ("Klubovna v přízemí", "The club room on the ground floor"),
            ),
            (
                ("#1d6b2f", "#e8f5ec", "#0b4f8a"),
                (
                    "Ilustrace: zahrada za centrem s lavičkami",
                    "Illustration: the garden behind the centre with benches",
                ),
                ("Zahrada", "The garden"),
            ),
            (
                ("#5b2a86", "#fdf6e3", "#e4572e"),
                ("Ilustrace: police s knihami a hrami", "Illustration: shelves with books and games"),
                ("Knihovna a hry pro děti", "Books and games for children"),
            ),
            (
                ("#333333", "#e6eef7", "#2f6f4f"),
                ("Ilustrace: vchod do centra bez schodů", "Illustration: the step-free entrance of the centre"),
                ("Bezbariérový vchod z Nádražní ulice", "The step-free entrance from Nádražní street"),
            ),
        ],
    },
}


def scene(seed: str, ink: str, paper: str, accent: str, *, size=(1200, 800)) -> PILImage.Image:
    """A generated picture: hills, a sun, and figures, from a fixed seed (the same picture every run)."""
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    width, height = size
    picture = PILImage.new("RGB", size, paper)
    pen = ImageDraw.Draw(picture)
    pen.ellipse([width - 260, 60, width - 100, 220], fill=accent)
    for n in range(3):
        top = height // 2 + n * 70 + rng.randint(-30, 30)
        pen.polygon(
            [
                (0, height),
                (0, top),
                (width // 3, top - rng.randint(40, 120)),
                (2 * width // 3, top + 20),
                (width, top - 60),
                (width, height),
            ],
            fill=ink if n == 2 else None,
            outline=ink,
            width=6,
        )
    for _ in range(7):
        x = rng.randint(80, width - 80)
        y = rng.randint(height // 2, height - 160)
        pen.ellipse([x - 24, y - 24, x + 24, y + 24], fill=accent, outline=ink, width=4)
        pen.rectangle([x - 20, y + 28, x + 20, y + 110], fill=paper, outline=ink, width=4)
    pen.rectangle([0, height - 70, width, height], fill=paper)
    # Inside the part every crop keeps (the gallery shows 4:3).
    pen.text((width // 8, height - 60), "Ilustrace · KC Soused", fill=ink, font=font(36))
    return picture


def gallery_image(title: str, colours: tuple[str, str, str]):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    buffer = io.BytesIO()
    scene(title, *colours).save(buffer, format="PNG", optimize=True)
    name = hashlib.sha256(title.encode()).hexdigest()[:10]
    image = Image(title=title, file=ImageFile(buffer, name=f"demo-galerie-{name}.png"))
    image.save()
    return image


def gallery_block(news_slug: str, language: str) -> tuple[str, dict] | None:
    """The gallery block of the demo news item with this (Czech) slug, in the language, or None."""
    spec = GALLERIES.get(news_slug)
    if spec is None:
        return None
    n = 0 if language == "cs" else 1
    images = [
        {"image": gallery_image(alt[0], colours), "alt_text": alt[n], "caption": caption[n]}
        for colours, alt, caption in spec["pictures"]
    ]
    return ("gallery", {"title": spec["title"][n], "images": images})


# --------------------------------------------------------------------------------------
# The donation page
# --------------------------------------------------------------------------------------

#: An example account that passes the banks' checks: the Czech example of the IBAN registry, not the centre's.
DEMO_ACCOUNT = "19-2000145399/0800"
DEMO_DARUJME_URL = "https://www.darujme.cz/projekt/1200000"
DEMO_DARUJME_TOKEN = "kcsouseddemo"


def _donation_body(language: str) -> list:
    cs = language == "cs"
    return [
        (
            "paragraph",
            RichText(
                "<p>Díky podpoře z Evropské unie jsou naše služby zdarma. Dotace ale nezaplatí všechno: svačiny v doučovacím "
                "klubu, výlety s dětmi nebo tlumočníka do poradny platíme z darů. Každý dar, i ten malý, pomáhá.</p>"
                if cs
                else "<p>Thanks to funding from the European Union, our services are free. But grants do not pay for "
                "everything: snacks in the homework club, trips with children or an interpreter for counselling are paid "
                "for by donations. Every gift, however small, helps.</p>"
            ),
        ),
        (
            "darujme",
            {
                "project_url": DEMO_DARUJME_URL,
                "widget_token": DEMO_DARUJME_TOKEN,
                "link_text": "Darovat přes Darujme.cz" if cs else "Donate through Darujme.cz",
            },
        ),
        (
            "bank_transfer",
            {
                "title": "Převodem na účet" if cs else "By bank transfer",
                "account_number": DEMO_ACCOUNT,
                "variable_symbol": "2025",
                "amount": Decimal("500.00"),
                "message": "Dar pro KC Soused" if cs else "Gift for KC Soused",
                "note": (
                    "Ukázka: číslo účtu 19-2000145399/0800 je vzorové číslo z registru IBAN, ne účet centra; "
                    "projekt na Darujme.cz je také jen ukázkový. Nic na ně neposílejte. "
                    "Potvrzení o daru pro daňové přiznání vám rádi vystavíme, napište nám."
                    if cs
                    else "Demo: the account number 19-2000145399/0800 is the example number of the IBAN registry, not "
                    "the centre's account, and the Darujme.cz project is an example too. Do not send money to them. "
                    "We are glad to send you a confirmation of your gift for your tax return: write to us."
                ),
            },
        ),
    ]


DONATION = {
    "cs": {
        "title": "Podpořte nás",
        "search_description": "Jak podpořit Komunitní centrum Soused: dar přes Darujme.cz nebo převodem s QR platbou.",
        "intro": "<p>Pomozte nám, aby centrum zůstalo otevřené pro všechny sousedy.</p>",
    },
    "en": {
        "title": "Support us",
        "search_description": "How to support the Soused Community Centre: a gift through Darujme.cz or by bank transfer with a QR payment.",
        "intro": "<p>Help us keep the centre open to every neighbour.</p>",
    },
}


def load_donations(*, homes: dict[str, Page]) -> DonationPage:
    page = upsert_child(
        homes["cs"], DonationPage, slug="podporte-nas", show_in_menus=True, body=_donation_body("cs"), **DONATION["cs"]
    )
    upsert_translation(
        page, language_code="en", slug="support-us", show_in_menus=True, body=_donation_body("en"), **DONATION["en"]
    )
    return page


def load(*, homes: dict[str, Page]) -> str:
    library = load_library(homes=homes)
    donations = load_donations(homes=homes)
    return (
        f"{len(DOCUMENTS)} documents on {library.url_path}, {len(GALLERIES)} galleries in the news, "
        f"the donation page {donations.url_path}"
    )
