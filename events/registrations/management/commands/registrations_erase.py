"""Export, then erase, everything held for one e-mail address (GDPR requests)."""

import json

from django.core.management.base import BaseCommand, CommandError

from events.registrations.services.retention import registrations_erase_for_email, registrations_export_for_email


class Command(BaseCommand):
    help = "Print everything held for an e-mail address as JSON; with --erase, delete it."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--erase", action="store_true", help="Delete the registrations after printing them.")

    def handle(self, *args, email, erase=False, **options):
        if "@" not in email:
            raise CommandError("Give an e-mail address.")
        self.stdout.write(json.dumps(registrations_export_for_email(email=email), ensure_ascii=False, indent=2))
        if erase:
            count = registrations_erase_for_email(email=email)
            self.stderr.write(f"registrations erased: {count}")
