import logging

from django.apps import AppConfig
from django.db import DatabaseError
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


def _ensure_schedule_after_migrate(sender, using="default", plan=None, **kwargs):
    """Every release runs `migrate`: it makes sure the worker's schedule runs (idempotent)."""
    from home.tasks import schedule_ensure

    if using != "default" or plan is None:
        return  # another database, or `flush` (which sends the signal without a plan)
    try:
        schedule_ensure()
    except DatabaseError:
        logger.exception("Could not make sure the schedule runs")


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home and pages")

    def ready(self):
        post_migrate.connect(_ensure_schedule_after_migrate, sender=self, dispatch_uid="home_ensure_schedule")
