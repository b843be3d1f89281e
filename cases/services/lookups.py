"""Looking hash values up: "is this already known, and what became of the child?"

A lookup reads the known set and never adds to it. The audit event keeps counts, never
the values asked about. When a value is known in a series the asker may not see, they
learn "known, restricted" and nothing else, and the owning agency is told who asked
(once per asking agency, series and day) so the two can talk.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import HashAlgorithm
from cases.hash_values import hash_probe_normalise
from cases.models import RestrictedLookupNotice, Series
from cases.selectors.lookups import KnownMatch, known_matches, series_facts
from cases.services.common import casework_users, require_casework_writer
from cases.services.hashes import hash_batch_check
from victimid import audit_actions
from victimid.models import NotificationKind, User
from victimid.services.audit import audit_record
from victimid.services.notifications import notifications_create

__all__ = [
    "KNOWN",
    "KNOWN_RESTRICTED",
    "NEW",
    "hashes_lookup",
    "lookup_counts",
    "restricted_lookups_notify",
]

KNOWN = "known"
MAX_CODES_NAMED = 10
KNOWN_RESTRICTED = "known_restricted"
NEW = "new"


def _probes(entries: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(value as given, candidate (algorithm, stored form) pairs) per entry; 400 names bad ones."""
    problems: list[str] = []
    probes: list[tuple[str, list[tuple[str, str]]]] = []
    for index, entry in enumerate(entries):
        raw = entry.get("value") if isinstance(entry, Mapping) else None
        algorithm = str((entry.get("algorithm") if isinstance(entry, Mapping) else "") or "")
        algorithm = algorithm.strip().lower()
        if not isinstance(raw, str) or not raw.strip():
            problems.append(_("Entry %(index)d: give a value.") % {"index": index})
            continue
        if algorithm and algorithm not in HashAlgorithm.values:
            problems.append(
                _("Entry %(index)d: unknown algorithm; use one of %(known)s.")
                % {"index": index, "known": ", ".join(HashAlgorithm.values)}
            )
            continue
        try:
            probes.append((raw.strip(), hash_probe_normalise(raw, algorithm)))
        except ValidationError as error:
            problems.extend(
                _("Entry %(index)d: %(problem)s") % {"index": index, "problem": message}
                for message in error.messages
            )
    if problems:
        raise ValidationError({"values": problems}, code="invalid_values")
    return probes


def _best(candidates: list[tuple[str, str]], matches: Mapping[tuple[str, str], KnownMatch]):
    """The match of an entry: a visible one before a restricted one; None when new."""
    found = [matches[pair] for pair in candidates if pair in matches]
    found.sort(key=lambda match: not match.visible)
    return found[0] if found else None


def hashes_lookup(*, actor: User, entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One answer per entry, in order: known (with what the actor may see), restricted, new.

    A fixed number of queries whatever the number of values (the known values, their
    series' visibility, the visible series with their counts, the active claims on them,
    the notices), plus the notifications of notices that are new today.
    """
    require_casework_writer(actor)
    hash_batch_check(entries, field="values", hint=_("start a triage job for a whole seizure."))
    probes = _probes(entries)
    by_algorithm: dict[str, set[str]] = {}
    for _raw, candidates in probes:
        for algorithm, value in candidates:
            by_algorithm.setdefault(algorithm, set()).add(value)
    matches = known_matches(actor=actor, probes=by_algorithm)
    facts = series_facts(
        actor=actor, series_ids={match.series_id for match in matches.values() if match.visible}
    )
    answers: list[dict[str, Any]] = []
    restricted: Counter[int] = Counter()
    owners: dict[int, int] = {}
    for raw, candidates in probes:
        match = _best(candidates, matches)
        if match is not None and match.visible and match.series_id in facts:
            answers.append(
                {
                    "value": raw,
                    "status": KNOWN,
                    "algorithm": match.algorithm,
                    "vics_category": match.vics_category,
                    "series": facts[match.series_id].as_dict(),
                }
            )
        elif match is not None:
            # Known, restricted: nothing else, not even the algorithm it matched under.
            answers.append({"value": raw, "status": KNOWN_RESTRICTED})
            restricted[match.series_id] += 1
            owners[match.series_id] = match.owning_agency_id
        else:
            algorithms = {algorithm for algorithm, _value in candidates}
            answers.append(
                {
                    "value": raw,
                    "status": NEW,
                    "algorithm": candidates[0][0] if len(algorithms) == 1 else None,
                }
            )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=audit_actions.HASHES_LOOKED_UP,
            details={"values": len(answers), **lookup_counts(answers)},
        )
        restricted_lookups_notify(actor=actor, restricted=restricted)
    return answers


def restricted_lookups_notify(*, actor: User, restricted: Mapping[int, int]) -> int:
    """Tell the owners of series the actor may not see that the actor's agency asked.

    ``restricted`` maps series ids to how many asked values they hold. At most one notice
    per asking agency, series and day: the unique constraint decides, so two lookups at
    once still notify once. Returns how many series were notified now. Call inside the
    caller's transaction.
    """
    if not restricted or actor.agency_id is None:
        return 0
    day = timezone.now().date()
    series_ids = sorted(restricted)
    with connection.cursor() as cursor:
        # ON CONFLICT ... RETURNING tells exactly which notices are new today.
        cursor.execute(
            f"INSERT INTO {RestrictedLookupNotice._meta.db_table}"  # noqa: S608
            " (asking_agency_id, asked_by_id, series_id, day, value_count, created_at)"
            " SELECT %s, %s, s.id, %s, c.n, now()"
            " FROM unnest(%s::bigint[], %s::int[]) AS c(series_id, n)"
            " JOIN cases_series s ON s.id = c.series_id"
            " ON CONFLICT (asking_agency_id, series_id, day) DO NOTHING RETURNING series_id",
            [
                actor.agency_id,
                actor.pk,
                day,
                series_ids,
                [restricted[pk] for pk in series_ids],
            ],
        )
        fresh = sorted(row[0] for row in cursor.fetchall())
    if not fresh:
        return 0
    agency = actor.agency
    assert agency is not None
    contact = agency.contact_point or _("no 24/7 contact point recorded")
    # One notification per owning agency's user, naming that agency's series asked about
    # today: a seizure can touch thousands of series, and their owners need one message.
    by_owner: dict[int, list[Series]] = {}
    for series in Series.objects.filter(pk__in=fresh).order_by("pk"):
        by_owner.setdefault(series.agency_id, []).append(series)
    for owning_agency_id, series_list in by_owner.items():
        codes = ", ".join(series.code for series in series_list[:MAX_CODES_NAMED])
        if len(series_list) > MAX_CODES_NAMED:
            codes += _(" and %(more)d more") % {"more": len(series_list) - MAX_CODES_NAMED}
        message = _(
            "%(agency)s (%(country)s) looked up %(count)d value(s) known in your series "
            "%(series)s, which it may not see. Contact: %(contact)s; asked by %(email)s."
        ) % {
            "agency": agency.name,
            "country": agency.country.code,
            "count": sum(restricted[series.pk] for series in series_list),
            "series": codes,
            "contact": contact,
            "email": actor.email,
        }
        notifications_create(
            recipients=casework_users(agency_id=owning_agency_id),
            kind=NotificationKind.DECONFLICTION,
            subject_type="series",
            subject_ref=series_list[0].code,
            message=message,
        )
    audit_record(
        actor=actor,
        action=audit_actions.RESTRICTED_LOOKUP_NOTIFIED,
        details={"series_notified": len(fresh)},
    )
    return len(fresh)


def lookup_counts(answers: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many answers of each status (for the page's summary)."""
    counts = Counter(answer["status"] for answer in answers)
    return {KNOWN: counts[KNOWN], KNOWN_RESTRICTED: counts[KNOWN_RESTRICTED], NEW: counts[NEW]}
