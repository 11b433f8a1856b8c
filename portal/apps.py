from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import signal_handlers
        from portal.widgets import register_admin_date_widgets

        signal_handlers.connect()
        register_admin_date_widgets()
