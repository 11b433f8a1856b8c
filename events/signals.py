"""Keep every language's copy of an event on the same dates when the source page is published."""

from wagtail.models import Locale


def sync_dates_to_translations(sender, instance, **kwargs):
    from events.scheduling import event_dates_sync_translations

    if instance.locale_id == Locale.get_default().pk:
        event_dates_sync_translations(source=instance)
