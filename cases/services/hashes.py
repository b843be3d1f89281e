"""Adding known hash values to a series: all or nothing, with deconfliction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases import access
from cases.choices import HashSource, VicsCategory
from cases.exceptions import HashConflict
from cases.hash_values import hash_value_normalise
from cases.models import DeconflictionNotice, KnownHash, Series
from cases.services.common import require_casework_writer
from victimid import audit_actions
from victimid.models import User
from victimid.services.audit import audit_record

__all__ = ["MAX_HASHES_PER_REQUEST", "TooManyHashes", "hash_batch_check", "known_hashes_add"]

MAX_HASHES_PER_REQUEST = 10_000


class TooManyHashes(ValidationError):
    """More entries than one request may carry (the API answers 413)."""


def hash_batch_check(entries: Sequence[Any], *, field: str, hint: str) -> None:
    """At least one entry and at most 10,000 (TooManyHashes, which the API answers 413)."""
    if not entries:
        raise ValidationError({field: _("Give at least one hash value.")})
    if len(entries) > MAX_HASHES_PER_REQUEST:
        raise TooManyHashes(
            {
                field: _("At most %(limit)d hash values per request (this has %(count)d); ")
                % {"limit": MAX_HASHES_PER_REQUEST, "count": len(entries)}
                + hint
            },
            code="too_many",
        )


def _entry_messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _normalise_entries(
    entries: Sequence[Mapping[str, Any]],
) -> list[tuple[str, str, int, bool]]:
    """(algorithm, value, vics_category, distributed) per entry; errors keyed by index."""
    problems: dict[int, list[str]] = {}
    normalised: list[tuple[str, str, int, bool]] = []
    first_index: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            problems[index] = [_("Each entry is an object with an algorithm and a value.")]
            continue
        messages: list[str] = []
        algorithm = str(entry.get("algorithm") or "").strip().lower()
        raw_value = entry.get("value")
        value = ""
        try:
            value = hash_value_normalise(algorithm, raw_value if isinstance(raw_value, str) else "")
        except ValidationError as exc:
            messages.extend(_entry_messages(exc))
        category = entry.get("vics_category", VicsCategory.UNCATEGORISED)
        if isinstance(category, bool) or category not in VicsCategory.values:
            messages.append(
                _("VICS category must be one of %(known)s.")
                % {"known": ", ".join(str(v) for v in VicsCategory.values)}
            )
        distributed = entry.get("distributed", False)
        if not isinstance(distributed, bool):
            messages.append(_("'distributed' must be true or false."))
        if not messages:
            key = (algorithm, value)
            if key in first_index:
                messages.append(
                    _("The same value is given twice in this request (also at entry %(first)d).")
                    % {"first": first_index[key]}
                )
            else:
                first_index[key] = index
        if messages:
            problems[index] = messages
        else:
            normalised.append((algorithm, value, int(category), distributed))
    if problems:
        raise ValidationError(
            {
                "entries": [
                    _("Entry %(index)d: %(problem)s") % {"index": index, "problem": message}
                    for index, messages in sorted(problems.items())
                    for message in messages
                ]
            },
            code="invalid_entries",
        )
    return normalised


def _record_deconfliction(*, actor: User, series: Series, existing: list[KnownHash]) -> None:
    """Record a notice for both owners; its own transaction, so it outlives the refusal."""
    notices = [
        DeconflictionNotice(
            algorithm=known.algorithm,
            value=known.value,
            existing_series=known.series,
            requesting_series=series,
            existing_agency_id=known.series.agency_id,
            requesting_agency_id=series.agency_id,
            requested_by=actor,
        )
        for known in existing
    ]
    with transaction.atomic():
        DeconflictionNotice.objects.bulk_create(notices, ignore_conflicts=True)
        for existing_series_id in sorted({known.series_id for known in existing}):
            holder = next(k.series for k in existing if k.series_id == existing_series_id)
            audit_record(
                actor=actor,
                action=audit_actions.DECONFLICTION_RECORDED,
                target=holder,
                details={
                    "requesting_series": series.code,
                    "requesting_agency": series.agency_id,
                    "existing_agency": holder.agency_id,
                    "values": sum(1 for k in existing if k.series_id == existing_series_id),
                },
            )


def known_hashes_add(
    *,
    actor: User,
    series: Series,
    entries: Sequence[Mapping[str, Any]],
    source: str = HashSource.MANUAL,
) -> list[KnownHash]:
    """Add up to 10,000 hash values to a series the actor's agency owns; all or nothing.

    A value already in another series is refused (HashConflict) and a deconfliction
    notice is recorded for both owning agencies, even though nothing is added. The
    notices commit in their own transaction: call this outside any atomic block of
    your own, or your rollback takes the notices with it.
    """
    require_casework_writer(actor)
    access.require_editable(actor, series)
    if source not in HashSource.values:
        raise ValidationError({"source": _("Unknown source.")})
    hash_batch_check(entries, field="entries", hint=_("split the list."))
    normalised = _normalise_entries(entries)
    try:
        return _known_hashes_insert(
            actor=actor, series=series, normalised=normalised, source=source
        )
    except IntegrityError:
        # Another request added one of these values between our lookup and our insert:
        # look again, so the caller gets the conflict (and the owners their notice).
        return _known_hashes_insert(
            actor=actor, series=series, normalised=normalised, source=source
        )


def _known_hashes_insert(
    *, actor: User, series: Series, normalised: list[tuple[str, str, int, bool]], source: str
) -> list[KnownHash]:
    # Every invalid entry was refused, so positions in ``normalised`` are request positions.
    index_of = {(algorithm, value): i for i, (algorithm, value, _c, _d) in enumerate(normalised)}
    by_algorithm: dict[str, list[str]] = {}
    for algorithm, value, _category, _distributed in normalised:
        by_algorithm.setdefault(algorithm, []).append(value)
    lookup = Q()
    for algorithm, values in by_algorithm.items():
        lookup |= Q(algorithm=algorithm, value__in=values)
    existing = list(KnownHash.objects.filter(lookup).select_related("series"))
    elsewhere = [known for known in existing if known.series_id != series.pk]
    if elsewhere:
        _record_deconfliction(actor=actor, series=series, existing=elsewhere)
        visible_codes = dict(
            access.restrict(
                Series.objects.filter(pk__in={k.series_id for k in elsewhere}), actor
            ).values_list("pk", "code")
        )
        conflicts = []
        for known in sorted(elsewhere, key=lambda k: index_of[(k.algorithm, k.value)]):
            conflict: dict[str, Any] = {
                "index": index_of[(known.algorithm, known.value)],
                "algorithm": known.algorithm,
                "value": known.value,
            }
            if known.series_id in visible_codes:
                conflict["series"] = visible_codes[known.series_id]
            conflicts.append(conflict)
        raise HashConflict(conflicts)
    if existing:
        raise ValidationError(
            {
                "entries": [
                    _("Entry %(index)d: this value is already in this series.")
                    % {"index": index_of[(known.algorithm, known.value)]}
                    for known in sorted(existing, key=lambda k: index_of[(k.algorithm, k.value)])
                ]
            },
            code="already_in_series",
        )
    rows = [
        KnownHash(
            series=series,
            algorithm=algorithm,
            value=value,
            vics_category=category,
            distributed=distributed,
            submitting_agency_id=series.agency_id,  # only the owning agency adds hashes
            source=source,
        )
        for algorithm, value, category, distributed in normalised
    ]
    with transaction.atomic():
        created = KnownHash.objects.bulk_create(rows, batch_size=2000)
        audit_record(
            actor=actor,
            action=audit_actions.HASHES_ADDED,
            target=series,
            details={"count": len(created), "source": source},
        )
    return created
