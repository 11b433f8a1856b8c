"""Translating a page from the admin with wagtail-localize's "Translate" action."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, Translation

from home.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "changeme")
    client.force_login(user)
    return client


def test_editor_translates_and_publishes_a_page_in_english(admin_client, home_cs, django_capture_on_commit_callbacks):
    page = StandardPage(title="Klub deskových her", slug="klub-her", summary="Hrajeme každý čtvrtek.")
    home_cs.add_child(instance=page)
    page.save_revision().publish()
    en = Locale.objects.get(language_code="en")

    # The "Translate" action: choose English and submit.
    url = reverse("wagtail_localize:submit_page_translation", args=[page.id])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"locales": [en.id]})
    assert response.status_code == 302
    translated = page.get_translation(en)
    assert not translated.live

    # The translation editor opens on the English page, and translating its strings and publishing works.
    edit_url = reverse("wagtailadmin_pages:edit", args=[translated.id])
    assert admin_client.get(edit_url).status_code == 200
    translation = Translation.objects.get(source__object_id=page.translation_key, target_locale=en)
    english = {"Klub deskových her": "Board games club", "Hrajeme každý čtvrtek.": "We play every Thursday."}
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        if segment.string.data in english:
            response = admin_client.put(
                reverse("wagtail_localize:edit_string_translation", args=[translation.id, segment.id]),
                data=f"value={english[segment.string.data]}",
                content_type="application/x-www-form-urlencoded",
            )
            assert response.status_code in (200, 201), response.content
    # wagtail-localize publishes the new revision once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(edit_url, {"action": "publish"})
    assert response.status_code == 302
    translated = Page.objects.get(pk=translated.pk).specific
    assert translated.live
    assert translated.title == "Board games club"
    assert translated.summary == "We play every Thursday."
    assert admin_client.get(translated.url).status_code == 200
