from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from staff_auth.services import second_factor_reset


class Command(BaseCommand):
    help = (
        "Remove a staff member's second factor (authenticator and recovery codes), e.g. after a lost phone. "
        "They set up a new authenticator at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the user name whose second factor is removed")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        removed = second_factor_reset(user=user)
        self.stdout.write(
            f"Removed {removed} device(s) of {username}; they set up a new authenticator at the next sign-in."
        )
