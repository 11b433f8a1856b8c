"""Send registration e-mails that failed (mail server down) or were never picked up."""

from django.core.management.base import BaseCommand

from events.services import emails_retry


class Command(BaseCommand):
    help = "Retry failed or stuck registration e-mails from the outbox."

    def handle(self, *args, **options):
        self.stdout.write(f"e-mails sent: {emails_retry()}")
