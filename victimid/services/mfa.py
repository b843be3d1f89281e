"""Second factor: TOTP enrolment and verification, single-use recovery codes."""

from __future__ import annotations

import secrets
from typing import Any

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from victimid import audit_actions
from victimid.choices import AuditOutcome
from victimid.models import RecoveryCode, RecoveryCodeDevice, User
from victimid.models.mfa import hash_recovery_code
from victimid.services.audit import audit_record

RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"

REAUTHENTICATION_REFUSED = _(
    "That code is not valid. Enter the code your authenticator app shows now, "
    "or an unused recovery code."
)


def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device of an enrolment in progress (made if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def totp_qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code (rendered server-side, no script)."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=4, dark="#000", light="#fff", title="TOTP enrolment QR code")


def totp_secret_text(device: TOTPDevice) -> str:
    """The base32 secret, grouped in fours, for typing into an app by hand."""
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_confirm(*, request: HttpRequest, user: User, token: str) -> list[str] | None:
    """Confirm enrolment with a first code; returns fresh recovery codes, or None if wrong."""
    device = totp_pending_device(user=user)
    if not device.verify_token(token.strip().replace(" ", "")):
        audit_record(
            actor=user,
            action=audit_actions.MFA_FAILED,
            target=device,
            outcome=AuditOutcome.FAILURE,
            details={"stage": "enrolment"},
        )
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        audit_record(actor=user, action=audit_actions.MFA_ENROLLED, target=device)
    _verified_session(request, device)
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    # Keep the device and replace its codes: a session verified with a recovery code
    # points at this device, and deleting it would quietly unverify that session.
    device = RecoveryCodeDevice.objects.filter(user=user).first()
    if device is None:
        device = RecoveryCodeDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    RecoveryCodeDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.codes.all().delete()
    codes = []
    for _index in range(settings.RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_hash=hash_recovery_code(code)) for code in codes
    )
    return codes


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace all recovery codes; the old ones stop working."""
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        audit_record(actor=user, action=audit_actions.MFA_RECOVERY_REGENERATED, target=user)
    return codes


def verify_second_factor(*, user: User, token: str) -> TOTPDevice | RecoveryCodeDevice | None:
    """Check a one-time code (TOTP) or a recovery code without logging in."""
    token = token.strip().replace(" ", "")
    if token.isdigit():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(token):
                return device
    else:
        for recovery in RecoveryCodeDevice.objects.filter(user=user, confirmed=True):
            if recovery.verify_token(token):
                audit_record(actor=user, action=audit_actions.MFA_RECOVERY_USED, target=recovery)
                return recovery
    audit_record(
        actor=user,
        action=audit_actions.MFA_FAILED,
        target=user,
        outcome=AuditOutcome.FAILURE,
        details={"stage": "verification"},
    )
    return None


def reauthenticate(*, user: User, token: str) -> TOTPDevice | RecoveryCodeDevice:
    """The one re-authentication rule before a sensitive change of one's own account:
    a new password, new recovery codes, a new API token, ending a session or a token.

    A signed-in session is not proof enough (a borrowed, unlocked screen): the user types
    a fresh one-time code, or an unused recovery code. A code already used cannot be used
    again (django-otp keeps the last time step), so two changes in the same 30 seconds need
    two codes. Raises ValidationError keyed ``token``; a wrong code is audited as a failure."""
    device = verify_second_factor(user=user, token=token)
    if device is None:
        raise ValidationError({"token": REAUTHENTICATION_REFUSED})
    return device


def _verified_session(request: HttpRequest, device: Any) -> None:
    """Mark the session verified under a new session key.

    The key a session had before its second factor was checked may have been planted or
    seen (session fixation); the verified session never answers to it.
    """
    request.session.cycle_key()
    otp_login(request, device)


def second_factor_login(*, request: HttpRequest, user: User, token: str) -> bool:
    """Verify a code and mark the session as verified."""
    device = verify_second_factor(user=user, token=token)
    if device is None:
        return False
    _verified_session(request, device)
    audit_record(
        actor=user,
        action=audit_actions.MFA_VERIFIED,
        target=user,
        details={"device": type(device).__name__},
    )
    return True
