"""Print a demo user's current one-time code (demo and development only)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from victimid.demo import DEMO_DOMAIN


class Command(BaseCommand):
    help = f"Print the current TOTP code of a demo account (only @{DEMO_DOMAIN} accounts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].lower()
        if not email.endswith("@" + DEMO_DOMAIN) and not settings.DEBUG:
            raise CommandError("Only demo accounts, or any account when DEBUG is on.")
        device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).first()
        if device is None:
            raise CommandError(f"No confirmed authenticator for {email}")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
