"""Fault tolerance: what visitors get when the database, Redis or SMTP fail."""

import datetime as dt
import logging
import socket
from unittest import mock

import pytest
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.test import Client, override_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DatabaseDown:
    """Every attempt to reach the database fails, as when PostgreSQL is down."""

    def __init__(self, error=OperationalError):
        self.error = error
        self.attempts = 0

    def __enter__(self):
        def refuse(*args, **kwargs):
            self.attempts += 1
            raise self.error('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

        self.patcher = mock.patch.object(connection, "ensure_connection", side_effect=refuse)
        self.patcher.start()
        return self

    def __exit__(self, *exc):
        self.patcher.stop()


@pytest.mark.parametrize("url", ["/cs/", "/cs/o-nas/", "/cs/neexistuje/", "/cs/search/?q=klub"])
def test_database_down_gives_a_friendly_czech_503(site_homes, url, caplog):
    client = Client(raise_request_exception=False)
    with DatabaseDown() as down, caplog.at_level(logging.ERROR, logger="portal.faults"):
        response = client.get(url)
    assert down.attempts >= 1  # the page really needed the database
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "Traceback" not in html and "OperationalError" not in html and "5432" not in html
    assert '<html lang="cs">' in html
    assert html.count("<h1>") == 1
    # Both languages, Czech first.
    assert html.index('lang="cs"', 20) < html.index('lang="en"')
    assert "Database unavailable" in caplog.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("page_cache", [True, False])
def test_a_connection_the_database_dropped_is_reopened_and_the_page_served(site_homes, settings, page_cache):
    """A restart or failover drops every kept connection (the request's and the
    one that listens for page view restrictions): the next visitor gets the
    page, not a 503, and a restriction made meanwhile is in force."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a PostgreSQL server to drop the connection; run with DATABASE_URL=postgres://…")
    import psycopg
    from django.db import close_old_connections

    # As production runs it: connections kept between requests, Django's health check on.
    settings_dict = connection.settings_dict
    kept = settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"]
    settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = 60, True
    settings.PAGE_CACHE_ENABLED = page_cache
    client = Client(raise_request_exception=False)

    def get(url):
        # What every server does as a request starts (the test client leaves it out).
        close_old_connections()
        return client.get(url)

    try:
        connection.close()
        assert get("/cs/o-nas/").status_code == 200
        assert get("/cs/ochrana-osobnich-udaju/").status_code == 200
        backend = connection.connection.info.backend_pid
        with psycopg.connect(**{**connection.get_connection_params(), "autocommit": True}) as other:
            dropped = other.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
            assert len(dropped) >= 2  # the request's connection and the listening one
            other.execute(
                "INSERT INTO wagtailcore_pageviewrestriction (page_id, restriction_type, password)"
                " SELECT id, 'login', '' FROM wagtailcore_page WHERE url_path LIKE %s",
                ["%/ochrana-osobnich-udaju/"],
            )
        response = get("/cs/o-nas/")
        assert response.status_code == 200, response.content[:300]
        # The restriction made while the connections were down is in force.
        assert get("/cs/ochrana-osobnich-udaju/").status_code == 302
        assert connection.connection.info.backend_pid != backend
    finally:
        settings_dict["CONN_MAX_AGE"], settings_dict["CONN_HEALTH_CHECKS"] = kept
        connection.close()


def test_database_down_on_an_english_page_puts_english_first(site_homes):
    client = Client(raise_request_exception=False)
    with DatabaseDown(InterfaceError):
        response = client.get("/en/")
    assert response.status_code == 503
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "The site is briefly unavailable" in html.split("<h1>")[1].split("</h1>")[0]


def test_database_down_while_posting_gives_503_not_500(site_homes):
    client = Client(raise_request_exception=False)
    with DatabaseDown():
        response = client.post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 503


def test_other_errors_are_not_disguised_as_503(site_homes, settings):
    client = Client(raise_request_exception=False)
    with mock.patch("home.views.render", side_effect=RuntimeError("bug")):
        response = client.get("/cs/search/?q=x")
    assert response.status_code == 500


def _redis_caches(location: str) -> dict:
    """Both caches on one Redis, as production configures them."""
    default = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "portal",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
    return {"default": default, "fragments": {**default, "KEY_PREFIX": "portal-fragments"}}


# Every logger that reports cache failures, and the one that says the cache is back.
CACHE_FAULT_LOGGERS = ("portal.cache.redis", "django_redis", "portal.ratelimit", "portal.cache.outage")


@pytest.fixture
def cache_fault_log(caplog):
    """Everything logged at WARNING and above, including the cache-failure
    loggers (which do not propagate to the root logger)."""
    from portal.outages import cache_outage

    cache_outage.reset()
    loggers = [logging.getLogger(name) for name in CACHE_FAULT_LOGGERS]
    for each in loggers:
        each.addHandler(caplog.handler)
    yield caplog
    for each in loggers:
        each.removeHandler(caplog.handler)
    cache_outage.reset()


def test_redis_down_the_site_serves_uncached_with_one_warning(site_homes, bookable_event, cache_fault_log):
    from django.core.cache import cache

    page, date = bookable_event
    urls = ["/cs/", "/en/", "/cs/o-nas/", page.url, "/cs/search/?q=klub", "/sitemap.xml"]
    with override_settings(CACHES=_redis_caches(f"redis://127.0.0.1:{_closed_port()}/0"), PAGE_CACHE_ENABLED=True):
        for number in range(20):
            url = urls[number % len(urls)]
            response = Client().get(url)
            assert response.status_code == 200, url
            assert b"<html" in response.content or url == "/sitemap.xml"
        # A registration still goes through (the rate limit is not enforced without the cache).
        assert _register(Client(), page, date).status_code == 302
        assert cache.get("anything") is None

    records = [r for r in cache_fault_log.records if r.levelno >= logging.WARNING]
    assert [(r.levelname, r.name) for r in records] == [("WARNING", "portal.cache.redis")]
    assert "unreachable" in records[0].getMessage() and "uncached" in records[0].getMessage()
    assert records[0].exc_info is None
    assert "Traceback" not in cache_fault_log.text


def test_redis_outage_reminds_once_a_minute_and_says_when_it_is_back(site_homes, cache_fault_log, monkeypatch):
    from portal.outages import cache_outage

    now = [1000.0]
    monkeypatch.setattr(cache_outage, "clock", lambda: now[0])
    with override_settings(CACHES=_redis_caches(f"redis://127.0.0.1:{_closed_port()}/0"), PAGE_CACHE_ENABLED=True):
        for _ in range(3):
            assert Client().get("/cs/").status_code == 200
        now[0] += 61
        for _ in range(3):
            assert Client().get("/cs/").status_code == 200
    messages = [r.getMessage() for r in cache_fault_log.records if r.levelno >= logging.WARNING]
    assert len(messages) == 2
    assert "still unreachable" in messages[1] and "more cache errors not logged" in messages[1]

    # Redis is back: after the next request this process says so, once.
    now[0] += 61
    with override_settings(CACHES=_redis_caches("redis://127.0.0.1:6379/13"), PAGE_CACHE_ENABLED=True):
        for _ in range(3):
            assert Client().get("/cs/").status_code == 200
        from django.core.cache import caches

        caches["default"].clear()  # the test's own Redis database
    messages = [r.getMessage() for r in cache_fault_log.records if r.levelno >= logging.WARNING]
    assert len(messages) == 3
    assert "reachable again" in messages[2]
    assert not cache_outage.is_down
    assert "Traceback" not in cache_fault_log.text


def test_the_outage_filter_is_thread_safe():
    import threading

    from portal.outages import CacheOutage

    outage = CacheOutage(interval=60, clock=lambda: 5.0)
    said = []

    def fail_often():
        for _ in range(500):
            message = outage.failure(ConnectionError("refused"))
            if message:
                said.append(message)

    threads = [threading.Thread(target=fail_often) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(said) == 1 and outage.failures == 4000 and outage.held_back == 3999


# Registrations when SMTP or the database fails ---------------------------------


@pytest.fixture
def bookable_event(home_cs):
    import datetime as dt

    from django.core.cache import cache
    from django.utils import timezone

    from events.models import EventDate
    from tests.events.factories import EventIndexPageFactory, EventPageFactory

    cache.clear()  # the registration form's per-address rate limit
    index = EventIndexPageFactory(parent=home_cs)
    page = EventPageFactory(parent=index, registration_enabled=True, registration_capacity=5)
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    date = EventDate.objects.create(page=page, start=start, end=start + dt.timedelta(hours=2))
    page.save_revision().publish()
    return page, date


def _register(client, page, date, email="eva@example.org"):
    return client.post(
        f"/cs/registrations/event/{page.pk}/",
        {"date": str(date.uid), "name": "Eva Malá", "email": email, "seats": "1", "consent": "on", "website": ""},
    )


def test_smtp_down_registration_is_kept_and_the_email_retried(
    client, bookable_event, settings, django_capture_on_commit_callbacks, mailoutbox
):
    from events.registrations.models import Registration, RegistrationEmail
    from events.registrations.services.outbox import emails_retry

    page, date = bookable_event
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, page, date)
    assert response.status_code == 302  # the visitor is told they are registered
    registration = Registration.objects.get(email="eva@example.org")
    assert registration.status == Registration.Status.CONFIRMED
    mail = RegistrationEmail.objects.get(registration=registration)
    assert mail.state == RegistrationEmail.State.RETRYING
    assert mail.attempts == 1 and mail.last_error

    # The mail server is back: the worker's minute-by-minute sender sends it once its retry is due.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = timezone.now() + dt.timedelta(minutes=2)
    assert emails_retry(now=later) == 1
    mail.refresh_from_db()
    assert mail.state == RegistrationEmail.State.SENT
    assert [m.to for m in mailoutbox] == [["eva@example.org"]]
    assert emails_retry(now=later) == 0  # and only once


def test_a_registration_never_half_completes(client, bookable_event, django_capture_on_commit_callbacks):
    """The database fails half-way (after the registration row, before its
    e-mail row): nothing is kept, the visitor gets the 503 page, and a retry
    registers cleanly once."""
    from events.registrations.models import Registration, RegistrationEmail
    from events.registrations.services import booking

    page, date = bookable_event
    original = booking.queue_email

    def fail_after_insert(*, registration, **kwargs):
        assert Registration.objects.filter(pk=registration.pk).exists()  # the row was written…
        raise OperationalError("server closed the connection unexpectedly")  # …then the database failed

    client.raise_request_exception = False
    with (
        mock.patch.object(booking, "queue_email", side_effect=fail_after_insert) as failing,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = _register(client, page, date)
    assert failing.called
    assert response.status_code == 503
    assert Registration.objects.count() == 0
    assert RegistrationEmail.objects.count() == 0
    assert callbacks == []  # no e-mail was queued for a registration that does not exist

    assert booking.queue_email is original
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, page, date)
    assert response.status_code == 302
    assert Registration.objects.count() == 1
    assert RegistrationEmail.objects.count() == 1
