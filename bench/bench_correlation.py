"""Correlation of one new clue against the access benchmark's clues, and the suggestion list.

1. **Correlating one clue** (issue 12): ``cases.services.correlation.clue_correlate`` — the
   service the Celery task calls — for clues drawn at random from the seeded data, each
   correlated against every other clue (1M at full scale), its suggestions written, then
   rolled back so that every repetition starts from the same data. Wall time of the whole
   service call (candidate look-ups with their caps, scoring, writing, audit row).
   Target: p95 at most 1 s.
2. **The suggestion list** of the investigator whom the most grants reach: the first page
   (51 rows, newest first, as CursorPagination reads it) of
   ``cases.selectors.correlation.suggestion_list`` — suggestions touching a clue of their
   agency, each admitted only when the reader may see both clues — against the same
   selector with the access policy admitting everything, taking turns. Database time, as
   ``bench_clue_access`` measures it. Target: filtered p95 at most 1.3x the baseline's.

Suggestions are seeded once (set-based SQL, ``SUGGESTIONS`` pairs of random clues, a
share of them touching the reader's agency) and kept, like the clues.
"""

from __future__ import annotations

import random
import time
from functools import partial
from typing import Any

from bench.bench_clue_access import (
    _database_clock,
    _explain,
    _investigator_with_most_grants,
    _policy_switched_off,
    _reader,
)
from bench.common import SCALE, bench_runs, load_average, measure_interleaved, summarise

PAGE = 50
CORRELATIONS = {"full": 40, "small": 20}
REPEAT = {"full": 200, "small": 100}
WARMUP = 3
SUGGESTIONS = {"full": 200_000, "small": 5_000}
TARGET_CORRELATION_P95_MS = 1000.0
TARGET_RATIO = 1.3


def run() -> dict[str, Any]:
    from django.conf import settings

    from bench.seed_casework import SCALES, ensure_seeded

    seed = ensure_seeded(SCALES[SCALE])
    user_id, grants = _investigator_with_most_grants()
    seeded_suggestions = _ensure_suggestions(user_id)
    runs = [_one_run(number, user_id) for number in range(1, bench_runs() + 1)]
    reader = _reader(user_id)
    meets = all(one["meets_target"] for one in runs)
    return {
        "measured": (
            "1) wall time of cases.services.correlation.clue_correlate (the correlation task's"
            " service) for clues drawn at random, each against every other clue, suggestions"
            " written then rolled back; 2) database time of the first page of the suggestion"
            f" list ({PAGE + 1} rows, newest first) of cases.selectors.correlation."
            "suggestion_list for the investigator the most grants reach"
        ),
        "baseline": (
            "for the list: the same selector and page with visible_to admitting every record,"
            " interleaved with the filtered query in the same run"
        ),
        "settings": {"DEBUG": settings.DEBUG},
        "target": {
            "correlation_p95_ms_at_most": TARGET_CORRELATION_P95_MS,
            "list_ratio_p95_at_most": TARGET_RATIO,
            "every_run_must_meet": True,
        },
        "meets_target": meets,
        "runs": runs,
        "investigator": {"email": reader.email, **grants},
        "data": {
            "reused_seed": seed["reused"],
            **seed["counts"],
            "suggestions": seeded_suggestions,
        },
        "plans": {
            "list_filtered": _explain(_list_page(reader, filtered=True)),
            "list_baseline": _explain(_list_page(reader, filtered=False)),
        },
        "summary": {
            "scale": SCALE,
            "runs": len(runs),
            "load_average": [one["load_average"]["before"] for one in runs],
            "correlation_p95_ms": [one["correlation"]["p95_ms"] for one in runs],
            "correlation_candidates_p50": [one["correlation_candidates_p50"] for one in runs],
            "list_database_p95_ms": [
                f"{one['list']['filtered']['p95_ms']} vs {one['list']['baseline']['p95_ms']}"
                f" (x{one['list']['ratio_p95']})"
                for one in runs
            ],
            "meets_target": meets,
        },
    }


def _ensure_suggestions(user_id: int) -> int:
    """Seed random suggestions once: a third touching the reader's agency's clues."""
    from django.db import connection, transaction

    from cases.models import CorrelationSuggestion
    from victimid.models import User

    wanted = SUGGESTIONS[SCALE]
    have = CorrelationSuggestion.objects.count()
    if have >= wanted:
        return have
    agency_id = User.objects.values_list("agency_id", flat=True).get(pk=user_id)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM cases_clue")
        low, high = cursor.fetchone()
        cursor.execute(
            "CREATE TEMP TABLE bench_agency_clues ON COMMIT DROP AS"
            " SELECT id, row_number() OVER (ORDER BY id) AS n FROM cases_clue WHERE agency_id = %s",
            [agency_id],
        )
        cursor.execute("SELECT count(*) FROM bench_agency_clues")
        (own,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO cases_correlationsuggestion"
            " (clue_a_id, clue_b_id, score, reasons, status, created_at, updated_at)"
            " SELECT least(a, b), greatest(a, b), 3 + random() * 5,"
            " '[\"same kind of clue\", \"similar wording\"]'::jsonb, 'open', now(), now()"
            " FROM (SELECT CASE WHEN g %% 3 = 0 AND %s > 0"
            "   THEN (SELECT id FROM bench_agency_clues WHERE n = 1 + (g * 7919) %% %s)"
            "   ELSE %s + floor(random() * (%s - %s))::bigint END AS a,"
            "  %s + floor(random() * (%s - %s))::bigint AS b"
            "  FROM generate_series(1, %s) g) pairs"
            " WHERE a <> b AND EXISTS (SELECT 1 FROM cases_clue c WHERE c.id = a)"
            " AND EXISTS (SELECT 1 FROM cases_clue c WHERE c.id = b)"
            " ON CONFLICT DO NOTHING",
            [own, max(own, 1), low, high, low, low, high, low, wanted - have],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_correlationsuggestion")
        # The agencies' entries, made by the triggers as the suggestions were inserted.
        cursor.execute("ANALYZE cases_suggestioninbox")
    return CorrelationSuggestion.objects.count()


def _correlate_once(clue_id: int, found: list[int]) -> float:
    """Milliseconds of one correlation; its writes rolled back."""
    from django.db import transaction

    from cases.services.correlation import clue_correlate

    started = time.perf_counter()
    with transaction.atomic():
        result = clue_correlate(clue_id=clue_id)
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    found.append(result.candidates)
    return elapsed


def _list_page(user: Any, *, filtered: bool) -> Any:
    from contextlib import nullcontext

    from cases.selectors.correlation import suggestion_list

    with nullcontext() if filtered else _policy_switched_off():
        queryset = suggestion_list(actor=user)
    return queryset[: PAGE + 1]


def _list_time(user_id: int, filtered: bool) -> float:
    from django.db import connection

    user = _reader(user_id)
    with _database_clock() as clock:
        sql, params = _list_page(user, filtered=filtered).query.sql_with_params()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()
    return clock.milliseconds + (time.perf_counter() - started) * 1000


def _one_run(number: int, user_id: int) -> dict[str, Any]:
    from cases.models import Clue

    before = load_average()
    pick = random.Random(number)
    low, high = (
        Clue.objects.order_by("pk").values_list("pk", flat=True)[0],
        Clue.objects.order_by("-pk").values_list("pk", flat=True)[0],
    )
    drawn = [pick.randint(low, high) for _ in range(CORRELATIONS[SCALE] * 2)]
    existing = set(Clue.objects.filter(pk__in=drawn).values_list("pk", flat=True))
    ids = [clue_id for clue_id in dict.fromkeys(drawn) if clue_id in existing][
        : CORRELATIONS[SCALE]
    ]
    candidates: list[int] = []
    for clue_id in ids[:WARMUP]:
        _correlate_once(clue_id, [])
    samples = [_correlate_once(clue_id, candidates) for clue_id in ids]
    correlation = summarise(samples)
    timings = measure_interleaved(
        {
            "filtered": partial(_list_time, user_id, True),
            "baseline": partial(_list_time, user_id, False),
        },
        repeat=REPEAT[SCALE],
        warmup=WARMUP,
    )
    reader = _reader(user_id)
    ratio = round(timings["filtered"]["p95_ms"] / timings["baseline"]["p95_ms"], 2)
    candidates.sort()
    return {
        "run": number,
        "load_average": {"before": before, "after": load_average()},
        "correlation": correlation,
        "correlation_candidates_p50": candidates[len(candidates) // 2] if candidates else 0,
        "list": {
            "filtered": timings["filtered"],
            "baseline": timings["baseline"],
            "ratio_p95": ratio,
            "rows_on_page": {
                "filtered": len(list(_list_page(reader, filtered=True))),
                "baseline": len(list(_list_page(reader, filtered=False))),
            },
        },
        "meets_target": correlation["p95_ms"] <= TARGET_CORRELATION_P95_MS
        and ratio <= TARGET_RATIO,
    }
