"""A restriction on a page makes it private in every language: its translation is
not served to an anonymous visitor, and no listing, feed, search or sitemap in
any language shows it."""

import re

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from .conftest import translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_event(make_event, index_en):
    """A Czech event with its English translation; the Czech page is then restricted to signed-in staff."""
    event = make_event(title="Klub pro pozvané", slug="klub-pro-pozvane", dates=(3, 10))
    event.save_revision().publish()
    event_en = translate(event, slug="invited-club", title="Invited members' club")
    # Made the way a script would (no admin, no signal anyone relies on).
    PageViewRestriction.objects.bulk_create([PageViewRestriction(page=event, restriction_type="login")])
    return event, event_en


def test_the_translation_of_a_private_page_is_private_too(private_event):
    event, event_en = private_event
    for page in (event, event_en):
        response = Client().get(page.url)
        assert response.status_code == 302, page.url
        assert "/admin/login/" in response["Location"] or "login" in response["Location"]
        assert page.title not in response.content.decode()


def test_no_listing_feed_search_or_sitemap_shows_it_in_any_language(private_event, index_cs, index_en):
    event, event_en = private_event
    client = Client()
    for index in (index_cs, index_en):
        for url in (index.url, index.url + "month/", index.url + "calendar.ics"):
            body = client.get(url).content.decode()
            assert event.title not in body and event_en.title not in body, url
    assert event_en.title not in client.get("/en/search/", {"q": "Invited"}).content.decode()
    assert event.title not in client.get("/cs/search/", {"q": "pozvané"}).content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "klub-pro-pozvane" not in sitemap and "invited-club" not in sitemap


def test_the_password_of_the_page_opens_its_translation(make_event, index_en):
    event = make_event(title="Setkání dobrovolníků", slug="setkani-dobrovolniku", dates=(5,))
    event.save_revision().publish()
    event_en = translate(event, slug="volunteers-meeting", title="Volunteers' meeting")
    restriction = PageViewRestriction.objects.create(page=event, restriction_type="password", password="kvetina")
    client = Client()
    form = client.get(event_en.url)
    assert form.status_code == 200
    html = form.content.decode()
    assert (
        'name="password"' in html and "Volunteers&#x27; meeting" not in html.split("<main", 1)[-1].split("<form", 1)[0]
    )
    action = re.search(r'<form action="([^"]+)"', html).group(1)
    assert f"/authenticate_with_password/{restriction.pk}/" in action
    response = client.post(action, {"password": "kvetina", "return_url": event_en.url})
    assert response.status_code == 302
    page = client.get(event_en.url)
    assert page.status_code == 200 and "Volunteers&#x27; meeting" in page.content.decode()
