"""The contact page: the centre's facts, a form staff build, messages stored and e-mailed to the centre
by the worker (never inside the request), spam stopped, messages deleted after the retention period,
and read only by staff with the permission."""

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from demo.website import load_contact
from home.tasks import schedule
from website.forms import started_token
from website.models import ContactSubmission
from website.services.contact import contact_emails_retry
from website.tasks import purge_contact_submissions

pytestmark = pytest.mark.django_db

MESSAGE = {
    "jmeno": "Jana Sousedová",
    "email": "jana.sousedova@example.cz",
    "telefon": "",
    "zprava": "Dobrý den, kdy je příští doučování?",
}


@pytest.fixture
def contact(site_homes):
    return load_contact(homes=site_homes)


def _post(client, page, data=None, **extra):
    payload = {**MESSAGE, "started": started_token(), "website": "", **(data or {})}
    return client.post(page.url, payload, **extra)


def test_the_contact_page_shows_the_centres_facts_the_fields_and_the_privacy_notice(client, contact):
    html = client.get(contact.url).content.decode()
    assert "Nádražní 1024" in html and "375 01 Týn nad Vltavou" in html
    assert (
        'href="https://www.openstreetmap.org/search?query=N%C3%A1dra%C5%BEn%C3%AD+1024%2C+375+01+T%C3%BDn+nad+Vltavou"'
        in html
    )
    assert "Po–Čt 9:00–18:00" in html
    assert "Vchod z Nádražní ulice je bezbariérový" in html
    assert 'href="/cs/ochrana-osobnich-udaju/"' in html and 'href="/cs/prohlaseni-o-pristupnosti/"' in html
    for label in ("Vaše jméno", "E-mail", "Telefon", "Zpráva"):
        assert f">{label}" in html
    english = client.get("/en/contact/").content.decode()
    assert "The entrance from Nádražní street is step-free" in english and "Your name" in english
    assert 'href="/en/privacy-notice/"' in english


def test_an_untranslated_privacy_notice_is_linked_in_the_visitors_language(client, contact, site_homes):
    """Not translated yet, the notices are shown in Czech at the visitor's language's address (with a
    note), so the visitor stays in their language, as from the registration form."""
    from wagtail.models import Site

    from home.models import StandardPage
    from portal.models import CentreSettings

    notice = site_homes["cs"].add_child(instance=StandardPage(title="Zásady", slug="zasady-soukromi"))
    statement = site_homes["cs"].add_child(instance=StandardPage(title="Přístupnost", slug="pristupnost-webu"))
    centre = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    centre.privacy_page, centre.accessibility_page = notice, statement
    centre.save()
    english = client.get("/en/contact/").content.decode()
    assert 'href="/en/zasady-soukromi/"' in english and 'href="/en/pristupnost-webu/"' in english
    shown = client.get("/en/zasady-soukromi/")
    assert shown.status_code == 200 and "Zásady" in shown.content.decode()
    assert 'href="/cs/zasady-soukromi/"' in client.get(contact.url).content.decode()


def test_a_message_is_stored_and_emailed_to_the_centre_by_the_worker_after_the_request(
    client, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(client, contact)
        # Nothing is sent inside the request: the e-mail waits for the commit and the worker.
        assert mail.outbox == []
    assert response.status_code == 302 and response["Location"] == contact.url + "?sent=1"
    submission = ContactSubmission.objects.get()
    assert submission.form_data == MESSAGE
    assert submission.email_state == ContactSubmission.EmailState.PENDING

    for callback in callbacks:  # the commit: the task is queued (and, in tests, run at once)
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["info@kc-soused.example"]
    assert message.reply_to == ["jana.sousedova@example.cz"]
    assert message.subject == "Zpráva z kontaktního formuláře: Kontakt"
    assert "Vaše jméno:\nJana Sousedová" in message.body and "Dobrý den, kdy je příští doučování?" in message.body
    submission.refresh_from_db()
    assert submission.email_state == ContactSubmission.EmailState.SENT

    thanks = client.get(response["Location"]).content.decode()
    assert "Děkujeme, zprávu jsme dostali." in thanks


def test_a_message_sent_leaves_every_kept_page_in_place(client, contact, django_capture_on_commit_callbacks):
    """A contact message is shown on no public page: storing it and recording its e-mail start no
    new cache version (a person's snippet does, tests/website/test_team.py)."""
    from portal import cache as page_cache

    before = page_cache.site_version()
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(client, contact).status_code == 302
    assert ContactSubmission.objects.get().email_state == ContactSubmission.EmailState.SENT
    assert page_cache.site_version() == before


def test_an_email_that_failed_is_retried_by_the_schedule(client, contact, django_capture_on_commit_callbacks):
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError):
        with django_capture_on_commit_callbacks(execute=True):
            _post(client, contact)
    submission = ContactSubmission.objects.get()
    assert submission.email_state == ContactSubmission.EmailState.PENDING and submission.email_attempts == 1
    assert mail.outbox == []
    assert "retry_contact_emails" in {job.name for job in schedule()}
    assert contact_emails_retry(now=timezone.now()) == 0  # not due yet
    assert contact_emails_retry(now=timezone.now() + dt.timedelta(minutes=2)) == 1
    assert len(mail.outbox) == 1
    submission.refresh_from_db()
    assert submission.email_state == ContactSubmission.EmailState.SENT


def test_a_filled_honeypot_is_rejected(client, contact):
    response = _post(client, contact, {"website": "http://spam.example"})
    assert response.status_code == 200
    assert ContactSubmission.objects.count() == 0
    assert "Toto pole nechte prázdné." in response.content.decode()


@override_settings(CONTACT_FORM_MIN_SECONDS=3)
def test_a_form_sent_faster_than_a_person_can_type_is_rejected_and_keeps_what_was_written(client, contact):
    response = _post(client, contact, {"started": started_token(time.time() - 1)})
    html = response.content.decode()
    assert response.status_code == 200 and ContactSubmission.objects.count() == 0
    assert "To bylo velmi rychlé. Zkontrolujte prosím zprávu a odešlete ji znovu." in html
    assert "Dobrý den, kdy je příští doučování?" in html
    # Sent again a moment later with the form's new timestamp, it goes through.
    fresh = re.search(r'name="started" value="([^"]+)"', html).group(1)
    with mock.patch("website.forms.time.time", return_value=time.time() + 5):
        assert _post(client, contact, {"started": fresh}).status_code == 302
    assert ContactSubmission.objects.count() == 1


def _token_signed_days_ago(days: int) -> str:
    with mock.patch("django.core.signing.time.time", return_value=time.time() - days * 86400):
        return started_token(time.time() - days * 86400)


@pytest.mark.parametrize("started", ["", "forged", "two days old"])
def test_a_form_without_a_valid_timestamp_is_rejected(client, contact, started):
    if started == "two days old":
        started = _token_signed_days_ago(2)
    response = _post(client, contact, {"started": started})
    assert response.status_code == 200 and ContactSubmission.objects.count() == 0
    assert "Formulář byl otevřený příliš dlouho" in response.content.decode()


@override_settings(CONTACT_RATE_LIMIT=(2, 600))
def test_too_many_messages_from_one_address_are_refused(client, contact):
    assert _post(client, contact).status_code == 302
    assert _post(client, contact).status_code == 302
    third = _post(client, contact)
    assert third.status_code == 429
    assert "Příliš mnoho zpráv" in third.content.decode()
    assert ContactSubmission.objects.count() == 2
    # Another address is not affected.
    assert _post(client, contact, REMOTE_ADDR="192.0.2.77").status_code == 302


def test_bad_input_is_answered_in_the_visitors_language(client, contact):
    response = client.post("/en/contact/", {"started": started_token(), "email": "not-an-address"})
    html = response.content.decode()
    assert response.status_code == 200 and ContactSubmission.objects.count() == 0
    assert "Please correct the marked fields." in html and "Enter a valid email address." in html
    assert 'aria-invalid="true"' in html


@override_settings(CONTACT_SUBMISSION_RETENTION_DAYS=30)
def test_messages_are_deleted_after_the_retention_period_by_the_daily_job(client, contact):
    _post(client, contact)
    _post(client, contact, {"jmeno": "Starý"})
    old = ContactSubmission.objects.get(form_data__jmeno="Starý")
    ContactSubmission.objects.filter(pk=old.pk).update(submit_time=timezone.now() - dt.timedelta(days=31))
    jobs = {job.name: job for job in schedule()}
    assert jobs["purge_contact_submissions"].at is not None
    assert purge_contact_submissions.call() == 1
    assert list(ContactSubmission.objects.values_list("form_data__jmeno", flat=True)) == ["Jana Sousedová"]


@override_settings(WAGTAIL_2FA_REQUIRED=False)
def test_only_staff_with_the_permission_read_the_messages(client, contact, django_user_model):
    _post(client, contact)
    editor = django_user_model.objects.create_user(username="editor", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    # An editor who also handles personal data (the Registration managers hold the permission).
    manager = django_user_model.objects.create_user(username="manager", password="pw")
    manager.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="Registration managers"))
    listing = f"/admin/forms/submissions/{contact.pk}/"

    client.force_login(editor)
    assert listing not in client.get("/admin/forms/").content.decode()
    response = client.get(listing)
    assert response.status_code in (302, 403)
    assert "jana.sousedova" not in response.content.decode()

    client.force_login(manager)
    assert listing in client.get("/admin/forms/").content.decode()
    response = client.get(listing)
    assert response.status_code == 200 and "jana.sousedova@example.cz" in response.content.decode()


def test_the_contact_page_is_kept_by_the_page_cache_and_its_form_still_works(client, settings, contact):
    settings.PAGE_CACHE_ENABLED = True
    assert client.get(contact.url).status_code == 200
    cached = client.get(contact.url)
    assert cached["X-Page-Cache"] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', cached.content.decode()).group(1)
    checked = client.__class__(enforce_csrf_checks=True)
    checked.cookies = client.cookies
    response = checked.post(
        contact.url, {**MESSAGE, "started": started_token(), "website": "", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert ContactSubmission.objects.count() == 1
