"""Step 2 of 3: every date row joins its other languages' rows, and the English reason moves to the English row.

Before, every row of a date (in every language) carried the Czech reason in `cancellation_reason`
and the English one in `cancellation_reason_en`. Now each row carries the reason in its own page's
language. The same change is made to the page revisions and to the stored translation sources,
so that publishing an older draft or updating a translation reads the new shape.

Backwards, each row gets the default language's reason again, and the English row's reason
goes back into `cancellation_reason_en`.
"""

import json

from django.conf import settings
from django.db import migrations

ENGLISH = "en"


def _english_locale_ids(Locale):
    return {
        pk
        for pk, code in Locale.objects.values_list("pk", "language_code")
        if code == ENGLISH or code.startswith(ENGLISH + "-")
    }


def _eventpage_content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.filter(app_label="events", model="eventpage").first()


def _patch_dates_forward(content: dict, english: set[int]) -> bool:
    dates = content.get("dates")
    if not isinstance(dates, list):
        return False
    locale_id = content.get("locale")
    changed = False
    for date in dates:
        if not isinstance(date, dict):
            continue
        reason_en = date.pop("cancellation_reason_en", "") or ""
        if locale_id in english and reason_en:
            date["cancellation_reason"] = reason_en
        if not date.get("translation_key"):
            date["translation_key"] = date.get("uid")
        date["locale"] = locale_id
        changed = True
    return changed


def _patch_dates_backward(content: dict, english: set[int]) -> bool:
    dates = content.get("dates")
    if not isinstance(dates, list):
        return False
    for date in dates:
        if isinstance(date, dict):
            date.pop("translation_key", None)
            date.pop("locale", None)
            # An English page's revision only knows the English reason.
            date["cancellation_reason_en"] = date.get("cancellation_reason", "") if content.get("locale") in english else ""
    return True


def _patch_stored_content(apps, patch) -> None:
    content_type = _eventpage_content_type(apps)
    if content_type is None:
        return
    Revision = apps.get_model("wagtailcore", "Revision")
    revisions = Revision.objects.filter(content_type=content_type).only("pk", "content")
    batch = []
    for revision in revisions.iterator(chunk_size=500):
        if isinstance(revision.content, dict) and patch(revision.content):
            batch.append(revision)
        if len(batch) >= 500:
            Revision.objects.bulk_update(batch, ["content"])
            batch = []
    if batch:
        Revision.objects.bulk_update(batch, ["content"])

    TranslationSource = apps.get_model("wagtail_localize", "TranslationSource")
    for source in TranslationSource.objects.filter(specific_content_type=content_type).only("pk", "content_json"):
        content = json.loads(source.content_json)
        if patch(content):
            source.content_json = json.dumps(content)
            source.save(update_fields=["content_json"])


def forwards(apps, schema_editor):
    EventDate = apps.get_model("events", "EventDate")
    Locale = apps.get_model("wagtailcore", "Locale")
    english = _english_locale_ids(Locale)

    rows = EventDate.objects.select_related("page").only(
        "pk", "uid", "cancellation_reason", "cancellation_reason_en", "page__locale_id"
    )
    batch = []
    for date in rows.iterator(chunk_size=1000):
        date.translation_key = date.uid
        date.locale_id = date.page.locale_id
        if date.page.locale_id in english and date.cancellation_reason_en:
            date.cancellation_reason = date.cancellation_reason_en
        batch.append(date)
        if len(batch) >= 1000:
            EventDate.objects.bulk_update(batch, ["translation_key", "locale", "cancellation_reason"])
            batch = []
    if batch:
        EventDate.objects.bulk_update(batch, ["translation_key", "locale", "cancellation_reason"])

    _patch_stored_content(apps, lambda content: _patch_dates_forward(content, english))


def backwards(apps, schema_editor):
    EventDate = apps.get_model("events", "EventDate")
    Locale = apps.get_model("wagtailcore", "Locale")
    english = _english_locale_ids(Locale)
    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()

    source_reasons = {}
    english_reasons = {}
    for translation_key, uid, locale_id, reason in EventDate.objects.values_list(
        "page__translation_key", "uid", "page__locale_id", "cancellation_reason"
    ):
        if default is not None and locale_id == default.pk:
            source_reasons[(translation_key, uid)] = reason
        elif locale_id in english:
            english_reasons[(translation_key, uid)] = reason

    batch = []
    for date in EventDate.objects.select_related("page").only("pk", "uid", "cancellation_reason", "page__translation_key"):
        key = (date.page.translation_key, date.uid)
        source = source_reasons.get(key, date.cancellation_reason)
        english_reason = english_reasons.get(key, "")
        date.cancellation_reason = source
        date.cancellation_reason_en = english_reason if english_reason != source else ""
        batch.append(date)
    EventDate.objects.bulk_update(batch, ["cancellation_reason", "cancellation_reason_en"], batch_size=1000)

    _patch_stored_content(apps, lambda content: _patch_dates_backward(content, english))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0008_eventdate_translatable"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
