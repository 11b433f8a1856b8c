"""Keep every language's copy of an event on the same dates, whichever copy is published."""

from wagtail.models import Locale


def sync_dates_to_translations(sender, instance, **kwargs):
    from events.models import EventPage
    from events.scheduling import event_dates_sync_translations

    default_locale = Locale.get_default()
    if instance.locale_id == default_locale.pk:
        event_dates_sync_translations(source=instance)
        return
    # A translation was published from a revision that may hold older dates: take the source's.
    source = EventPage.objects.filter(translation_key=instance.translation_key, locale=default_locale).first()
    if source is not None:
        event_dates_sync_translations(source=source, only=instance)


# A registration's status or seats changed: what shows its event's free places
# is rendered again (portal/cache.py); the rest of the site stays as kept.
PLACES_FIELDS = frozenset({"status", "seats", "event", "event_date"})


def registration_places_changed(sender, instance, update_fields=None, using=None, **kwargs):
    from events.models import EventPage
    from events.registration_selectors import availability_keys
    from portal.cache import touch_on_commit

    if update_fields is not None and not PLACES_FIELDS.intersection(update_fields):
        return
    translation_key = EventPage.objects.filter(pk=instance.event_id).values_list("translation_key", flat=True).first()
    touch_on_commit(*availability_keys(event_translation_key=translation_key), using=using or "default")
