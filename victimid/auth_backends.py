"""Authentication by e-mail address and password."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from victimid.choices import VettingStatus


class EmailBackend(ModelBackend):
    """ModelBackend keyed by e-mail that refuses suspended, rejected, disabled or locked users.

    Pending users may sign in: they must enrol their second factor and wait for
    vetting, and see no casework meanwhile.
    """

    def user_can_authenticate(self, user: object) -> bool:
        return (
            getattr(user, "is_active", False)
            and getattr(user, "locked_at", None) is None
            and getattr(user, "vetting_status", None)
            not in (VettingStatus.SUSPENDED, VettingStatus.REJECTED)
        )
