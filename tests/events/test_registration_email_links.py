"""The e-mails the worker sends: links that open on the served port, a plain greeting, the centre as sender."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from wagtail.models import Site

from portal.models import CentreSettings

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
SERVED = "http://127.0.0.1:8722"


@pytest.fixture
def served_on_8722(settings, reg_event):
    """The demo site as `make run` set it up earlier on port 8000, now served on 8722."""
    page = reg_event(capacity=5)
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=8000)
    settings.WAGTAILADMIN_BASE_URL = SERVED
    return page


def _sent_email(page, django_capture_on_commit_callbacks, **kwargs):
    mail.outbox.clear()
    # The commit hands the e-mail to its task; the test backend runs the task at once.
    with django_capture_on_commit_callbacks(execute=True):
        register(first_date(page), email="jana@example.cz", name="Jana Nováková", **kwargs)
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def test_links_in_emails_point_at_the_served_port(served_on_8722, django_capture_on_commit_callbacks):
    message = _sent_email(served_on_8722, django_capture_on_commit_callbacks)
    html = message.alternatives[0][0]
    links = re.findall(r"https?://[^\s\"<>]+", message.body) + re.findall(r'href="(http[^"]+)"', html)
    registration_links = [link for link in links if "/registrations/" in link]
    assert registration_links, message.body
    for link in links:
        if "127.0.0.1" in link or "localhost" in link:
            assert link.startswith(SERVED + "/"), link


def test_make_run_passes_the_served_address_to_the_portal():
    if shutil.which("make") is None:
        pytest.fail("make is needed to check the Makefile")
    env = {key: value for key, value in os.environ.items() if key != "WAGTAILADMIN_BASE_URL"}
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8722"], cwd=REPO, env=env, capture_output=True, text=True, check=True
    ).stdout
    for command in ("load_demo_content", "db_worker", "runserver"):
        line = next(line for line in dry_run.splitlines() if f"manage.py {command}" in line)
        assert f"WAGTAILADMIN_BASE_URL={SERVED}" in line, line


def test_greeting_has_no_wrong_vocative(reg_event, django_capture_on_commit_callbacks):
    message = _sent_email(reg_event(capacity=5), django_capture_on_commit_callbacks)
    first_line = message.body.strip().splitlines()[0]
    assert first_line == "Dobrý den,"
    assert "Nováková" not in first_line
    assert "<p>Dobrý den,</p>" in message.alternatives[0][0]


def test_english_greeting(reg_event, django_capture_on_commit_callbacks):
    message = _sent_email(reg_event(capacity=5), django_capture_on_commit_callbacks, language="en")
    assert message.body.strip().splitlines()[0] == "Hello,"


def test_sender_and_reply_to_are_the_centres_own_address(reg_event, django_capture_on_commit_callbacks):
    centre = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    centre.email = "kontakt@centrum-soused.example"
    centre.save()
    message = _sent_email(reg_event(capacity=5), django_capture_on_commit_callbacks)
    assert message.from_email.endswith("<kontakt@centrum-soused.example>")
    assert centre.text_for("cs").name in message.from_email
    assert message.reply_to == ["kontakt@centrum-soused.example"]
    assert "From" not in message.extra_headers
