"""Create a user; prints the TOTP provisioning URI on the last line."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from victimid.choices import Role
from victimid.models import Agency
from victimid.services.accounts import user_create


class Command(BaseCommand):
    help = (
        "Create a user with a confirmed TOTP device. The last line of output is the "
        "otpauth:// URI to load into an authenticator app."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--agency", type=int, help="agency id (not needed for admin)")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", default="")
        parser.add_argument("--vetted", action="store_true")
        parser.add_argument("--password", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        agency = None
        if options["agency"] is not None:
            agency = Agency.objects.filter(pk=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency with id {options['agency']}")
        try:
            with transaction.atomic():
                user = user_create(
                    actor=None,
                    email=options["email"],
                    agency=agency,
                    role=options["role"],
                    full_name=options["name"],
                    password=options["password"],
                    vetted=options["vetted"],
                )
                device = TOTPDevice.objects.create(
                    user=user, name="Authenticator app", confirmed=True
                )
        except ValidationError as exc:
            messages = getattr(exc, "message_dict", None) or {"error": exc.messages}
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in messages.items())
            ) from exc
        self.stdout.write(device.config_url)
