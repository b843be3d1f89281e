"""Seed fictional demo data once; a second run changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand

from cases.demo import seed_casework
from cases.services.stats import stats_refresh
from victimid import demo


class Command(BaseCommand):
    help = "Seed demo agencies, one user per role and demo casework (skips if already seeded)."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo.is_seeded():
            self.stdout.write("demo data already present; nothing seeded")
            return
        agencies = demo.seed_people()
        seed_casework(agencies=agencies)
        # The figures of the demo data at once, rather than at beat's first interval.
        stats_refresh()
        self.stdout.write("demo data seeded")
