"""Anonymise registrations N days after their date (REGISTRATION_RETENTION_DAYS, default 90), then the
participant records nothing keeps any more."""

from django.core.management.base import BaseCommand, CommandError

from events.registrations.services.retention import participants_purge, registrations_purge, retention_days


class Command(BaseCommand):
    help = "Anonymise registrations whose date ended more than REGISTRATION_RETENTION_DAYS days ago."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override the retention period (days).")

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise CommandError("--days must not be negative")
        count = registrations_purge(days=days)
        self.stdout.write(
            f"registrations anonymised: {count} (retention {retention_days() if days is None else days} days)"
        )
        self.stdout.write(f"participants anonymised: {participants_purge(days=days)}")
