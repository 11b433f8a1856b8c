"""Make sure the daily jobs are queued for the worker (idempotent; run it on every deploy)."""

from django.core.management.base import BaseCommand

from home.tasks import next_run, run_daily_jobs, schedule_daily_jobs


class Command(BaseCommand):
    help = "Queue the portal's daily jobs for the task worker, or run them now with --now."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run the daily jobs now, in this process.")

    def handle(self, *args, now=False, **options):
        if now:
            for name, result in run_daily_jobs().items():
                self.stdout.write(f"{name}: {result}")
            return
        if schedule_daily_jobs():
            self.stdout.write(f"Daily jobs queued for {next_run():%Y-%m-%d %H:%M}.")
        else:
            self.stdout.write("Daily jobs are already queued.")
