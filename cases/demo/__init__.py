"""Fictional, non-graphic demo casework for ``make run``, seeded by ``manage.py seed_demo``.

Series with their hash values and clues, a sharing group, an explicit grant, and
victims with their identification log. Everything is created through the services, as
the demo users, so the demo data is audited and obeys the same rules as real work.
"""

from __future__ import annotations

from django.db import transaction

from cases.demo.series import seed_series
from cases.demo.victims import seed_victims
from victimid.models import Agency

__all__ = ["seed_casework", "seed_series", "seed_victims"]


@transaction.atomic
def seed_casework(*, agencies: dict[str, Agency]) -> None:
    """Seed all demo casework owned by the demo agencies: series and clues, then victims."""
    seed_series(agencies=agencies)
    seed_victims()
