from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "events.registrations"
    label = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from events import measures, places
        from events.registrations import signal_handlers
        from events.registrations.measures import RegistrationAttendance
        from events.registrations.places import RegistrationPlaces

        places.register(RegistrationPlaces())
        measures.register(RegistrationAttendance())
        signal_handlers.connect()
