"""A cancelled date's reason in each language: translated per page, never lost on a sync, never missing."""

from django.core import mail
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from events.models import EventDate
from events.registrations.models import Registration

from .conftest import local, translate, translate_reason
from .registration_fixtures import *  # noqa: F403  (fixtures)
from .registration_fixtures import first_date, register

START, END = local(2030, 3, 12, 15), local(2030, 3, 12, 17)


def cancel_first_date(page, reason):
    """What a Czech member of staff does: tick “cancelled”, type the reason, publish."""
    page = page.__class__.objects.get(pk=page.pk)
    dates = list(page.dates.all())
    dates[0].cancelled, dates[0].cancellation_reason = True, reason
    page.dates = dates
    page.save_revision().publish()
    return page


def test_each_language_shows_its_own_reason(client, make_event, index_en):
    page = make_event(title="Sociální poradna", dates=[(START, END)])
    translation = translate(page, slug="social-counselling", title="Social counselling")
    cancel_first_date(page, "Poradkyně je nemocná")
    translate_reason(translation, "The counsellor is ill")

    czech = client.get(page.url).content.decode()
    english = client.get(translation.url).content.decode()
    assert "Poradkyně je nemocná" in czech and "The counsellor is ill" not in czech
    assert "The counsellor is ill" in english and "Poradkyně je nemocná" not in english


def test_an_untranslated_reason_shows_the_czech_one_until_translated(client, make_event, index_en):
    page = make_event(title="Sociální poradna", dates=[(START, END)])
    translation = translate(page, slug="social-counselling", title="Social counselling")
    cancel_first_date(page, "Poradkyně je nemocná")

    english = client.get(translation.url).content.decode()
    assert "Cancelled" in english and "Poradkyně je nemocná" in english


def test_a_cancelled_date_without_a_reason_still_says_cancelled(client, make_event, index_en):
    page = make_event(title="Sociální poradna", dates=[(START, END)])
    translation = translate(page, slug="social-counselling", title="Social counselling")
    cancel_first_date(page, "")
    assert "Cancelled" in client.get(translation.url).content.decode()


def test_publishing_the_czech_page_again_keeps_the_english_reason_and_syncs_the_rest(client, make_event, index_en):
    page = make_event(title="Sociální poradna", dates=[(START, END), (local(2030, 3, 19, 15), local(2030, 3, 19, 17))])
    translation = translate(page, slug="social-counselling", title="Social counselling")
    page = cancel_first_date(page, "Poradkyně je nemocná")
    translate_reason(translation, "The counsellor is ill")

    # Staff move the second date, change its capacity and cancel it too; then publish the Czech page again.
    dates = list(page.dates.all())
    dates[1].end, dates[1].capacity = local(2030, 3, 19, 18), 5
    dates[1].cancelled, dates[1].cancellation_reason = True, "Svátek"
    page.dates = dates
    page.save_revision().publish()

    rows = {d.uid: d for d in EventDate.objects.filter(page=translation)}
    first, second = (rows[d.uid] for d in dates)
    assert first.cancelled and first.cancellation_reason == "The counsellor is ill"
    assert second.end == local(2030, 3, 19, 18) and second.capacity == 5 and second.cancelled
    assert second.cancellation_reason == "Svátek"  # not translated yet
    assert all(
        row.translation_key == source.translation_key for row, source in zip((first, second), dates, strict=True)
    )

    # The date takes place after all: no language keeps a reason.
    dates[0].cancelled, dates[0].cancellation_reason = False, ""
    page.dates = dates
    page.save_revision().publish()
    assert not EventDate.objects.get(page=translation, uid=dates[0].uid).cancellation_reason
    assert "The counsellor is ill" not in client.get(translation.url).content.decode()


def test_publishing_an_older_english_revision_keeps_the_czech_dates(make_event, index_en):
    page = make_event(title="Sociální poradna", dates=[(START, END)])
    translation = translate(page, slug="social-counselling", title="Social counselling")
    translation = translate_reason(translation, "")  # an English revision from before the change below
    old_revision = translation.latest_revision
    page = cancel_first_date(page, "Poradkyně je nemocná")
    old_revision.publish()
    row = EventDate.objects.get(page=translation)
    assert row.cancelled and row.cancellation_reason == "Poradkyně je nemocná"


def translate_with_localize(page, locale):
    source, _created = TranslationSource.get_or_create_from_instance(page)
    source.update_from_db()
    source.create_or_update_translation(locale, fallback=True)
    return source


def test_the_translation_editor_offers_the_reason_and_keeps_its_translation(make_event, index_en):
    english = Locale.objects.get(language_code="en")
    page = make_event(title="Sociální poradna", dates=[(START, END), (local(2030, 3, 19, 15), local(2030, 3, 19, 17))])
    page.save_revision().publish()
    page = cancel_first_date(page, "Poradkyně je nemocná")
    source = translate_with_localize(page, english)

    # Only the cancelled date's reason is offered for translation, not the other date's empty one.
    segments = StringSegment.objects.filter(source=source, context__path__startswith="dates.")
    assert [s.string.data for s in segments] == ["Poradkyně je nemocná"]
    translation = page.get_translation(english)
    assert translation.dates.get(uid=first_date(page).uid).cancellation_reason == "Poradkyně je nemocná"

    segment = segments.get()
    StringTranslation.objects.create(
        translation_of=segment.string,
        locale=english,
        context=segment.context,
        data="The counsellor is ill",
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
    )
    source.create_or_update_translation(english, fallback=True)
    assert translation.dates.get(uid=first_date(page).uid).cancellation_reason == "The counsellor is ill"

    # The Czech page changes (a date moves) and the translation is synced again: the reason stays.
    page = page.__class__.objects.get(pk=page.pk)
    dates = list(page.dates.all())
    dates[1].start, dates[1].end = local(2030, 3, 20, 15), local(2030, 3, 20, 17)
    page.dates = dates
    page.save_revision().publish()
    translate_with_localize(page, english)
    rows = {d.uid: d for d in translation.dates.all()}
    assert rows[dates[0].uid].cancellation_reason == "The counsellor is ill"
    assert rows[dates[1].uid].start == local(2030, 3, 20, 15)
    assert len(rows) == 2


def test_an_english_registrant_is_told_the_reason_in_english(
    reg_event, translate_event, django_capture_on_commit_callbacks
):
    from events.registrations.emails import build_message
    from events.registrations.models import RegistrationEmail

    page = reg_event()
    translation = translate_event(page)
    date = first_date(page)
    register(date, email="en@x.cz", language="en")
    register(date, email="cs@x.cz", language="cs")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_first_date(page, "Nemoc lektorky")
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Nemoc lektorky" in bodies["cs@x.cz"]
    # Cancelled before anyone translated the reason: the Czech one stands in, never nothing.
    assert "Nemoc lektorky" in bodies["en@x.cz"]
    assert set(Registration.objects.filter(event_date=date).values_list("status", flat=True)) == {"cancelled_by_staff"}

    translate_reason(translation, "The tutor is ill", uid=date.uid)
    english_mail = RegistrationEmail.objects.get(
        registration__email="en@x.cz", kind=RegistrationEmail.Kind.DATE_CANCELLED
    )
    assert "The tutor is ill" in build_message(english_mail).body
    czech_mail = RegistrationEmail.objects.get(
        registration__email="cs@x.cz", kind=RegistrationEmail.Kind.DATE_CANCELLED
    )
    assert "Nemoc lektorky" in build_message(czech_mail).body
