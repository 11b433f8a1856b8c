from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from wagtail.signals import page_published

        from events.models import EventPage
        from events.signals import sync_dates_to_translations

        page_published.connect(sync_dates_to_translations, sender=EventPage, dispatch_uid="events_sync_dates")
