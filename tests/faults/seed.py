"""Seed a fault test's own database and print what the test needs, as JSON.

Run in a subprocess against the test's own PostgreSQL (``python -m tests.faults.seed``):
an owning agency with two investigators and an API token each, a network-wide series
with a child seen in it, and a follower abroad, so that recording an identification
notifies three people (three e-mails to send).
"""

from __future__ import annotations

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
django.setup()

from tests.factories import (  # noqa: E402
    AgencyFactory,
    SeriesFactory,
    SeriesFollowerFactory,
    UserFactory,
    VictimFactory,
)
from victimid.services.tokens import api_token_issue  # noqa: E402


def main() -> None:
    agency = AgencyFactory(name="Owning Agency", country="NL")
    abroad = AgencyFactory(name="Agency Abroad", country="ES")
    owner = UserFactory(email="owner@nl.example.org", agency=agency)
    colleague = UserFactory(email="colleague@nl.example.org", agency=agency)
    follower = UserFactory(email="follower@es.example.org", agency=abroad)
    series = SeriesFactory(actor=owner, distribution="network", title="Harbour room")
    victim = VictimFactory(actor=owner, series=[series], distribution="network")
    SeriesFollowerFactory(actor=follower, series=series)
    _record, owner_token = api_token_issue(user=owner, name="faults", days=30)
    _record, colleague_token = api_token_issue(user=colleague, name="faults", days=30)
    print(
        json.dumps(
            {
                "owner_token": owner_token,
                "colleague_token": colleague_token,
                "series": series.code,
                "victim": victim.code,
            }
        )
    )


if __name__ == "__main__":
    main()
