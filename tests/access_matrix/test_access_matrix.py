"""The access matrix: every actor × every level × every route, pages and API alike.

For each actor and level the world and the owner's records at that level are built once
(through the services), then every row of ``rows.ROWS`` is called: the status must be
the one the truth table gives, a list must show the record exactly when the actor may
see it, a write must land exactly when the actor was let through, a refusal must not
carry the record's title, API errors keep the project's JSON shape, and no page carries
inline script or style (the Content-Security-Policy would block it). Every problem of
one actor and level is reported together.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.access_matrix import truth
from tests.access_matrix.rows import ROWS, Case, Row
from tests.access_matrix.truth import API, PAGE
from tests.access_matrix.world import ACTORS, ANONYMOUS, LEVELS, build_world

pytestmark = pytest.mark.django_db

WRITES = {"post", "put", "patch", "delete"}


def _call(row: Row, case: Case):
    world = case.world
    client = world.page_client if row.surface == PAGE else world.api_client
    client = client(case.actor)
    path = row.path(case)
    call = getattr(client, row.method)
    if row.method in WRITES:
        body = row.body(case) if row.body else {}
        if row.surface == API:
            return call(path, body, format="multipart" if row.multipart else "json")
        return call(path, body)
    return call(path, row.query(case) if row.query else None)


def _problems(row: Row, case: Case) -> list[str]:
    expect = row.rule(row.surface, case.actor, case.level, row.ok)
    if row.prepare:
        row.prepare(case)
    response = _call(row, case)
    # A download streams: read it whole for the checks.
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    problems = []
    where = f"{row.name} as {case.actor} at {case.level}"
    if response.status_code != expect.status:
        problems.append(
            f"{where}: {response.status_code}, expected {expect.status}: {body[:200]!r}"
        )
        return problems
    content = body.decode(errors="replace") if body else ""
    if case.actor == ANONYMOUS and row.surface == PAGE and response.status_code == 302:
        location = response.get("Location", "")
        if not expect.allowed and not location.startswith("/login/"):
            problems.append(f"{where}: sent to {location}, not to sign in")
    if row.surface == API and response.status_code >= 400:
        is_json = "json" in response.get("Content-Type", "")
        if not is_json or set(response.json()) != {"error"}:
            problems.append(f"{where}: the error lost the project's JSON shape: {content[:120]}")
    if not expect.allowed and response.status_code in (403, 404):
        for record in (case.records.series, case.records.clue):
            if record.title in content:
                problems.append(f"{where}: the refusal names {record.title!r}")
    if row.surface == PAGE and "text/html" in response.get("Content-Type", ""):
        # The Content-Security-Policy allows no inline script or style on any page.
        for inline in (" style=", "<style", "<script>", "javascript:"):
            if inline in content:
                problems.append(f"{where}: the page carries inline {inline.strip()!r}")
    if row.listed and expect.allowed and response.status_code == 200:
        shown = row.listed(case) in content
        if shown != truth.sees(case.actor, case.level):
            problems.append(f"{where}: listed={shown}, but sees={not shown}")
    if row.wrote is not None:
        landed = row.wrote(case)
        if landed != expect.allowed:
            problems.append(f"{where}: the write {'landed' if landed else 'did not land'}")
    return problems


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("actor", ACTORS)
def test_the_access_matrix(actor, level):
    world = build_world()
    case = Case(world=world, records=world.records_at(level), actor=actor, level=level, scratch={})
    problems: list[str] = []
    for row in sorted(ROWS, key=lambda row: row.last):
        problems += _problems(row, case)
    assert not problems, "\n".join(problems)


# --- No route without a row ----------------------------------------------------------------

# Django's admin site has its own permissions (staff only); its index stands for it here
# and tests/victimid/test_admin_audit.py covers what admins do there.
NAMESPACES_ELSEWHERE = {"admin"}
METHODS = ("get", "post", "put", "patch", "delete")


def _routes(patterns, namespace: str = "") -> set[tuple[str, str | None]]:
    """(route name, method) of every route; method None for a function view."""
    found: set[tuple[str, str | None]] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner in NAMESPACES_ELSEWHERE:
                found.add((f"{inner}:index", None))
                continue
            found |= _routes(pattern.url_patterns, inner)
            continue
        assert isinstance(pattern, URLPattern)
        assert pattern.name, f"the route {pattern.pattern} has no name, so no row can name it"
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        view = getattr(pattern.callback, "view_class", None)
        if view is None or not hasattr(view, "http_method_names"):
            found.add((name, None))
            continue
        allowed = getattr(view, "http_method_names", METHODS)
        found |= {
            (name, method) for method in METHODS if hasattr(view, method) and method in allowed
        }
    return found


def test_every_route_has_a_row():
    routes = _routes(get_resolver().url_patterns)
    rows = {(row.route, row.method) for row in ROWS}
    row_names = {row.route for row in ROWS}
    missing = sorted(
        f"{name} {method or ''}".strip()
        for name, method in routes
        if (method is None and name not in row_names) or (method and (name, method) not in rows)
    )
    assert not missing, f"add rows to tests/access_matrix/rows.py for: {missing}"
    served = {name for name, _method in routes}
    stale = sorted(row_names - served)
    assert not stale, f"rows name routes that no longer exist: {stale}"


def test_the_truth_table_reads_as_the_design():
    # Spot checks against the design's sentences, so a typo in the table cannot hide a leak.
    sees = truth.sees
    assert not sees("abroad", "country") and sees("abroad", "network")
    assert not sees("same_country", "agency") and sees("same_country", "country")
    assert sees("group_member", "group") and not sees("group_member", "country")
    assert all(sees(grantee, level) for grantee in truth.GRANTEES for level in LEVELS)
    assert all(
        not sees(actor, level) for actor in truth.SIGNED_IN_WITHOUT_CASEWORK for level in LEVELS
    )
    assert truth.changes(API, "same_country", "country", 200).status == 403
    assert truth.reads(PAGE, "anonymous", "network", 200).status == 302
    assert truth.reads(API, "oversight", "network", 200).status == 403
    assert truth.figures(API, "oversight", "agency", 200).allowed
    assert truth.figures(PAGE, "auditor", "network", 200).status == 403
