"""Dates as Czech people write them: every date and time field of the admin reads "10. 12. 2030",
"10.12.2030" and "15:00", says on the field when it cannot, and never puts another date in its place."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import EventDate, EventPage

from .conftest import local
from .test_admin import _post_data


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(user)
    return client


def _errors(response) -> dict:
    form = response.context["form"]
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    for prefix, formset in form.formsets.items():
        for index, child in enumerate(formset.forms):
            for name, errs in child.errors.items():
                errors[f"{prefix}-{index}-{name}"] = [str(e) for e in errs]
    return errors


@pytest.mark.parametrize(
    ("typed_from", "typed_until"),
    [("3. 12. 2030", "24. 12. 2030"), ("3.12.2030", "24.12.2030"), ("03. 12. 2030", "2030-12-24")],
)
def test_the_schedule_reads_czech_dates_and_times(admin, make_event, typed_from, typed_until):
    page = make_event()
    data = _post_data(
        page,
        repeat="weekly",
        repeat_weekday="1",
        repeat_from=typed_from,
        repeat_until=typed_until,
        repeat_start_time="15:00",
        repeat_end_time="17:30",
        generate_dates="on",
        **{"action-publish": "publish"},
    )
    response = admin.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, _errors(response)
    page = EventPage.objects.get(pk=page.pk)
    assert (page.repeat_from, page.repeat_until) == (dt.date(2030, 12, 3), dt.date(2030, 12, 24))
    starts = [d.start for d in EventDate.objects.filter(page=page).order_by("start")]
    assert starts == [local(2030, 12, day, 15) for day in (3, 10, 17, 24)]


@pytest.mark.parametrize("typed", ["32. 12. 2030", "10. 13. 2030", "zítra", "10 12 2030"])
def test_a_date_that_does_not_parse_is_an_error_on_its_field_in_czech(admin, make_event, typed):
    page = make_event()
    data = _post_data(
        page,
        repeat="weekly",
        repeat_weekday="1",
        repeat_from=typed,
        repeat_until="24. 12. 2030",
        repeat_start_time="15:00",
        repeat_end_time="17:00",
        generate_dates="on",
        **{"action-publish": "publish"},
    )
    response = admin.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 200
    errors = _errors(response)
    assert errors["repeat_from"] == ["Zadejte platné datum."]
    assert "repeat_until" not in errors
    assert not EventDate.objects.filter(page=page).exists()
    assert EventPage.objects.get(pk=page.pk).repeat_from is None
    # The field shows what was typed, not a date put in its place.
    html = response.content.decode()
    field = re.search(r'<input[^>]*name="repeat_from"[^>]*>', html).group(0)
    assert f'value="{typed}"' in field


def test_a_time_that_does_not_parse_is_an_error_on_its_field(admin, make_event):
    page = make_event()
    data = _post_data(page, repeat_start_time="25:00", repeat_end_time="17.00")
    response = admin.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    errors = _errors(response)
    assert errors["repeat_start_time"] == ["Zadejte platný čas."]
    assert "repeat_end_time" not in errors


def test_dates_of_an_event_read_czech_date_and_time(admin, make_event):
    page = make_event()
    data = _post_data(
        page,
        **{
            "dates-TOTAL_FORMS": "2",
            "dates-0-start": "10. 12. 2030 15:00",
            "dates-0-end": "10.12.2030 17:30",
            "dates-0-ORDER": "1",
            "dates-1-start": "1. 2. 2031 9:30",
            "dates-1-end": "1. 2. 2031 11.00",
            "dates-1-ORDER": "2",
            "action-publish": "publish",
        },
    )
    response = admin.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, _errors(response)
    rows = [(d.start, d.end) for d in EventDate.objects.filter(page=page).order_by("start")]
    assert rows == [
        (local(2030, 12, 10, 15), local(2030, 12, 10, 17, 30)),
        (local(2031, 2, 1, 9, 30), local(2031, 2, 1, 11)),
    ]


def test_a_date_and_time_that_does_not_parse_is_an_error_on_its_field(admin, make_event):
    page = make_event()
    data = _post_data(
        page,
        **{
            "dates-TOTAL_FORMS": "1",
            "dates-0-start": "10. 12. 2030 v 15 hodin",
            "dates-0-end": "10. 12. 2030 17:00",
            "dates-0-ORDER": "1",
        },
    )
    response = admin.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 200
    errors = _errors(response)
    assert errors["dates-0-start"] == ["Zadejte platné datum a čas."]
    assert not EventDate.objects.filter(page=page).exists()


def test_the_admin_writes_dates_the_czech_way_and_its_picker_keeps_typed_text(admin, make_event):
    page = make_event(dates=[(local(2030, 12, 10, 15), local(2030, 12, 10, 17))])
    page.repeat_from = dt.date(2030, 12, 3)
    page.save()
    html = admin.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert re.search(r'name="repeat_from"[^>]*value="03. 12. 2030"|value="03. 12. 2030"[^>]*name="repeat_from"', html)
    configs = [json.loads(c) for c in re.findall(r"initDateChooser\(\"id_repeat_from\", (\{.*?\})\)", html)]
    assert configs and all(c["validateOnBlur"] is False for c in configs)


def test_an_english_speaking_editor_types_czech_style_dates_too(admin, make_event, django_user_model):
    from wagtail.users.models import UserProfile

    user = django_user_model.objects.get(username="boss")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    page = make_event()
    data = _post_data(page, repeat_from="3. 12. 2030", repeat_until="2030-12-24", repeat_start_time="15:00")
    data["action-publish"] = "publish"
    response = admin.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, _errors(response)
    assert EventPage.objects.get(pk=page.pk).repeat_from == dt.date(2030, 12, 3)
    translation.activate("cs")


def test_project_dates_read_czech_dates(admin):
    from django.utils import formats

    from projects.models import ProjectPage

    field = ProjectPage._meta.get_field("start_date").formfield()
    with translation.override("cs"):
        assert field.clean("1. 9. 2025") == dt.date(2025, 9, 1)
        assert "%d. %m. %Y" in formats.get_format("DATE_INPUT_FORMATS")


def test_date_labels_of_registrations_and_e_mails_follow_the_language():
    from events.registrations.forms import date_label

    date = EventDate(start=local(2026, 12, 10, 15), end=local(2026, 12, 10, 17))
    with translation.override("cs"):
        assert date_label(date) == "čtvrtek 10. prosince 2026, 15:00–17:00"
    with translation.override("en"):
        assert date_label(date) == "Thursday 10 December 2026, 15:00–17:00"
    two_days = EventDate(start=local(2026, 12, 10, 15), end=local(2026, 12, 11, 12))
    with translation.override("cs"):
        assert date_label(two_days) == "čtvrtek 10. prosince 2026, 15:00 – pátek 11. prosince 2026, 12:00"
