"""The access matrix: every actor × every distribution level × every casework operation.

Expected outcomes come from the small truth table below, written from the design's
access rules, not from ``cases.access``. Every route and method of cases.api.urls
must appear in OPERATIONS, or in the victims' own matrix in tests/cases/api/test_victims.py
(``test_every_casework_endpoint_is_in_the_matrix``), so an endpoint added without a row
fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, reverse

from cases.access import grant_models
from cases.api import urls as cases_api_urls
from cases.choices import Distribution
from cases.models import Clue, ClueTaxonomyNode, KnownHash, Series, Victim
from cases.services import (
    clue_create,
    known_hashes_add,
    record_grant,
    series_create,
    victim_create,
)
from tests.api.conftest import MATRIX_ACTORS, World
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

LEVELS = [Distribution.AGENCY, Distribution.COUNTRY, Distribution.GROUP, Distribution.NETWORK]

# --- The truth table ------------------------------------------------------------------------
CASEWORK = {
    "owner",
    "colleague",
    "same_country",
    "abroad",
    "group_member",
    "user_grantee",
    "agency_grantee",
}
GRANTEES = {"user_grantee", "agency_grantee"}
SEES = {
    "agency": {"owner", "colleague"} | GRANTEES,
    "country": {"owner", "colleague", "same_country"} | GRANTEES,
    "group": {"owner", "colleague", "group_member"} | GRANTEES,
    "network": CASEWORK,
}
EDITS = {"owner", "colleague"}  # the owning agency
IN_GROUP = {"owner", "colleague", "group_member"}  # may share with the group
GATED = {"unvetted": 403, "oversight": 403, "auditor": 403, "anonymous": 401}


def sees(actor: str, level: str) -> bool:
    return actor in SEES[level]


def _list_status(actor: str) -> int:
    return GATED.get(actor) or 200


def read_status(actor: str, level: str) -> int:
    return GATED.get(actor) or (200 if sees(actor, level) else 404)


def write_status(actor: str, level: str, ok: int = 200) -> int:
    if actor in GATED:
        return GATED[actor]
    if not sees(actor, level):
        return 404
    return ok if actor in EDITS else 403


def create_status(actor: str, level: str) -> int:
    if actor in GATED:
        return GATED[actor]
    return 201 if level != "group" or actor in IN_GROUP else 400


# --- The records under test -----------------------------------------------------------------

HASH_VALUE = "0123456789abcdef0123456789abcdef"


def _group_for(world: World, level: str) -> Any:
    return world.sharing_group if level == Distribution.GROUP else None


def _grant_all(world: World, record: Any) -> None:
    owner = world.actors.owner
    record_grant(actor=owner, record=record, user=world.user_grantee)
    record_grant(actor=owner, record=record, agency=world.agency_grantee.agency)


def make_series(world: World, level: str) -> Series:
    series = series_create(
        actor=world.actors.owner,
        title=f"Lighthouse room {level}",
        distribution=level,
        sharing_group=_group_for(world, level),
    )
    _grant_all(world, series)
    known_hashes_add(
        actor=world.actors.owner,
        series=series,
        entries=[{"algorithm": "md5", "value": HASH_VALUE}],
    )
    return series


def make_victim(world: World, level: str) -> Victim:
    # Its series is network-wide, so the victim's own level decides.
    series = series_create(
        actor=world.actors.owner, title="Network series", distribution=Distribution.NETWORK
    )
    victim = victim_create(
        actor=world.actors.owner,
        series=[series],
        distribution=level,
        sharing_group=_group_for(world, level),
    )
    _grant_all(world, victim)
    return victim


def make_clue(world: World, level: str) -> Clue:
    # Its series is network-wide, so the clue's own level decides.
    series = series_create(
        actor=world.actors.owner, title="Network series", distribution=Distribution.NETWORK
    )
    clue = clue_create(
        actor=world.actors.owner,
        series=series,
        taxonomy_node=ClueTaxonomyNode.objects.get(slug="sockets"),
        title=f"Lighthouse socket {level}",
        description="A recessed socket beside a lighthouse print.",
        distribution=level,
        sharing_group=_group_for(world, level),
    )
    _grant_all(world, clue)
    return clue


# --- Operations -----------------------------------------------------------------------------


@dataclass
class Context:
    world: World
    actor: str
    level: str
    record: Any

    @property
    def client(self) -> Any:
        return self.world.client(self.actor)

    def expect(self, response: Any, status: int, what: str) -> Any:
        assert response.status_code == status, (
            f"{what} as {self.actor} at {self.level}: {response.status_code} "
            f"{response.content[:300]!r}"
        )
        if status >= 400:
            assert set(response.json()) == {"error"}, "errors keep the project's shape"
        return response.json() if response.content else None


@dataclass(frozen=True)
class Op:
    resource: str
    name: str
    route: str
    method: str
    run: Callable[[Context], None]


def _listed(ctx: Context, route: str, params: dict[str, str], key: str, value: Any) -> None:
    body = ctx.expect(
        ctx.client.get(reverse(route), params),
        _list_status(ctx.actor),
        f"{route} {params}",
    )
    if body is None or ctx.actor in GATED:
        return
    found = value in [item[key] for item in body["results"]]
    assert found == sees(ctx.actor, ctx.level), f"{route} {params} as {ctx.actor} at {ctx.level}"


def _series_url(ctx: Context, name: str = "api-series-detail") -> str:
    return reverse(name, kwargs={"code": ctx.record.code})


def series_list(ctx: Context) -> None:
    _listed(ctx, "api-series-list", {}, "code", ctx.record.code)


def series_search(ctx: Context) -> None:
    _listed(ctx, "api-series-list", {"q": "lighthouse"}, "code", ctx.record.code)


def series_retrieve(ctx: Context) -> None:
    body = ctx.expect(ctx.client.get(_series_url(ctx)), read_status(ctx.actor, ctx.level), "get")
    if body and "code" in body:
        assert body["code"] == ctx.record.code and body["hash_count"] == 1


def _version(ctx: Context) -> int:
    return type(ctx.record).objects.get(pk=ctx.record.pk).version


def series_patch(ctx: Context) -> None:
    status = write_status(ctx.actor, ctx.level)
    response = ctx.client.patch(
        _series_url(ctx), {"version": _version(ctx), "title": "Renamed"}, format="json"
    )
    ctx.expect(response, status, "patch")
    renamed = Series.objects.get(pk=ctx.record.pk).title == "Renamed"
    assert renamed == (status == 200)


def series_put(ctx: Context) -> None:
    status = write_status(ctx.actor, ctx.level)
    body = {
        "version": _version(ctx),
        "title": "Replaced",
        "distribution": ctx.level,
        "sharing_group": getattr(_group_for(ctx.world, ctx.level), "pk", None),
    }
    ctx.expect(ctx.client.put(_series_url(ctx), body, format="json"), status, "put")
    assert (Series.objects.get(pk=ctx.record.pk).title == "Replaced") == (status == 200)


def series_create_op(ctx: Context) -> None:
    body = {
        "title": "New series",
        "distribution": ctx.level,
        "sharing_group": getattr(_group_for(ctx.world, ctx.level), "pk", None),
    }
    before = Series.objects.count()
    status = create_status(ctx.actor, ctx.level)
    ctx.expect(ctx.client.post(reverse("api-series-list"), body, format="json"), status, "post")
    assert Series.objects.count() == before + (status == 201)


def hashes_list(ctx: Context) -> None:
    url = _series_url(ctx, "api-series-hashes")
    body = ctx.expect(ctx.client.get(url), read_status(ctx.actor, ctx.level), "hashes")
    if body and "results" in body:
        assert [item["value"] for item in body["results"]] == [HASH_VALUE]


def hashes_add(ctx: Context) -> None:
    url = _series_url(ctx, "api-series-hashes")
    status = write_status(ctx.actor, ctx.level, ok=201)
    entries = [{"algorithm": "sha1", "value": "f" * 40}]
    ctx.expect(ctx.client.post(url, {"entries": entries}, format="json"), status, "add hashes")
    assert KnownHash.objects.filter(series=ctx.record).count() == 1 + (status == 201)


def _clue_url(ctx: Context) -> str:
    return reverse("api-clue-detail", kwargs={"pk": ctx.record.pk})


def clue_list(ctx: Context) -> None:
    _listed(ctx, "api-clue-list", {}, "id", ctx.record.pk)


def clue_search(ctx: Context) -> None:
    _listed(ctx, "api-clue-list", {"q": "lighthouse"}, "id", ctx.record.pk)


def clue_retrieve(ctx: Context) -> None:
    body = ctx.expect(ctx.client.get(_clue_url(ctx)), read_status(ctx.actor, ctx.level), "get")
    if body and "id" in body:
        assert body["id"] == ctx.record.pk


def clue_patch(ctx: Context) -> None:
    status = write_status(ctx.actor, ctx.level)
    response = ctx.client.patch(
        _clue_url(ctx), {"version": _version(ctx), "status": "in_progress"}, format="json"
    )
    ctx.expect(response, status, "patch")
    assert (Clue.objects.get(pk=ctx.record.pk).status == "in_progress") == (status == 200)


def clue_put(ctx: Context) -> None:
    status = write_status(ctx.actor, ctx.level)
    body = {
        "version": _version(ctx),
        "taxonomy_node": "sockets",
        "title": "Replaced",
        "description": "Replaced description.",
        "distribution": ctx.level,
        "sharing_group": getattr(_group_for(ctx.world, ctx.level), "pk", None),
    }
    ctx.expect(ctx.client.put(_clue_url(ctx), body, format="json"), status, "put")
    assert (Clue.objects.get(pk=ctx.record.pk).title == "Replaced") == (status == 200)


def clue_create_op(ctx: Context) -> None:
    # The clue's series is network-wide: anyone with casework access may post on it.
    body = {
        "series": ctx.record.series.code,
        "taxonomy_node": "flora",
        "title": "Palm tree",
        "description": "A palm tree through the window.",
        "distribution": ctx.level,
        "sharing_group": getattr(_group_for(ctx.world, ctx.level), "pk", None),
    }
    before = Clue.objects.count()
    status = create_status(ctx.actor, ctx.level)
    ctx.expect(ctx.client.post(reverse("api-clue-list"), body, format="json"), status, "post")
    assert Clue.objects.count() == before + (status == 201)


def clue_delete(ctx: Context) -> None:
    status = write_status(ctx.actor, ctx.level, ok=204)
    ctx.expect(ctx.client.delete(_clue_url(ctx)), status, "delete")
    assert Clue.objects.filter(pk=ctx.record.pk).exists() == (status != 204)


def _grants_url(ctx: Context, *key: str) -> str:
    if isinstance(ctx.record, Series):
        return reverse(
            "api-series-grant" if key else "api-series-grants", args=[ctx.record.code, *key]
        )
    if isinstance(ctx.record, Victim):
        return reverse(
            "api-victim-grant" if key else "api-victim-grants", args=[ctx.record.code, *key]
        )
    return reverse("api-clue-grant" if key else "api-clue-grants", args=[ctx.record.pk, *key])


def _agency_granted(record: Any, agency: Any) -> bool:
    agency_grants = grant_models(record)[1]
    return agency_grants.objects.filter(
        content_object=record, group=agency.permission_group
    ).exists()


def grants_list(ctx: Context) -> None:
    # Only the owning agency reads who else was given the record.
    body = ctx.expect(
        ctx.client.get(_grants_url(ctx)), write_status(ctx.actor, ctx.level), "grants"
    )
    if isinstance(body, list):
        assert {grant["key"] for grant in body} == {
            f"user-{ctx.world.user_grantee.pk}",
            f"agency-{ctx.world.agency_grantee.agency_id}",
        }


def grants_create(ctx: Context) -> None:
    # An agency no actor works at, so the grant changes nobody's view in this run.
    agency = AgencyFactory(country="DE")
    status = write_status(ctx.actor, ctx.level, ok=201)
    body = {"agency": agency.pk}
    ctx.expect(ctx.client.post(_grants_url(ctx), body, format="json"), status, "grant")
    assert _agency_granted(ctx.record, agency) == (status == 201)


def grants_revoke(ctx: Context) -> None:
    agency = AgencyFactory(country="DE")
    record_grant(actor=ctx.world.actors.owner, record=ctx.record, agency=agency)
    status = write_status(ctx.actor, ctx.level, ok=204)
    response = ctx.client.delete(_grants_url(ctx, f"agency-{agency.pk}"))
    ctx.expect(response, status, "revoke")
    assert _agency_granted(ctx.record, agency) == (status != 204)


OPERATIONS = [
    Op("series", "list", "api-series-list", "get", series_list),
    Op("series", "search", "api-series-list", "get", series_search),
    Op("series", "retrieve", "api-series-detail", "get", series_retrieve),
    Op("series", "update", "api-series-detail", "patch", series_patch),
    Op("series", "replace", "api-series-detail", "put", series_put),
    Op("series", "create", "api-series-list", "post", series_create_op),
    # Hashes follow their series: the same record serves both.
    Op("series", "hashes list", "api-series-hashes", "get", hashes_list),
    Op("series", "hashes add", "api-series-hashes", "post", hashes_add),
    Op("series", "grants list", "api-series-grants", "get", grants_list),
    Op("series", "grant", "api-series-grants", "post", grants_create),
    Op("series", "revoke a grant", "api-series-grant", "delete", grants_revoke),
    Op("clues", "list", "api-clue-list", "get", clue_list),
    Op("clues", "search", "api-clue-list", "get", clue_search),
    Op("clues", "retrieve", "api-clue-detail", "get", clue_retrieve),
    Op("clues", "update", "api-clue-detail", "patch", clue_patch),
    Op("clues", "replace", "api-clue-detail", "put", clue_put),
    Op("clues", "create", "api-clue-list", "post", clue_create_op),
    Op("clues", "grants list", "api-clue-grants", "get", grants_list),
    Op("clues", "grant", "api-clue-grants", "post", grants_create),
    Op("clues", "revoke a grant", "api-clue-grant", "delete", grants_revoke),
    Op("clues", "delete", "api-clue-detail", "delete", clue_delete),  # last: it removes the clue
    # The rest of the victims API has its own matrix (series level x victim level) in
    # tests/cases/api/test_victims.py; its grants answer exactly as the others do.
    Op("victims", "grants list", "api-victim-grants", "get", grants_list),
    Op("victims", "grant", "api-victim-grants", "post", grants_create),
    Op("victims", "revoke a grant", "api-victim-grant", "delete", grants_revoke),
]
MAKERS = {"series": make_series, "clues": make_clue, "victims": make_victim}


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("actor", MATRIX_ACTORS)
@pytest.mark.parametrize("resource", ["series", "clues", "victims"])
def test_the_access_matrix(world, resource, actor, level):
    record = MAKERS[resource](world, level)
    for op in OPERATIONS:
        if op.resource == resource:
            op.run(Context(world=world, actor=actor, level=level, record=record))


# --- Level-independent resources: the taxonomy and sharing groups -------------------------

GROUP_ACTORS = [*MATRIX_ACTORS, "owner_coordinator"]
GROUP_SEES = {"owner", "colleague", "group_member", "owner_coordinator"}
GROUP_MANAGES = {"owner_coordinator"}


def _group_read_status(actor: str) -> int:
    return GATED.get(actor) or (200 if actor in GROUP_SEES else 404)


def _group_write_status(actor: str, ok: int) -> int:
    if actor in GATED:
        return GATED[actor]
    if actor not in GROUP_SEES:
        return 404
    return ok if actor in GROUP_MANAGES else 403


def taxonomy_list(ctx: Context) -> None:
    body = ctx.expect(
        ctx.client.get(reverse("api-clue-taxonomy")), _list_status(ctx.actor), "taxonomy"
    )
    if isinstance(body, list):
        assert "sockets" in {node["slug"] for node in body}


def groups_list(ctx: Context) -> None:
    body = ctx.expect(
        ctx.client.get(reverse("api-sharing-group-list")),
        _list_status(ctx.actor),
        "groups",
    )
    if body and "results" in body:
        ids = [group["id"] for group in body["results"]]
        assert (ctx.world.sharing_group.pk in ids) == (ctx.actor in GROUP_SEES)


def groups_retrieve(ctx: Context) -> None:
    url = reverse("api-sharing-group-detail", kwargs={"pk": ctx.world.sharing_group.pk})
    ctx.expect(ctx.client.get(url), _group_read_status(ctx.actor), "group")


def groups_create(ctx: Context) -> None:
    status = GATED.get(ctx.actor) or (201 if ctx.actor in GROUP_MANAGES else 403)
    body = {"name": f"New group {ctx.actor}", "members": [ctx.world.group_agency.pk]}
    ctx.expect(
        ctx.client.post(reverse("api-sharing-group-list"), body, format="json"),
        status,
        "create group",
    )


def groups_member_add(ctx: Context) -> None:
    url = reverse("api-sharing-group-members", kwargs={"pk": ctx.world.sharing_group.pk})
    agency = ctx.world.actors.agency_same_country
    status = _group_write_status(ctx.actor, 201)
    ctx.expect(ctx.client.post(url, {"agency": agency.pk}, format="json"), status, "add member")
    assert ctx.world.sharing_group.members.filter(pk=agency.pk).exists() == (status == 201)


def groups_member_remove(ctx: Context) -> None:
    agency = ctx.world.group_agency
    url = reverse(
        "api-sharing-group-member",
        kwargs={"pk": ctx.world.sharing_group.pk, "agency_id": agency.pk},
    )
    status = _group_write_status(ctx.actor, 204)
    ctx.expect(ctx.client.delete(url), status, "remove member")
    assert ctx.world.sharing_group.members.filter(pk=agency.pk).exists() == (status != 204)


OPERATIONS += [
    Op("taxonomy", "list", "api-clue-taxonomy", "get", taxonomy_list),
    Op("sharing-groups", "list", "api-sharing-group-list", "get", groups_list),
    Op("sharing-groups", "retrieve", "api-sharing-group-detail", "get", groups_retrieve),
    Op("sharing-groups", "create", "api-sharing-group-list", "post", groups_create),
    Op("sharing-groups", "add member", "api-sharing-group-members", "post", groups_member_add),
    Op(
        "sharing-groups",
        "remove member",
        "api-sharing-group-member",
        "delete",
        groups_member_remove,
    ),
]


@pytest.mark.parametrize("actor", GROUP_ACTORS)
@pytest.mark.parametrize("resource", ["taxonomy", "sharing-groups"])
def test_the_access_matrix_without_levels(world, resource, actor):
    for op in OPERATIONS:
        if op.resource == resource:
            op.run(Context(world=world, actor=actor, level="network", record=None))


def _routes_and_methods() -> set[tuple[str, str]]:
    pairs = set()
    for pattern in cases_api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern), "the matrix expects flat casework routes"
        view = pattern.callback.view_class
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(view, method):
                pairs.add((pattern.name, method))
    return pairs


def test_every_casework_endpoint_is_in_the_matrix():
    # The victims' own matrix (tests/cases/api/test_victims.py) holds the other victims rows.
    from tests.cases.api.test_victims import OPERATIONS as VICTIM_OPERATIONS

    covered = {(op.route, op.method) for op in OPERATIONS}
    missing = _routes_and_methods() - covered - set(VICTIM_OPERATIONS.values())
    assert not missing, f"add these routes and methods to the access matrix: {sorted(missing)}"
    assert covered <= _routes_and_methods(), "the matrix names a route that no longer exists"


def test_the_truth_table_is_not_the_policy_under_test():
    # Spot checks of the table against the design's words, so a typo here cannot hide a leak.
    assert not sees("abroad", "country") and sees("abroad", "network")
    assert not sees("same_country", "agency") and sees("same_country", "country")
    assert sees("group_member", "group") and not sees("group_member", "country")
    assert all(sees(grantee, level) for grantee in GRANTEES for level in LEVELS)
    assert all(not sees(actor, level) for actor in GATED for level in LEVELS)
