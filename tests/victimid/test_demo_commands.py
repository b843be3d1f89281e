"""What make run prints last: the demo accounts, and a command that gives a one-time code."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from victimid.demo import DEMO_PASSWORD, USERS, demo_email, seed_people


def _demo_logins() -> str:
    out = StringIO()
    call_command("demo_logins", "--url", "http://127.0.0.1:8123/", stdout=out)
    return out.getvalue()


def test_demo_logins_names_the_address_every_account_and_the_password():
    text = _demo_logins()
    assert "http://127.0.0.1:8123/" in text
    assert DEMO_PASSWORD in text
    for user in USERS:
        assert re.search(rf"{user.role}\s+{re.escape(demo_email(user.local))}", text)


@pytest.mark.django_db
def test_the_one_time_code_command_it_shows_works_as_printed():
    seed_people()
    email = re.search(r"make demo-otp EMAIL=(\S+)", _demo_logins()).group(1)
    out = StringIO()
    call_command("demo_otp", email, stdout=out)  # what `make demo-otp EMAIL=…` runs
    device = TOTPDevice.objects.get(user__email=email)
    assert device.verify_token(out.getvalue().strip())
