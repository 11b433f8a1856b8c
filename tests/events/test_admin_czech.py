"""The admin speaks Czech where the centre's staff look, and adding an event goes straight to the form.

Pages are rendered as a Czech-speaking member of staff gets them; the visible text (tags and
scripts removed) must hold none of the English strings staff met before, and the Czech ones
the project's catalogue supplies for Wagtail's missing translations.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from events.models import EventIndexPage, EventPage

from .conftest import translate
from .factories import AudienceFactory, EventIndexPageFactory, EventPageFactory
from .test_admin import _post_data

ENGLISH = [
    "Choose parent",
    "Autosave is paused",
    "There is 1 match",
    "matches",
    "Filter by",
    "Password",
    "Sort menu order",
    " Pages",
    " Page ",
    "could not be created due to validation errors",
    "could not be saved due to validation errors",
    "is already in use within the parent page",
    "Create a new",
    "stránka akce",
    "Add event",
    "Dashboard",
]


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    return client


class _Text(HTMLParser):
    """The text a person sees: everything outside tags, scripts, styles and templates."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(response) -> str:
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in text]


def test_dashboard_and_listings_are_czech_with_czech_plurals(admin, index_cs):
    for number in range(3):
        EventPageFactory(parent=index_cs, title=f"Keramika {number}")
    dashboard = visible_text(admin.get(reverse("wagtailadmin_home")))
    count = re.search(r"(\d+) (stránka|stránky|stránek) na webu", dashboard)
    assert count, dashboard
    number = int(count.group(1))
    assert count.group(2) == ("stránka" if number == 1 else "stránky" if 2 <= number <= 4 else "stránek")
    assert re.search(r"\b0 obrázků na webu", dashboard)
    assert not english_in(dashboard)

    listing = visible_text(admin.get(reverse("events:index"), {"locale": "cs"}))
    assert "Přidat akci" in listing and "Filtrovat podle" in listing
    assert not english_in(listing) and "Locale" not in listing

    searched = visible_text(admin.get(reverse("wagtailadmin_pages:search"), {"q": "Keramika"}))
    assert "Nalezeny 3 stránky" in searched
    assert not english_in(searched)

    for name in ("Děti", "Dětské skupiny"):
        AudienceFactory(name=name)
    matches = visible_text(admin.get(reverse("wagtailsnippets_events_audience:list"), {"q": "Dět"}))
    assert "Nalezeny 2 výsledky" in matches
    assert not english_in(matches)

    explorer = visible_text(admin.get(reverse("wagtailadmin_explore", args=[index_cs.pk])))
    assert "Seřadit pořadí v menu" in explorer
    assert not english_in(explorer)


def test_the_event_form_is_czech_and_validation_errors_are_explained_in_czech(admin, index_cs):
    form = visible_text(admin.get(reverse("wagtailadmin_pages:add", args=["events", "eventpage", index_cs.pk])))
    assert "Automatické ukládání je pozastaveno" in form or "Automatické ukládání" in form or "Autosave" not in form
    assert not english_in(form)

    page = EventPageFactory(parent=index_cs, title="Keramika", slug="keramika")
    data = _post_data(page, title="", slug="nova-akce")
    failed = visible_text(
        admin.post(reverse("wagtailadmin_pages:add", args=["events", "eventpage", index_cs.pk]), data)
    )
    assert "Stránku nelze vytvořit, protože formulář obsahuje chyby" in failed
    assert not english_in(failed)


def test_a_slug_held_by_a_published_event_is_explained_in_czech(admin, index_cs):
    page = EventPageFactory(parent=index_cs, title="Keramika", slug="keramika")
    assert page.live
    data = _post_data(page, title="Keramika", slug="keramika")
    response = admin.post(reverse("wagtailadmin_pages:add", args=["events", "eventpage", index_cs.pk]), data)
    text = visible_text(response)
    assert response.status_code == 200
    assert "Adresa (slug) „keramika“ už patří jiné stránce" in text
    assert not english_in(text)


def test_an_abandoned_draft_does_not_block_the_next_try(admin, index_cs):
    """The first try was autosaved as a draft and abandoned; the second try saves, and says where the draft is."""
    live = EventPageFactory(parent=index_cs, title="Něco jiného", slug="keramika-2")
    draft = index_cs.add_child(instance=EventPage(title="Keramika", slug="keramika", summary="První pokus", live=False))
    data = _post_data(live, title="Keramika", slug="keramika", summary="Druhý pokus")
    data["action-publish"] = "publish"
    response = admin.post(
        reverse("wagtailadmin_pages:add", args=["events", "eventpage", index_cs.pk]), data, follow=True
    )
    created = EventPage.objects.get(summary="Druhý pokus")
    assert created.live and created.slug == "keramika-3"
    text = visible_text(response)
    assert "Adresu „keramika“ už má nezveřejněný koncept „Keramika“" in text
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in response.content.decode()
    assert EventPage.objects.get(pk=draft.pk).slug == "keramika"


def test_add_event_goes_straight_to_the_form_of_the_one_index_in_the_language(admin, index_cs, home_en):
    index_en = translate(index_cs, slug="events", title="Events")
    response = admin.get(reverse("events:choose_parent"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:add", args=["events", "eventpage", index_cs.pk])
    english = admin.get(reverse("events:choose_parent"), {"locale": "en"})
    assert english["Location"] == reverse("wagtailadmin_pages:add", args=["events", "eventpage", index_en.pk])
    form = admin.get(response["Location"])
    assert form.status_code == 200


def test_with_two_indexes_in_one_language_staff_choose_in_czech(admin, index_cs, home_cs):
    EventIndexPageFactory(parent=home_cs, title="Druhý přehled", slug="druhy")
    assert EventIndexPage.objects.filter(locale__language_code="cs").count() == 2
    response = admin.get(reverse("events:choose_parent"))
    text = visible_text(response)
    assert response.status_code == 200
    assert "Vyberte nadřazenou stránku" in text
    assert not english_in(text)
