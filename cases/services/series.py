"""Writing series: create and update under optimistic locking."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import access
from cases.choices import SeriesStatus
from cases.models import Series
from cases.models.base import next_code
from cases.models.series import SERIES_CODE_SEQUENCE
from cases.screening import screen_fields
from cases.services.common import (
    apply_changes,
    check_text_lengths,
    require_casework_writer,
    still_visible_or_rollback,
    validate_sharing_group,
    versioned_update,
)
from victimid import audit_actions
from victimid.models import SharingGroup, User
from victimid.services.audit import audit_record

__all__ = ["SERIES_EDITABLE_FIELDS", "series_create", "series_update"]

SERIES_EDITABLE_FIELDS = {
    "title",
    "summary",
    "status",
    "first_seen",
    "distribution",
    "sharing_group",
    "merged_into",
}


def _series_validate(actor: User, series: Series) -> None:
    screen_fields({"title": series.title, "summary": series.summary})
    check_text_lengths(series)
    series.full_clean(exclude=["code", "created_by", "agency"])
    validate_sharing_group(actor, series.distribution, series.sharing_group)
    target = series.merged_into
    if target is not None and (target.pk == series.pk or not access.can_view(actor, target)):
        raise ValidationError({"merged_into": _("Choose another series you can see.")})


def series_create(
    *,
    actor: User,
    title: str,
    distribution: str,
    sharing_group: SharingGroup | None = None,
    first_seen: date | None = None,
    summary: str = "",
    status: str = SeriesStatus.ACTIVE,
) -> Series:
    """Create a series owned by the actor's agency, under a screened, neutral title."""
    require_casework_writer(actor)
    agency = actor.agency
    assert agency is not None  # require_casework_writer refuses actors without one
    series = Series(
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        distribution=distribution,
        sharing_group=sharing_group,
        first_seen=first_seen,
        status=status,
        agency=agency,
        owner_country=agency.country,
        created_by=actor,
    )
    _series_validate(actor, series)
    with transaction.atomic():
        series.code = next_code("SER", SERIES_CODE_SEQUENCE)
        series.save()
        still_visible_or_rollback(actor, series)
        audit_record(
            actor=actor,
            action=audit_actions.SERIES_CREATED,
            target=series,
            details={"code": series.code, "distribution": series.distribution},
        )
    return series


def series_update(*, actor: User, series: Series, version: int, **changes: Any) -> Series:
    """Change a series if ``version`` is still current (else VersionConflict); owner agency only."""
    access.require_editable(actor, series)
    updated = copy.copy(series)
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
    changed = apply_changes(updated, changes, SERIES_EDITABLE_FIELDS)
    _series_validate(actor, updated)
    with transaction.atomic():
        versioned_update(updated, version=version, fields=changed)
        still_visible_or_rollback(actor, updated)
        audit_record(
            actor=actor,
            action=audit_actions.SERIES_UPDATED,
            target=updated,
            details={"changed": changed, "version": updated.version},
        )
    return updated
