"""Registration services: every state, the waiting list, duplicates, e-mails, staff actions."""

import pytest
from django.core import mail

from events.models import RegistrationEmail

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db


def test_confirmed_then_waitlisted_when_full(reg_event, django_capture_on_commit_callbacks):
    page = reg_event(capacity=3)
    date = first_date(page)
    with django_capture_on_commit_callbacks(execute=True):
        first = register(date, email="a@example.cz", seats=2)
        second = register(date, email="b@example.cz", seats=1)
        third = register(date, email="c@example.cz", seats=1)
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waitlisted"]
    assert len(mail.outbox) == 3
    assert mail.outbox[2].to == ["c@example.cz"]
    assert RegistrationEmail.objects.filter(state="sent").count() == 3
