"""Pickers that fit the language: audiences, categories and programmes are checkboxes (or selects) of the
page's own language, and a translated event gets the audiences of its language, so its listing finds it."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource

from events.models import EventPage

from .conftest import translate
from .factories import AudienceFactory, EventCategoryFactory


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def audiences(db):
    children = AudienceFactory(name="Děti", slug="deti")
    english = Locale.objects.get_or_create(language_code="en")[0]
    children_en = children.copy_for_translation(english)
    children_en.name, children_en.slug = "Children", "children"
    children_en.save()
    seniors = AudienceFactory(name="Senioři", slug="seniori")
    return {"children": children, "children_en": children_en, "seniors": seniors}


def _checkboxes(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" name="{name}" value="(\d+)"', html)


def test_audiences_are_checkboxes_of_the_pages_language(admin, index_cs, index_en, audiences):
    EventCategoryFactory(name="Kluby", slug="kluby")
    create = admin.get(reverse("wagtailadmin_pages:add", args=["events", "eventpage", index_cs.pk])).content.decode()
    offered = _checkboxes(create, "audiences")
    assert sorted(offered) == sorted([str(audiences["children"].pk), str(audiences["seniors"].pk)])
    assert "Children" not in create

    create_en = admin.get(reverse("wagtailadmin_pages:add", args=["events", "eventpage", index_en.pk])).content.decode()
    assert _checkboxes(create_en, "audiences") == [str(audiences["children_en"].pk)]
    assert "Kluby" not in create_en


def test_an_english_translation_gets_english_audiences_and_the_english_filter_finds_it(
    client, make_event, index_en, audiences
):
    page = make_event(title="Doučovací klub", dates=[1.1])
    page.audiences.set([audiences["children"]])
    page.save_revision().publish()
    source, _created = TranslationSource.get_or_create_from_instance(page)
    source.create_or_update_translation(Locale.objects.get(language_code="en"), fallback=True)
    english = EventPage.objects.get(translation_key=page.translation_key, locale__language_code="en")
    english.save_revision().publish()  # the translator publishes
    english = EventPage.objects.get(pk=english.pk)
    assert list(english.audiences.all()) == [audiences["children_en"]]
    # The Czech event keeps its Czech audience.
    assert list(EventPage.objects.get(pk=page.pk).audiences.all()) == [audiences["children"]]

    listed = client.get(index_en.url, {"audience": "children"})
    assert [d.page.pk for d in listed.context["page_obj"].object_list] == [english.pk]
    czech = client.get(EventPage.objects.get(pk=page.pk).get_parent().url, {"audience": "deti"})
    assert [d.page.pk for d in czech.context["page_obj"].object_list] == [page.pk]


def test_a_translation_made_by_copying_gets_english_audiences_too(make_event, index_en, audiences):
    page = make_event(title="Klub", dates=[1.1])
    page.audiences.set([audiences["children"], audiences["seniors"]])
    page.save()
    english = translate(page, title="Club", slug="club")
    # Seniors have no English translation yet: the Czech item stays until someone translates it.
    assert set(english.audiences.all()) == {audiences["children_en"], audiences["seniors"]}


def test_project_programmes_and_target_groups_are_checkboxes_of_the_pages_language(admin, home_cs, audiences):
    from tests.projects.factories import ProjectIndexPageFactory

    index = ProjectIndexPageFactory(parent=home_cs)
    html = admin.get(reverse("wagtailadmin_pages:add", args=["projects", "projectpage", index.pk])).content.decode()
    assert sorted(_checkboxes(html, "target_groups")) == sorted(
        [str(audiences["children"].pk), str(audiences["seniors"].pk)]
    )
    assert 'id="id_programmes"' in html and '<select name="programmes"' not in html
