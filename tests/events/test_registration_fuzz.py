"""No input may cause a 500: hypothesis throws arbitrary data at the form and the view."""

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.registrations.forms import RegistrationForm
from events.registrations.selectors import event_availability

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date

pytestmark = pytest.mark.django_db

FIELDS = ["date", "name", "email", "seats", "phone", "note", "consent", "website", "token", "csrfmiddlewaretoken"]
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
    else:
        assert form.errors


@FUZZ
@given(data=payloads, use_real_date=st.booleans(), lang=st.sampled_from(["cs", "en"]))
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
