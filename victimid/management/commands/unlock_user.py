"""Release a locked account from the server's command line."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from victimid.models import User
from victimid.services.lockout import user_release


class Command(BaseCommand):
    help = "Release a user locked after failed sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No user {options['email']}")
        user_release(actor=None, subject=user)
        self.stdout.write(f"released {user.email}")
