"""Admin: validation of dates and schedules, the events listing, snippets, copying events."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import get_edit_handler

from events.models import EventDate, EventPage
from events.wagtail_hooks import fresh_uids_for_copied_event

from .conftest import local
from .factories import EventCategoryFactory


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    return client


def test_a_date_ending_before_it_starts_is_rejected():
    date = EventDate(start=local(2030, 1, 1, 12), end=local(2030, 1, 1, 10))
    with pytest.raises(ValidationError) as error:
        date.clean()
    assert "end" in error.value.message_dict


def test_a_reason_needs_a_cancelled_date():
    date = EventDate(start=local(2030, 1, 1, 10), end=local(2030, 1, 1, 12), cancellation_reason="Nemoc")
    with pytest.raises(ValidationError):
        date.clean()


def _post_data(page, **extra):
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "status": "scheduled",
        "is_free": "on",
        "body-count": "0",
        "dates-TOTAL_FORMS": "0",
        "dates-INITIAL_FORMS": "0",
        "dates-MIN_NUM_FORMS": "0",
        "dates-MAX_NUM_FORMS": "1000",
    }
    # Fields other apps add to the event page (e.g. registration settings) keep their current values.
    form = get_edit_handler(EventPage).get_form_class()(instance=page, for_user=None)
    for name, bound in ((name, form[name]) for name in form.fields):
        value = bound.value()
        if name not in data and value not in (None, "", False) and not isinstance(value, list | tuple):
            data[name] = value
    data.update(extra)
    return data


def _one_kept_date(date) -> dict:
    """The dates panel's form data holding one existing date as it is."""
    return {
        "dates-TOTAL_FORMS": "1",
        "dates-INITIAL_FORMS": "1",
        "dates-0-id": str(date.pk),
        "dates-0-uid": str(date.uid),
        "dates-0-start": timezone.localtime(date.start).strftime("%Y-%m-%d %H:%M"),
        "dates-0-end": timezone.localtime(date.end).strftime("%Y-%m-%d %H:%M"),
        "dates-0-ORDER": "1",
    }


def test_admin_rejects_a_schedule_without_dates_and_generates_dates_from_a_valid_one(admin, make_event):
    page = make_event()
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    bad = _post_data(
        page,
        repeat="weekly",
        repeat_weekday="1",
        repeat_from="2030-09-01",
        repeat_until="2030-09-02",
        repeat_start_time="15:00",
        repeat_end_time="17:00",
        generate_dates="on",
    )
    response = admin.post(url, bad)
    assert response.status_code == 200
    assert "nevytvoří žádné termíny" in response.content.decode()
    # The message sits on the fields to change (the period, the weekday), not only on "generate dates".
    errors = response.context["form"].errors
    for field in ("repeat_from", "repeat_until", "repeat_weekday", "repeat_exclusions", "generate_dates"):
        assert any("nevytvoří žádné termíny" in str(message) for message in errors.get(field, [])), field
    assert not EventDate.objects.filter(page=page).exists()

    good = dict(bad, repeat_until="2030-09-30", repeat_exclusions="2030-09-15")
    response = admin.post(url, dict(good, **{"action-publish": "publish"}))
    form = response.context["form"] if response.status_code == 200 else None
    assert response.status_code == 302, (form.errors, {k: f.errors for k, f in form.formsets.items()})
    days = [
        d.start.astimezone(local(2030, 1, 1).tzinfo).day for d in EventDate.objects.filter(page=page).order_by("start")
    ]
    assert days == [3, 10, 17, 24]


def test_a_schedule_on_an_activity_without_dates_makes_its_dates_without_the_tick(admin, make_event):
    """Staff fill in the weekly schedule and publish, forgetting "generate dates": the activity still gets its dates,
    and one that already has dates keeps them until the box is ticked."""
    page = make_event()
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    schedule = dict(
        repeat="weekly",
        repeat_weekday="1",
        repeat_from="1. 9. 2030",
        repeat_until="30. 9. 2030",
        repeat_start_time="15:00",
        repeat_end_time="17:00",
    )
    response = admin.post(url, dict(_post_data(page, **schedule), **{"action-publish": "publish"}))
    assert response.status_code == 302
    dates = EventDate.objects.filter(page=page).order_by("start")
    assert [d.start.astimezone(local(2030, 1, 1).tzinfo).day for d in dates] == [3, 10, 17, 24]

    # An activity with a date in the panel keeps it: the schedule changes nothing until the box is ticked.
    other = make_event(dates=[5])
    date = other.dates.get()
    response = admin.post(
        reverse("wagtailadmin_pages:edit", args=[other.pk]),
        dict(_post_data(other, **schedule, **_one_kept_date(date)), **{"action-publish": "publish"}),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert list(EventDate.objects.filter(page=other).values_list("pk", flat=True)) == [date.pk]


def test_admin_rejects_end_before_start_in_the_dates_panel(admin, make_event):
    page = make_event()
    data = _post_data(
        page,
        **{
            "dates-TOTAL_FORMS": "1",
            "dates-0-start": "2030-09-01 18:00",
            "dates-0-end": "2030-09-01 16:00",
            "dates-0-ORDER": "1",
        },
    )
    response = admin.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 200
    assert not EventDate.objects.filter(page=page).exists()


def test_events_listing_shows_the_next_date_and_filters_by_category(admin, make_event):
    clubs = EventCategoryFactory(name="Kluby")
    make_event(title="S kategorií", category=clubs, dates=[(local(2031, 2, 3, 15), local(2031, 2, 3, 17))])
    make_event(title="Bez kategorie", dates=[5])
    response = admin.get(reverse("events:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "S kategorií" in html and "2031" in html
    filtered = admin.get(reverse("events:index"), {"category": clubs.pk}).content.decode()
    assert "S kategorií" in filtered and "Bez kategorie" not in filtered


def test_snippet_admin_pages_load(admin):
    for name in ("eventcategory", "audience", "venue"):
        assert admin.get(reverse(f"wagtailsnippets_events_{name}:list")).status_code == 200


def test_a_copied_event_gets_fresh_uids_but_a_translation_keeps_them(make_event, index_cs):
    page = make_event(dates=[1, 2])
    original = set(EventDate.objects.filter(page=page).values_list("uid", flat=True))
    copy = page.copy(to=index_cs, update_attrs={"slug": "kopie", "title": "Kopie"}, reset_translation_key=True)
    fresh_uids_for_copied_event(None, page, copy)
    copied = set(EventDate.objects.filter(page=copy).values_list("uid", flat=True))
    assert len(copied) == 2 and not copied & original


def test_recurrence_keeps_the_local_time_across_daylight_saving_changes():
    from events.recurrence import RepeatRule, rule_occurrences

    # Summer time starts on 31 March 2030 and ends on 27 October 2030 in Prague.
    rule = RepeatRule(
        frequency="weekly",
        start_date=dt.date(2030, 3, 19),
        until_date=dt.date(2030, 4, 9),
        start_time=dt.time(15, 0),
        end_time=dt.time(17, 0),
    )
    occurrences = rule_occurrences(rule)
    assert len(occurrences) == 4
    prague = timezone.get_default_timezone()
    assert all(start.tzinfo is not None for start, _ in occurrences)
    assert [timezone.localtime(start, prague).hour for start, _ in occurrences] == [15, 15, 15, 15]
    offsets = [start.astimezone(prague).utcoffset() for start, _ in occurrences]
    assert offsets == [dt.timedelta(hours=1)] * 2 + [dt.timedelta(hours=2)] * 2


def test_admin_refuses_to_delete_a_date_with_registrations(admin, make_event):
    from events.registrations.services.booking import registration_create

    page = make_event(dates=[5], registration_enabled=True, registration_capacity=10)
    date = page.dates.get()
    registration_create(event_date=date, name="Jana Nováková", email="jana@example.com", seats=1, language="cs")
    data = _post_data(page, **_one_kept_date(date), **{"dates-0-DELETE": "1"})
    response = admin.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 200
    assert "nelze smazat" in response.content.decode() or "cannot be deleted" in response.content.decode()
    assert EventDate.objects.filter(pk=date.pk).exists()
    assert date.registrations.count() == 1
