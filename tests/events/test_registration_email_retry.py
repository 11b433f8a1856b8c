"""A failed registration e-mail is retried with backoff, and staff see the ones that failed."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.registrations import emails
from events.registrations.models import RegistrationEmail
from events.registrations.services import outbox

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server_down(settings):
    """SMTP to a closed local port: the connection is refused at once."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return settings


def mail_server_back(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_an_email_that_fails_once_is_sent_within_15_minutes(
    reg_event, mail_server_down, django_capture_on_commit_callbacks
):
    failed_at = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(first_date(reg_event()), email="eva@example.org")
    row = RegistrationEmail.objects.get(registration=registration)
    assert row.state == RegistrationEmail.State.RETRYING and row.attempts == 1
    assert "Connection" in row.last_error or "refused" in row.last_error.lower()
    assert row.next_attempt_at <= failed_at + dt.timedelta(minutes=15)

    mail_server_back(mail_server_down)
    assert outbox.emails_retry(now=failed_at + dt.timedelta(seconds=30)) == 0  # not due yet
    assert outbox.emails_retry(now=failed_at + dt.timedelta(minutes=15)) == 1
    row.refresh_from_db()
    assert row.state == RegistrationEmail.State.SENT and row.next_attempt_at is None
    assert [m.to for m in mail.outbox] == [["eva@example.org"]]


def test_retries_wait_minutes_then_hours_and_the_last_failure_is_final(
    reg_event, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(first_date(reg_event()), email="eva@example.org")
    row = RegistrationEmail.objects.get(registration=registration)
    waits = []
    now = timezone.now()
    while row.state == RegistrationEmail.State.RETRYING:
        waits.append(round((row.next_attempt_at - now).total_seconds() / 60))
        now = row.next_attempt_at
        assert outbox.emails_retry(now=now - dt.timedelta(seconds=1)) == 0  # never early
        outbox.emails_retry(now=now)
        row.refresh_from_db()
    assert waits == [1, 5, 15, 60, 240, 720]
    assert row.state == RegistrationEmail.State.FAILED
    assert row.attempts == emails.MAX_ATTEMPTS and row.next_attempt_at is None and row.last_error
    assert outbox.emails_retry(now=now + dt.timedelta(days=1)) == 0


SECOND_SENDER = {}


class SecondSenderBackend:
    """A mail server that is slow enough for another worker's sender to find the same row due meanwhile."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        SECOND_SENDER["result"] = emails.deliver(email_id=SECOND_SENDER["id"], due_only=True, now=SECOND_SENDER["now"])
        mail.outbox.extend(messages)
        return len(messages)


def test_a_row_two_senders_see_due_is_sent_once(reg_event, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.events.registration_fixtures.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(first_date(reg_event()), email="eva@example.org")
    row = RegistrationEmail.objects.get(registration=registration)
    settings.EMAIL_BACKEND = f"{__name__}.SecondSenderBackend"
    SECOND_SENDER.update(id=row.pk, now=row.next_attempt_at)
    assert outbox.emails_retry(now=row.next_attempt_at) == 1
    assert SECOND_SENDER["result"] == RegistrationEmail.State.RETRYING  # it found the row claimed and sent nothing
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.state == RegistrationEmail.State.SENT and row.attempts == 2


def test_staff_with_the_registration_permission_see_failed_emails(
    client, django_user_model, reg_event, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.events.registration_fixtures.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(first_date(reg_event()), email="eva@example.org")
    RegistrationEmail.objects.filter(registration=registration).update(
        state=RegistrationEmail.State.FAILED, attempts=emails.MAX_ATTEMPTS, next_attempt_at=None
    )
    manager = django_user_model.objects.create_user(username="manager", password="pw")
    manager.groups.add(Group.objects.get(name="Registration managers"))
    editor = django_user_model.objects.create_user(username="editor", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    listing = reverse("registration_admin:index")
    detail = reverse("registration_admin:inspect", args=[registration.pk])

    client.force_login(manager)
    response = client.get(listing, {"email_state": "failed"})
    assert response.status_code == 200 and "eva@example.org" in response.content.decode()
    assert "eva@example.org" not in client.get(listing, {"email_state": "sent"}).content.decode()
    page = client.get(detail).content.decode()
    assert "Failed, no more attempts" in page or "Neodesláno ani po všech pokusech" in page
    assert "SMTP" in page  # the last error
    assert f"<td>{emails.MAX_ATTEMPTS}</td>" in page

    client.force_login(editor)
    response = client.get(detail)
    assert response.status_code in (302, 403)
    assert "SMTP" not in response.content.decode()
