"""Which probe values are known, and what a reader may learn of the series holding them.

Set-based: one query finds every known value among the probes, one judges the series
they are in through the access policy (once per series), one more reads the visible
series with their owning agency, one counts their children grouped by series, and one
reads the active claims on all of them. Nothing here reads per value or per series.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from cases import access
from cases.hash_values import hash_value_text, sql_hash_digest
from cases.models import Claim, KnownHash, Series
from cases.selectors.victims import series_identification_counts_of
from victimid.models import User

__all__ = ["KnownMatch", "SeriesFacts", "known_matches", "series_facts"]


@dataclass(frozen=True)
class KnownMatch:
    """One probe value found in the known set; ``series_id`` is for the caller's use only.

    When ``visible`` is False the reader may learn nothing but that the value is known:
    the series id is there so the owning agency can be told, never to be shown.
    """

    algorithm: str
    value: str
    series_id: int
    owning_agency_id: int
    vics_category: int
    visible: bool


@dataclass(frozen=True)
class SeriesFacts:
    """What a reader who may see a series learns of it from a lookup."""

    code: str
    title: str
    status: str
    children: int
    identified: int
    safeguarded: int
    agencies: tuple[dict[str, str], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "status": self.status,
            "identification": {
                "children": self.children,
                "identified": self.identified,
                "safeguarded": self.safeguarded,
            },
            "agencies": [dict(agency) for agency in self.agencies],
        }


def known_matches(
    *, actor: User, probes: Mapping[str, Iterable[str]]
) -> dict[tuple[str, str], KnownMatch]:
    """The known values among ``probes`` (algorithm → normalised values), in two queries.

    One round trip finds every known value: the probes go as one text parameter per
    algorithm, split and decoded to digest bytes in SQL, each probing the unique index.
    Visibility is then judged once per distinct series through the access policy (a hash value
    follows its series: ``cases.access.rules``), not once per value.
    """
    # One text parameter per algorithm (its values joined by commas, which neither hex nor
    # base64 holds): sending 10,000 array elements cost more than the lookup itself.
    algorithms: list[str] = []
    joined: list[str] = []
    for algorithm, values in probes.items():
        values = [value for value in values if value]
        if values:
            algorithms.append(algorithm)
            joined.append(",".join(values))
    if not joined:
        return {}
    with connection.cursor() as cursor:
        # LATERAL ... LIMIT 1 (a value is in the known set once) keeps the plan to one
        # index probe per value: a hash join would read the whole known set.
        cursor.execute(
            "SELECT k.algorithm, k.value, k.series_id, s.agency_id, k.vics_category"  # noqa: S608
            " FROM unnest(%s::text[], %s::text[]) AS a(algorithm, joined)"
            " CROSS JOIN LATERAL unnest(string_to_array(a.joined, ',')) AS p(value)"
            " CROSS JOIN LATERAL ("
            "  SELECT k.algorithm, k.value, k.series_id, k.vics_category"
            f"  FROM {KnownHash._meta.db_table} k"
            "  WHERE k.algorithm = a.algorithm"
            f"  AND k.value = {sql_hash_digest('a.algorithm', 'p.value')} LIMIT 1"
            " ) AS k"
            f" JOIN {Series._meta.db_table} s ON s.id = k.series_id",
            [algorithms, joined],
        )
        rows = cursor.fetchall()
    series_ids = {row[2] for row in rows}
    visible = (
        set(
            access.restrict(Series.objects.filter(pk__in=series_ids), actor).values_list(
                "pk", flat=True
            )
        )
        if series_ids
        else set()
    )
    matches: dict[tuple[str, str], KnownMatch] = {}
    for algorithm, digest, series_id, agency_id, category in rows:
        value = hash_value_text(digest)
        matches[(algorithm, value)] = KnownMatch(
            algorithm, value, series_id, agency_id, category, series_id in visible
        )
    return matches


def series_facts(*, actor: User, series_ids: Iterable[int]) -> dict[int, SeriesFacts]:
    """Code, title, status, identification counts and the agencies working visible series.

    Series the reader may not see are left out (the policy narrows the query), so a
    caller that passes a hidden id by mistake still shows nothing of it. Three queries
    whatever the number of series: the visible series, their identification counts
    (grouped by series, ``series_identification_counts_of``), the active claims on them.

    The agencies working a series are its owning agency (role ``owner``) and every agency
    with an active claim on it (not withdrawn, not expired; role ``claim``), each once with
    its contact: a claim's contact point, else the owning agency's 24/7 contact point.
    """
    ids = set(series_ids)
    if not ids:
        return {}
    rows = list(
        access.restrict(Series.objects.filter(pk__in=ids), actor)
        .select_related("agency")
        .order_by()
    )
    visible_ids = [series.pk for series in rows]
    counts = series_identification_counts_of(actor=actor, series_ids=visible_ids)
    working = _working_agencies(actor=actor, series=rows)
    facts: dict[int, SeriesFacts] = {}
    for series in rows:
        children, identified, safeguarded = counts.get(series.pk, (0, 0, 0))
        facts[series.pk] = SeriesFacts(
            code=series.code,
            title=series.title,
            status=series.status,
            children=children,
            identified=identified,
            safeguarded=safeguarded,
            agencies=working[series.pk],
        )
    return facts


def _working_agencies(
    *, actor: User, series: list[Series]
) -> dict[int, tuple[dict[str, str], ...]]:
    """Per visible series: its owner, then the agencies claiming it, oldest claim first.

    One query for the claims on every series given, through the access policy (a claim
    is seen with its series). The owner's own active claim gives the owner's contact.
    """
    if not series:
        return {}
    claims = (
        access.restrict(
            Claim.objects.filter(
                series_id__in=[row.pk for row in series],
                withdrawn_at__isnull=True,
                expires_on__gte=timezone.localdate(),
            ),
            actor,
        )
        .select_related("agency")
        .order_by("series_id", "created_at", "pk")
    )
    by_series: dict[int, list[Claim]] = {}
    for claim in claims:
        by_series.setdefault(claim.series_id, []).append(claim)
    working: dict[int, tuple[dict[str, str], ...]] = {}
    for row in series:
        claimed = by_series.get(row.pk, [])
        owner_contact = next(
            (claim.contact for claim in claimed if claim.agency_id == row.agency_id),
            row.agency.contact_point,
        )
        agencies = [_agency_entry(row.agency, "owner", owner_contact)]
        agencies += [
            _agency_entry(claim.agency, "claim", claim.contact)
            for claim in claimed
            if claim.agency_id != row.agency_id
        ]
        working[row.pk] = tuple(agencies)
    return working


def _agency_entry(agency: Any, role: str, contact: str) -> dict[str, str]:
    return {
        "name": agency.name,
        "country": agency.country.code,
        "contact_point": contact,
        "role": role,
    }
