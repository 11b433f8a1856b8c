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


def test_redis_down_the_site_still_serves_and_logs(site_homes, caplog):
    port = _closed_port()
    redis_cache = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    redis_cache["fragments"] = {**redis_cache["default"], "KEY_PREFIX": "fragments"}
    redis_logger = logging.getLogger("django_redis")
    redis_logger.addHandler(caplog.handler)
    try:
        with override_settings(CACHES=redis_cache, PAGE_CACHE_ENABLED=True, DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS=True):
            from django.core.cache import cache

            for url in ("/cs/", "/en/", "/cs/o-nas/"):
                response = Client().get(url)
                assert response.status_code == 200, url
            assert cache.get("anything") is None
    finally:
        redis_logger.removeHandler(caplog.handler)
    records = [r for r in caplog.records if r.name.startswith("django_redis")]
    assert records, "cache errors must be logged"
    assert any("Connection" in str(r.exc_info[1]) or "refused" in str(r.exc_info) for r in records if r.exc_info)


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
