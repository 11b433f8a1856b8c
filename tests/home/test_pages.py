import re

import pytest
from wagtail.models import Locale, Page

from events.models import EventIndexPage
from home.models import HomePage, StandardPage
from projects.models import ProjectIndexPage
from website.models import ContactPage, DocumentLibraryPage, DonationPage, NewsIndexPage, TeamPage

pytestmark = pytest.mark.django_db


def test_page_tree_rules():
    assert HomePage.can_exist_under(Page.get_first_root_node())
    assert set(HomePage.allowed_subpage_models()) == {
        StandardPage,
        EventIndexPage,
        ProjectIndexPage,
        NewsIndexPage,
        ContactPage,
        TeamPage,
        DocumentLibraryPage,
        DonationPage,
    }
    assert StandardPage.allowed_parent_page_models() == [HomePage, StandardPage]
    assert StandardPage not in EventIndexPage.allowed_subpage_models()


def test_home_page_can_not_be_created_under_a_standard_page(home_cs):
    about = home_cs.get_children().get(slug="o-nas").specific
    assert not HomePage.can_create_at(about)
    assert StandardPage.can_create_at(about)


@pytest.mark.parametrize("language", ["cs", "en"])
def test_every_page_renders_in_both_languages(client, site_homes, language):
    from demo.website import load_contact

    load_contact(homes=site_homes)  # the contact page is a form page of the website app
    pages = Page.objects.filter(locale__language_code=language, depth__gte=2).live()
    assert pages.count() >= 5
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        assert html.count("<h1") == 1, page.url
        assert 'rel="canonical"' in html and 'property="og:title"' in html and 'name="description"' in html


def test_root_redirects_to_czech(client, site_homes):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/cs/"


def test_language_switcher_reaches_the_translation(client, site_homes):
    html = client.get("/cs/o-nas/").content.decode()
    assert 'href="/en/about-us/" lang="en"' in html
    assert 'hreflang="en" href="http://testserver/en/about-us/"' in html
    html = client.get("/en/about-us/").content.decode()
    assert 'href="/cs/o-nas/" lang="cs"' in html


def test_a_page_not_yet_translated_is_shown_in_czech_in_every_language_with_a_note(client, site_homes, home_cs):
    only_czech = StandardPage(title="Jen česky", slug="jen-cesky", summary="Obsah jen v češtině.")
    home_cs.add_child(instance=only_czech)
    only_czech.save_revision().publish()
    html = client.get("/cs/jen-cesky/").content.decode()
    # The switcher offers the page at each language's address; no alternate is claimed in the head.
    assert 'href="/en/jen-cesky/" lang="en"' in html and 'href="/uk/jen-cesky/" lang="uk"' in html
    assert 'hreflang="en"' not in html.split("<body")[0] and "language-note" not in html

    for code, note in (
        ("en", "This page is not translated into your language yet"),
        ("uk", "Цю сторінку ще не перекладено вашою мовою"),
    ):
        response = client.get(f"/{code}/jen-cesky/")
        assert response.status_code == 200, code
        html = response.content.decode()
        assert f'<html lang="{code}">' in html and note in html and "(Čeština)" in html
        content = html.split('class="language-note"')[1]
        assert '<div lang="cs">' in content and "Obsah jen v češtině." in content
        canonical = html.split('<link rel="canonical" href="')[1].split('"')[0]
        assert canonical.endswith("/cs/jen-cesky/")  # search engines keep the Czech page as the original

    # An address that no language has stays a 404, in every language.
    for code in ("cs", "en", "uk"):
        assert client.get(f"/{code}/nikde-neni/").status_code == 404


def test_language_switcher_falls_back_to_the_home_page_without_a_czech_page(client, site_homes, home_cs):
    english = Locale.objects.get(language_code="en")
    home_en = home_cs.get_translation(english)
    only_english = StandardPage(title="English only", slug="english-only", summary="x", locale=english)
    home_en.add_child(instance=only_english)
    only_english.save_revision().publish()
    html = client.get("/en/english-only/").content.decode()
    assert 'href="/cs/" lang="cs"' in html and 'href="/uk/" lang="uk"' in html
    assert client.get("/uk/english-only/").status_code == 404  # only the default language stands in


def test_footer_shows_centre_settings(client, site_homes):
    html = client.get("/cs/").content.decode()
    assert "Nádražní 1024" in html and "27654321" in html and "Facebook" in html


def test_admin_in_czech_and_page_edit(client, site_homes, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    about = Page.objects.get(slug="o-nas", locale__language_code="cs")
    response = client.get(f"/admin/pages/{about.pk}/edit/", HTTP_ACCEPT_LANGUAGE="cs")
    assert response.status_code == 200


def test_language_switcher_keeps_the_view_and_its_query(client, site_homes):
    html = client.get("/cs/search/?q=klub").content.decode()
    assert 'href="/en/search/?q=klub" lang="en"' in html
    assert 'href="/cs/search/?q=klub" lang="cs"' in html


def _descriptions(html: str) -> tuple[str, str]:
    meta = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    og = re.search(r'<meta property="og:description" content="([^"]*)">', html).group(1)
    return meta, og


def test_a_pages_description_is_its_search_description_else_its_summary_else_the_centres(client, home_cs):
    about = home_cs.get_children().get(slug="o-nas").specific
    about.search_description = "Popis pro vyhledávače & sdílení"
    about.summary = "Shrnutí stránky"
    about.save_revision().publish()
    assert _descriptions(client.get(about.url).content.decode()) == ("Popis pro vyhledávače &amp; sdílení",) * 2

    # No search description: the summary as plain text, cut to 200 characters.
    about.search_description = ""
    about.summary = "<b>Klub</b> " + "slovo " * 60
    about.save_revision().publish()
    meta, og = _descriptions(client.get(about.url).content.decode())
    assert meta == og
    assert meta.startswith("Klub slovo") and "&lt;b&gt;" not in meta and len(meta) == 200 and meta.endswith("…")

    # Neither, and a page type without a summary at all: the centre's own line.
    about.summary = ""
    about.save_revision().publish()
    events = EventIndexPage(title="Akce bez popisu", slug="akce-bez-popisu")
    home_cs.add_child(instance=events)
    for page in (about, events):
        meta, og = _descriptions(client.get(page.url).content.decode())
        assert meta == og == "Komunitní centrum: kluby, poradenství, kurzy a sousedské akce.", page.url
