"""Create an agency; prints its id on the last line."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from victimid.choices import AgencyKind
from victimid.services.accounts import agency_create


class Command(BaseCommand):
    help = "Create an agency. The last line of output is the new agency's id."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--country", required=True, help="ISO 3166-1 alpha-2 code, e.g. NL")
        parser.add_argument("--kind", default=AgencyKind.POLICE, choices=AgencyKind.values)
        parser.add_argument("--contact", default="", help="24/7 contact point")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agency = agency_create(
                actor=None,
                name=options["name"],
                country=options["country"],
                kind=options["kind"],
                contact_point=options["contact"],
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from exc
        self.stdout.write(str(agency.pk))
