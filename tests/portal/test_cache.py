"""The anonymous full-page cache, its invalidation, and the CDN purge."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Page

from events.models import EventDate
from portal import cache as page_cache

pytestmark = pytest.mark.django_db

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    """A CDN that only writes down what it was asked to purge."""

    def purge(self, url):
        PURGED.append(url)


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept"},
    }
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _page(url_path_end: str) -> Page:
    return next(p for p in Page.objects.live().specific() if p.url and p.url.endswith(url_path_end))


def test_second_anonymous_request_is_served_from_the_cache_with_one_query(client, site_homes, cached):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get("/cs/o-nas/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/cs/o-nas/")
    # The only query reads the page view restrictions (the fingerprint in the key).
    assert len(queries) == 1 and "wagtailcore_pageviewrestriction" in queries[0]["sql"]
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # The security headers are added outside the cache, on hits too: a hit carries every header the
    # fresh page had.
    assert "frame-ancestors 'none'" in second["Content-Security-Policy"]
    for name, value in first.items():
        if name not in ("X-Page-Cache", "Content-Length"):
            assert second.get(name) == value, name
    assert second["X-Frame-Options"] == "DENY"


def test_languages_and_query_strings_are_cached_separately(client, site_homes, cached):
    cs = client.get("/cs/").content
    en = client.get("/en/")
    assert en["X-Page-Cache"] == "miss" and en.content != cs
    client.get("/cs/search/?q=klub")
    other = client.get("/cs/search/?q=soukromí")
    assert other["X-Page-Cache"] == "miss"
    assert client.get("/cs/search/?q=klub")["X-Page-Cache"] == "hit"


def test_publishing_invalidates_the_page_its_translation_and_listings(
    client, site_homes, cached, django_capture_on_commit_callbacks
):
    urls = ["/cs/", "/en/", "/cs/o-nas/", "/en/about-us/"]
    for url in urls:
        client.get(url)
    assert all(client.get(url)["X-Page-Cache"] == "hit" for url in urls)

    about = _page("/cs/o-nas/")
    about.title = "O nás a o sousedech"
    with django_capture_on_commit_callbacks(execute=True):
        about.save_revision().publish()

    fresh = client.get("/cs/o-nas/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "O nás a o sousedech" in fresh.content.decode()
    for url in ["/cs/", "/en/", "/en/about-us/"]:
        assert client.get(url)["X-Page-Cache"] == "miss", url


def test_a_kept_body_shows_an_edit_at_once_and_its_links_in_the_visitors_language(
    client, site_homes, cached, django_capture_on_commit_callbacks
):
    """A page's body is kept as a fragment per page, language and host: a publish shows the new body,
    and the same Czech body served at its English address (not translated yet) links the English pages."""
    from home.models import StandardPage

    home = site_homes["cs"]
    body = [("paragraph", f'<p>Zpět na <a linktype="page" id="{home.pk}">úvod</a>.</p>')]
    with django_capture_on_commit_callbacks(execute=True):
        only_czech = home.add_child(instance=StandardPage(title="Jen česky", slug="jen-cesky", body=body))
        only_czech.save_revision().publish()
    assert '<a href="/cs/">úvod</a>' in client.get("/cs/jen-cesky/").content.decode()
    assert client.get("/cs/jen-cesky/")["X-Page-Cache"] == "hit"
    english = client.get("/en/jen-cesky/").content.decode()
    assert '<a href="/en/">úvod</a>' in english
    only_czech.body = [("paragraph", "<p>Nový text.</p>")]
    with django_capture_on_commit_callbacks(execute=True):
        only_czech.save_revision().publish()
    for url in ("/cs/jen-cesky/", "/en/jen-cesky/"):
        html = client.get(url).content.decode()
        assert "Nový text." in html and "úvod</a>" not in html, url


def test_unpublishing_removes_the_page_at_once(client, site_homes, cached, django_capture_on_commit_callbacks):
    assert client.get("/en/about-us/").status_code == 200
    about_en = _page("/en/about-us/")
    with django_capture_on_commit_callbacks(execute=True):
        about_en.unpublish()
    assert client.get("/en/about-us/").status_code == 404


def test_invalidation_waits_for_the_commit(site_homes, cached, django_capture_on_commit_callbacks):
    before = page_cache.site_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        page_cache.site_version_replace_on_commit()
        assert page_cache.site_version() == before
    assert page_cache.site_version_replace in callbacks
    callbacks[-1]()
    assert page_cache.site_version() != before


def test_saving_content_rows_invalidates(site_homes, cached, django_capture_on_commit_callbacks):
    from portal.models import CentreSettings

    before = page_cache.site_version()
    with django_capture_on_commit_callbacks(execute=True):
        centre = CentreSettings.objects.first() or CentreSettings.objects.create(site_id=1)
        centre.save()
    assert page_cache.site_version() != before
    # Rows that do not feed public pages (sessions, users) do not.
    before = page_cache.site_version()
    with django_capture_on_commit_callbacks(execute=True):
        get_user_model().objects.create_user("someone", "s@example.org", "x")
    assert page_cache.site_version() == before


def test_signed_in_editors_are_never_served_or_stored(client, site_homes, cached):
    editor = get_user_model().objects.create_superuser("redaktor", "r@example.org", "heslo")
    client.force_login(editor)
    as_editor = client.get("/cs/o-nas/")
    assert as_editor.status_code == 200
    assert "X-Page-Cache" not in as_editor
    anonymous = client.__class__().get("/cs/o-nas/")
    assert anonymous["X-Page-Cache"] == "miss"
    assert "wagtail-userbar" not in anonymous.content.decode()
    # Even with a cached copy present, the editor gets a fresh page.
    assert "X-Page-Cache" not in client.get("/cs/o-nas/")


def _request(path="/cs/o-nas/", **extra):
    request = RequestFactory().get(path, **extra)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


@pytest.mark.parametrize(
    ("path", "extra", "cacheable"),
    [
        ("/cs/o-nas/", {}, True),
        ("/en/about-us/?page=2", {}, True),
        ("/admin/", {}, False),
        ("/sitemap.xml", {}, False),
        ("/cs/registrations/cancel/abc/", {}, False),
        ("/en/registrations/status/1/", {}, False),
        ("/cs/o-nas/", {"HTTP_COOKIE": "sessionid=abc"}, False),
        ("/cs/o-nas/", {"HTTP_COOKIE": "messages=abc"}, False),
        ("/cs/o-nas/", {"HTTP_AUTHORIZATION": "Basic eDp5"}, False),
        ("/cs/search/?q=" + "x" * 300, {}, False),
    ],
)
def test_which_requests_may_use_the_cache(settings, path, extra, cacheable):
    settings.PAGE_CACHE_ENABLED = True
    assert page_cache.request_is_cacheable(_request(path, **extra)) is cacheable


def test_the_cache_is_off_unless_enabled(settings):
    settings.PAGE_CACHE_ENABLED = False
    assert page_cache.request_is_cacheable(_request()) is False


def test_responses_with_a_csrf_token_a_cookie_or_private_data_are_never_stored(settings):
    settings.PAGE_CACHE_ENABLED = True

    def store(response, request=None):
        return page_cache.page_store(request=request or _request(), response=response)

    with_token = _request()
    get_token(with_token)  # what {% csrf_token %} in a form does
    assert store(HttpResponse("<form>"), with_token) is False

    with_cookie = HttpResponse("x")
    with_cookie.set_cookie("sessionid", "abc")
    assert store(with_cookie) is False

    private = HttpResponse("x")
    private["Cache-Control"] = "private"
    assert store(private) is False

    never = HttpResponse("x")
    from django.utils.cache import add_never_cache_headers

    add_never_cache_headers(never)
    assert store(never) is False

    assert store(HttpResponse("x", status=404)) is False
    varies_on_user_agent = HttpResponse("x")
    varies_on_user_agent["Vary"] = "User-Agent"
    assert store(varies_on_user_agent) is False

    post = RequestFactory().post("/cs/o-nas/")
    assert store(HttpResponse("x"), post) is False

    assert store(HttpResponse("plain public page")) is True


def test_a_page_with_a_real_token_is_not_kept_but_one_with_the_placeholder_is(cached):
    from django.middleware.csrf import CsrfViewMiddleware
    from django.template import engines

    calls = []
    real = engines["django"].from_string("<form method='post'>{% csrf_token %}<button>Přihlásit</button></form>")

    def form_page(request):
        calls.append(request.path)
        return HttpResponse(real.render({}, request))

    stack = CsrfViewMiddleware(page_cache.PageCacheMiddleware(form_page))
    first = stack(_request("/cs/akce/klub/"))
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert "X-Page-Cache" not in first
    second = stack(_request("/cs/akce/klub/"))
    assert "X-Page-Cache" not in second
    assert len(calls) == 2

    def kept_form_page(request):
        calls.append(request.path)
        token = page_cache.csrf_placeholder()
        return HttpResponse(f"<form method='post'><input name='csrfmiddlewaretoken' value='{token}'></form>")

    stack = CsrfViewMiddleware(page_cache.PageCacheMiddleware(kept_form_page))
    first, second = stack(_request("/cs/akce/kurz/")), stack(_request("/cs/akce/kurz/"))
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert calls[-1] == "/cs/akce/kurz/" and len(calls) == 3
    for response in (first, second):
        html = response.content.decode()
        assert page_cache.csrf_placeholder() not in html
        # Each visitor gets a token and the cookie it belongs to; no shared cache keeps it.
        assert "csrftoken" in response.cookies
        assert "private" in response["Cache-Control"]


def test_publishing_purges_the_cdn_in_both_languages_and_the_listings(
    site_homes, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": "tests.portal.test_cache.RecordingBackend"}}
    PURGED.clear()
    about = _page("/cs/o-nas/")
    with django_capture_on_commit_callbacks(execute=True):
        about.save_revision().publish()
    paths = {url.split("//", 1)[-1].split("/", 1)[-1] for url in PURGED}
    assert {"cs/o-nas/", "en/about-us/", "cs/", "en/"} <= {"" if p is None else p for p in paths}


def test_footer_and_menu_fragments_are_cached_and_invalidated(
    client, site_homes, cached, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.models import CentreSettings

    editor = get_user_model().objects.create_superuser("redaktor", "r@example.org", "heslo")
    client.force_login(editor)  # signed in: no full-page cache, fragments only
    with CaptureQueriesContext(connection) as cold:
        client.get("/cs/o-nas/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/cs/o-nas/")
    assert len(warm) < len(cold)
    assert not any("portal_sociallink" in q["sql"] for q in warm.captured_queries)

    centre = CentreSettings.objects.first()
    centre.street = "Nová ulice 7"
    with django_capture_on_commit_callbacks(execute=True):
        centre.save()
    assert "Nová ulice 7" in client.get("/cs/o-nas/").content.decode()


def _warm(client, *urls):
    """Every cache warm: each page kept whole (and its fragments with it)."""
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def _not_served(response, title: str) -> bool:
    """An anonymous visitor is sent to sign in (or refused), never shown the page."""
    return response.status_code in (302, 401, 403) and title not in response.content.decode()


def test_a_page_restricted_by_bulk_create_is_never_served_from_the_cache(client, site_homes, cached):
    from wagtail.models import PageViewRestriction

    about = _page("/cs/o-nas/")
    _warm(client, "/cs/o-nas/", "/cs/")
    # bulk_create sends no signal and starts no new site version.
    PageViewRestriction.objects.bulk_create([PageViewRestriction(page=about, restriction_type="login")])
    response = client.get("/cs/o-nas/")
    assert _not_served(response, about.title)
    assert "X-Page-Cache" not in response


def test_a_restriction_moved_by_a_queryset_update_is_in_force_at_once(client, site_homes, cached):
    from wagtail.models import PageViewRestriction

    from tests.events.factories import EventIndexPageFactory, EventPageFactory

    index = EventIndexPageFactory(parent=site_homes["cs"])
    event = EventPageFactory(parent=index, title="Uzavřený kroužek", slug="uzavreny-krouzek")
    about = _page("/cs/o-nas/")
    restriction = PageViewRestriction.objects.create(page=about, restriction_type="login")
    _warm(client, event.url)

    # update() sends no signal either: the restriction moves from one page to another.
    PageViewRestriction.objects.filter(pk=restriction.pk).update(page=event)
    assert _not_served(client.get(event.url), event.title)
    # The page it left is public again, at once.
    assert client.get("/cs/o-nas/").status_code == 200


def _restricted_by_update_with_the_listing_warm(client, home):
    """An event moved behind a login by a queryset update() while the event
    index that lists it is kept: (index, the event, a public event)."""
    from wagtail.models import PageViewRestriction

    from tests.events.factories import EventIndexPageFactory, EventPageFactory

    index = EventIndexPageFactory(parent=home)
    event = EventPageFactory(parent=index, title="Uzavřený kroužek", slug="uzavreny-krouzek")
    public = EventPageFactory(parent=index, title="Otevřená dílna", slug="otevrena-dilna")
    start = timezone.now() + dt.timedelta(days=3)
    for page in (event, public):
        EventDate.objects.create(page=page, start=start, end=start + dt.timedelta(hours=2))
    restriction = PageViewRestriction.objects.create(page=_page("/cs/o-nas/"), restriction_type="login")
    _warm(client, index.url, event.url)
    assert event.title in client.get(index.url).content.decode()
    PageViewRestriction.objects.filter(pk=restriction.pk).update(page=event)
    return index, event, public


def test_an_event_restricted_by_a_queryset_update_is_not_served_from_a_warm_cache(client, site_homes, cached):
    index, event, public = _restricted_by_update_with_the_listing_warm(client, site_homes["cs"])
    assert _not_served(client.get(event.url), event.title)
    assert public.title in client.get(index.url).content.decode()


def test_an_event_restricted_by_a_queryset_update_leaves_the_listing(client, site_homes, cached):
    index, event, _public = _restricted_by_update_with_the_listing_warm(client, site_homes["cs"])
    assert event.title not in client.get(index.url).content.decode()


@pytest.fixture
def redis_fragments(settings):
    """The fragments cache on Redis, as production runs it (portal.cache.FragmentCache)."""
    import os

    import redis

    from tests.services import redis_test_url

    url = redis_test_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            raise
        pytest.skip("needs Redis (REDIS_TEST_URL)")
    settings.PAGE_CACHE_ENABLED = False
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "portal.cache.FragmentCache", "LOCATION": url, "KEY_PREFIX": "test-fragments"},
    }
    from django.core.cache import caches

    caches["fragments"].clear()
    page_cache._LEARNED.clear()
    yield caches["fragments"]
    caches["fragments"].clear()


class RedisCommands:
    """Counts the commands sent to Redis for keys of the fragments cache."""

    def __init__(self):
        self.commands = []

    def __enter__(self):
        from unittest import mock

        import redis

        original = redis.Redis.execute_command
        recorded = self.commands

        def execute(client, *args, **options):
            if len(args) > 1 and str(args[1]).startswith("test-fragments"):
                recorded.append(args[0])
            return original(client, *args, **options)

        self.patcher = mock.patch.object(redis.Redis, "execute_command", execute)
        self.patcher.start()
        return self

    def __exit__(self, *exc):
        self.patcher.stop()


def test_a_page_reads_its_fragments_in_one_round_trip_and_stays_current(
    client, site_homes, redis_fragments, django_capture_on_commit_callbacks
):
    first = client.get("/cs/o-nas/")
    assert first.status_code == 200
    with RedisCommands() as second_render:
        second = client.get("/cs/o-nas/")
    # Everything the first render kept (menu, footer, settings, home pages...)
    # comes back in one MGET, and the page is the same.
    assert second_render.commands == ["MGET"], second_render.commands
    assert second.content == first.content
    with RedisCommands() as other_page:
        assert client.get("/cs/").status_code == 200
    assert "MGET" not in other_page.commands  # an address not rendered before reads key by key

    # A publish: what was read ahead before is never shown again.
    page = _page("/o-nas/")
    page.title = "O nás a o sousedství"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    third = client.get("/cs/o-nas/")
    assert "O nás a o sousedství" in third.content.decode()
    fourth = client.get("/cs/o-nas/")
    assert fourth.content == third.content


@pytest.mark.django_db
def test_a_value_read_by_several_parts_of_a_page_is_computed_once_per_reading_request(settings):
    """once_per_request: once in a GET (which writes nothing), every time in a POST (which may have
    changed it in between), and never kept from one request to the next."""
    settings.PAGE_CACHE_ENABLED = False
    computed = []

    def build():
        computed.append(1)
        return len(computed)

    def page(request):
        values = [page_cache.once_per_request("places", 7, build=build) for _ in range(3)]
        return HttpResponse(",".join(str(value) for value in values))

    stack = page_cache.PageCacheMiddleware(page)
    assert stack(_request()).content == b"1,1,1"
    assert stack(_request()).content == b"2,2,2"  # a new request computes it again
    post = RequestFactory().post("/cs/o-nas/")
    assert stack(post).content == b"3,4,5"
    assert page_cache.once_per_request("places", 7, build=build) == 6  # outside a request: no memory
