"""Verify the audit trail's hash chain and signed checkpoints from the command line."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from victimid.selectors.audit_chain import audit_chain_verify
from victimid.services.audit import audit_verification_store


class Command(BaseCommand):
    help = (
        "Walk the audit hash chain, recompute every event's hash and check it against the "
        "signed checkpoints. Exits non-zero naming the first broken event. The verdict is "
        "stored, like the periodic verification's, for the metrics endpoint."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        audit_verification_store(report)
        if not report.intact:
            raise CommandError(
                f"audit chain BROKEN at event #{report.broken_sequence}: {report.problem} "
                f"({report.checked} events checked before it)"
            )
        span = (
            f"#{report.first_sequence} to #{report.head_sequence}"
            if report.first_sequence is not None
            else "no events"
        )
        self.stdout.write(
            f"audit chain intact: {report.checked} events checked ({span}), "
            f"{report.checkpoints} signed checkpoints hold"
        )
