"""Languages are data: the centre's texts per language with fallback, and no field named after a language."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from wagtail.models import Locale, Site

from portal.models import CentreSettings, CentreText

pytestmark = pytest.mark.django_db

LANGUAGE_SUFFIX = re.compile(r"_(cs|en|uk)$")


def project_models():
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root in path.parents and ".venv" not in path.parts:
            yield from config.get_models()


def test_no_model_field_is_named_after_a_language():
    models = list(project_models())
    assert {m._meta.app_label for m in models} >= {"portal", "home", "events", "projects"}
    named = [
        f"{model._meta.label}.{field.name}"
        for model in models
        for field in model._meta.get_fields()
        if LANGUAGE_SUFFIX.search(field.name) or LANGUAGE_SUFFIX.search(getattr(field, "attname", "") or "")
    ]
    assert named == []


def centre() -> CentreSettings:
    return CentreSettings.for_site(Site.objects.get(is_default_site=True))


def test_footer_and_home_show_the_centre_in_each_language(client, site_homes):
    czech = client.get("/cs/").content.decode()
    english = client.get("/en/").content.decode()
    assert czech.count("Komunitní centrum Soused") >= 2 and "Po–Čt 9:00–18:00" in czech
    assert "Soused Community Centre" not in czech and "Mon–Thu" not in czech
    assert english.count("Soused Community Centre") >= 2 and "Mon–Thu 9:00–18:00" in english
    assert "Po–Čt" not in english
    about = client.get("/en/about-us/").content.decode()
    assert "Soused Community Centre" in about and "Mon–Thu 9:00–18:00" in about


def test_what_a_language_leaves_empty_comes_from_the_default_language(client, site_homes):
    CentreText.objects.filter(locale__language_code="en").update(opening_hours="")
    english = client.get("/en/").content.decode()
    assert "Soused Community Centre" in english and "Po–Čt 9:00–18:00" in english

    CentreText.objects.filter(locale__language_code="en").delete()
    english = client.get("/en/").content.decode()
    assert "<strong>Komunitní centrum Soused</strong>" in english and "Po–Čt 9:00–18:00" in english


def test_another_language_needs_only_configuration(site_homes, settings):
    """Ukrainian came this way; a fourth language is one line of settings: `migrate` adds its locale."""
    from portal.locales import ensure_configured_locales

    assert set(Locale.objects.values_list("language_code", flat=True)) >= {"cs", "en", "uk"}
    settings.LANGUAGES = [*settings.LANGUAGES, ("de", "Deutsch")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    assert ensure_configured_locales() == ["de"]
    assert ensure_configured_locales() == []  # idempotent
    german = Locale.objects.get(language_code="de")
    with translation.override("de"):
        assert centre().text.name == "Komunitní centrum Soused"  # nothing in German yet
        CentreText.objects.create(settings=centre(), locale=german, name="Gemeinschaftszentrum Soused")
        text = centre().text
        assert text.name == "Gemeinschaftszentrum Soused"
        assert text.opening_hours.startswith("Po–Čt")  # hours not translated yet


def test_an_empty_centre_still_has_a_name(site_homes):
    CentreText.objects.all().delete()
    with translation.override("en"):
        assert centre().text.name == "Community centre"
    with translation.override("cs"):
        assert centre().text.name == "Komunitní centrum"


def test_the_centre_and_its_texts_are_read_in_two_queries(site_homes, django_assert_num_queries):
    site = Site.objects.get(is_default_site=True)
    with django_assert_num_queries(2):
        text = CentreSettings.for_site(site).text_for("en")
    assert text.name == "Soused Community Centre"


def test_staff_edit_the_texts_per_language_in_the_settings(client, site_homes, admin_user):
    client.force_login(admin_user)
    site = Site.objects.get(is_default_site=True)
    response = client.get(f"/admin/settings/portal/centresettings/{site.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Soused Community Centre" in html and "Komunitní centrum Soused" in html
