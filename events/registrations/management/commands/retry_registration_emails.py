"""Send registration e-mails whose retry is due (the worker does this every minute)."""

from django.core.management.base import BaseCommand

from events.registrations.services.outbox import emails_retry


class Command(BaseCommand):
    help = "Send due registration e-mails from the outbox; with --all, every e-mail waiting for a retry."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="all_waiting",
            help="Retry every waiting e-mail now, not only those whose next attempt is due (the mail server is back).",
        )

    def handle(self, *args, all_waiting=False, **options):
        self.stdout.write(f"e-mails sent: {emails_retry(all_waiting=all_waiting)}")
