"""Routing: a page, however deep, is read in one query once its address is kept (neither the
locale nor the home page is read on the way), every address is routed as Wagtail routes it, and a
kept address never outlives the tree, however the tree was changed."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept_values(settings):
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "routing"},
    }
    caches["fragments"].clear()
    yield
    caches["fragments"].clear()


def _slug_lookups(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, [q["sql"] for q in queries.captured_queries if '"wagtailcore_page"."slug" = ' in q["sql"]]


def _site_then_page(client, url):
    """GET `url` once its address is kept: the response and its queries, which are the site, then
    the page, without the locale or the home page on the way (beside the view restrictions, read on
    every request where nothing listens for their changes)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    sql = [q["sql"] for q in queries.captured_queries if '"wagtailcore_pageviewrestriction"' not in q["sql"]]
    assert not [q for q in sql if '"wagtailcore_locale"' in q or '"home_homepage"' in q], url
    assert len(sql) == 2, url
    return response, sql


def test_a_child_of_the_home_page_is_read_in_one_query_once_its_address_is_kept(client, site_homes, kept_values):
    status, first = _slug_lookups(client, "/cs/o-nas/")
    assert status == 200 and first  # the address is looked up once...
    _response, sql = _site_then_page(client, "/cs/o-nas/")
    # ...then the page is read directly, by its id and its address, in one query with its own fields.
    reads = [q for q in sql if '"home_standardpage"' in q]
    assert len(reads) == 1 and '"wagtailcore_page"."url_path" = ' in reads[0]
    # A slug that names no page costs one lookup, as in Wagtail, each time: nothing is kept for it.
    for _ in range(2):
        status, lookups = _slug_lookups(client, "/cs/nic-takoveho/")
        assert status == 404 and len(lookups) == 1


def test_a_page_renamed_or_unpublished_without_signals_is_routed_as_the_tree_says(client, site_homes, kept_values):
    page = Page.objects.get(url_path__endswith="/o-nas/", locale__language_code="cs")
    assert client.get("/cs/o-nas/").status_code == 200  # its address is kept...
    assert client.get("/cs/kdo-jsme/").status_code == 404  # ...and so is "no such page"
    Page.objects.filter(pk=page.pk).update(slug="kdo-jsme", url_path=page.url_path.replace("/o-nas/", "/kdo-jsme/"))
    assert client.get("/cs/o-nas/").status_code == 404
    assert client.get("/cs/kdo-jsme/").status_code == 200
    Page.objects.filter(pk=page.pk).update(live=False)
    assert client.get("/cs/kdo-jsme/").status_code == 404


@pytest.fixture
def club(site_homes):
    from tests.events.factories import EventIndexPageFactory, EventPageFactory

    index = EventIndexPageFactory(parent=site_homes["cs"])
    club = EventPageFactory(parent=index, title="Doučovací klub", slug="doucovaci-klub")
    # An event whose slug is also one of the listing's own views: the view wins, as in Wagtail.
    EventPageFactory(parent=index, title="Měsíc", slug="month")
    return index, club


def test_an_event_behind_its_listing_is_read_in_one_query_once_its_address_is_kept(client, club, kept_values):
    index, event = club
    assert client.get("/cs/akce/doucovaci-klub/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/cs/akce/doucovaci-klub/")
    assert response.status_code == 200 and "Doučovací klub" in response.content.decode()
    sql = [q["sql"] for q in queries.captured_queries]
    # The listing's own row is not read on the way: the event is, once, by its id and address.
    assert not [q for q in sql if '"events_eventindexpage"' in q]
    reads = [q for q in sql if '"events_eventpage"' in q and '"wagtailcore_page"."url_path" = ' in q]
    assert len(reads) == 1
    # The listing's own views still come before a child of the same slug, kept or not.
    for _ in range(2):
        month = client.get("/cs/akce/month/")
        assert month.status_code == 200 and month.context["page"].pk == index.pk


def test_a_listing_renamed_or_an_event_unpublished_without_signals_is_routed_as_the_tree_says(
    client, club, kept_values
):
    index, event = club
    assert client.get("/cs/akce/doucovaci-klub/").status_code == 200  # its address is kept
    # The listing renamed by SQL, as Wagtail renames a page: its address and those below it change.
    for page in Page.objects.filter(path__startswith=index.path):
        Page.objects.filter(pk=page.pk).update(url_path=page.url_path.replace("/akce/", "/program/"))
    Page.objects.filter(pk=index.pk).update(slug="program")
    assert client.get("/cs/akce/doucovaci-klub/").status_code == 404
    assert client.get("/cs/program/doucovaci-klub/").status_code == 200
    Page.objects.filter(pk=event.pk).update(live=False)
    assert client.get("/cs/program/doucovaci-klub/").status_code == 404
    # A deleted page is gone at its kept address too.
    Page.objects.filter(pk=event.pk).update(live=True)
    assert client.get("/cs/program/doucovaci-klub/").status_code == 200
    Page.objects.get(pk=event.pk).delete()
    assert client.get("/cs/program/doucovaci-klub/").status_code == 404


def _wagtail_route(path: str, language: str):
    """The page Wagtail's own routing finds for `path` in `language`, or None."""
    request = RequestFactory().get(f"/{language}/{path}")
    with translation.override(language):
        result = Page.route_for_request(request, path)
    return result[0].pk if result is not None else None


ADDRESSES = [
    ("cs", ""),
    ("cs", "o-nas/"),
    ("cs", "prohlaseni-o-pristupnosti/"),
    ("en", ""),
    ("en", "about-us/"),
    ("en", "o-nas/"),  # the Czech slug in the English tree: Wagtail finds no such page
    ("cs", "about-us/"),
    ("cs", "nic-takoveho/"),
    ("cs", "o-nas/nic-takoveho/"),
]


def _served(client, language: str, path: str):
    response = client.get(f"/{language}/{path}")
    return response.context["page"].pk if response.status_code == 200 else None


@pytest.fixture
def czech_only(site_homes):
    """A page not translated into English: shown at its English address (HomePage.route)."""
    from home.models import StandardPage

    return site_homes["cs"].add_child(instance=StandardPage(title="Jen česky", slug="jen-cesky"))


def test_every_address_is_routed_as_wagtail_routes_it_kept_or_not(client, site_homes, czech_only, kept_values):
    for language, path in [*ADDRESSES, ("en", "jen-cesky/"), ("cs", "jen-cesky/")]:
        expected = _wagtail_route(path, language)
        for _ in range(2):  # routed through the tree, then through the kept address
            assert _served(client, language, path) == expected, (language, path)


def test_a_translated_home_page_unpublished_without_signals_is_no_longer_routed_through(
    client, site_homes, kept_values
):
    """Wagtail routes from the home page in the visitor's language only while that page is live;
    else from the default one. A kept address below the English home page follows suit."""
    english, about = site_homes["en"], Page.objects.get(url_path__endswith="/about-us/")
    assert _served(client, "en", "") == english.pk and _served(client, "en", "about-us/") == about.pk
    Page.objects.filter(pk=english.pk).update(live=False)
    for language, path in ADDRESSES:
        assert _served(client, language, path) == _wagtail_route(path, language), (language, path)
    assert _served(client, "en", "") == site_homes["cs"].pk
    assert _served(client, "en", "about-us/") is None


def test_a_page_for_signed_in_visitors_still_sends_them_to_the_sign_in_form(client, site_homes, kept_values):
    from wagtail.models import PageViewRestriction

    about = Page.objects.get(url_path__endswith="/o-nas/", locale__language_code="cs")
    assert client.get("/cs/o-nas/").status_code == 200  # its address is kept
    PageViewRestriction.objects.create(page=about, restriction_type="login")
    response = client.get("/cs/o-nas/")
    assert response.status_code == 302 and "/_util/login/" in response["Location"]
    form = client.get(response["Location"])
    assert form.status_code == 200 and 'name="password"' in form.content.decode()


def test_a_page_not_translated_yet_is_read_in_one_query_at_another_language_s_address(
    client, site_homes, czech_only, kept_values
):
    assert _served(client, "en", "jen-cesky/") == czech_only.pk  # through the tree, then kept
    response, _sql = _site_then_page(client, "/en/jen-cesky/")
    assert response.context["page"].pk == czech_only.pk
