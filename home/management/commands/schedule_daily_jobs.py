"""Make sure the worker's schedule runs (idempotent; run it on every deploy)."""

from django.core.management.base import BaseCommand

from home.tasks import run_daily_jobs, schedule_ensure


class Command(BaseCommand):
    help = (
        "Make sure the task worker runs the portal's schedule (scheduled publishing, e-mail retries, reminders, "
        "retention, pruning, publicity checks), or run the daily jobs now with --now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run the daily jobs now, in this process.")

    def handle(self, *args, now=False, **options):
        if now:
            for name, result in run_daily_jobs().items():
                self.stdout.write(f"{name}: {result}")
            return
        if schedule_ensure():
            self.stdout.write("The schedule was started; a running db_worker carries it on.")
        else:
            self.stdout.write("The schedule is already running.")
