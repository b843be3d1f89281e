"""Assessing a clue: a verdict, where it points, a comment; its author and followers told."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import access
from cases.choices import Confidence, Verdict
from cases.models import Assessment, AssessmentAttribution, Clue
from cases.models.assessments import MAX_ATTRIBUTIONS
from cases.models.clues import country_given_twice_message
from cases.screening import screening_problems
from cases.services.clues import country_confidence_problem
from cases.services.common import check_text_lengths, require_casework_writer
from cases.services.routing import routing_answer, routing_lock_open
from victimid import audit_actions
from victimid.models import NotificationKind, User
from victimid.services.audit import audit_record
from victimid.services.notifications import notifications_create

__all__ = ["assessment_create", "attributions_normalise", "clue_watchers"]

PLACE_MAX_LENGTH = 200


def attributions_normalise(
    attributions: Iterable[Sequence[str] | dict[str, str]],
) -> list[tuple[str, str, str]]:
    """(country, place, confidence) triples: known countries, each once, places screened."""
    triples: list[tuple[str, str, str]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for item in attributions:
        if isinstance(item, dict):
            raw_country = item.get("country", "")
            place = item.get("place_text", "")
            confidence = item.get("confidence", Confidence.MEDIUM)
        else:
            try:
                raw_country, place, confidence = item
            except (TypeError, ValueError):
                problems.append(_("Give each attribution as a country, a place and a confidence."))
                continue
        country = str(raw_country or "").strip().upper()
        place = str(place or "").strip()
        problem = country_confidence_problem(raw_country, confidence)
        if problem:
            problems.append(problem)
        elif country in seen:
            problems.append(country_given_twice_message(country))
        elif len(place) > PLACE_MAX_LENGTH:
            problems.append(
                _("The place for %(code)s is longer than %(limit)d characters.")
                % {"code": country, "limit": PLACE_MAX_LENGTH}
            )
        else:
            problems.extend(screening_problems(place))
            seen.add(country)
            triples.append((country, place, str(confidence)))
    if len(triples) > MAX_ATTRIBUTIONS:
        problems.append(_("At most %(limit)d attributions.") % {"limit": MAX_ATTRIBUTIONS})
    if problems:
        raise ValidationError({"attributions": problems})
    return triples


def assessment_create(
    *,
    actor: User,
    clue: Clue,
    verdict: str,
    attributions: Iterable[Sequence[str] | dict[str, str]] = (),
    comment: str = "",
    notify: bool = True,
) -> Assessment:
    """Assess a clue the actor may see; its author and its series' followers are told.

    Anyone with casework access who may see the clue may assess it, from any country:
    that is the point of sharing it. An assessment by the asked country's coordinator (or
    the investigator they passed it to) answers that country's open routing requests.
    "Not recognised" carries no attribution (the assessor does not know where it points).
    """
    require_casework_writer(actor)
    access.require_visible(actor, clue)
    agency = actor.agency
    assert agency is not None  # require_casework_writer refuses actors without one
    errors: dict[str, Any] = {}
    if verdict not in Verdict.values:
        errors["verdict"] = [_("Choose one of %(known)s.") % {"known": ", ".join(Verdict.values)}]
    try:
        triples = attributions_normalise(attributions)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        triples = []
    if verdict == Verdict.NOT_RECOGNISED and triples:
        errors.setdefault("attributions", []).append(
            _("An assessor who does not recognise the clue attributes it to no country.")
        )
    comment = (comment or "").strip()
    assessment = Assessment(
        clue=clue,
        assessor=actor,
        agency=agency,
        assessor_country=agency.country,
        verdict=verdict,
        comment=comment,
    )
    comment_problems = screening_problems(comment)
    if comment_problems:
        errors["comment"] = comment_problems
    try:
        check_text_lengths(assessment)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The clue's open requests first: answering one writes audit events, and the audit
        # chain's lock is held to the commit; a withdrawal locks the request before its
        # own audit event. Taken in another order the two deadlock.
        routing_lock_open(clue)
        assessment.save()
        AssessmentAttribution.objects.bulk_create(
            AssessmentAttribution(
                assessment=assessment, country=country, place_text=place, confidence=confidence
            )
            for country, place, confidence in triples
        )
        audit_record(
            actor=actor,
            action=audit_actions.CLUE_ASSESSED,
            target=clue,
            details={
                "assessment": assessment.pk,
                "verdict": verdict,
                "countries": [country for country, _place, _confidence in triples],
            },
        )
        answered = routing_answer(actor=actor, assessment=assessment)
        if notify:
            # An asker whose request this answers hears it as an answer, not twice.
            told = {request.asked_by_id for request in answered}
            _notify_assessed(actor=actor, clue=clue, assessment=assessment, told=told)
    return assessment


def clue_watchers(clue: Clue) -> list[User]:
    """Who hears of a clue: its author and its series' followers, while they may see it
    and its series."""
    candidates = {clue.created_by_id: clue.created_by}
    followers = User.objects.filter(
        followed_series__series_id=clue.series_id, is_active=True
    ).select_related("agency")
    candidates.update({user.pk: user for user in followers})
    # The series too: a routed clue is seen without its series, and what they are told
    # names it (a follower who sees the clue only through a routing request hears nothing).
    return [
        user
        for user in candidates.values()
        if user.is_active and access.can_view(user, clue) and access.can_view(user, clue.series)
    ]


def _notify_assessed(*, actor: User, clue: Clue, assessment: Assessment, told: set[int]) -> None:
    """The author and followers who may see the clue hear of it; nobody else does.

    The text names the clue, its series and the assessor's agency: each recipient may
    see the clue and so its series code, title and assessments.
    """
    recipients = [
        user for user in clue_watchers(clue) if user.pk != actor.pk and user.pk not in told
    ]
    if not recipients:
        return
    message = _(
        "Clue “%(title)s” (series %(series)s) was assessed by %(agency)s (%(country)s): "
        "%(verdict)s."
    ) % {
        "title": clue.title,
        "series": clue.series.code,
        "agency": assessment.agency.name,
        "country": assessment.assessor_country.code,
        "verdict": Verdict(assessment.verdict).label.lower(),
    }
    notifications_create(
        recipients=recipients,
        kind=NotificationKind.CLUE_ASSESSED,
        subject_type="clue",
        subject_ref=str(clue.pk),
        message=message,
    )
