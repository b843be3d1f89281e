"""Creating agencies and accounts, changing roles, and changing one's own password."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from victimid import audit_actions
from victimid.choices import AgencyKind, AuditOutcome, Role
from victimid.models import Agency, User
from victimid.roles import COORDINATOR_GRANTABLE_ROLES
from victimid.services import mfa
from victimid.services.audit import audit_record
from victimid.services.vetting import can_manage_user, vetting_approve


def agency_create(
    *,
    actor: User | None,
    name: str,
    country: str,
    kind: str = AgencyKind.POLICE,
    contact_point: str = "",
) -> Agency:
    """Create an agency after validating its country and kind."""
    agency = Agency(
        name=name.strip(), country=country.upper(), kind=kind, contact_point=contact_point
    )
    agency.full_clean()
    with transaction.atomic():
        agency.save()
        audit_record(actor=actor, action=audit_actions.AGENCY_CREATED, target=agency)
    return agency


def _validate_new_user(user: User, password: str | None) -> None:
    user.full_clean(exclude=["password"])
    if password:
        validate_password(password, user)


def user_register(*, email: str, full_name: str, agency: Agency, password: str) -> User:
    """Self-registration: the account exists but stays pending until a coordinator vets it."""
    user = User(email=email.strip().lower(), full_name=full_name.strip(), agency=agency)
    _validate_new_user(user, password)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        _set_roles(user, [Role.INVESTIGATOR])
        audit_record(actor=user, action=audit_actions.USER_REGISTERED, target=user)
    return user


def user_invite(*, actor: User, email: str, full_name: str, agency: Agency, role: str) -> User:
    """A coordinator or admin creates a pending account with a role; the invitee sets a password."""
    if not (actor.is_platform_admin or actor.has_role(Role.COORDINATOR)):
        raise PermissionDenied(_("Only coordinators and admins can invite users."))
    if not actor.is_platform_admin and (
        actor.agency is None or agency.country != actor.agency.country
    ):
        raise PermissionDenied(_("Coordinators can invite users of their own country only."))
    if role not in COORDINATOR_GRANTABLE_ROLES and not actor.is_platform_admin:
        raise PermissionDenied(_("Only admins can grant the %(role)s role.") % {"role": role})
    user = User(email=email.strip().lower(), full_name=full_name.strip(), agency=agency)
    _validate_new_user(user, None)
    with transaction.atomic():
        user.set_unusable_password()
        user.save()
        _set_roles(user, [role])
        audit_record(
            actor=actor, action=audit_actions.USER_INVITED, target=user, details={"role": role}
        )
    return user


def user_create(
    *,
    actor: User | None,
    email: str,
    agency: Agency | None,
    role: str,
    full_name: str = "",
    password: str | None = None,
    vetted: bool = False,
) -> User:
    """Operator path (management command): create an account, optionally vetted at once."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role %(role)s.") % {"role": role}})
    user = User(
        email=email.strip().lower(), full_name=full_name or email.split("@")[0], agency=agency
    )
    if role != Role.ADMIN and agency is None:
        raise ValidationError({"agency": _("Every user except a platform admin needs an agency.")})
    _validate_new_user(user, password)
    with transaction.atomic():
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        _set_roles(user, [role])
        audit_record(
            actor=actor, action=audit_actions.USER_CREATED, target=user, details={"role": role}
        )
        if vetted:
            vetting_approve(actor=actor, subject=user, reason="Vetted at creation by an operator")
    return user


def _set_roles(user: User, roles: Iterable[str]) -> None:
    groups = list(Group.objects.filter(name__in=[str(role) for role in roles]))
    missing = set(map(str, roles)) - {group.name for group in groups}
    if missing:
        raise ValidationError(
            {"role": _("Unknown role: %(roles)s") % {"roles": ", ".join(missing)}}
        )
    user.groups.set(groups)
    user.__dict__.pop("role_names", None)


def user_set_roles(*, actor: User, subject: User, roles: list[str]) -> None:
    """Change a user's roles; coordinators manage their own country and never grant admin."""
    if not can_manage_user(actor, subject):
        if actor.pk == subject.pk:
            raise PermissionDenied(_("You cannot change your own roles."))
        raise PermissionDenied(_("You cannot change this user's roles."))
    wanted = {str(role) for role in roles}
    current = set(subject.role_names)
    reserved = (wanted ^ current) - COORDINATOR_GRANTABLE_ROLES
    if reserved and not actor.is_platform_admin:
        raise PermissionDenied(
            _("Only admins can grant or remove the %(roles)s role.")
            % {"roles": ", ".join(sorted(reserved))}
        )
    with transaction.atomic():
        _set_roles(subject, wanted)
        for role in sorted(wanted - current):
            audit_record(
                actor=actor,
                action=audit_actions.ROLE_GRANTED,
                target=subject,
                details={"role": role},
            )
        for role in sorted(current - wanted):
            audit_record(
                actor=actor,
                action=audit_actions.ROLE_REVOKED,
                target=subject,
                details={"role": role},
            )


def user_password_change(
    *, user: User, current_password: str, new_password: str, token: str
) -> None:
    """Change one's own password, proven by the current password and a second-factor code.

    Every session of the user ends (the caller keeps its own with
    ``update_session_auth_hash``). Errors are keyed by ``current_password``,
    ``new_password`` and ``token``. The code is checked last, once everything else
    is right, so a typo elsewhere never spends a recovery code.
    """
    errors: dict[str, list[str]] = {}
    if not user.check_password(current_password):
        errors["current_password"] = [_("That is not your current password.")]
        # Recorded: a signed-in session guessing its own password is worth an auditor's look.
        audit_record(
            actor=user,
            action=audit_actions.PASSWORD_CHANGE_FAILED,
            target=user,
            outcome=AuditOutcome.FAILURE,
            details={"stage": "current_password"},
        )
    elif new_password == current_password:
        errors["new_password"] = [_("Choose a password different from your current one.")]
    if "new_password" not in errors:
        try:
            validate_password(new_password, user)
        except ValidationError as exc:
            errors["new_password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    device = mfa.reauthenticate(user=user, token=token)  # audits a failure itself
    with transaction.atomic():
        user.set_password(new_password)
        user.end_all_sessions()
        user.save(update_fields=["password", "session_stamp"])
        audit_record(
            actor=user,
            action=audit_actions.PASSWORD_CHANGED,
            target=user,
            details={"second_factor": type(device).__name__},
        )
