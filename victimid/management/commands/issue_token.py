"""Issue an API token for a user; prints the token on the last line."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from victimid.models import User
from victimid.services.tokens import api_token_issue


class Command(BaseCommand):
    help = "Issue an API token. The last line of output is the token (shown only here)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--days", type=int, default=settings.API_TOKEN_MAX_DAYS)
        parser.add_argument("--name", default="issued by operator")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No user {options['email']}")
        try:
            _record, token = api_token_issue(user=user, name=options["name"], days=options["days"])
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write(token)
