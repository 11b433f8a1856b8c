"""Capacity under real concurrency: threads, each with its own PostgreSQL connection.

These tests need PostgreSQL row locks (`SELECT … FOR UPDATE`). CI runs the suite
on PostgreSQL; elsewhere they are skipped with the reason shown.
"""

import threading

import pytest
from django.db import connection
from django.db.models import Sum

from events.registrations.models import Registration
from events.registrations.services import booking, waitlist

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; run with DATABASE_URL=postgres://…")


def run_concurrently(count, work):
    """Start `count` threads at the same moment; return each one's result or exception."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:  # collected and asserted on by the caller
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def confirmed_seats(date):
    return (
        Registration.objects.filter(event_date=date, status__in=Registration.SEAT_STATUSES).aggregate(s=Sum("seats"))[
            "s"
        ]
        or 0
    )


@pytest.mark.parametrize("attempt", range(3))
def test_fifty_simultaneous_registrations_for_ten_places(attempt, reg_event, translate_event):
    page = reg_event(capacity=10)
    cs_date = first_date(page)
    en_date = translate_event(page).dates.get(uid=cs_date.uid)

    def work(index):
        date = en_date if index % 2 else cs_date
        return booking.registration_create(
            event_date=date,
            name=f"Person {index}",
            email=f"person{index}@example.cz",
            seats=1,
            language="en" if index % 2 else "cs",
        )

    results = run_concurrently(50, work)
    errors = [result for result in results if isinstance(result, Exception)]
    assert errors == []
    assert confirmed_seats(cs_date) == 10
    ordered = list(Registration.objects.filter(event_date=cs_date).order_by("created_at", "id"))
    assert len(ordered) == 50
    assert [r.status for r in ordered] == ["confirmed"] * 10 + ["waitlisted"] * 40
    assert {r.language for r in ordered} == {"cs", "en"}


@pytest.mark.parametrize("attempt", range(3))
def test_cancellations_and_new_registrations_race_safely(attempt, reg_event):
    page = reg_event(capacity=5)
    date = first_date(page)
    confirmed = [
        booking.registration_create(event_date=date, name="C", email=f"c{i}@x.cz", seats=1, language="cs")
        for i in range(5)
    ]
    waiting = [
        booking.registration_create(event_date=date, name="W", email=f"w{i}@x.cz", seats=1, language="cs")
        for i in range(10)
    ]
    assert {r.status for r in waiting} == {"waitlisted"}

    def work(index):
        if index < 5:
            return booking.registration_cancel(registration=confirmed[index])
        if index < 15:
            return booking.registration_create(
                event_date=date, name="N", email=f"n{index}@x.cz", seats=1, language="cs"
            )
        return waitlist.waitlist_promote(event=page)

    results = run_concurrently(20, work)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert confirmed_seats(date) == 5
    # The five oldest on the waiting list got the freed places; every newcomer waits.
    promoted = set(Registration.objects.filter(event_date=date, status="confirmed").values_list("email", flat=True))
    assert promoted == {f"w{i}@x.cz" for i in range(5)}
    assert Registration.objects.filter(email__startswith="n", status="waitlisted").count() == 10


@pytest.mark.parametrize("attempt", range(2))
def test_simultaneous_enrolments_in_a_term_never_exceed_its_places(attempt, reg_event, translate_event):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    page = reg_event(
        capacity=7,
        dates=(3, 10, 17, 60),
        registration_scope="series",
        registration_term_from=today + dt.timedelta(days=1),
        registration_term_until=today + dt.timedelta(days=30),
    )
    cs_date = first_date(page)
    en_date = translate_event(page).dates.get(uid=cs_date.uid)

    def work(index):
        # Family sign-ups (two named children) and single ones, in both languages, at the same moment.
        attendees = [f"Dítě {index} A", f"Dítě {index} B"] if index % 3 == 0 else ()
        return booking.registration_create(
            event_date=en_date if index % 2 else cs_date,
            name=f"Person {index}",
            email=f"person{index}@example.cz",
            seats=1,
            attendees=attendees,
            language="en" if index % 2 else "cs",
        )

    results = run_concurrently(40, work)
    assert [result for result in results if isinstance(result, Exception)] == []
    enrolments = Registration.objects.filter(event=page)
    assert enrolments.count() == 40 and not enrolments.filter(event_date__isnull=False).exists()
    confirmed = enrolments.filter(status="confirmed").aggregate(s=Sum("seats"))["s"]
    assert confirmed <= 7
    assert enrolments.filter(status="waitlisted").count() == 40 - enrolments.filter(status="confirmed").count()
    # Oldest first: nobody waits who asked for places that were free when they came.
    assert confirmed >= 6

    # One person leaves from a later date on: the term's waiting list moves up under the same lock.
    leaver = enrolments.filter(status="confirmed").order_by("created_at", "id").first()
    second_date = page.term_dates(page.dates.all()).order_by("start")[1]
    booking.registration_leave(registration=leaver, leaves_on=timezone.localdate(second_date.start))
    held = enrolments.filter(status="confirmed", leaves_on__isnull=True).aggregate(s=Sum("seats"))["s"]
    assert held <= 7 and held >= 7 - 1


@pytest.mark.parametrize("attempt", range(2))
def test_one_address_registering_at_the_same_moment_gets_one_registration_and_the_rest_are_told(attempt, reg_event):
    from events.registrations import errors
    from events.registrations.models import Participant, RegistrationEmail

    page = reg_event(capacity=10)
    date = first_date(page)

    def work(index):
        return booking.registration_create(
            event_date=date, name="Stejná Osoba", email="Stejna.Osoba@Example.cz", seats=1, language="cs"
        )

    results = run_concurrently(12, work)
    made = [result for result in results if isinstance(result, Registration)]
    refused = [result for result in results if isinstance(result, errors.DuplicateRegistration)]
    assert len(made) == 1 and len(refused) == 11, results
    # Each refusal names the registration that is there, so the page can offer to resend its e-mail.
    assert {error.registration.pk for error in refused} == {made[0].pk}
    assert Registration.objects.filter(event_date=date).count() == 1
    assert confirmed_seats(date) == 1
    # A refused attempt left nothing behind: no second person, no second e-mail.
    assert Participant.objects.filter(email="stejna.osoba@example.cz").count() == 1
    assert RegistrationEmail.objects.filter(registration__event_date=date).count() == 1
