"""django-tasks' database worker, which also makes sure the portal's schedule runs when it starts.

Django runs this command instead of django_tasks_db's (the `home` app comes
first in INSTALLED_APPS); everything else is the library's worker.
"""

import logging

from django.db import DatabaseError
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from home.tasks import schedule_ensure

logger = logging.getLogger(__name__)


class Command(DatabaseWorkerCommand):
    help = "Run a database background worker; it starts the portal's schedule unless it is running."

    def handle(self, *args, **options):
        try:
            schedule_ensure()
        except DatabaseError:
            # Not migrated yet, or the database is away: the worker's own loop reports it.
            logger.exception("Could not make sure the schedule runs")
        super().handle(*args, **options)
