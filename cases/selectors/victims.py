"""Reading victims and their identification log; everything derived in SQL.

A victim's current status comes from the events that stand (neither a correction nor
corrected): safeguarded, else identified, else provisionally identified, else not yet
identified. Summaries and durations are aggregates and subqueries over the same rule,
always restricted to what the reader may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from cases import access
from cases.choices import IdentificationEventKind, VictimStatus
from cases.models import IdentificationEvent, Series, SeriesFollower, Victim, VictimSeries
from victimid import audit_actions
from victimid.gate import has_casework_access
from victimid.models import User
from victimid.services.audit import audit_record

__all__ = [
    "series_identification_counts",
    "series_identification_counts_of",
    "series_identification_summary",
    "series_is_followed",
    "victim_events",
    "victim_get",
    "victim_list",
    "victim_log_position",
    "victim_status_expression",
    "victims_visible",
]

Kind = IdentificationEventKind


def _standing(kind: str, victim_ref: str) -> QuerySet[IdentificationEvent]:
    """Events of ``kind`` of the outer victim that stand (no correction points at them)."""
    return IdentificationEvent.objects.filter(
        victim_id=OuterRef(victim_ref), kind=kind, correction__isnull=True
    )


def victim_status_expression(victim_ref: str = "pk") -> Case:
    """SQL for the current status of the victim whose id is the outer ``victim_ref``."""
    return Case(
        When(Exists(_standing(Kind.SAFEGUARDED, victim_ref)), then=Value(VictimStatus.SAFEGUARDED)),
        When(Exists(_standing(Kind.IDENTIFIED, victim_ref)), then=Value(VictimStatus.IDENTIFIED)),
        When(
            Exists(_standing(Kind.PROVISIONALLY_IDENTIFIED, victim_ref)),
            then=Value(VictimStatus.PROVISIONALLY_IDENTIFIED),
        ),
        default=Value(VictimStatus.UNIDENTIFIED),
        output_field=CharField(),
    )


def _first_date(kind: str, victim_ref: str = "pk") -> Subquery:
    return Subquery(_standing(kind, victim_ref).order_by("occurred_on").values("occurred_on")[:1])


def victims_visible(*, actor: User) -> QuerySet[Victim]:
    """The victims ``actor`` may see, with their current status and visible series."""
    if not has_casework_access(actor) or actor.agency_id is None:
        return Victim.objects.none()
    return (
        Victim.objects.visible_to(actor)
        .annotate(current_status=victim_status_expression())
        .select_related("agency", "sharing_group")
        .prefetch_related(
            Prefetch(
                "series_links",
                queryset=VictimSeries.objects.filter(access.visibility_q(actor, Series, "series__"))
                .select_related("series")
                .order_by("series__code"),
                to_attr="visible_series_links",
            )
        )
    )


def victim_list(
    *, actor: User, series_code: str | None = None, status: str | None = None
) -> QuerySet[Victim]:
    """Visible victims, optionally of one (visible) series and in one status; recorded."""
    victims = victims_visible(actor=actor)
    if status:
        if status not in VictimStatus.values:
            raise ValidationError({"status": [_("Unknown status %(s)s.") % {"s": status}]})
        victims = victims.filter(current_status=status)  # type: ignore[misc]
    if series_code:
        victims = victims.filter(
            Exists(
                VictimSeries.objects.filter(
                    victim_id=OuterRef("pk"),
                    series__in=Series.objects.visible_to(actor).filter(code=series_code),
                )
            )
        )
    audit_record(
        actor=actor,
        action=audit_actions.VICTIMS_LISTED,
        details={"series": series_code or "", "status": status or ""},
    )
    return victims


def victim_get(*, actor: User, code: str, audit: bool = True) -> Victim:
    """One victim by code; Http404 unless ``actor`` may see it. The view is audited."""
    victim = victims_visible(actor=actor).filter(code=str(code).strip().upper()).first()
    if victim is None:
        raise Http404
    if audit:
        audit_record(actor=actor, action=audit_actions.VICTIM_VIEWED, target=victim)
    return victim


def victim_events(
    *, actor: User, victim: Victim, audit: bool = False
) -> QuerySet[IdentificationEvent]:
    """The victim's log as ``actor`` may see it, each event marked when corrected; audited
    as a reading of the log when ``audit`` (the child's page records one view instead)."""
    if audit:
        audit_record(actor=actor, action=audit_actions.IDENTIFICATION_EVENTS_LISTED, target=victim)
    return (
        IdentificationEvent.objects.visible_to(actor)
        .filter(victim=victim)
        .annotate(
            is_corrected=Exists(IdentificationEvent.objects.filter(corrects_id=OuterRef("pk")))
        )
        .select_related("agency", "recorded_by", "corrects", "correction", "victim")
    )


def victim_log_position(*, actor: User, victim: Victim) -> int:
    """Where the victim's log stands: the id of its newest event (0 while it is empty).

    A recorder confirms against this position; ``identification_event_record`` refuses
    to append when the log has grown since (``seen_up_to``).
    """
    newest = (
        IdentificationEvent.objects.visible_to(actor)
        .filter(victim=victim)
        .aggregate(newest=Max("pk"))["newest"]
    )
    return int(newest or 0)


def series_identification_summary(*, actor: User, series: Series) -> dict[str, Any]:
    """Children, identified, safeguarded and first identification date in one series.

    Only children ``actor`` may see are counted, so the summary discloses nothing the
    victim list would not.
    """
    if not access.can_view(actor, series):
        raise PermissionDenied(_("You cannot see this series."))
    identified = Q(status__in=[VictimStatus.IDENTIFIED, VictimStatus.SAFEGUARDED])
    totals = (
        Victim.objects.visible_to(actor)
        .filter(Exists(VictimSeries.objects.filter(victim_id=OuterRef("pk"), series=series)))
        .annotate(
            status=victim_status_expression(),
            first_identification=_first_date(Kind.IDENTIFIED),
        )
        .aggregate(
            children=Count("pk"),
            identified=Count("pk", filter=identified),
            safeguarded=Count("pk", filter=Q(status=VictimStatus.SAFEGUARDED)),
            provisionally_identified=Count(
                "pk", filter=Q(status=VictimStatus.PROVISIONALLY_IDENTIFIED)
            ),
            first_identified_on=Min("first_identification"),
        )
    )
    return {
        "series_code": series.code,
        "children": totals["children"],
        "identified": totals["identified"],
        "safeguarded": totals["safeguarded"],
        "provisionally_identified": totals["provisionally_identified"],
        "not_identified": totals["children"] - totals["identified"],
        "first_identified_on": totals["first_identified_on"],
        "all_identified": totals["children"] > 0 and totals["children"] == totals["identified"],
    }


def series_identification_counts(*, actor: User) -> dict[str, Coalesce]:
    """Annotations for a series queryset: visible children, identified, safeguarded.

    The same rule as ``series_identification_summary``, as correlated subqueries, so a
    list of series gets its progress in its own query instead of one query per row.
    """
    children = (
        Victim.objects.visible_to(actor)
        .filter(
            Exists(
                VictimSeries.objects.filter(
                    victim_id=OuterRef("pk"), series=OuterRef(OuterRef("pk"))
                )
            )
        )
        .annotate(progress_status=victim_status_expression())
    )
    identified = [VictimStatus.IDENTIFIED, VictimStatus.SAFEGUARDED]
    return {
        "children": _count(children),
        "identified": _count(children.filter(progress_status__in=identified)),
        "safeguarded": _count(children.filter(progress_status=VictimStatus.SAFEGUARDED)),
    }


def series_identification_counts_of(
    *, actor: User, series_ids: Iterable[int]
) -> dict[int, tuple[int, int, int]]:
    """(children, identified, safeguarded) per series id, in one grouped query.

    The same numbers as ``series_identification_counts`` (children ``actor`` may see,
    by their current status), set-based: the appearances of visible children in the
    given series, grouped by series, instead of three correlated counts per series.
    A series with no visible child is absent (the caller reads it as zeros).
    """
    ids = set(series_ids)
    if not ids:
        return {}
    # The status's first two steps only (``victim_status_expression``: safeguarded, then
    # identified), each tested once per appearance: what decides these two counts. The
    # whole expression was evaluated once per count, and its third step (provisionally
    # identified, which counts in neither) looked up for every child not yet identified.
    rows = (
        VictimSeries.objects.filter(
            series_id__in=ids, victim__in=Victim.objects.visible_to(actor).values("pk")
        )
        .annotate(
            is_safeguarded=Exists(_standing(Kind.SAFEGUARDED, "victim_id")),
            is_identified=Exists(_standing(Kind.IDENTIFIED, "victim_id")),
        )
        .order_by()
        .values("series_id")
        .annotate(
            children=Count("victim_id"),
            identified=Count("victim_id", filter=Q(is_safeguarded=True) | Q(is_identified=True)),
            safeguarded=Count("victim_id", filter=Q(is_safeguarded=True)),
        )
        .values_list("series_id", "children", "identified", "safeguarded")
    )
    # One row per (victim, series) (``victim_series_once``): COUNT needs no DISTINCT.
    return {series_id: (children, ident, safe) for series_id, children, ident, safe in rows}


def _count(victims: QuerySet[Victim]) -> Coalesce:
    """COUNT(*) of ``victims`` as a scalar subquery."""
    counted = victims.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def series_is_followed(*, actor: User, series: Series) -> bool:
    """Does ``actor`` follow this series?"""
    return SeriesFollower.objects.filter(user=actor, series=series).exists()
