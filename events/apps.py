from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published

        from events.models import EventPage, Registration
        from events.signals import registration_places_changed, sync_dates_to_translations

        page_published.connect(sync_dates_to_translations, sender=EventPage, dispatch_uid="events_sync_dates")
        post_save.connect(registration_places_changed, sender=Registration, dispatch_uid="events_places_saved")
        post_delete.connect(registration_places_changed, sender=Registration, dispatch_uid="events_places_deleted")
