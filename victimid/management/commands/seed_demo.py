"""Seed fictional demo data once; a second run changes nothing."""

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand

from victimid import demo


class Command(BaseCommand):
    help = "Seed demo agencies, one user per role and demo casework (skips if already seeded)."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo.is_seeded():
            self.stdout.write("demo data already present; nothing seeded")
            return
        agencies = demo.seed_people()
        try:
            cases_demo = import_module("cases.demo")
        except ModuleNotFoundError:
            cases_demo = None
        if cases_demo is not None:
            cases_demo.seed_casework(agencies=agencies)
        try:
            victims_demo = import_module("cases.demo_victims")
        except ModuleNotFoundError:
            victims_demo = None
        if victims_demo is not None:
            victims_demo.seed_victims()
        self.stdout.write("demo data seeded")
