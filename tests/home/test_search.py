"""Site search finds what people type: without diacritics and in other Czech word forms.

Runs on SQLite and, with DATABASE_URL set, on PostgreSQL: the same normalised
field serves both (portal/search_text.py).
"""

import pytest
from wagtail.models import Page

from home.models import StandardPage
from portal.search_text import SEARCH_TERMS, NormalisedSearchMixin, index_terms, query_terms


@pytest.fixture
def czech_pages(site_homes):
    home = site_homes["cs"]
    pages = {}
    for slug, title, summary in (
        ("keramicky-krouzek", "Keramický kroužek", "Točení na kruhu a glazování pro děti od 8 let."),
        ("doucovaci-klub", "Doučovací klub", "Pomoc s úkoly a přípravou na přijímací zkoušky."),
        ("cestina-pro-cizince", "Čeština pro cizince", "Kurz češtiny pro začátečníky a mírně pokročilé."),
        ("pravni-poradna", "Právní poradna", "Bezplatné konzultace s advokátkou."),
    ):
        page = StandardPage(title=title, slug=slug, summary=summary)
        home.add_child(instance=page)
        page.save_revision().publish()
        pages[slug] = page
    return pages


def found(client, query, language="cs") -> list[str]:
    response = client.get(f"/{language}/search/", {"q": query})
    assert response.status_code == 200
    return [page.title for page in response.context["results"] or []]


CZECH_QUERIES = [
    ("keramika", "Keramický kroužek"),
    ("Keramický", "Keramický kroužek"),
    ("keramicke krouzky", "Keramický kroužek"),
    ("doucovani", "Doučovací klub"),
    ("doučování", "Doučovací klub"),
    ("DOUCOVACI KLUBU", "Doučovací klub"),
    ("cestina", "Čeština pro cizince"),
    ("češtiny", "Čeština pro cizince"),
    ("kurzy cestiny", "Čeština pro cizince"),
    ("pravni poradny", "Právní poradna"),
    ("advokatka", "Právní poradna"),
    ("prijimaci zkousky", "Doučovací klub"),
]


@pytest.mark.django_db
def test_search_finds_czech_word_forms_without_diacritics(client, czech_pages):
    missed = [(query, title) for query, title in CZECH_QUERIES if title not in found(client, query)]
    assert missed == []
    # and not the unrelated pages
    assert "Keramický kroužek" not in found(client, "doucovani")
    assert "Doučovací klub" not in found(client, "keramika")
    assert found(client, "keramika doucovani") == []  # every word must match
    assert found(client, "qqxxzz") == []


@pytest.mark.django_db
def test_search_in_english_stems_english_words(client, site_homes):
    home = site_homes["en"]
    page = StandardPage(title="Pottery classes", slug="pottery-classes", summary="Painting and glazing for children.")
    home.add_child(instance=page)
    page.save_revision().publish()
    assert "Pottery classes" in found(client, "pottery class", "en")
    assert "Pottery classes" in found(client, "child painting", "en")
    assert "Pottery classes" not in found(client, "pottery", "cs")


@pytest.mark.django_db
def test_event_pages_are_found_by_their_summary(client, site_homes):
    from tests.events.factories import EventIndexPageFactory, EventPageFactory

    index = EventIndexPageFactory(parent=site_homes["cs"])
    EventPageFactory(parent=index, title="Keramická dílna", summary="Výroba hrnečků z hlíny.")
    assert "Keramická dílna" in found(client, "hrnecek")
    assert "Keramická dílna" in found(client, "keramika")


def test_normalisation_of_index_and_query():
    assert query_terms("Doučování", language="cs") == "doucova"
    assert "doucova" in index_terms("Doučovací klub", language="cs").split()
    assert query_terms("keramika", language="cs") == "kerami"
    assert "kerami" in index_terms("Keramický kroužek", language="cs").split()
    # Short words are matched whole; one-letter words are left out of longer queries.
    assert query_terms("klub a kavárna", language="cs") == "klub kavar"
    assert query_terms("!!!", language="cs") == ""


def test_every_page_type_indexes_the_normalised_field():
    from wagtail.models import get_page_models

    missing = [
        model.__name__
        for model in get_page_models()
        if model is not Page
        and not (
            issubclass(model, NormalisedSearchMixin)
            and any(field.field_name == SEARCH_TERMS.field_name for field in model.search_fields)
        )
    ]
    assert missing == [], "page types the site search cannot find (add NormalisedSearchMixin and SEARCH_TERMS)"
