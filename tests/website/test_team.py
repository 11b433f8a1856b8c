"""The team: person snippets on the team page grouped by service, and a project's contact person
shown from the same record, in each language."""

import pytest

from demo.helpers import upsert_translation
from demo.website import load_team
from tests.projects.factories import FundingProgrammeFactory, ProjectIndexPageFactory, ProjectPageFactory
from website.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(site_homes):
    index = ProjectIndexPageFactory(parent=site_homes["cs"])
    project = ProjectPageFactory(
        parent=index, slug="komunitni-centrum-vltavotynska", programmes=[FundingProgrammeFactory()]
    )
    upsert_translation(index, language_code="en", slug="projects", title="Projects")
    upsert_translation(project, language_code="en", slug="vltavotynsko-community-centre", title="Community centre")
    return load_team(homes=site_homes)


def test_the_team_page_groups_people_by_service_with_their_contacts_and_languages(client, team):
    html = client.get(team.url).content.decode()
    groups = html.split('<section class="team-group"')[1:]
    assert [group.split("</h2>")[0].rsplit(">", 1)[1] for group in groups] == [
        "Vedení centra",
        "Sociální poradna",
        "Komunitní práce",
    ]
    assert "Petr Král" in groups[1] and "Lucie Marešová" in groups[1]
    assert 'href="mailto:lucie.maresova@kc-soused.example"' in groups[1]
    assert "Mluví: čeština, ruština, ukrajinština" in groups[1]
    english = client.get("/en/team/").content.decode()
    assert "Social counselling" in english and "Speaks: Vietnamese, Czech" in english


def test_a_projects_contact_person_is_the_team_record_and_links_to_it(client, team):
    project = Person.objects.get(name="Jana Dvořáková", locale__language_code="cs").projects.get(
        locale__language_code="cs"
    )
    person = Person.objects.get(name="Jana Dvořáková", locale__language_code="cs")
    html = client.get(project.url).content.decode()
    assert f'href="{team.url}#{person.anchor}"' in html
    assert "koordinátorka komunitního centra" in html
    # A change to the record shows on the project page too.
    person.role = "vedoucí centra"
    person.save()
    assert "vedoucí centra" in client.get(project.url).content.decode()
    # In English, the English record and the English team page.
    english = project.get_translation(Person.objects.get(name="Jana Dvořáková", locale__language_code="en").locale)
    assert english.specific.contact_person == person
    html = client.get(english.url).content.decode()
    assert 'href="/en/team/#' + person.anchor + '"' in html and "community centre coordinator" in html


def test_a_changed_person_shows_at_once_with_every_cache_on(client, team, settings, django_capture_on_commit_callbacks):
    """A person is a snippet, edited apart from any page: saving one starts a new cache version, so
    neither the kept team page nor the project page's kept contact person is served stale."""
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = True
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept-team"},
    }
    cache.clear()
    person = Person.objects.get(name="Jana Dvořáková", locale__language_code="cs")
    project = person.projects.get(locale__language_code="cs")
    for url in (team.url, project.url):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        person.role = "vedoucí centra"
        person.save()
    for url in (team.url, project.url):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "vedoucí centra" in response.content.decode()


def test_translating_a_project_leaves_its_contact_persons_english_record_alone(client, team, django_user_model):
    from django.urls import reverse
    from wagtail.models import Locale

    from projects.models import ProjectPage

    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "pw"))
    en = Locale.objects.get(language_code="en")
    person = Person.objects.get(name="Jana Dvořáková", locale__language_code="cs")
    english_person = person.get_translation(en)
    before = (english_person.name, english_person.role, english_person.group, english_person.languages)
    index = ProjectPage.objects.get(pk=person.projects.get(locale__language_code="cs").pk).get_parent()
    project = ProjectPageFactory(parent=index, slug="novy-projekt", contact_person=person)
    project.save_revision().publish()

    response = client.post(reverse("wagtail_localize:submit_page_translation", args=[project.pk]), {"locales": [en.pk]})
    assert response.status_code == 302
    english_project = ProjectPage.objects.get(translation_key=project.translation_key, locale=en)
    english_person.refresh_from_db()
    assert (english_person.name, english_person.role, english_person.group, english_person.languages) == before
    assert english_project.contact_person_id == person.pk  # the one record, shown in each language
