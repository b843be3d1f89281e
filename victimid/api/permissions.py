"""API permissions."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from victimid.gate import CASEWORK_REFUSED, STATS_REFUSED, has_casework_access, stats_scope


class MfaRequired(exceptions.PermissionDenied):
    default_detail = _("Verify your second factor before using the API.")
    default_code = "mfa_required"


class NotVetted(exceptions.PermissionDenied):
    default_detail = _("Your account is not vetted (or its vetting has expired).")
    default_code = "not_vetted"


class IsVerifiedUser(BasePermission):
    """Signed in with a verified second factor (session) or a valid token."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            raise exceptions.NotAuthenticated()
        is_verified = getattr(user, "is_verified", None)
        if is_verified is None or not is_verified():
            raise MfaRequired()
        return True


class HasCaseworkAccess(IsVerifiedUser):
    """Verified, vetted and holding a casework role (investigator or coordinator)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        super().has_permission(request, view)
        if not request.user.is_vetted:
            raise NotVetted()
        if not has_casework_access(request.user):
            raise exceptions.PermissionDenied(CASEWORK_REFUSED, code="wrong_role")
        return True


class HasStatsAccess(IsVerifiedUser):
    """Verified, vetted and holding a role that reads figures (oversight, coordinator,
    investigator); auditors and admins are refused."""

    def has_permission(self, request: Request, view: Any) -> bool:
        super().has_permission(request, view)
        if not request.user.is_vetted:
            raise NotVetted()
        if stats_scope(request.user) is None:
            raise exceptions.PermissionDenied(STATS_REFUSED, code="wrong_role")
        return True
