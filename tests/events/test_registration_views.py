"""The registration form on the event page, the status, cancellation and resend pages, abuse protection."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from events.registrations.models import Registration

from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

pytestmark = pytest.mark.django_db


def form_data(date, **extra):
    data = {"date": str(date.uid), "name": "Jana Nováková", "email": "jana@example.cz", "seats": "1", "consent": "on"}
    data.update(extra)
    return data


def register_url(page, lang="cs"):
    from django.utils import translation

    with translation.override(lang):
        return reverse("registrations:register", kwargs={"page_id": page.pk})


def test_event_page_shows_the_form_with_free_places_in_czech(reg_event, client):
    page = reg_event(capacity=20, registration_max_seats=20)
    register(first_date(page), email="a@x.cz", seats=15)
    html = client.get(page.url).content.decode()
    assert 'id="registration-heading"' in html
    assert "zbývá 5 z 20 míst" in html
    assert re.search(r'<meter[^>]+max="20"[^>]+value="15"', html)
    assert f'action="{register_url(page)}#registration"' in html
    assert 'name="website"' in html  # the honeypot


def test_the_form_links_to_the_privacy_notice_in_the_page_language(reg_event, translate_event, client):
    page = reg_event()
    assert 'href="/cs/ochrana-osobnich-udaju/"' in client.get(page.url).content.decode()
    english = translate_event(page)
    assert 'href="/en/privacy-notice/"' in client.get(english.url).content.decode()


def test_post_redirects_to_the_status_page_and_sends_the_confirmation(
    reg_event, client, django_capture_on_commit_callbacks
):
    page = reg_event()
    date = first_date(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(page), form_data(date))
    assert response.status_code == 302
    assert response["Location"].startswith("/cs/registrations/status/")
    status_page = client.get(response["Location"])
    assert status_page.status_code == 200
    assert (
        "Registrace potvrzena" in status_page.content.decode()
        or "Registration confirmed" in status_page.content.decode()
    )
    assert Registration.objects.get().status == "confirmed"
    assert mail.outbox[0].to == ["jana@example.cz"]


def test_full_date_goes_to_the_waiting_list_in_english(reg_event, translate_event, client):
    page = reg_event(capacity=1)
    register(first_date(page), email="a@x.cz")
    en = translate_event(page)
    en_date = en.dates.order_by("start").first()
    html = client.get(en.url).content.decode()
    assert "waiting list" in html
    response = client.post(register_url(en, "en"), form_data(en_date), follow=True)
    assert response.redirect_chain[0][0].startswith("/en/registrations/status/")
    assert "You are on the waiting list" in response.content.decode()
    assert Registration.objects.get(email="jana@example.cz").language == "en"


def test_cancellation_get_shows_and_only_post_cancels(reg_event, client):
    page = reg_event(capacity=1)
    registration = register(first_date(page), email="a@x.cz")
    waiting = register(first_date(page), email="b@x.cz")
    from events.registrations.emails import registration_links

    url = registration_links(registration, root="")["cancel_url"]
    assert url.startswith("/cs/registrations/cancel/")
    response = client.get(url)
    assert response.status_code == 200 and '<form method="post">' in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    response = client.post(url)
    assert response.status_code == 302
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, waiting.status) == ("cancelled", "confirmed")


@pytest.mark.parametrize("token", ["nonsense", "a" * 300, "eyJ:abc:def", "%00"])
def test_bad_tokens_give_a_friendly_page(client, token, db):
    for name in ("status", "cancel"):
        response = client.get(f"/cs/registrations/{name}/{token}/")
        assert response.status_code == 404
    assert client.post("/en/registrations/resend/", {"token": token}).status_code == 404


def test_invalid_input_is_explained_not_an_error(reg_event, client):
    page = reg_event()
    date = first_date(page)
    response = client.post(register_url(page), form_data(date, email="not-an-email", seats="99", consent=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert not Registration.objects.exists()


def test_honeypot_blocks_bots(reg_event, client):
    page = reg_event()
    response = client.post(register_url(page), form_data(first_date(page), website="http://spam.example"))
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_duplicate_offers_to_resend_the_confirmation(reg_event, client, django_capture_on_commit_callbacks):
    page = reg_event()
    date = first_date(page)
    register(date, email="jana@example.cz")
    response = client.post(register_url(page), form_data(date, email="JANA@example.cz"))
    assert response.status_code == 409
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    assert Registration.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post("/cs/registrations/resend/", {"token": token})
    assert resent.status_code == 302
    assert mail.outbox[-1].to == ["jana@example.cz"]


def test_rate_limit_answers_429_in_the_users_language(reg_event, client, settings):
    settings.REGISTRATION_RATE_LIMIT = (2, 600)
    page = reg_event()
    date = first_date(page)
    for n in range(2):
        assert client.post(register_url(page), form_data(date, email=f"{n}@x.cz")).status_code == 302
    response = client.post(register_url(page), form_data(date, email="3@x.cz"))
    assert response.status_code == 429
    assert "Příliš mnoho pokusů" in response.content.decode() or "Too many attempts" in response.content.decode()
    assert Registration.objects.count() == 2


def test_the_centres_own_network_is_never_rate_limited(reg_event, client, settings):
    import ipaddress

    settings.REGISTRATION_RATE_LIMIT = (2, 600)
    settings.REGISTRATION_RATE_LIMIT_EXEMPT = [ipaddress.ip_network("192.0.2.0/24")]
    page = reg_event(capacity=20)
    date = first_date(page)
    for n in range(4):  # staff registering residents from the centre's computers
        response = client.post(register_url(page), form_data(date, email=f"{n}@x.cz"), REMOTE_ADDR="192.0.2.15")
        assert response.status_code == 302
    # The same address as an IPv6 server socket reports it.
    response = client.post(register_url(page), form_data(date, email="m@x.cz"), REMOTE_ADDR="::ffff:192.0.2.15")
    assert response.status_code == 302
    for n in range(2):
        client.post(register_url(page), form_data(date, email=f"o{n}@x.cz"), REMOTE_ADDR="198.51.100.7")
    assert (
        client.post(register_url(page), form_data(date, email="o3@x.cz"), REMOTE_ADDR="198.51.100.7").status_code == 429
    )


def test_closed_and_cancelled_states_are_shown(reg_event, client):
    page = reg_event()
    date = first_date(page)
    date.cancelled = True
    date.save()
    html = client.get(page.url).content.decode()
    assert "registration-unavailable" in html


def test_listing_shows_free_places_with_constant_queries(reg_event, client, index_cs, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = reg_event(capacity=5)
    register(first_date(page), email="a@x.cz", seats=2)
    with CaptureQueriesContext(connection) as few:
        html = client.get(index_cs.url).content.decode()
    assert "zbývají 3 z 5 míst" in html or "3 of 5 places left" in html
    for n in range(5):
        other = reg_event(capacity=3, dates=(3 + n, 4 + n))
        register(first_date(other), email=f"{n}@x.cz")
    with CaptureQueriesContext(connection) as many:
        client.get(index_cs.url)
    assert len(many) == len(few)


def test_free_places_only_filter(reg_event, client, index_cs):
    full = reg_event(capacity=1, title="Plná akce", dates=(2,))
    register(first_date(full), email="a@x.cz")
    reg_event(capacity=5, title="Volná akce", dates=(3,))
    everything = client.get(index_cs.url).content.decode()
    assert "Plná akce" in everything and "Volná akce" in everything
    free = client.get(index_cs.url, {"free": "1"}).content.decode()
    assert "Volná akce" in free and "Plná akce" not in free
    assert 'id="ef-free"' in free and "checked" in free


@pytest.fixture(params=[False, True], ids=["fragments", "whole-pages"])
def kept_fragments(settings, request):
    """Fragments kept (as in production with Redis), with the full-page cache off and on."""
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept"},
    }
    settings.PAGE_CACHE_ENABLED = request.param
    return request.param


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_kept_form_gives_each_visitor_a_working_token_and_current_places(
    reg_event, kept_fragments, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.cache import csrf_placeholder

    CSRF_PLACEHOLDER = csrf_placeholder()

    page = reg_event(capacity=10)
    date = first_date(page)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_html = first.get(page.url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        second_html = second.get(page.url).content.decode()
    # The second visitor gets the kept form: no registration is read for it...
    assert not [q for q in kept.captured_queries if "events_registration" in q["sql"]]
    # ...but a token of its own, which the CSRF check accepts.
    assert CSRF_PLACEHOLDER not in first_html + second_html
    assert _csrf_token(first_html) != _csrf_token(second_html)
    assert "zbývá 10 z 10 míst" in second_html
    with django_capture_on_commit_callbacks(execute=True):
        response = second.post(register_url(page), {**form_data(date), "csrfmiddlewaretoken": _csrf_token(second_html)})
    assert response.status_code == 302
    # A registration starts a new generation: the next visitor sees one place fewer.
    assert "zbývá 9 z 10 míst" in Client().get(page.url).content.decode()
    # Without the token, the kept form does not let a post through.
    assert first.post(register_url(page), form_data(date, email="b@x.cz")).status_code == 403


def test_a_form_kept_before_the_secret_key_was_rotated_is_never_served(
    reg_event, kept_fragments, settings, django_capture_on_commit_callbacks
):
    from django.test import Client

    page = reg_event(capacity=10)
    date = first_date(page)
    Client().get(page.url)  # kept under the old key, with the old key's placeholder
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "rotated-" + "k" * 50
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(page.url)
    html = response.content.decode()
    if kept_fragments:
        assert response["X-Page-Cache"] == "miss"
    token = _csrf_token(html)
    assert not token.startswith("csrf") and "csrftoken" in response.cookies
    with django_capture_on_commit_callbacks(execute=True):
        posted = visitor.post(register_url(page), {**form_data(date), "csrfmiddlewaretoken": token})
    assert posted.status_code == 302
    assert Registration.objects.filter(event_date=date).count() == 1


def test_kept_form_is_dropped_when_registration_closes(reg_event, kept_fragments, client):
    import datetime as dt
    from unittest import mock

    from django.utils import timezone

    closes = timezone.now() + dt.timedelta(minutes=1)
    page = reg_event(registration_closes_at=closes)
    assert 'class="registration-form"' in client.get(page.url).content.decode()
    later = closes + dt.timedelta(seconds=30)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("portal.cache.time.time", return_value=later.timestamp()),
    ):
        html = client.get(page.url).content.decode()
    assert 'class="registration-form"' not in html
    assert "registration-unavailable" in html


def test_a_form_with_errors_is_never_taken_from_the_kept_copy(reg_event, kept_fragments, client):
    page = reg_event()
    client.get(page.url)  # keeps the empty form
    response = client.post(register_url(page), form_data(first_date(page), email="not-an-email"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="not-an-email"' in html and 'aria-invalid="true"' in html


def test_an_event_page_without_a_form_sets_no_cookie_and_stays_cacheable(reg_event, kept_fragments, client, settings):
    settings.PAGE_CACHE_ENABLED = True
    page = reg_event()
    page.dates.update(cancelled=True)  # nothing left to register for: no form on the page
    first = client.get(page.url)
    assert "registration-unavailable" in first.content.decode()
    assert "csrftoken" not in first.cookies
    assert client.get(page.url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("posted", ["", "not-a-date", "\x00", "00000000-0000-0000-0000-000000000000", "other-event"])
def test_a_posted_date_that_is_not_this_events_is_asked_for_again_with_every_date_shown(reg_event, client, posted):
    page = reg_event(dates=(2, 9, 16))
    other = reg_event(title="Jiná akce", slug="jina-akce")
    value = str(first_date(other).uid) if posted == "other-event" else posted
    data = {**form_data(first_date(page)), "date": value}
    response = client.post(register_url(page), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vyberte termín" in html and 'role="alert"' in html
    # The form is shown again with each of the event's dates to choose from, and what was typed is kept.
    for date in page.dates.all():
        assert f'value="{date.uid}"' in html
    assert f'value="{first_date(other).uid}"' not in html
    assert 'value="Jana Nováková"' in html
    assert not Registration.objects.exists()


def _seat_counts(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if 'SUM("events_registration"."seats")' in q["sql"]]


def test_a_registration_counts_the_places_once_under_the_lock_when_a_full_date_still_takes_it(reg_event, client):
    """With a waiting list (or no limit), the seats taken cannot turn the form away: they are counted
    once, under the date's lock, where the booking decides; without one, the form checks them first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = reg_event(capacity=1)
    date = first_date(page)
    register(date, email="prvni@example.cz")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(register_url(page), form_data(date, email="druha@example.cz"))
    assert response.status_code == 302
    assert Registration.objects.get(email="druha@example.cz").status == "waitlisted"
    assert len(_seat_counts(queries)) == 1

    page.registration_waitlist = False
    page.save()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(register_url(page), form_data(date, email="treti@example.cz"))
    assert response.status_code == 400 and not Registration.objects.filter(email="treti@example.cz").exists()
    assert _seat_counts(queries)


def test_a_full_date_without_a_waiting_list_is_explained_and_the_other_dates_offered(reg_event, client):
    page = reg_event(capacity=1, dates=(2, 9), registration_waitlist=False)
    full, later = page.dates.order_by("start")
    register(full, email="prvni@example.cz")
    response = client.post(register_url(page), form_data(full, email="druha@example.cz"))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'value="{later.uid}"' in html and 'value="druha@example.cz"' in html
    # The later date still takes the registration.
    response = client.post(register_url(page), form_data(later, email="druha@example.cz"))
    assert response.status_code == 302
    assert Registration.objects.filter(email="druha@example.cz", event_date=later, status="confirmed").exists()


def test_the_form_of_an_event_that_is_gone_unpublished_or_private_answers_404_and_books_nothing(reg_event, client):
    from wagtail.models import PageViewRestriction

    page = reg_event()
    data = form_data(first_date(page))
    missing = reverse("registrations:register", kwargs={"page_id": page.pk + 10_000})
    assert client.post(missing, data).status_code == 404
    assert client.get(missing).status_code == 404
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.post(register_url(page), data).status_code == 404
    restriction.delete()
    page.unpublish()
    assert client.post(register_url(page), data).status_code == 404
    assert not Registration.objects.exists()
    page.save_revision().publish()
    assert client.post(register_url(page), data).status_code == 302
    assert Registration.objects.count() == 1
