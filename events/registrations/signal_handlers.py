"""What registrations do when events change, and what kept pages learn when registrations change."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published

from events.models import EventPage
from events.registrations.models import Registration
from events.registrations.selectors import availability_keys
from events.registrations.services.staff import event_registrations_sync
from portal.cache import touch_on_commit

# A registration feeds the free places shown on pages only through these fields.
PLACES_FIELDS = frozenset({"status", "seats", "event", "event_date", "leaves_on"})


def registrations_after_publish(sender, instance, **kwargs):
    """Staff cancelled a date or raised capacity: tell the registrants, fill freed places from the waiting list."""
    event_registrations_sync(event=instance)


def registration_places_changed(sender, instance, update_fields=None, using=None, created=False, **kwargs):
    """A registration's status or seats changed: what shows its event's free places
    is rendered again (portal/cache.py); the rest of the site stays as kept.

    A new registration that holds no seat (one more on the waiting list) leaves
    every free place as it was, so the pages stay as kept: a full date, the one
    that takes the most registrations, costs no page a render."""
    if update_fields is not None and not PLACES_FIELDS.intersection(update_fields):
        return
    if created and not instance.holds_seats:
        return
    try:
        # The event is usually loaded with the registration already (no query).
        translation_key = instance.event.translation_key
    except EventPage.DoesNotExist:  # deleted with its event: the listings still change
        translation_key = None
    touch_on_commit(*availability_keys(event_translation_key=translation_key), using=using or "default")


def connect() -> None:
    page_published.connect(registrations_after_publish, sender=EventPage, dispatch_uid="events_registrations_sync")
    post_save.connect(registration_places_changed, sender=Registration, dispatch_uid="registrations_places_saved")
    post_delete.connect(registration_places_changed, sender=Registration, dispatch_uid="registrations_places_deleted")
