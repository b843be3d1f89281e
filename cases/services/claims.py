"""Claims and deconfliction: who works a series, and telling agencies about each other.

Two agencies claiming or following the same series are each told the other's name,
country and contact point (``CoordinationNotice``), never anything of the other's
records: the series is one both may see already.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import access
from cases.models import (
    Claim,
    CoordinationNotice,
    CoordinationReason,
    DeconflictionNotice,
    Series,
    SeriesFollower,
)
from cases.services.common import casework_users, require_casework_writer
from victimid import audit_actions
from victimid.models import Agency, NotificationKind, User
from victimid.services.audit import audit_record
from victimid.services.notifications import notifications_create

__all__ = [
    "CLAIM_MAX_DAYS",
    "claim_set",
    "claim_withdraw",
    "coordinate_follow",
    "notice_acknowledge",
]

CLAIM_MAX_DAYS = 366
CONTACT_MAX_LENGTH = 200


def _contact_of(agency: Agency) -> str:
    return (agency.contact_point or "")[:CONTACT_MAX_LENGTH]


def claim_set(*, actor: User, series: Series, contact: str, expires_on: datetime.date) -> Claim:
    """Claim a visible series for the actor's agency, or renew its standing claim."""
    require_casework_writer(actor)
    access.require_visible(actor, series)
    agency = actor.agency
    assert agency is not None
    contact = (contact or "").strip()
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not contact:
        errors["contact"] = [_("Say how another agency reaches the people working it.")]
    elif len(contact) > CONTACT_MAX_LENGTH:
        errors["contact"] = [
            _("At most %(limit)d characters (this is %(length)d).")
            % {"limit": CONTACT_MAX_LENGTH, "length": len(contact)}
        ]
    if not isinstance(expires_on, datetime.date) or expires_on < today:
        errors["expires_on"] = [_("Give a date from today on.")]
    elif expires_on > today + datetime.timedelta(days=CLAIM_MAX_DAYS):
        errors["expires_on"] = [
            _("A claim lasts at most %(days)d days; renew it later.") % {"days": CLAIM_MAX_DAYS}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        claim = (
            Claim.objects.select_for_update()
            .filter(series=series, agency=agency, withdrawn_at__isnull=True)
            .first()
        )
        renewed = claim is not None
        if claim is None:
            claim = Claim(series=series, agency=agency, created_by=actor)
        claim.contact = contact
        claim.expires_on = expires_on
        claim.updated_at = timezone.now()
        claim.save()
        audit_record(
            actor=actor,
            action=audit_actions.SERIES_CLAIMED,
            target=series,
            details={"claim": claim.pk, "expires_on": expires_on.isoformat(), "renewed": renewed},
        )
        _coordinate(series=series, agency=agency, reason=CoordinationReason.CLAIM, contact=contact)
    return claim


def claim_withdraw(*, actor: User, series: Series) -> Claim:
    """Withdraw the actor's agency's standing claim on a series; Http404 when it has none."""
    require_casework_writer(actor)
    access.require_visible(actor, series)
    with transaction.atomic():
        claim = (
            Claim.objects.select_for_update()
            .filter(series=series, agency_id=actor.agency_id or 0, withdrawn_at__isnull=True)
            .first()
        )
        if claim is None:
            raise Http404
        access.require_editable(actor, claim)
        claim.withdrawn_at = timezone.now()
        claim.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor,
            action=audit_actions.SERIES_CLAIM_WITHDRAWN,
            target=series,
            details={"claim": claim.pk},
        )
    return claim


def coordinate_follow(*, actor: User, series: Series) -> None:
    """A new follower's agency and the other agencies working the series learn of each other."""
    if actor.agency is None:
        return
    _coordinate(
        series=series,
        agency=actor.agency,
        reason=CoordinationReason.FOLLOW,
        contact=_contact_of(actor.agency),
    )


def _working_agencies(series: Series) -> dict[int, tuple[Agency, str, str]]:
    """Agencies working the series: (agency, why, contact); a claim's contact wins."""
    today = timezone.localdate()
    working: dict[int, tuple[Agency, str, str]] = {}
    followers = SeriesFollower.objects.filter(series=series).select_related("user__agency")
    for follower in followers:
        agency = follower.user.agency
        if agency is not None and access.can_view(follower.user, series):
            working[agency.pk] = (agency, CoordinationReason.FOLLOW, _contact_of(agency))
    claims = Claim.objects.filter(
        series=series, withdrawn_at__isnull=True, expires_on__gte=today
    ).select_related("agency")
    for claim in claims:
        working[claim.agency_id] = (claim.agency, CoordinationReason.CLAIM, claim.contact)
    return working


def _coordinate(*, series: Series, agency: Agency, reason: str, contact: str) -> None:
    """Tell ``agency`` and every other agency working ``series`` about each other, once."""
    for other, other_reason, other_contact in _working_agencies(series).values():
        if other.pk == agency.pk:
            continue
        for told, about, why, how in (
            (agency, other, other_reason, other_contact),
            (other, agency, reason, contact),
        ):
            notice, created = CoordinationNotice.objects.get_or_create(
                series=series,
                agency=told,
                other_agency=about,
                defaults={"other_reason": why, "other_contact": how},
            )
            if not created:
                continue
            _notify_agency(told, series, about, why, how)


def _notify_agency(told: Agency, series: Series, about: Agency, why: str, how: str) -> None:
    """The casework users of the agency told who may see the series: a name and a contact."""
    recipients = [u for u in casework_users(agency=told) if access.can_view(u, series)]
    notifications_create(
        recipients=recipients,
        kind=NotificationKind.DECONFLICTION,
        subject_type="series",
        subject_ref=series.code,
        message=_("%(agency)s (%(country)s) %(why)s %(series)s too. Contact: %(contact)s")
        % {
            "agency": about.name,
            "country": about.country.code,
            "why": CoordinationReason(why).label,
            "series": series.code,
            "contact": how or "—",
        },
    )


def notice_acknowledge(*, actor: User, kind: Literal["series", "hash"], notice_id: int) -> None:
    """Acknowledge a notice addressed to the actor's agency; Http404 for any other."""
    require_casework_writer(actor)
    agency_id = actor.agency_id or 0  # require_casework_writer refuses actors without one
    now = timezone.now()
    with transaction.atomic():
        if kind == "series":
            # Of the agency, and listed to the actor: about a series they may see.
            mine = CoordinationNotice.objects.filter(pk=notice_id, agency_id=agency_id).filter(
                access.visibility_q(actor, Series, "series__")
            )
            changed = mine.filter(acknowledged_at__isnull=True).update(
                acknowledged_at=now, acknowledged_by=actor
            )
            exists = mine.exists()
        elif kind == "hash":
            notices = DeconflictionNotice.objects.filter(pk=notice_id)
            changed = notices.filter(
                existing_agency_id=agency_id, holder_acknowledged_at__isnull=True
            ).update(holder_acknowledged_at=now)
            changed += notices.filter(
                requesting_agency_id=agency_id, requester_acknowledged_at__isnull=True
            ).update(requester_acknowledged_at=now)
            exists = notices.filter(
                Q(existing_agency_id=agency_id) | Q(requesting_agency_id=agency_id)
            ).exists()
        else:
            raise Http404
        if not exists:
            raise Http404
        if changed:
            audit_record(
                actor=actor,
                action=audit_actions.NOTICE_ACKNOWLEDGED,
                target=actor,
                details={"kind": kind, "notice": notice_id},
            )
