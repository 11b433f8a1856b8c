import logging

from django.apps import AppConfig
from django.db import DatabaseError
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def _ensure_locales_after_migrate(sender, using="default", plan=None, **kwargs):
    """Every release runs `migrate`: each configured language gets its Wagtail locale (idempotent)."""
    from portal.locales import ensure_configured_locales

    if using != "default" or plan is None:
        return  # another database, or `flush` (which sends the signal without a plan)
    try:
        added = ensure_configured_locales()
    except DatabaseError:
        logger.exception("Could not add the configured languages' locales")
        return
    if added:
        logger.info("Added the locales %s", ", ".join(added))


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import signal_handlers
        from portal.widgets import register_admin_date_widgets

        signal_handlers.connect()
        register_admin_date_widgets()
        post_migrate.connect(_ensure_locales_after_migrate, sender=self, dispatch_uid="portal_ensure_locales")
