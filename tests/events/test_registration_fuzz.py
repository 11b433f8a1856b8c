"""No input may cause a 500: hypothesis throws arbitrary data at the form and the view."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import EventDate
from events.registrations.forms import RegistrationForm
from events.registrations.selectors import event_availability

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db

FIELDS = [
    "date",
    "name",
    "email",
    "seats",
    "attendees",
    "phone",
    "note",
    "consent",
    "website",
    "token",
    "csrfmiddlewaretoken",
]
text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "0", "-1", "1e9", "99999999999999999999", "a@b", "x" * 5000, "\x00", "😀" * 50]),
)
payloads = st.dictionaries(st.sampled_from(FIELDS), st.one_of(text, st.lists(text, max_size=3)), max_size=len(FIELDS))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def bookable(reg_event):
    return reg_event(registration_ask_phone=True, registration_ask_note=True)


@FUZZ
@given(data=payloads, use_real_date=st.booleans())
def test_form_never_crashes(bookable, data, use_real_date):
    if use_real_date:
        data = {**data, "date": str(first_date(bookable).uid)}
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    form = RegistrationForm(query, page=bookable, availabilities=event_availability(page=bookable))
    if form.is_valid():
        assert form.cleaned_data["event_date"] is not None
        assert 1 <= form.cleaned_data["seats"] <= bookable.registration_max_seats
        if form.cleaned_data["attendees"]:
            assert form.cleaned_data["seats"] == len(form.cleaned_data["attendees"])
    else:
        assert form.errors


@FUZZ
@given(data=payloads, use_real_date=st.booleans(), lang=st.sampled_from(["cs", "en", "uk"]))
def test_view_never_answers_500(bookable, client, data, use_real_date, lang):
    cache.clear()
    if use_real_date:
        data = {**data, "date": str(first_date(bookable).uid), "consent": "on"}
    response = client.post(f"/{lang}/registrations/event/{bookable.pk}/", data)
    assert response.status_code in (302, 400, 409)


@FUZZ
@given(token=st.text(min_size=1, max_size=200).filter(lambda t: "/" not in t and "\x00" not in t))
def test_links_with_garbage_tokens_never_answer_500(client, db, token):
    from urllib.parse import quote

    for name in ("status", "cancel"):
        response = client.get(f"/cs/registrations/{name}/{quote(token, safe='')}/")
        assert response.status_code in (404, 301, 302)


# Family sign-ups, staff sign-ups and cancelling an enrolment from a date -----------------

names = st.tuples(
    st.lists(
        st.one_of(st.text(max_size=60), st.sampled_from(["Anna", "anna", " ", "Ø", "\x00", "x" * 250, "Dítě Malé"])),
        max_size=8,
    ),
    st.sampled_from(["\n", "\r\n", "\r", ","]),
).map(lambda pair: pair[1].join(pair[0]))


@FUZZ
@given(attendees=names, seats=text, lang=st.sampled_from(["cs", "en", "uk"]))
def test_family_sign_ups_never_answer_500(bookable, client, attendees, seats, lang):
    from events.registrations.models import Registration

    cache.clear()
    data = {
        "date": str(first_date(bookable).uid),
        "name": "Jana Nováková",
        "email": "jana@example.cz",
        "seats": seats,
        "attendees": attendees,
        "consent": "on",
    }
    before = Registration.objects.count()
    response = client.post(f"/{lang}/registrations/event/{bookable.pk}/", data)
    assert response.status_code in (302, 400, 409)
    if response.status_code == 302:
        registration = Registration.objects.order_by("-pk").first()
        named = registration.attendees.count()
        assert named == 0 or registration.seats == named
    else:
        assert Registration.objects.count() == before


STAFF_FIELDS = ["date", "name", "phone", "email", "seats", "attendees", "note", "language", "send_confirmation"]
staff_payloads = st.dictionaries(
    st.sampled_from(STAFF_FIELDS), st.one_of(text, st.lists(text, max_size=3)), max_size=len(STAFF_FIELDS)
)


@pytest.fixture
def manager_client(client, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username="fuzz-manager", password="pw")
    user.groups.add(Group.objects.get(name="Registration managers"))
    client.force_login(user)
    return client


@FUZZ
@given(data=staff_payloads, use_real_date=st.booleans())
def test_the_staff_sign_up_form_never_answers_500(bookable, manager_client, data, use_real_date):
    from django.http import QueryDict
    from django.urls import reverse

    if use_real_date:
        data = {**data, "date": str(first_date(bookable).pk), "language": "cs"}
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    response = manager_client.post(
        reverse("registration_staff_signup", args=[bookable.pk]),
        query.urlencode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (302, 400, 409)


@pytest.fixture
def started_enrolment(reg_event):
    page = reg_event(capacity=3, dates=(2, 9, 16), registration_scope="series")
    registration = register(first_date(page), email="enrolled@example.cz")
    start = timezone.now() - dt.timedelta(hours=1)
    EventDate.objects.filter(pk=first_date(page).pk).update(start=start, end=start + dt.timedelta(hours=2))
    return registration


leave_values = st.one_of(
    text,
    st.dates().map(lambda day: day.isoformat()),
    st.integers(min_value=-30, max_value=30).map(
        lambda days: (timezone.localdate() + dt.timedelta(days=days)).isoformat()
    ),
)


@FUZZ
@given(value=st.one_of(leave_values, st.lists(leave_values, max_size=3)), lang=st.sampled_from(["cs", "en", "uk"]))
def test_cancelling_from_a_date_never_answers_500(started_enrolment, client, value, lang):
    from django.http import QueryDict

    from events.registrations.emails import registration_links
    from events.registrations.models import Registration

    # Each example starts from the same ongoing enrolment.
    Registration.objects.filter(pk=started_enrolment.pk).update(leaves_on=None, status="confirmed", cancelled_at=None)
    started_enrolment.language = lang
    url = registration_links(started_enrolment, root="")["cancel_url"]
    query = QueryDict(mutable=True)
    query.setlist("leaves_on", value if isinstance(value, list) else [value])
    response = client.post(url, query.urlencode(), content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 409)
    registration = Registration.objects.get(pk=started_enrolment.pk)
    if response.status_code == 409:
        assert registration.leaves_on is None
    else:
        assert registration.leaves_on > timezone.localdate() or registration.is_cancelled
