"""Staff-entered sign-ups (by phone, in person, without an e-mail address) and family sign-ups on the public form."""

import html as html_lib

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from events.registrations.models import Registration, RegistrationAttendee, RegistrationEmail

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, django_user_model):
    user = django_user_model.objects.create_user(username="manager", password="pw")
    user.groups.add(Group.objects.get(name="Registration managers"))
    client.force_login(user)
    return user


def signup_url(page) -> str:
    return reverse("registration_staff_signup", args=[page.pk])


def form_data(page, **fields):
    data = {"date": str(first_date(page).pk), "name": "Marie Dvořáková", "seats": "1", "language": "cs"}
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def text(response) -> str:
    return html_lib.unescape(response.content.decode())


def test_the_event_listing_leads_to_the_staff_sign_up(client, manager, reg_event):
    page = reg_event()
    listing = client.get(reverse("registration_admin:index") + f"?event={page.pk}")
    assert signup_url(page) in listing.content.decode()
    form = text(client.get(signup_url(page)))
    assert "Přihlásit účastníka" in form and "Poslat potvrzení" in form


def test_a_phone_sign_up_without_an_address_is_confirmed_and_sends_nothing(
    client, manager, reg_event, django_capture_on_commit_callbacks
):
    page = reg_event(capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(signup_url(page), form_data(page, phone="777 123 456", send_confirmation="on"))
    assert response.status_code == 302
    registration = Registration.objects.get(event=page)
    assert (registration.name, registration.email, registration.phone) == ("Marie Dvořáková", "", "777 123 456")
    assert registration.status == "confirmed" and registration.entered_by == manager
    assert registration.participant.phone == "777123456"
    assert mail.outbox == []
    assert not RegistrationEmail.objects.filter(state__in=["pending", "retrying"]).exists()
    listing = text(client.get(response["Location"]))
    assert "Marie Dvořáková je přihlášen(a)." in listing


def test_a_name_only_sign_up_works_and_two_people_without_addresses_do_not_clash(client, manager, reg_event):
    page = reg_event(capacity=5)
    for name in ("Josef Novák", "Josef Novák"):
        assert client.post(signup_url(page), form_data(page, name=name)).status_code == 302
    registrations = Registration.objects.filter(event=page)
    assert registrations.count() == 2
    assert len({registration.participant_id for registration in registrations}) == 2


def test_with_an_address_the_confirmation_is_sent_only_when_asked(
    client, manager, reg_event, django_capture_on_commit_callbacks
):
    page = reg_event(capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(signup_url(page), form_data(page, email="quiet@example.cz"))
        client.post(
            signup_url(page), form_data(page, name="Jan Hlasitý", email="told@example.cz", send_confirmation="on")
        )
    assert [message.to for message in mail.outbox] == [["told@example.cz"]]
    assert mail.outbox[0].subject.startswith("Registrace potvrzena")
    assert Registration.objects.get(email="quiet@example.cz").entered_by == manager


def test_the_same_places_and_waiting_list_apply(client, manager, reg_event):
    page = reg_event(capacity=1)
    register(first_date(page), email="first@example.cz")
    response = client.post(signup_url(page), form_data(page))
    assert response.status_code == 302
    assert Registration.objects.get(name="Marie Dvořáková").status == "waitlisted"
    assert "Marie Dvořáková je na seznamu náhradníků." in text(client.get(response["Location"]))

    full = reg_event(capacity=1, registration_waitlist=False)
    register(first_date(full), email="first@example.cz")
    refused = client.post(signup_url(full), form_data(full))
    assert refused.status_code == 409
    assert "Už nejsou volná místa." in text(refused)
    assert not Registration.objects.filter(event=full, name="Marie Dvořáková").exists()


def test_staff_sign_up_a_family_with_named_participants(client, manager, reg_event):
    page = reg_event(capacity=10)
    response = client.post(signup_url(page), form_data(page, attendees="Anička Dvořáková\nTomáš Dvořák\n"))
    assert response.status_code == 302
    registration = Registration.objects.get(event=page)
    assert registration.seats == 2
    assert [attendee.name for attendee in registration.attendees.all()] == ["Anička Dvořáková", "Tomáš Dvořák"]
    assert {attendee.participant.guardian_id for attendee in registration.attendees.all()} == {
        registration.participant_id
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Toto pole je povinné."),
        ({"name": "12"}, "Zadejte jméno přihlašované osoby."),
        ({"email": "not-an-address"}, "Zadejte platnou e-mailovou adresu."),
        ({"phone": "call me"}, "Zadejte telefonní číslo"),
        ({"seats": "99"}, "nejvýše 4 míst"),
        ({"date": "999999"}, "Vyberte platnou možnost"),
        ({"attendees": "Anna\nanna"}, "Jméno každého účastníka lze uvést jen jednou"),
        ({"attendees": "A\nB\nC\nD\nE"}, "nejvýše 4 účastníků"),
    ],
)
def test_bad_input_gets_a_czech_message_and_changes_nothing(client, manager, reg_event, fields, message):
    page = reg_event()
    response = client.post(signup_url(page), form_data(page, **fields))
    assert response.status_code == 400
    assert message in text(response)
    assert not Registration.objects.exists()


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_only_registration_managers_sign_people_up(client, django_user_model, reg_event, group):
    page = reg_event()
    user = django_user_model.objects.create_user(username="someone", password="pw")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    refused = client.get(signup_url(page))
    assert refused.status_code == 403
    assert "ukončují jen správci registrací" in text(refused)  # the admin's 403 page, in Czech
    assert client.post(signup_url(page), form_data(page)).status_code == 403
    assert not Registration.objects.exists()
    listing = client.get(reverse("registration_admin:index") + f"?event={page.pk}")
    assert signup_url(page) not in listing.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, reg_event):
    page = reg_event()
    response = client.get(signup_url(page))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_enrol_someone_in_a_course_after_its_term_has_started(client, manager, reg_event):
    import datetime as dt

    from django.utils import timezone

    from events.models import EventDate

    page = reg_event(capacity=2, dates=(2, 9, 16), registration_scope="series")
    start = timezone.now() - dt.timedelta(hours=1)
    EventDate.objects.filter(pk=first_date(page).pk).update(start=start, end=start + dt.timedelta(hours=2))
    # The public form is closed once the course has started; staff can still enrol someone for the term.
    assert public_post(client, page).status_code == 400
    assert not Registration.objects.filter(event=page).exists()
    form = text(client.get(signup_url(page)))
    assert "Kurz" in form
    response = client.post(signup_url(page), form_data(page, date=str(first_date(page).pk)))
    assert response.status_code == 302, text(response)
    registration = Registration.objects.get(event=page)
    assert registration.event_date is None and registration.status == "confirmed"


# Family sign-ups on the public form ------------------------------------------------------


def public_post(client, page, *, lang="cs", **fields):
    data = {
        "date": str(first_date(page).uid),
        "name": "Jana Nováková",
        "email": "jana@example.cz",
        "seats": "1",
        "consent": "on",
    }
    data.update(fields)
    return client.post(f"/{lang}/registrations/event/{page.pk}/", data)


@pytest.mark.parametrize("lang", ["cs", "en"])
def test_a_parent_signs_up_children_with_one_form(client, reg_event, lang, django_capture_on_commit_callbacks):
    page = reg_event(capacity=10)
    form = text(client.get(f"/{lang}/registrations/event/{page.pk}/"))
    assert ("Jména účastníků" if lang == "cs" else "Names of the participants") in form
    with django_capture_on_commit_callbacks(execute=True):
        response = public_post(client, page, lang=lang, seats="1", attendees="Anička Nováková\r\nPetr Novák\r\n\r\n")
    assert response.status_code == 302
    registration = Registration.objects.get(event=page)
    assert registration.seats == 2  # the names set the places
    attendees = list(RegistrationAttendee.objects.filter(registration=registration).select_related("participant"))
    assert [attendee.name for attendee in attendees] == ["Anička Nováková", "Petr Novák"]
    assert all(attendee.participant.guardian_id == registration.participant_id for attendee in attendees)
    (message,) = mail.outbox
    label = "Účastníci" if lang == "cs" else "Participants"
    assert f"{label}: Anička Nováková, Petr Novák" in message.body
    assert "Anička Nováková" in message.alternatives[0][0]


def test_the_same_children_are_the_same_participants_next_time(client, reg_event):
    first = reg_event(capacity=10)
    second = reg_event(capacity=10)
    public_post(client, first, attendees="Anička Nováková")
    public_post(client, second, attendees="anička  nováková")
    places = RegistrationAttendee.objects.order_by("id")
    assert places.count() == 2 and places[0].participant_id == places[1].participant_id


def test_without_names_the_seats_only_form_works_as_before(client, reg_event):
    page = reg_event(capacity=10)
    assert public_post(client, page, seats="3").status_code == 302
    registration = Registration.objects.get(event=page)
    assert registration.seats == 3 and not registration.attendees.exists()


@pytest.mark.parametrize(
    ("attendees", "cs", "en"),
    [
        ("A\nB\nC\nD\nE", "nejvýše 4 účastníků", "at most 4 participants"),
        ("Anna\nANNA", "lze uvést jen jednou", "can only be given once"),
        ("123", "Napište na každý řádek jedno jméno", "Write one name per line"),
    ],
)
def test_bad_names_get_a_message_in_the_visitors_language(client, reg_event, attendees, cs, en):
    page = reg_event(capacity=10)
    for lang, message in (("cs", cs), ("en", en)):
        response = public_post(client, page, lang=lang, attendees=attendees)
        assert response.status_code == 400
        assert message in text(response)
    assert not Registration.objects.exists()


def test_names_count_against_the_places_like_seats(client, reg_event):
    page = reg_event(capacity=2)
    assert public_post(client, page, attendees="Anna Malá\nBeda Malý\nCyril Malý").status_code == 409
    assert "Tento termín má jen 2 míst." in text(
        public_post(client, page, attendees="Anna Malá\nBeda Malý\nCyril Malý")
    )
    assert public_post(client, page, attendees="Anna Malá\nBeda Malý").status_code == 302
    assert Registration.objects.get(event=page).status == "confirmed"
