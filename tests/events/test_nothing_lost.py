"""Nothing is lost without a person deciding it: deleting events, publishing old or scheduled
versions, translating pages with shared snippets, and lowering capacity below the confirmed seats."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale, Page, PageLogEntry

from events.models import EventCategory, EventDate, EventPage, Venue
from events.registrations.models import Registration, RegistrationEmail

from .factories import EventCategoryFactory, VenueFactory
from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register
from .test_admin import _post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    return client


def register_url(page, lang="cs"):
    with translation.override(lang):
        return reverse("registrations:register", kwargs={"page_id": page.pk})


def _date_fields(dates, *, prefix="dates"):
    data = {f"{prefix}-TOTAL_FORMS": str(len(dates)), f"{prefix}-INITIAL_FORMS": str(len(dates))}
    for n, date in enumerate(dates):
        data.update(
            {
                f"{prefix}-{n}-id": str(date.pk),
                f"{prefix}-{n}-start": timezone.localtime(date.start).strftime("%Y-%m-%d %H:%M"),
                f"{prefix}-{n}-end": timezone.localtime(date.end).strftime("%Y-%m-%d %H:%M"),
                f"{prefix}-{n}-ORDER": str(n + 1),
            }
        )
        if date.capacity is not None:
            data[f"{prefix}-{n}-capacity"] = str(date.capacity)
    return data


# --- 1. Deleting an event with registrations ---------------------------------------------------


def test_an_event_with_registrations_is_deleted_only_after_staff_cancel_them_with_emails(
    admin, reg_event, translate_event, django_capture_on_commit_callbacks
):
    page = reg_event()
    english = translate_event(page)
    with django_capture_on_commit_callbacks(execute=True):
        register(first_date(page), email="jana@example.cz")
        # Registered on the English page: the registration is the Czech event's all the same.
        register(english.dates.order_by("start").last(), email="john@example.com", language="en")
    mail.outbox.clear()
    delete_url = reverse("wagtailadmin_pages:delete", args=[page.pk])

    confirm = admin.get(delete_url)
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert "2 registrace" in html  # the count, in Czech
    cancel_url = reverse("registration_event_cancel", args=[page.pk])
    assert cancel_url in html

    refused = admin.post(delete_url)
    assert refused.status_code == 409
    assert "nelze smazat" in refused.content.decode()
    (blocked_title,) = re.findall(r"<h1[^>]*>(.*?)</h1>", refused.content.decode(), re.S)
    assert "Zatím nelze smazat" in blocked_title
    assert EventPage.objects.filter(pk=page.pk).exists()
    assert Registration.objects.filter(event=page, status=Registration.Status.CONFIRMED).count() == 2

    # The section holding the event cannot be deleted either.
    section = page.get_parent()
    assert admin.post(reverse("wagtailadmin_pages:delete", args=[section.pk])).status_code == 409
    assert Page.objects.filter(pk=section.pk).exists()

    # Staff cancel them all; each person gets the cancellation e-mail through the outbox.
    cancel_page = admin.get(cancel_url).content.decode()
    assert "Ano, zrušit" in cancel_page
    # The page is headed by its own title (one h1), the event named beside it.
    (title,) = re.findall(r"<h1[^>]*>(.*?)</h1>", cancel_page, re.S)
    assert "Zrušit všechny registrace" in title and page.title in title
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(cancel_url, {"next": delete_url})
    assert response.status_code == 302 and response["Location"] == delete_url
    assert set(Registration.objects.filter(event=page).values_list("status", flat=True)) == {"cancelled_by_staff"}
    assert sorted(message.to[0] for message in mail.outbox) == ["jana@example.cz", "john@example.com"]
    assert all(
        state == RegistrationEmail.State.SENT
        for state in RegistrationEmail.objects.filter(kind="date_cancelled").values_list("state", flat=True)
    )

    deleted = admin.post(delete_url)
    assert deleted.status_code == 302
    assert not EventPage.objects.filter(pk=page.pk).exists()


def test_bulk_delete_of_an_event_with_registrations_is_refused(admin, reg_event):
    page = reg_event()
    register(first_date(page), email="jana@example.cz")
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete")) + f"?id={page.pk}"
    response = admin.post(url)
    assert response.status_code == 409
    assert "nelze smazat" in response.content.decode()
    assert EventPage.objects.filter(pk=page.pk).exists()
    assert Registration.objects.filter(event=page).count() == 1


def test_unsent_cancellation_emails_hold_the_deletion_back(admin, reg_event):
    page = reg_event()
    register(first_date(page), email="jana@example.cz")  # no commit: its e-mail waits in the outbox
    from events.registrations.services.staff import event_registrations_cancel

    assert event_registrations_cancel(event=page) == 1
    response = admin.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert response.status_code == 409
    assert "nebyl" in response.content.decode() or "nebylo" in response.content.decode()
    assert RegistrationEmail.objects.filter(registration__event=page, state="pending").count() == 2


def test_an_editor_cannot_cancel_the_registrations_of_an_event(client, reg_event, django_user_model):
    page = reg_event()
    register(first_date(page), email="jana@example.cz")
    editor = django_user_model.objects.create_user(username="editor", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    url = reverse("registration_event_cancel", args=[page.pk])
    # Wagtail answers a refused admin view with a redirect to the dashboard and a message.
    for response in (client.get(url), client.post(url)):
        assert response.status_code in (302, 403)
        assert "Ano, zrušit" not in response.content.decode()
    assert Registration.objects.get(event=page).status == Registration.Status.CONFIRMED


def test_the_translation_still_takes_registrations_after_its_source_is_deleted(
    admin, reg_event, translate_event, client, django_capture_on_commit_callbacks
):
    page = reg_event()
    english = translate_event(page)
    assert admin.post(reverse("wagtailadmin_pages:delete", args=[page.pk])).status_code == 302
    assert not EventPage.objects.filter(pk=page.pk).exists()

    client.logout()
    date = english.dates.order_by("start").first()
    data = {"date": str(date.uid), "name": "John Smith", "email": "john@example.com", "seats": "1", "consent": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(english, "en"), data)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/registrations/status/")
    registration = Registration.objects.get(email="john@example.com")
    assert registration.event_id == english.pk and registration.event_date_id == date.pk


# --- 2. Publishing a version without a registered date ------------------------------------------


@pytest.fixture
def two_dates_one_registered(reg_event):
    """An event whose first published version had only its first date; the second date has a registration."""
    page = reg_event(dates=(3,))
    first_version = page.get_latest_revision()
    late = EventDate.objects.create(
        page=page, start=timezone.now() + dt.timedelta(days=10), end=timezone.now() + dt.timedelta(days=10, hours=2)
    )
    page = EventPage.objects.get(pk=page.pk)
    page.save_revision().publish()
    register(late, email="jana@example.cz")
    return page, first_version, late


def test_reverting_to_a_version_without_a_registered_date_is_refused_in_the_editor(admin, two_dates_one_registered):
    page, first_version, late = two_dates_one_registered
    revert_url = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, first_version.pk])
    assert admin.get(revert_url).status_code == 200
    # What the reverted form submits: the old version's dates only.
    early = page.dates.exclude(pk=late.pk).get()
    data = _post_data(page, **_date_fields([early]), **{"action-publish": "publish", "revision": first_version.pk})
    response = admin.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "v této verzi stránky chybí" in response.content.decode(), (form.errors, form.formsets["dates"].errors)
    assert EventDate.objects.filter(pk=late.pk).exists()
    assert late.registrations.count() == 1


def test_a_scheduled_version_without_a_registered_date_is_kept_and_reported_not_published(
    admin, two_dates_one_registered, make_event, django_user_model
):
    from home.tasks import publish_scheduled

    page, _first_version, late = two_dates_one_registered
    author = django_user_model.objects.create_user(username="eva", email="eva@example.cz", password="pw")
    draft = EventPage.objects.get(pk=page.pk)
    draft.title = "Nový název"
    draft.dates = [date for date in draft.dates.all() if date.pk != late.pk]
    revision = draft.save_revision(user=author)
    revision.approved_go_live_at = timezone.now() - dt.timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])
    # Another page scheduled at the same time still goes live.
    other = make_event(title="Jiná akce", live=False)
    other_revision = other.save_revision()
    other_revision.approved_go_live_at = timezone.now() - dt.timedelta(minutes=1)
    other_revision.save(update_fields=["approved_go_live_at"])
    mail.outbox.clear()

    publish_scheduled()

    page.refresh_from_db()
    assert page.title != "Nový název"
    assert EventDate.objects.filter(pk=late.pk).exists() and late.registrations.count() == 1
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None  # not retried every minute
    assert page.get_latest_revision().pk == revision.pk  # the version is kept as the draft
    assert PageLogEntry.objects.filter(page=page, action="events.publish_refused").count() == 1
    assert [message.to for message in mail.outbox] == [["eva@example.cz"]]
    assert "nebyla zveřejněna" in mail.outbox[0].body
    assert EventPage.objects.get(pk=other.pk).live

    edit = admin.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "Naplánovaná verze této stránky nebyla" in edit
    history = admin.get(reverse("wagtailadmin_pages:history", args=[page.pk])).content.decode()
    assert "Zveřejnění odmítnuto" in history


# --- 3. Translating never rewrites a shared snippet's existing translation ------------------------


def test_translating_an_event_links_the_existing_english_snippets_and_leaves_them_alone(admin, make_event, index_en):
    en = Locale.objects.get(language_code="en")
    clubs = EventCategoryFactory(name="Kroužky", slug="krouzky")
    clubs_en = EventCategory.objects.create(
        name="Clubs", slug="clubs", locale=en, translation_key=clubs.translation_key
    )
    hall = VenueFactory(name="Velký sál")
    hall_en = Venue.objects.create(
        name="Main hall",
        street=hall.street,
        city=hall.city,
        locale=en,
        translation_key=hall.translation_key,
    )
    page = make_event(title="Keramika", category=clubs, venue=hall, dates=[5])
    page.save_revision().publish()

    response = admin.post(reverse("wagtail_localize:submit_page_translation", args=[page.pk]), {"locales": [en.pk]})
    assert response.status_code == 302
    english = EventPage.objects.get(translation_key=page.translation_key, locale=en)

    clubs_en.refresh_from_db()
    hall_en.refresh_from_db()
    assert (clubs_en.name, clubs_en.slug) == ("Clubs", "clubs")
    assert hall_en.name == "Main hall"
    assert english.category_id == clubs_en.pk and english.venue_id == hall_en.pk

    # Syncing the translation after a change of the Czech page leaves them alone too.
    page.summary = "Nové shrnutí."
    page.save_revision().publish()
    from wagtail_localize.models import TranslationSource

    source = TranslationSource.objects.get_for_instance(page)
    response = admin.post(
        reverse("wagtail_localize:update_translations", args=[source.pk]), {"publish_translations": "on"}
    )
    assert response.status_code == 302
    clubs_en.refresh_from_db()
    assert (clubs_en.name, clubs_en.slug) == ("Clubs", "clubs")
    assert EventPage.objects.get(pk=english.pk).category_id == clubs_en.pk


# --- 4. Capacity below the confirmed seats --------------------------------------------------------


def test_lowering_places_below_the_confirmed_seats_needs_a_confirmation(admin, reg_event, client):
    page = reg_event(capacity=10, dates=(4,), registration_max_seats=10)
    date = first_date(page)
    register(date, email="jana@example.cz", seats=5)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = _post_data(page, **_date_fields([date]), registration_capacity="3", **{"action-publish": "publish"})

    refused = admin.post(url, data)
    assert refused.status_code == 200
    assert "potvrzených míst" in refused.content.decode()
    assert EventPage.objects.get(pk=page.pk).registration_capacity == 10

    accepted = admin.post(url, dict(data, confirm_capacity_below_taken="on"))
    assert accepted.status_code == 302
    assert EventPage.objects.get(pk=page.pk).registration_capacity == 3

    client.logout()
    html = client.get(EventPage.objects.get(pk=page.pk).url).content.decode()
    assert "Obsazeno" in html
    # No "5 z 3" and no negative count (a date's UUID may hold "-2" between hex digits).
    assert "5 z 3" not in html and not re.search(r"(?<![0-9a-f])-2(?![0-9a-f])", html)
    assert Registration.objects.get(event=page).status == Registration.Status.CONFIRMED


def test_a_date_lowered_below_its_confirmed_seats_needs_a_confirmation_too(admin, reg_event):
    page = reg_event(capacity=10, dates=(4,), registration_max_seats=10)
    date = first_date(page)
    register(date, email="jana@example.cz", seats=4)
    date.capacity = 2
    data = _post_data(page, **_date_fields([date]), **{"action-publish": "publish"})
    response = admin.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 200
    assert EventDate.objects.get(pk=date.pk).capacity is None


def test_switching_to_whole_series_registration_is_refused_while_people_are_registered_per_date(admin, reg_event):
    page = reg_event(dates=(4, 11))
    register(first_date(page), email="jana@example.cz")
    data = _post_data(page, **_date_fields(list(page.dates.order_by("start"))), registration_scope="series")
    response = admin.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), dict(data, **{"action-publish": "1"}))
    assert response.status_code == 200
    assert EventPage.objects.get(pk=page.pk).registration_scope == "date"
    assert Registration.objects.get(event=page).event_date_id == first_date(page).pk


def test_an_old_version_published_by_code_or_a_workflow_is_reported_not_a_traceback(
    two_dates_one_registered, django_user_model
):
    page, first_version, late = two_dates_one_registered
    approver = django_user_model.objects.create_superuser("moderator", "moderator@example.com", "pw")
    assert first_version.publish(user=approver) is None
    page.refresh_from_db()
    assert page.live_revision_id != first_version.pk
    assert EventDate.objects.filter(pk=late.pk).exists() and late.registrations.count() == 1
    assert PageLogEntry.objects.filter(page=page, action="events.publish_refused").exists()
