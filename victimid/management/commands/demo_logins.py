"""Print how to sign in as each demo role."""

from typing import Any

from django.core.management.base import BaseCommand

from victimid import demo


class Command(BaseCommand):
    help = "Print the demo accounts, their password and how to get a one-time code."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args: Any, **options: Any) -> None:
        lines = [
            f"VictimID is at {options['url']}",
            "",
            f"Demo accounts (password for all: {demo.DEMO_PASSWORD}):",
        ]
        for user in demo.USERS:
            lines.append(f"  {user.role:<13} {demo.demo_email(user.local)}")
        lines += [
            "",
            "The second factor stays on. The current one-time code of an account:",
            f"  make demo-otp EMAIL={demo.demo_email(demo.USERS[0].local)}",
        ]
        self.stdout.write("\n".join(lines))
