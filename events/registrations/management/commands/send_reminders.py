"""Queue tomorrow's reminders (run daily, e.g. from cron; idempotent)."""

from django.core.management.base import BaseCommand

from events.registrations.services.outbox import emails_retry, reminders_send


class Command(BaseCommand):
    help = "Send a reminder to everyone confirmed for a date that starts tomorrow; also retry failed e-mails."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Run as a background task instead of now.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from events.registrations.tasks import send_reminders

            send_reminders.enqueue()
            self.stdout.write("reminders: task enqueued")
            return
        queued = reminders_send()
        retried = emails_retry()
        self.stdout.write(f"reminders queued: {queued}; failed e-mails sent now: {retried}")
