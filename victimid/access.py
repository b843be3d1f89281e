"""The access policy: the one place that decides who may see and change what.

Every read of casework starts from ``Model.objects.visible_to(user)`` or asks
``can_view`` / ``can_edit`` here. The foundation part decides whether a user may
see casework at all; record-level rules live beside it as the casework models
arrive.
"""

from __future__ import annotations

from typing import Any

from victimid.choices import Role


def second_factor_ok(user: Any) -> bool:
    """False for a request-bound user whose session has no verified second factor.

    Users loaded outside a request (tasks, commands) carry no ``is_verified``;
    the second-factor gate already guards every request, so they pass here.
    """
    is_verified = getattr(user, "is_verified", None)
    return True if is_verified is None else bool(is_verified())


def has_casework_access(user: Any) -> bool:
    """May this user see any casework? Vetted, current, active, second factor verified."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_vetted or not second_factor_ok(user):
        return False
    # Oversight and auditors read aggregates and the audit trail only.
    return user.has_role(Role.INVESTIGATOR) or user.has_role(Role.COORDINATOR)


def is_coordinator_of(user: Any, country_code: str) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_vetted
        and user.has_role(Role.COORDINATOR)
        and user.agency is not None
        and user.agency.country.code == country_code
    )
