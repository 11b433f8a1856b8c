"""The document library: annual reports, financial statements, evaluation reports and statutes, grouped by
kind and year, with each file's type and size, found by the site search, in Czech and English."""

import re

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Locale

from demo.helpers import upsert_child, upsert_translation
from website.models import DocumentKind, DocumentLibraryPage, LibraryDocument

pytestmark = pytest.mark.django_db


def document(title: str, *, name: str, size: int):
    Document = get_document_model()
    data = b"%PDF-1.4\n" + b"0" * (size - 9)
    item = Document(title=title, file=ContentFile(data, name=name), file_size=len(data))
    item.save()
    return item


@pytest.fixture
def library(site_homes):
    rows = [
        (document("Výroční zpráva 2023", name="vz-2023.pdf", size=54_321), DocumentKind.ANNUAL_REPORT, 2023, ""),
        (document("Stanovy spolku", name="stanovy.docx", size=20_480), DocumentKind.STATUTES, 2019, ""),
        (
            document("Výroční zpráva 2024", name="vz-2024.pdf", size=1_234_567),
            DocumentKind.ANNUAL_REPORT,
            2024,
            "Co jsme dělali v roce 2024.",
        ),
        (
            document("Zpráva o hospodaření 2024", name="uz-2024.pdf", size=100_000),
            DocumentKind.FINANCIAL_STATEMENT,
            2024,
            "",
        ),
    ]
    page = upsert_child(
        site_homes["cs"],
        DocumentLibraryPage,
        slug="dokumenty",
        title="Dokumenty",
        library_documents=[
            LibraryDocument(sort_order=n, document=doc, kind=kind, year=year, description=description)
            for n, (doc, kind, year, description) in enumerate(rows)
        ],
    )
    return DocumentLibraryPage.objects.get(pk=page.pk)


def sections(html: str) -> list[tuple[str, list[str]]]:
    """Each kind's heading with its years' headings, in the page's order."""
    found = []
    for part in html.split('<section class="document-group"')[1:]:
        heading = re.search(r"<h2[^>]*>([^<]+)</h2>", part)[1]
        found.append((heading, re.findall(r"<h3>(\d{4})</h3>", part)))
    return found


def test_documents_are_grouped_by_kind_then_year_newest_first(client, library):
    html = client.get(library.url).content.decode()
    assert sections(html) == [
        ("Výroční zprávy", ["2024", "2023"]),
        ("Účetní závěrky", ["2024"]),
        ("Stanovy a zakládací dokumenty", ["2019"]),
    ]
    annual = html.split('<section class="document-group"')[1]
    assert annual.index("Výroční zpráva 2024") < annual.index("Výroční zpráva 2023")
    assert "Co jsme dělali v roce 2024." in annual


def test_each_document_shows_its_file_type_and_size_in_czech_format(client, library):
    html = client.get(library.url).content.decode()
    link = re.search(r'<a href="([^"]+)">Výroční zpráva 2024</a>\s*<span class="meta">\(([^)]*)\)</span>', html)
    assert link is not None
    assert link[2] == "PDF, 1,2\xa0MB"
    assert 'Stanovy spolku</a>\n      <span class="meta">(DOCX, 20,0\xa0KB)</span>' in html
    # The link downloads the file itself.
    response = client.get(link[1])
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")


def test_the_site_search_finds_the_library_by_a_document_title(client, library):
    html = client.get("/cs/search/", {"q": "hospodaření"}).content.decode()
    assert f'href="{library.url}"' in html
    # Without diacritics and in another word form too, as for every page.
    html = client.get("/cs/search/", {"q": "hospodareni 2024"}).content.decode()
    assert f'href="{library.url}"' in html


def test_the_library_renders_in_czech_and_english_with_kinds_and_years_kept_in_step(
    client, library, django_capture_on_commit_callbacks
):
    from wagtail_localize.models import TranslationSource

    en = Locale.objects.get(language_code="en")
    source, _created = TranslationSource.get_or_create_from_instance(library)
    # wagtail-localize publishes the translation once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        source.create_or_update_translation(en, fallback=True)
    translation = library.get_translation(en)
    english = client.get(translation.url)
    assert english.status_code == 200
    html = english.content.decode()
    assert '<html lang="en"' in html
    assert sections(html) == [
        ("Annual reports", ["2024", "2023"]),
        ("Financial statements", ["2024"]),
        ("Statutes and founding documents", ["2019"]),
    ]
    assert "(PDF, 1.2\xa0MB)" in html

    # The Czech page's year changes: the English page follows when synchronised.
    row = library.library_documents.get(document__title="Zpráva o hospodaření 2024")
    row.year = 2025
    library.library_documents = [r if r.pk != row.pk else row for r in library.library_documents.all()]
    library.save_revision().publish()
    source.update_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        source.create_or_update_translation(en, fallback=True)
    html = client.get(translation.url).content.decode()
    assert ("Financial statements", ["2025"]) in sections(html)


def test_the_demo_library_has_generated_pdf_reports_in_both_languages(client, site_homes):
    from demo.library import load_library

    page = load_library(homes=site_homes)
    again = load_library(homes=site_homes)
    assert again.pk == page.pk and page.library_documents.count() == 5
    cs = client.get(page.url).content.decode()
    en = client.get(upsert_translation(page, language_code="en", slug="documents").url).content.decode()
    for html in (cs, en):
        assert "Výroční zpráva 2024" in html and "Výroční zpráva 2023" in html
    assert "What we did in 2024" in en and "Co jsme v roce 2024 dělali" in cs
    report = page.library_documents.get(document__title="Výroční zpráva 2024").document
    from pypdf import PdfReader

    with report.open_file() as handle:
        reader = PdfReader(handle)
        text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 3
    assert "CZ.03.02.01/00/22_008/0000016" in text and "Soused, z. s." in text
