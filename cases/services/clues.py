"""Writing clues: create, update under optimistic locking, delete while unassessed."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from cases import access
from cases.choices import ClueStatus, Confidence
from cases.models import Assessment, Clue, ClueCountryHypothesis, ClueTaxonomyNode, Series
from cases.models.clues import country_given_twice_message, repeated_countries
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
from victimid.jobs import enqueue_after_commit
from victimid.models import SharingGroup, User
from victimid.services.audit import audit_record

__all__ = [
    "CLUE_EDITABLE_FIELDS",
    "clue_create",
    "clue_delete",
    "clue_has_assessments",
    "clue_update",
    "country_confidence_problem",
    "languages_normalise",
    "country_hypotheses_normalise",
]

CLUE_EDITABLE_FIELDS = {
    "taxonomy_node",
    "title",
    "description",
    "languages",
    "place_text",
    "latitude",
    "longitude",
    "radius_km",
    "time_from",
    "time_to",
    "distribution",
    "sharing_group",
    "status",
}
MAX_COUNTRY_HYPOTHESES = 20
# After a clue is written, a worker looks for related clues in other series
# (``cases.services.correlation``); a change to anything it compares looks again.
CORRELATE_TASK = "cases.tasks.correlate_clue"
CORRELATED_FIELDS = {
    "taxonomy_node",
    "title",
    "description",
    "languages",
    "country_hypotheses",
    "latitude",
    "longitude",
    "radius_km",
    "series",
    "status",
}


def languages_normalise(languages: Iterable[str]) -> list[str]:
    """ISO 639-3 codes, lower-case, each once; ValidationError naming the unknown ones."""
    normalised: list[str] = []
    unknown: list[str] = []
    for raw in languages:
        code = str(raw or "").strip().lower()
        if len(code) != 3 or pycountry.languages.get(alpha_3=code) is None:
            unknown.append(str(raw))
        elif code not in normalised:
            normalised.append(code)
    if unknown:
        raise ValidationError(
            {
                "languages": _("Unknown ISO 639-3 language code(s): %(codes)s.")
                % {"codes": ", ".join(unknown)}
            }
        )
    return normalised


def country_hypotheses_normalise(
    hypotheses: Iterable[Sequence[str]],
) -> list[tuple[str, str]]:
    """(ISO 3166-1 alpha-2, confidence) pairs, upper-case, each country once."""
    pairs: list[tuple[str, str]] = []
    problems: list[str] = []
    items = list(hypotheses)
    repeated = set(repeated_countries(_country_of(item) for item in items))
    for position, item in enumerate(items):
        try:
            raw_country, confidence = item
        except (TypeError, ValueError):
            problems.append(_("Give each country hypothesis as a country code and a confidence."))
            continue
        country = str(raw_country or "").strip().upper()
        problem = country_confidence_problem(raw_country, confidence)
        if problem:
            problems.append(problem)
        elif position in repeated:
            problems.append(country_given_twice_message(country))
        else:
            pairs.append((country, confidence))
    if len(pairs) > MAX_COUNTRY_HYPOTHESES:
        problems.append(
            _("At most %(limit)d country hypotheses.") % {"limit": MAX_COUNTRY_HYPOTHESES}
        )
    if problems:
        raise ValidationError({"country_hypotheses": problems})
    return pairs


def country_confidence_problem(raw_country: object, confidence: object) -> str | None:
    """What is wrong with a (country, confidence) pair, in words; None when nothing is."""
    country = str(raw_country or "").strip().upper()
    if len(country) != 2 or not countries.alpha2(country):
        return str(_("Unknown country code %(code)s.") % {"code": raw_country})
    if confidence not in Confidence.values:
        return str(
            _("Confidence for %(code)s must be one of %(known)s.")
            % {"code": country, "known": ", ".join(Confidence.values)}
        )
    return None


def _country_of(item: object) -> str:
    """The country code of one hypothesis as given (a pair), or "" when it is not a pair."""
    if isinstance(item, list | tuple) and len(item) == 2:
        return str(item[0] or "")
    return ""


def clue_has_assessments(clue: Clue) -> bool:
    """Has anyone assessed this clue? A clue that has been assessed is never deleted.

    Every assessment counts, whoever may see it: deleting the clue would take from its
    assessors what they said of it.
    """
    return Assessment.objects.filter(clue_id=clue.pk).exists()


def _coordinate(value: Decimal | float | str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return value  # type: ignore[return-value]  # full_clean names the field


def _clue_validate(actor: User, clue: Clue) -> None:
    clue.latitude = _coordinate(clue.latitude)
    clue.longitude = _coordinate(clue.longitude)
    screen_fields(
        {"title": clue.title, "description": clue.description, "place_text": clue.place_text}
    )
    check_text_lengths(clue)
    # Clue.clean() names the field of every constraint (dates, point, sharing group).
    clue.full_clean(exclude=["created_by", "agency", "series", "search_vector"])
    validate_sharing_group(actor, clue.distribution, clue.sharing_group)


def _hypotheses_write(clue: Clue, pairs: list[tuple[str, str]]) -> None:
    ClueCountryHypothesis.objects.filter(clue=clue).delete()
    ClueCountryHypothesis.objects.bulk_create(
        ClueCountryHypothesis(clue=clue, country=country, confidence=confidence)
        for country, confidence in pairs
    )


def clue_create(
    *,
    actor: User,
    series: Series,
    taxonomy_node: ClueTaxonomyNode,
    title: str,
    description: str,
    distribution: str,
    languages: Iterable[str] = (),
    country_hypotheses: Iterable[Sequence[str]] = (),
    place_text: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    radius_km: int | None = None,
    time_from: date | None = None,
    time_to: date | None = None,
    sharing_group: SharingGroup | None = None,
    status: str = ClueStatus.OPEN,
) -> Clue:
    """Post a clue on a series the actor can see; the clue belongs to the actor's agency.

    Any investigator who can see a series may add what they noticed in it: the clue is
    their agency's record, with its own distribution, and only they change it.
    """
    require_casework_writer(actor)
    access.require_visible(actor, series)
    agency = actor.agency
    assert agency is not None  # require_casework_writer refuses actors without one
    errors: dict[str, Any] = {}
    try:
        normalised_languages = languages_normalise(languages)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        normalised_languages = []
    try:
        pairs = country_hypotheses_normalise(country_hypotheses)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        pairs = []
    clue = Clue(
        series=series,
        taxonomy_node=taxonomy_node,
        title=(title or "").strip(),
        description=(description or "").strip(),
        languages=normalised_languages,
        place_text=(place_text or "").strip(),
        latitude=latitude,
        longitude=longitude,
        radius_km=radius_km,
        time_from=time_from,
        time_to=time_to,
        status=status,
        distribution=distribution,
        sharing_group=sharing_group,
        agency=agency,
        owner_country=agency.country,
        created_by=actor,
    )
    try:
        _clue_validate(actor, clue)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        clue.save()
        _hypotheses_write(clue, pairs)
        still_visible_or_rollback(actor, clue)
        audit_record(
            actor=actor,
            action=audit_actions.CLUE_CREATED,
            target=clue,
            details={"series": series.code, "distribution": clue.distribution},
        )
        enqueue_after_commit(CORRELATE_TASK, clue.pk)
    return clue


def clue_update(*, actor: User, clue: Clue, version: int, **changes: Any) -> Clue:
    """Change a clue if ``version`` is still current; country hypotheses replaced when given."""
    access.require_editable(actor, clue)
    hypotheses = changes.pop("country_hypotheses", None)
    errors: dict[str, Any] = {}
    pairs: list[tuple[str, str]] | None = None
    if hypotheses is not None:
        try:
            pairs = country_hypotheses_normalise(hypotheses)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if "languages" in changes:
        try:
            changes["languages"] = languages_normalise(changes["languages"] or ())
        except ValidationError as exc:
            errors.update(exc.message_dict)
            changes.pop("languages")
    for text_field in ("title", "description", "place_text"):
        if text_field in changes:
            changes[text_field] = (changes[text_field] or "").strip()
    updated = copy.copy(clue)
    changed = apply_changes(updated, changes, CLUE_EDITABLE_FIELDS)
    try:
        _clue_validate(actor, updated)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        versioned_update(updated, version=version, fields=changed)
        if pairs is not None:
            _hypotheses_write(updated, pairs)
            changed = sorted([*changed, "country_hypotheses"])
        still_visible_or_rollback(actor, updated)
        audit_record(
            actor=actor,
            action=audit_actions.CLUE_UPDATED,
            target=updated,
            details={"changed": changed, "version": updated.version},
        )
        if set(changed) & CORRELATED_FIELDS:
            enqueue_after_commit(CORRELATE_TASK, updated.pk)
    return updated


def clue_delete(*, actor: User, clue: Clue) -> None:
    """Delete a clue: only its author's agency, and only while nobody has assessed it."""
    access.require_editable(actor, clue)
    if clue_has_assessments(clue):
        raise PermissionDenied(
            _("This clue has been assessed; it can be discarded but no longer deleted.")
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=audit_actions.CLUE_DELETED,
            target=clue,
            details={"series": clue.series.code},
        )
        Clue.objects.filter(pk=clue.pk).delete()
