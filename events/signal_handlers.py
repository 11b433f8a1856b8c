"""Keep every language's copy of an event on the same dates, whichever copy is published."""

from wagtail.models import Locale
from wagtail.signals import page_published

from events.models import EventPage
from events.scheduling import event_dates_sync_translations


def sync_dates_to_translations(sender, instance, **kwargs):
    default_locale = Locale.get_default()
    if instance.locale_id == default_locale.pk:
        event_dates_sync_translations(source=instance)
        return
    # A translation was published from a revision that may hold older dates: take the source's.
    source = EventPage.objects.filter(translation_key=instance.translation_key, locale=default_locale).first()
    if source is not None:
        event_dates_sync_translations(source=source, only=instance)


def connect() -> None:
    page_published.connect(sync_dates_to_translations, sender=EventPage, dispatch_uid="events_sync_dates")
