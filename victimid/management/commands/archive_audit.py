"""Archive audit events past the retention period to a signed file, then remove them."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from victimid.audit_chain import archive_problem
from victimid.services.audit import audit_archive, signing_key


class Command(BaseCommand):
    help = (
        "Write the audit events older than the retention period (AUDIT_RETENTION_DAYS, "
        "default 7 years) to a signed JSON-lines file, then remove them from the database "
        "together with a signed checkpoint. With --check FILE, verify an archive instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="the archive file to write (must not exist)")
        parser.add_argument("--before", help="archive events before this date (YYYY-MM-DD) instead")
        parser.add_argument("--check", help="verify the signature and chain of an archive file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            lines = Path(options["check"]).read_bytes().splitlines()
            problem = archive_problem(lines, signing_key())
            if problem:
                raise CommandError(f"archive BROKEN: {problem}")
            self.stdout.write(f"archive intact: {len(lines) - 2} events, signature holds")
            return
        if not options["output"]:
            raise CommandError("give --output FILE (or --check FILE)")
        path = Path(options["output"])
        if path.exists():
            raise CommandError(f"{path} exists; an archive is never overwritten")
        if options["before"]:
            try:
                before = datetime.strptime(options["before"], "%Y-%m-%d").replace(tzinfo=UTC)
            except ValueError as error:
                raise CommandError("--before must be a date, YYYY-MM-DD") from error
        else:
            before = datetime.now(UTC) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
        try:
            result = audit_archive(before=before, path=path)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        if not result["archived"]:
            self.stdout.write(f"no audit events before {before:%Y-%m-%d}; nothing archived")
            return
        self.stdout.write(
            f"archived {result['archived']} events (through #{result['through']}) to {path} "
            "and removed them with a signed checkpoint"
        )
