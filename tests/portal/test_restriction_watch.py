"""A page view restriction is in force for the very next request, however it
is made, although requests no longer read the table (portal.restrictions).

On PostgreSQL with real commits: the trigger notifies, each process listens,
and each request first waits for its listening connection to answer an empty
query. CI runs the suite on PostgreSQL; elsewhere these are skipped with the
reason shown.
"""

import importlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from portal import restrictions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ABOUT = "/cs/o-nas/"
PRIVACY = "/cs/ochrana-osobnich-udaju/"


@pytest.fixture(autouse=True)
def postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL notifications; run with DATABASE_URL=postgres://…")
    restrictions.stop_watching()
    yield
    restrictions.stop_watching()


@pytest.fixture
def cached(settings, site_homes):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 300
    client = Client(raise_request_exception=False)
    for url in (ABOUT, PRIVACY):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    return client


@pytest.fixture
def other():
    """A connection of another process: what it commits, this one is only told of."""
    import psycopg

    with psycopg.connect(**{**connection.get_connection_params(), "autocommit": True}) as conn:
        yield conn


def _page_id(url: str) -> int:
    return next(page.pk for page in Page.objects.live() if page.url == url)


def _restrict_by_sql(other, page_id: int) -> None:
    """A login restriction on the page, inserted by the other connection (no signal, no ORM)."""
    other.execute(
        "INSERT INTO wagtailcore_pageviewrestriction (page_id, restriction_type, password) VALUES (%s, 'login', '')",
        [page_id],
    )


def _served(client, url: str) -> bool:
    response = client.get(url)
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def test_a_kept_page_is_served_without_a_query_and_a_restriction_by_sql_elsewhere_is_in_force_at_once(cached, other):
    with CaptureQueriesContext(connection) as queries:
        response = cached.get(ABOUT)
    assert response["X-Page-Cache"] == "hit"
    assert len(queries) == 0  # the restrictions are known without reading them

    _restrict_by_sql(other, _page_id(ABOUT))
    response = cached.get(ABOUT)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert _served(cached, PRIVACY)

    other.execute("DELETE FROM wagtailcore_pageviewrestriction")
    assert _served(cached, ABOUT)


def test_restrictions_by_bulk_create_update_and_delete_are_each_in_force_for_the_next_request(cached):
    about, privacy = Page.objects.get(pk=_page_id(ABOUT)), Page.objects.get(pk=_page_id(PRIVACY))

    PageViewRestriction.objects.bulk_create([PageViewRestriction(page=about, restriction_type="login")])
    assert not _served(cached, ABOUT)
    PageViewRestriction.objects.filter(page=about).update(page=privacy)
    assert _served(cached, ABOUT) and not _served(cached, PRIVACY)
    PageViewRestriction.objects.all().delete()
    assert _served(cached, PRIVACY)


def test_every_change_committed_elsewhere_is_seen_by_the_next_request(cached, other):
    """Two hundred changes, each committed by another connection just before a
    request: the request always sees it (the empty query's answer comes after
    the notification)."""
    about = _page_id(ABOUT)
    for _round in range(100):
        _restrict_by_sql(other, about)
        assert not _served(cached, ABOUT)
        other.execute("DELETE FROM wagtailcore_pageviewrestriction WHERE page_id = %s", [about])
        assert _served(cached, ABOUT)


def test_a_dropped_listening_connection_is_replaced_and_what_changed_meanwhile_is_in_force(cached, other):
    assert _served(cached, ABOUT)
    listener = restrictions._WATCH.listener.info.backend_pid
    other.execute("SELECT pg_terminate_backend(%s)", [listener])
    # Changed while nobody listened: no notification reaches this process.
    _restrict_by_sql(other, _page_id(ABOUT))
    assert not _served(cached, ABOUT)
    assert restrictions._WATCH.listener.info.backend_pid != listener


MIGRATION = importlib.import_module("portal.migrations.0009_page_view_restriction_notifications")


@pytest.mark.parametrize("how", ["migration reversed while listening", "trigger disabled"])
def test_without_the_trigger_every_request_reads_the_restrictions(cached, other, caplog, how):
    assert _served(cached, ABOUT)
    if how == "trigger disabled":
        other.execute(f"ALTER TABLE wagtailcore_pageviewrestriction DISABLE TRIGGER {restrictions.TRIGGER}")
        restrictions.stop_watching()  # as a new process, or the set time after
    else:
        for statement in MIGRATION.DROP:
            other.execute(statement)
    try:
        with CaptureQueriesContext(connection) as queries:
            assert _served(cached, ABOUT)
        assert any("wagtailcore_pageviewrestriction" in query["sql"] for query in queries)
        assert "cannot listen for changes" in caplog.text
        # No notification comes now; the restriction is in force all the same.
        _restrict_by_sql(other, _page_id(ABOUT))
        assert not _served(cached, ABOUT)
    finally:
        for statement in MIGRATION.CREATE:
            other.execute(statement)


def test_the_restrictions_are_read_again_after_the_set_time(cached, settings):
    assert _served(cached, ABOUT)
    first = restrictions._WATCH.listener
    settings.RESTRICTION_WATCH_SECONDS = 0.001
    with CaptureQueriesContext(connection) as queries:
        assert _served(cached, ABOUT)
    assert restrictions._WATCH.listener is not first
    assert any("wagtailcore_pageviewrestriction" in query["sql"] for query in queries)
