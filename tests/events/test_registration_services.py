"""Registration services: every state, the waiting list, duplicates, e-mails, staff actions."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events.models import EventDate
from events.registrations import errors
from events.registrations.models import Registration, RegistrationEmail
from events.registrations.services import booking, staff, waitlist

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, in_days, register

pytestmark = pytest.mark.django_db


def statuses(page):
    return list(Registration.objects.filter(event=page).order_by("created_at", "id").values_list("email", "status"))


def test_confirmed_then_waitlisted_when_full(reg_event, django_capture_on_commit_callbacks):
    page = reg_event(capacity=3)
    date = first_date(page)
    with django_capture_on_commit_callbacks(execute=True):
        first = register(date, email="a@example.cz", seats=2)
        second = register(date, email="B@Example.cz", seats=1)
        third = register(date, email="c@example.cz", seats=1)
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waitlisted"]
    assert second.email == "b@example.cz"
    assert [m.to for m in mail.outbox] == [["a@example.cz"], ["b@example.cz"], ["c@example.cz"]]
    assert "waiting list" not in mail.outbox[0].subject.lower()
    assert RegistrationEmail.objects.filter(state="sent").count() == 3
    assert first.consent_at is not None


def test_confirmation_email_is_in_the_registrants_language_with_ics_and_cancel_link(
    reg_event, translate_event, django_capture_on_commit_callbacks
):
    page = reg_event()
    en = translate_event(page)
    en_date = en.dates.order_by("start").first()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(en_date, email="en@example.com", language="en")
        register(first_date(page), email="cs@example.cz", language="cs")
    english, czech = mail.outbox
    assert english.subject.startswith("Registration confirmed")
    assert "(EN)" in english.subject  # the English page's title
    html = english.alternatives[0][0]
    assert "/en/registrations/cancel/" in english.body and "/en/registrations/cancel/" in html
    name, content, mimetype = english.attachments[0]
    assert name == "event.ics" and mimetype.startswith("text/calendar")
    assert f"UID:{first_date(page).uid}@" in (content.decode() if isinstance(content, bytes) else content)
    assert "/cs/registrations/cancel/" in czech.body
    assert registration.event_date == first_date(page)  # the source-locale date


def test_both_languages_fill_one_pool(reg_event, translate_event):
    page = reg_event(capacity=2)
    en_date = translate_event(page).dates.order_by("start").first()
    cs_date = first_date(page)
    assert register(en_date, email="1@x.cz").status == "confirmed"
    assert register(cs_date, email="2@x.cz").status == "confirmed"
    assert register(en_date, email="3@x.cz").status == "waitlisted"
    assert Registration.objects.filter(event_date=cs_date).count() == 3


def test_cancellation_promotes_the_oldest_that_fit(reg_event, django_capture_on_commit_callbacks):
    page = reg_event(capacity=4)
    date = first_date(page)
    big = register(date, email="big@x.cz", seats=3)
    register(date, email="one@x.cz", seats=1)
    w_large = register(date, email="large@x.cz", seats=4)
    w_two = register(date, email="two@x.cz", seats=2)
    w_one = register(date, email="small@x.cz", seats=1)
    assert [w_large.status, w_two.status, w_one.status] == ["waitlisted"] * 3
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking.registration_cancel(registration=big)
    # 3 seats free: "large" (4) does not fit, "two" (2) and "small" (1) do, oldest first.
    assert dict(statuses(page)) == {
        "big@x.cz": "cancelled",
        "one@x.cz": "confirmed",
        "large@x.cz": "waitlisted",
        "two@x.cz": "confirmed",
        "small@x.cz": "confirmed",
    }
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert (
        subjects["big@x.cz"].startswith("Registrace zrušena")
        or "zruš" in subjects["big@x.cz"].lower()
        or subjects["big@x.cz"].startswith("Registration cancelled")
    )
    assert set(subjects) == {"big@x.cz", "two@x.cz", "small@x.cz"}
    assert RegistrationEmail.objects.filter(kind="promoted").count() == 2


def test_cancel_is_idempotent_and_frees_seats_once(reg_event):
    page = reg_event(capacity=1)
    date = first_date(page)
    first = register(date, email="a@x.cz")
    waiting = register(date, email="b@x.cz")
    booking.registration_cancel(registration=first)
    booking.registration_cancel(registration=first)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert Registration.objects.filter(status="confirmed").count() == 1


def test_duplicate_email_for_the_same_date_is_refused_and_can_resend(reg_event, django_capture_on_commit_callbacks):
    page = reg_event()
    date = first_date(page)
    original = register(date, email="dup@x.cz")
    with pytest.raises(errors.DuplicateRegistration) as error:
        register(date, email=" DUP@x.cz ")
    assert error.value.registration == original
    assert Registration.objects.filter(email="dup@x.cz").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        booking.registration_resend_confirmation(registration=error.value.registration)
    assert mail.outbox[-1].to == ["dup@x.cz"]
    # Another date of the same event is fine, and so is registering again after cancelling.
    second_date = page.dates.order_by("start")[1]
    assert register(second_date, email="dup@x.cz").status == "confirmed"
    booking.registration_cancel(registration=original)
    assert register(date, email="dup@x.cz").status == "confirmed"


@pytest.mark.parametrize(
    "fields, date_changes, error",
    [
        ({"registration_enabled": False}, {}, errors.RegistrationClosed),
        ({"registration_opens_at": in_days(1)}, {}, errors.RegistrationNotOpen),
        ({"registration_closes_at": in_days(-1)}, {}, errors.RegistrationClosed),
        ({}, {"cancelled": True}, errors.DateCancelled),
        ({}, {"start": in_days(-0.1), "end": in_days(0.1)}, errors.RegistrationClosed),
    ],
)
def test_states_that_refuse_registration(reg_event, fields, date_changes, error):
    page = reg_event(**{k: v for k, v in fields.items() if k != "registration_enabled"})
    if "registration_enabled" in fields:
        page.registration_enabled = False
        page.save()
    date = first_date(page)
    EventDate.objects.filter(pk=date.pk).update(**date_changes)
    with pytest.raises(error) as raised:
        register(EventDate.objects.get(pk=date.pk), email="x@x.cz")
    assert str(raised.value.message)
    assert not Registration.objects.exists()


def test_full_without_waiting_list_and_too_many_seats(reg_event):
    page = reg_event(capacity=2, registration_waitlist=False, registration_max_seats=2)
    date = first_date(page)
    with pytest.raises(errors.TooManySeats):
        register(date, email="a@x.cz", seats=3)
    register(date, email="a@x.cz", seats=1)
    with pytest.raises(errors.EventFull) as error:
        register(date, email="b@x.cz", seats=2)
    assert "1" in str(error.value.message)
    register(date, email="c@x.cz", seats=1)
    with pytest.raises(errors.EventFull):
        register(date, email="d@x.cz", seats=1)
    with pytest.raises(errors.ConsentRequired):
        register(date, email="e@x.cz", consent=False)


def test_date_capacity_overrides_the_event_default(reg_event):
    page = reg_event(capacity=10)
    date = first_date(page)
    EventDate.objects.filter(pk=date.pk).update(capacity=1)
    date.refresh_from_db()
    assert register(date, email="a@x.cz").status == "confirmed"
    assert register(date, email="b@x.cz").status == "waitlisted"


def test_staff_raising_capacity_promotes_on_publish(reg_event, django_capture_on_commit_callbacks):
    page = reg_event(capacity=1)
    date = first_date(page)
    register(date, email="a@x.cz")
    waiting = register(date, email="b@x.cz")
    page.registration_capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [m.to for m in mail.outbox if "b@x.cz" in m.to]


def test_staff_cancelling_a_date_tells_everyone(reg_event, django_capture_on_commit_callbacks):
    page = reg_event(capacity=1)
    date = first_date(page)
    register(date, email="a@x.cz")
    register(date, email="b@x.cz")
    other = register(page.dates.order_by("start")[1], email="c@x.cz")
    mail.outbox.clear()
    page = page.get_latest_revision_as_object()
    source = page.dates.get(uid=date.uid)
    source.cancelled = True
    source.cancellation_reason = "Nemoc lektorky"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.cz", "b@x.cz"]
    assert all("Nemoc lektorky" in m.body for m in mail.outbox)
    assert set(Registration.objects.filter(event_date__uid=date.uid).values_list("status", flat=True)) == {
        "cancelled_by_staff"
    }
    other.refresh_from_db()
    assert other.status == "confirmed"


def test_staff_actions(reg_event):
    page = reg_event(capacity=1)
    date = first_date(page)
    confirmed = register(date, email="a@x.cz")
    waiting = register(date, email="b@x.cz")
    with pytest.raises(errors.EventFull):
        waitlist.registration_promote(registration=waiting)
    with pytest.raises(errors.InvalidTransition):
        staff.registration_mark_attended(registration=waiting)
    started = date.start + dt.timedelta(minutes=1)
    assert staff.registration_mark_attended(registration=confirmed, now=started).status == "attended"
    assert staff.registration_mark_no_show(registration=confirmed, now=started).status == "no_show"
    with pytest.raises(errors.InvalidTransition):
        booking.registration_cancel(registration=confirmed, by_staff=True)
    EventDate.objects.filter(pk=date.pk).update(capacity=2)
    assert waitlist.registration_promote(registration=waiting).status == "confirmed"


def test_series_registration_covers_every_date(reg_event):
    page = reg_event(capacity=2, registration_scope="series", dates=(3, 10, 17))
    dates = list(page.dates.order_by("start"))
    a = register(dates[1], email="a@x.cz", seats=2)
    assert a.event_date is None and a.status == "confirmed"
    assert register(dates[2], email="b@x.cz").status == "waitlisted"
    with pytest.raises(errors.DuplicateRegistration):
        register(dates[0], email="a@x.cz")


def test_mail_server_down_keeps_the_registration_and_retries(reg_event, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.events.registration_fixtures.BrokenEmailBackend"
    page = reg_event()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(first_date(page), email="a@x.cz")
    assert Registration.objects.filter(pk=registration.pk, status="confirmed").exists()
    outbox_row = RegistrationEmail.objects.get(registration=registration)
    assert outbox_row.state == "retrying" and outbox_row.attempts == 1 and "SMTP" in outbox_row.last_error
    assert outbox_row.next_attempt_at <= timezone.now() + dt.timedelta(minutes=1)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The mail server is back: staff need not wait for the next attempt.
    call_command("retry_registration_emails", "--all")
    outbox_row.refresh_from_db()
    assert outbox_row.state == "sent" and outbox_row.attempts == 2
    assert mail.outbox[0].to == ["a@x.cz"]


def test_reminders_go_once_to_confirmed_registrations_for_tomorrow(reg_event, django_capture_on_commit_callbacks):
    tomorrow_noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    page = reg_event(capacity=1, dates=((tomorrow_noon, tomorrow_noon + dt.timedelta(hours=2)), 5))
    date = first_date(page)
    register(date, email="a@x.cz")
    register(date, email="waiting@x.cz")
    register(page.dates.order_by("start")[1], email="later@x.cz")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert [m.to for m in mail.outbox] == [["a@x.cz"]]
    assert "Připomínka" in mail.outbox[0].subject or "Reminder" in mail.outbox[0].subject


def test_a_registration_changes_only_what_shows_free_places(
    reg_event, settings, client, django_capture_on_commit_callbacks
):
    from django.test import Client

    from portal.cache import site_version

    settings.PAGE_CACHE_ENABLED = True
    page = reg_event()
    other = reg_event()
    for url in (page.url, other.url):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    version = site_version()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(first_date(page), email="jana@example.cz")
    # No new site version: other pages stay kept; the event's page is rendered again.
    assert site_version() == version
    assert client.get(other.url)["X-Page-Cache"] == "hit"
    again = Client().get(page.url)
    assert again["X-Page-Cache"] == "miss"
    assert "zbývá 9 z 10 míst" in again.content.decode()
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    # The outbox row and the person's own details show on no public page.
    with django_capture_on_commit_callbacks(execute=True):
        RegistrationEmail.objects.filter(registration=registration).first().save()
        registration.phone = "+420 777 000 111"
        registration.save(update_fields=["phone", "updated_at"])
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    # A change of status frees or takes a place.
    with django_capture_on_commit_callbacks(execute=True):
        booking.registration_cancel(registration=registration)
    assert client.get(page.url)["X-Page-Cache"] == "miss"
    assert site_version() == version


def test_joining_the_waiting_list_of_a_full_date_keeps_every_page(
    reg_event, settings, client, django_capture_on_commit_callbacks
):
    """One more person on the waiting list changes no free place shown: the event page and the
    listings stay kept. A group too big for the places left waits too, and changes nothing either;
    the next confirmed seat, or a waitlisted registration promoted, is shown at once."""
    from django.test import Client

    settings.PAGE_CACHE_ENABLED = True
    page = reg_event(capacity=3)
    full, other = page.dates.order_by("start")
    with django_capture_on_commit_callbacks(execute=True):
        first = register(full, email="a@x.cz", seats=3)
        register(other, email="b@x.cz", seats=2)
    urls = (page.url, page.get_parent().url, page.get_parent().get_parent().url)
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    with django_capture_on_commit_callbacks(execute=True):
        waiting = register(full, email="c@x.cz")
        too_big = register(other, email="d@x.cz", seats=2)
    assert (waiting.status, too_big.status) == ("waitlisted", "waitlisted")
    for url in urls:
        assert client.get(url)["X-Page-Cache"] == "hit", url
    with django_capture_on_commit_callbacks(execute=True):
        booking.registration_cancel(registration=first)  # frees 3 places: the first waiting is confirmed
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    fresh = Client().get(page.url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "zbývají 2 z 3 míst" in fresh.content.decode()  # the first date
    assert "zbývá 1 z 3 míst" in fresh.content.decode()  # the other date
    with django_capture_on_commit_callbacks(execute=True):
        register(other, email="e@x.cz")  # its last place
    fresh = Client().get(page.url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "zbývá 1 z 3 míst" not in fresh.content.decode()


def test_a_kept_event_page_is_checked_against_its_places_in_one_round_trip(
    reg_event, settings, client, django_capture_on_commit_callbacks
):
    """The kept event page, the site version and the current tokens of its places are read together;
    a registration in another process still makes the next request render the page again."""
    from unittest import mock

    from django.core.cache import caches

    settings.PAGE_CACHE_ENABLED = True
    page = reg_event()
    client.get(page.url)
    backend = type(caches["default"])
    with mock.patch.object(backend, "get_many", autospec=True, side_effect=backend.get_many) as reads:
        hit = client.get(page.url)
    assert hit["X-Page-Cache"] == "hit"
    assert reads.call_count == 1
    assert any(key.startswith("portal:dependency:") for key in reads.call_args.args[1])
    with django_capture_on_commit_callbacks(execute=True):
        register(first_date(page), email="jana@example.cz")
    assert client.get(page.url)["X-Page-Cache"] == "miss"
    assert client.get(page.url)["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_dates_lock_is_held_only_for_the_capacity_decision_and_the_inserts(reg_event):
    """Every registration for a date waits for its lock: between taking it and the commit there is
    only the seats count and the registration's own rows, with no savepoint round trips."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("the lock is a PostgreSQL row lock (SELECT … FOR UPDATE); run with DATABASE_URL=postgres://…")
    page = reg_event(capacity=5)
    date = first_date(page)
    booking.registration_create(event_date=date, name="Jana", email="jana@example.cz", seats=1, language="cs")
    with CaptureQueriesContext(connection) as queries:
        booking.registration_create(event_date=date, name="Jana", email="jana-b@example.cz", seats=1, language="cs")
    statements = [query["sql"] for query in queries.captured_queries]
    locked = next(i for i, sql in enumerate(statements) if "FOR UPDATE" in sql and "events_eventdate" in sql)
    commit = next(i for i, sql in enumerate(statements) if sql == "COMMIT")
    under_lock = statements[locked + 1 : commit]
    assert not any("SAVEPOINT" in sql for sql in statements)
    assert not any("registrations_participant" in sql for sql in under_lock)
    assert [sql.split(" ", 3)[:3] for sql in under_lock] == [
        ["SELECT", 'SUM("events_registration"."seats")', "AS"],
        ["INSERT", "INTO", '"events_registration"'],
        ["INSERT", "INTO", '"events_registrationemail"'],
    ]
