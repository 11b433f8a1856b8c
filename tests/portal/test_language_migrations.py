"""The migrations that turn language-named fields into data keep every value, both ways."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

OLD = [("events", "0006_eventdate_cancellation_reason_en"), ("portal", "0002_locales_groups_workflow")]


def leaves():
    """Every app's latest migration: going back to OLD also unapplies the other apps' migrations that depend on it."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def build_old_data(apps) -> dict:
    """A Czech event with an English translation, a cancelled date with both reasons, a revision, the centre."""
    Locale = apps.get_model("wagtailcore", "Locale")
    ContentType = apps.get_model("contenttypes", "ContentType")
    EventPage = apps.get_model("events", "EventPage")
    EventDate = apps.get_model("events", "EventDate")
    Revision = apps.get_model("wagtailcore", "Revision")
    Site = apps.get_model("wagtailcore", "Site")
    CentreSettings = apps.get_model("portal", "CentreSettings")

    cs, _ = Locale.objects.get_or_create(language_code="cs")
    en, _ = Locale.objects.get_or_create(language_code="en")
    content_type, _ = ContentType.objects.get_or_create(app_label="events", model="eventpage")
    key = uuid.uuid4()
    pages = {}
    for path, locale, title in (("9001", cs, "Sociální poradna"), ("9002", en, "Social counselling")):
        pages[locale.language_code] = EventPage.objects.create(
            path=path,
            depth=1,
            title=title,
            draft_title=title,
            slug=f"event-{path}",
            content_type=content_type,
            locale=locale,
            translation_key=key,
            summary="",
        )
    start = timezone.make_aware(dt.datetime(2030, 3, 12, 15))
    uid, other_uid = uuid.uuid4(), uuid.uuid4()
    for page in pages.values():
        EventDate.objects.create(
            page=page,
            start=start,
            end=start + dt.timedelta(hours=2),
            cancelled=True,
            cancellation_reason="Poradkyně je nemocná",
            cancellation_reason_en="The counsellor is ill",
            uid=uid,
            sort_order=0,
        )
        EventDate.objects.create(
            page=page, start=start + dt.timedelta(days=7), end=start + dt.timedelta(days=7, hours=2), uid=other_uid
        )
    revision = Revision.objects.create(
        content_type=content_type,
        base_content_type=content_type,
        object_id=str(pages["en"].pk),
        created_at=timezone.now(),
        content={
            "locale": en.pk,
            "title": "Social counselling",
            "dates": [
                {
                    "pk": None,
                    "uid": str(uid),
                    "cancelled": True,
                    "cancellation_reason": "Poradkyně je nemocná",
                    "cancellation_reason_en": "The counsellor is ill",
                }
            ],
        },
    )
    site = Site.objects.create(hostname="centre.example", port=80, root_page_id=pages["cs"].pk, is_default_site=False)
    CentreSettings.objects.create(
        site=site,
        name="Komunitní centrum Soused",
        name_en="Soused Community Centre",
        opening_hours="Po–Čt 9:00–18:00",
        opening_hours_en="Mon–Thu 9:00–18:00",
    )
    return {"pages": pages, "uid": uid, "other_uid": other_uid, "revision": revision.pk, "site": site.pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_language_fields_become_rows_and_come_back():
    latest = leaves()
    try:
        old_apps = migrate(OLD)
        data = build_old_data(old_apps)

        new_apps = migrate(latest)
        EventDate = new_apps.get_model("events", "EventDate")
        rows = {
            (d.page_id, d.uid): d for d in EventDate.objects.filter(page_id__in=[p.pk for p in data["pages"].values()])
        }
        cs_page, en_page = data["pages"]["cs"], data["pages"]["en"]
        czech, english = rows[(cs_page.pk, data["uid"])], rows[(en_page.pk, data["uid"])]
        assert czech.cancellation_reason == "Poradkyně je nemocná"
        assert english.cancellation_reason == "The counsellor is ill"
        assert czech.translation_key == english.translation_key == data["uid"]
        assert czech.locale_id == cs_page.locale_id and english.locale_id == en_page.locale_id
        assert rows[(en_page.pk, data["other_uid"])].cancellation_reason == ""
        revision = new_apps.get_model("wagtailcore", "Revision").objects.get(pk=data["revision"])
        (date,) = revision.content["dates"]
        assert date["cancellation_reason"] == "The counsellor is ill" and "cancellation_reason_en" not in date
        assert date["translation_key"] == str(data["uid"]) and date["locale"] == en_page.locale_id

        CentreSettings = new_apps.get_model("portal", "CentreSettings")
        centre = CentreSettings.objects.get(site_id=data["site"])
        texts = {t.locale.language_code: t for t in centre.texts.select_related("locale")}
        assert (texts["cs"].name, texts["cs"].opening_hours) == ("Komunitní centrum Soused", "Po–Čt 9:00–18:00")
        assert (texts["en"].name, texts["en"].opening_hours) == ("Soused Community Centre", "Mon–Thu 9:00–18:00")

        # And back again: the old fields get their values.
        old_apps = migrate(OLD)
        EventDate = old_apps.get_model("events", "EventDate")
        for page in (cs_page, en_page):
            row = EventDate.objects.get(page_id=page.pk, uid=data["uid"])
            assert row.cancellation_reason == "Poradkyně je nemocná"
            assert row.cancellation_reason_en == "The counsellor is ill"
        centre = old_apps.get_model("portal", "CentreSettings").objects.get(site_id=data["site"])
        assert (centre.name, centre.name_en) == ("Komunitní centrum Soused", "Soused Community Centre")
        assert (centre.opening_hours, centre.opening_hours_en) == ("Po–Čt 9:00–18:00", "Mon–Thu 9:00–18:00")
    finally:
        migrate(latest)
