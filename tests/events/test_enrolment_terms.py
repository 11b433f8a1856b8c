"""Enrolment for a course's term: the term's dates, places and waiting list per term, cancelling from a date onward."""

import datetime as dt
import html as html_lib

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from events.models import EventDate, EventPage
from events.registrations import tokens
from events.registrations.emails import registration_links
from events.registrations.models import Registration
from events.registrations.selectors import enrolment_term, event_registration_summary

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db


def today_plus(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def course(reg_event):
    """A weekly course: a past date before the term, three within it (days 3, 10, 17), one after it."""

    def make(*, capacity=2, waitlist=True):
        return reg_event(
            capacity=capacity,
            dates=(-30, 3, 10, 17, 60),
            registration_scope="series",
            registration_waitlist=waitlist,
            registration_term_from=today_plus(2),
            registration_term_until=today_plus(20),
        )

    return make


def term_dates(page):
    return list(page.term_dates(page.dates.filter(cancelled=False)).order_by("start"))


def start_the_term(page):
    """The term's first date began an hour ago (the course is under way); returns the page as it is now."""
    first = term_dates(page)[0]
    start = timezone.now() - dt.timedelta(hours=1)
    EventDate.objects.filter(pk=first.pk).update(start=start, end=start + dt.timedelta(hours=2))
    EventPage.objects.filter(pk=page.pk).update(registration_term_from=today_plus(-1))
    return EventPage.objects.get(pk=page.pk)


def label(day: dt.date) -> str:
    return f"{day.day}. {day.month}."


def status_url(registration) -> str:
    return registration_links(registration, root="")["status_url"]


def cancel_url(registration) -> str:
    return registration_links(registration, root="")["cancel_url"]


def test_the_event_page_offers_enrolment_for_the_term_with_its_dates_count(client, course):
    page = course()
    html = html_lib.unescape(client.get(page.url).content.decode())
    term = f"{label(today_plus(2))}–{label(today_plus(20))}"
    assert f"Zápis na období {term}: jedna registrace platí pro jeho 3 termíny." in html
    assert enrolment_term(page=page).dates == 3


def test_the_confirmation_names_the_term_and_lists_only_its_dates(course, django_capture_on_commit_callbacks):
    page = course()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(first_date(page), email="jana@example.cz")
    assert registration.event_date is None and registration.status == "confirmed"
    (message,) = mail.outbox
    term = f"{label(today_plus(2))}–{label(today_plus(20))}"
    assert f"váš zápis na období {term} (3 termíny) je potvrzený" in message.body
    assert f"Období: {term}" in message.body
    ics = message.attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert ics.count("BEGIN:VEVENT") == 3
    outside = [date for date in page.dates.all() if date not in term_dates(page)]
    assert len(outside) == 2 and all(f"UID:{date.uid}@" not in ics for date in outside)


def test_places_are_per_enrolment_for_the_term_with_a_waiting_list(course, django_capture_on_commit_callbacks):
    page = course(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [register(first_date(page), email=f"p{n}@example.cz").status for n in range(3)]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    waitlisted = mail.outbox[-1]
    assert f"kurz je na období {label(today_plus(2))}–{label(today_plus(20))} obsazený" in waitlisted.body


def test_cancelling_from_a_date_onward_frees_the_seat_and_promotes_the_waiting_list(
    client, course, django_capture_on_commit_callbacks
):
    page = course(capacity=1)
    leaver = register(first_date(page), email="leaver@example.cz", name="Petr Odcházející")
    waiting = register(first_date(page), email="waiting@example.cz", name="Eva Čekající")
    assert waiting.status == "waitlisted"
    page = start_the_term(page)
    third = term_dates(page)[2]
    leave_day = timezone.localdate(third.start)

    # The status page (the signed link in the e-mail) offers cancelling from one of the dates still to come.
    page_html = client.get(status_url(leaver)).content.decode()
    assert 'name="leaves_on"' in page_html
    assert f'value="{leave_day.isoformat()}"' in page_html
    assert f'value="{timezone.localdate(term_dates(page)[0].start).isoformat()}"' not in page_html  # started

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(leaver), {"leaves_on": leave_day.isoformat()})
    assert response.status_code == 302
    leaver.refresh_from_db()
    waiting.refresh_from_db()
    assert (leaver.status, leaver.leaves_on) == ("confirmed", leave_day)
    assert waiting.status == "confirmed"

    by_address = {message.to[0]: message for message in mail.outbox}
    promoted = by_address["waiting@example.cz"]
    assert promoted.subject == f"Místo v kurzu je vaše: {page.title}"
    term = f"{label(today_plus(-1))}–{label(today_plus(20))}"
    assert f"Postupujete ze seznamu náhradníků a váš zápis na období {term} je nyní potvrzený" in promoted.body
    leaving = by_address["leaver@example.cz"]
    assert leaving.subject == f"Zápis končí: {page.title}"
    assert "váš zápis do kurzu zrušen od" in leaving.body

    shown = html_lib.unescape(client.get(response["Location"]).content.decode())
    assert "Zápis končí" in shown and "Termíny před tímto dnem máte dál zarezervované." in shown

    # The leaver's seat went to the promoted enrolment: one of one place is taken, nobody waits.
    assert event_registration_summary(page=page)[0] == {"date": None, "taken": 1, "capacity": 1, "waitlisted": 0}


def test_a_left_enrolment_does_not_count_against_the_term(course):
    page = course(capacity=1)
    first = register(first_date(page), email="a@example.cz")
    Registration.objects.filter(pk=first.pk).update(leaves_on=timezone.localdate(term_dates(page)[1].start))
    assert register(first_date(page), email="b@example.cz").status == "confirmed"


def test_a_resident_cannot_leave_from_a_date_that_has_started_or_from_no_date(client, course):
    page = course()
    registration = register(first_date(page), email="a@example.cz")
    page = start_the_term(page)
    started = timezone.localdate(term_dates(page)[0].start).isoformat()
    for value, message in (
        (started, "Tento termín už začal"),
        ("2001-01-01", "Vyberte jeden z termínů kurzu."),
        ("x", "Vyberte"),
    ):
        response = client.post(cancel_url(registration), {"leaves_on": value})
        assert response.status_code == 409
        assert message in html_lib.unescape(response.content.decode())
    registration.refresh_from_db()
    assert registration.leaves_on is None and registration.status == "confirmed"


def test_leaving_before_the_term_starts_is_an_ordinary_cancellation(client, course):
    page = course()
    registration = register(first_date(page), email="a@example.cz")
    html = client.get(cancel_url(registration)).content.decode()
    assert 'name="leaves_on"' not in html
    assert client.post(cancel_url(registration)).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_english_pages_and_emails_speak_of_the_term(
    client, course, translate_event, django_capture_on_commit_callbacks
):
    page = course()
    en = translate_event(page)
    html = html_lib.unescape(client.get(en.url).content.decode())
    assert "Enrolment for the term" in html and "one registration covers its 3 dates." in html
    with django_capture_on_commit_callbacks(execute=True):
        register(en.dates.order_by("start").first(), email="en@example.com", language="en")
    assert "your enrolment for the term" in mail.outbox[0].body and "(3 dates)" in mail.outbox[0].body


def test_one_off_events_still_register_per_date(course, reg_event):
    page = reg_event(capacity=1)
    registration = register(first_date(page), email="a@example.cz", seats=1)
    assert registration.event_date == first_date(page) and registration.status == "confirmed"
    assert register(first_date(page), email="b@example.cz").status == "waitlisted"


# Staff ---------------------------------------------------------------------------------


@pytest.fixture
def manager(django_user_model):
    user = django_user_model.objects.create_user(username="manager", password="pw")
    user.groups.add(Group.objects.get(name="Registration managers"))
    return user


def test_staff_cancel_an_enrolment_from_a_date_in_the_admin(client, course, manager):
    page = course(capacity=1)
    registration = register(first_date(page), email="a@example.cz")
    waiting = register(first_date(page), email="b@example.cz")
    page = start_the_term(page)
    client.force_login(manager)
    inspect = client.get(reverse("registration_admin:inspect", args=[registration.pk])).content.decode()
    url = reverse("registration_staff_leave", args=[registration.pk])
    assert url in inspect
    # Staff may record that someone stopped coming from a date that has already passed.
    started = timezone.localdate(term_dates(page)[0].start)
    second = timezone.localdate(term_dates(page)[1].start)
    assert started.isoformat() in client.get(url).content.decode()
    response = client.post(url, {"leaves_on": second.isoformat()})
    assert response.status_code == 302
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.leaves_on == second and waiting.status == "confirmed"
    bad = client.post(url, {"leaves_on": "nonsense"})
    assert bad.status_code == 400 and "Vyberte platnou možnost" in html_lib.unescape(bad.content.decode())


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_only_registration_managers_cancel_enrolments_in_the_admin(client, course, django_user_model, group):
    page = course()
    registration = register(first_date(page), email="a@example.cz")
    user = django_user_model.objects.create_user(username="editor", password="pw")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    url = reverse("registration_staff_leave", args=[registration.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"leaves_on": today_plus(10).isoformat()}).status_code == 403
    registration.refresh_from_db()
    assert registration.leaves_on is None


def test_the_status_token_still_opens_a_left_enrolment(client, course):
    page = course()
    registration = register(first_date(page), email="a@example.cz")
    with translation.override("cs"):
        token = tokens.registration_token(registration=registration, salt=tokens.STATUS_TOKEN_SALT)
    assert client.get(reverse("registrations:status", kwargs={"token": token})).status_code == 200


def test_a_cancelled_date_is_announced_only_to_enrolments_taking_part_in_it(course, django_capture_on_commit_callbacks):
    from events.registrations.selectors import date_cancellation_recipients
    from events.registrations.services.staff import event_date_cancel

    page = course(capacity=5)
    register(first_date(page), email="stays@example.cz")
    leaver = register(first_date(page), email="leaves@example.cz")
    dates = term_dates(page)
    Registration.objects.filter(pk=leaver.pk).update(leaves_on=timezone.localdate(dates[1].start))
    assert date_cancellation_recipients(event_date=dates[0]) == 2
    assert date_cancellation_recipients(event_date=dates[2]) == 1
    assert date_cancellation_recipients(event_date=page.dates.order_by("start").last()) == 0  # after the term
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_date_cancel(event_date=dates[2], reason="Nemoc lektorky")
    assert [message.to for message in mail.outbox] == [["stays@example.cz"]]


def test_the_status_page_names_the_term_and_the_children(client, course):
    page = course()
    registration = register(first_date(page), email="rodic@example.cz", attendees=["Anička", "Tomáš"])
    html = html_lib.unescape(client.get(status_url(registration)).content.decode())
    assert f"Zápis na období {label(today_plus(2))}–{label(today_plus(20))}" in html
    assert "Anička, Tomáš" in html


def test_a_course_with_a_term_opens_in_its_revisions_and_preview(client, django_user_model, course):
    """The editor's views of an earlier version render the course from the revision (its dates in memory)."""
    page = course()
    register(first_date(page), email="jana@example.cz")
    page.title = "Kurz (nová verze)"
    revision = page.save_revision()
    admin = django_user_model.objects.create_superuser("spravce", "spravce@example.cz", "pw")
    client.force_login(admin)
    for url in (
        reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, revision.pk]),
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
    ):
        assert client.get(url).status_code == 200, url
    preview = client.get(reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]))
    assert preview.status_code == 200
    assert "Zápis na období" in html_lib.unescape(preview.content.decode())
