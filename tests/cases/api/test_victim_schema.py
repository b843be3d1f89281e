"""The victims API answers what its OpenAPI schema says: every status documented, every body valid.

Real responses (and the schema's own examples) are validated with jsonschema against the
schema the server serves, after turning OpenAPI 3.0's ``nullable`` into JSON Schema.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from django.urls import reverse

from tests.conftest import api_client_for
from tests.factories import (
    GrantFactory,
    IdentificationEventFactory,
    SeriesFactory,
    SharingGroupFactory,
    VictimFactory,
)

pytestmark = pytest.mark.django_db

VICTIM_PATHS = [
    "/api/v1/victims",
    "/api/v1/victims/{code}",
    "/api/v1/victims/{code}/events",
    "/api/v1/victims/{code}/grants",
    "/api/v1/victims/{code}/grants/{key}",
    "/api/v1/series/{code}/follow",
]


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema objects as JSON Schema: ``nullable: true`` admits null."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


class Schema:
    """The served schema, and checks of responses against it."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components = _json_schema(document["components"])

    def response(self, path: str, method: str, status: int) -> dict[str, Any]:
        responses = self.document["paths"][path][method]["responses"]
        assert str(status) in responses, f"{method.upper()} {path} answers {status} undocumented"
        return responses[str(status)]

    def validate(self, body: Any, schema: dict[str, Any]) -> None:
        root = {**_json_schema(schema), "components": self.components}
        jsonschema.Draft4Validator(root).validate(body)

    def check(self, path: str, method: str, response: Any) -> Any:
        documented = self.response(path, method, response.status_code)
        if response.status_code == 204:
            assert "content" not in documented and not response.content
            return None
        body = response.json()
        self.validate(body, documented["content"]["application/json"]["schema"])
        return body


@pytest.fixture
def schema(actors) -> Schema:
    response = api_client_for(actors.owner).get("/api/v1/schema", {"format": "json"})
    assert response.status_code == 200
    return Schema(response.json())


def test_the_converter_turns_nullable_into_null():
    assert _json_schema({"type": "integer", "nullable": True}) == {
        "anyOf": [{"type": "integer"}, {"type": "null"}]
    }


def test_the_check_fails_for_a_body_that_breaks_the_schema(schema):
    victim = schema.document["components"]["schemas"]["Victim"]
    with pytest.raises(jsonschema.ValidationError):
        schema.validate({"code": "VIC-2026-000001"}, victim)  # required fields missing
    event = schema.document["components"]["schemas"]["IdentificationEvent"]
    body = {
        "id": 1,
        "victim": "VIC-2026-000001",
        "kind": "identified",
        "occurred_on": "2026-10-01",
        "agency": "A",
        "country": "NL",
        "recorded_by": "Noor",
        "support_service": "",  # the value the schema once promised and broke
        "corrects": None,
        "corrected": False,
        "note": "",
        "recorded_at": "2026-10-01T10:00:00Z",
    }
    with pytest.raises(jsonschema.ValidationError):
        schema.validate(body, event)
    schema.validate({**body, "support_service": None}, event)


def test_every_example_of_the_victims_api_matches_its_schema(schema):
    checked = 0
    for path in VICTIM_PATHS:
        for method, operation in schema.document["paths"][path].items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            for documented in operation["responses"].values():
                content = documented.get("content", {}).get("application/json", {})
                for example in content.get("examples", {}).values():
                    schema.validate(example["value"], content["schema"])
                    checked += 1
    assert checked >= 8


def test_every_victims_operation_documents_its_errors(schema):
    for path in VICTIM_PATHS:
        for method, operation in schema.document["paths"][path].items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            answers = set(operation["responses"])
            assert {"401", "403", "404"} <= answers, (path, method)
            if "requestBody" in operation or method == "get" and path == "/api/v1/victims":
                assert "400" in answers, (path, method)
    assert "409" in schema.document["paths"]["/api/v1/victims/{code}"]["patch"]["responses"]


def test_the_victims_api_answers_what_its_schema_says(actors, schema):
    series, other = SeriesFactory.create_batch(2, actor=actors.owner, distribution="country")
    owner, neighbour = api_client_for(actors.owner), api_client_for(actors.same_country)
    anonymous, oversight = api_client_for(None), api_client_for(actors.oversight)
    listed, one, log = "/api/v1/victims", "/api/v1/victims/{code}", "/api/v1/victims/{code}/events"
    grants, grant = "/api/v1/victims/{code}/grants", "/api/v1/victims/{code}/grants/{key}"
    follow = "/api/v1/series/{code}/follow"

    body = {"series": [series.code], "distribution": "country", "age_band": "7-10"}
    created = schema.check(listed, "post", owner.post(listed, body, format="json"))
    code = created["code"]
    bad = owner.post(listed, {**body, "notes": "mail me: a@b.example.org"}, format="json")
    assert bad.status_code == 400
    schema.check(listed, "post", bad)
    schema.check(listed, "get", owner.get(listed, {"series": series.code}))
    schema.check(listed, "get", owner.get(listed, {"status": "happy"}))
    schema.check(listed, "get", anonymous.get(listed))
    schema.check(listed, "get", oversight.get(listed))

    url = f"/api/v1/victims/{code}"
    schema.check(one, "get", neighbour.get(url))
    schema.check(one, "get", owner.get("/api/v1/victims/VIC-1999-999999"))
    changed = owner.patch(url, {"version": 1, "series": [series.code, other.code]}, format="json")
    assert schema.check(one, "patch", changed)["version"] == 2
    stale = owner.patch(url, {"version": 1, "age_band": "0-2"}, format="json")
    assert schema.check(one, "patch", stale)["error"]["current_version"] == 2
    schema.check(one, "patch", owner.patch(url, {"version": 2, "age_band": "?"}, format="json"))
    schema.check(one, "patch", neighbour.patch(url, {"version": 2}, format="json"))

    events = f"{url}/events"
    both = {"kind": "safeguarded", "occurred_on": "2026-10-02", "also_identified": True}
    recorded = schema.check(log, "post", owner.post(events, both, format="json"))
    assert [event["kind"] for event in recorded["events"]] == ["identified", "safeguarded"]
    referral = {"kind": "referred", "occurred_on": "2026-10-03", "support_service": "medical"}
    schema.check(log, "post", neighbour.post(events, referral, format="json"))
    schema.check(log, "post", owner.post(events, {"kind": "identified"}, format="json"))
    safeguarding = recorded["events"][1]["id"]
    correction = {
        "kind": "correction",
        "occurred_on": "2026-10-04",
        "corrects": safeguarding,
        "note": "x",
    }
    refused = neighbour.post(events, correction, format="json")
    assert refused.status_code == 403
    schema.check(log, "post", refused)
    listed_events = schema.check(log, "get", owner.get(events))
    assert {event["support_service"] for event in listed_events["results"]} == {None, "medical"}

    grants_url = f"{url}/grants"
    made = owner.post(grants_url, {"agency": actors.agency_abroad.pk}, format="json")
    assert schema.check(grants, "post", made)["sees_record"] is False
    again = owner.post(grants_url, {"agency": actors.agency_abroad.pk}, format="json")
    assert again.status_code == 200
    schema.check(grants, "post", again)
    schema.check(grants, "post", owner.post(grants_url, {}, format="json"))
    schema.check(grants, "get", owner.get(grants_url))
    schema.check(grants, "get", neighbour.get(grants_url))
    key_url = f"{grants_url}/agency-{actors.agency_abroad.pk}"
    schema.check(grant, "delete", owner.delete(key_url))
    schema.check(grant, "delete", owner.delete(key_url))

    follow_url = f"/api/v1/series/{series.code}/follow"
    schema.check(follow, "post", neighbour.post(follow_url))
    schema.check(follow, "post", neighbour.post(follow_url))
    schema.check(follow, "delete", neighbour.delete(follow_url))
    schema.check(follow, "post", api_client_for(actors.abroad).post(follow_url))


def test_a_victim_in_a_sharing_group_and_a_corrected_log_match_the_schema(actors, schema):
    series = SeriesFactory(actor=actors.owner, distribution="network")
    group = SharingGroupFactory(actor__agency=actors.agency, name="Task force")
    victim = VictimFactory(
        actor=actors.owner, series=[series], distribution="group", sharing_group=group
    )
    event = IdentificationEventFactory(victim=victim)
    IdentificationEventFactory(
        victim=victim, kind="correction", corrects=event, note="Wrong child."
    )
    GrantFactory(record=victim, user=actors.abroad)
    client = api_client_for(actors.owner)
    body = schema.check(
        "/api/v1/victims/{code}",
        "get",
        client.get(reverse("api-victim-detail", args=[victim.code])),
    )
    assert body["sharing_group"] == group.pk
    log = schema.check(
        "/api/v1/victims/{code}/events",
        "get",
        client.get(reverse("api-victim-events", args=[victim.code])),
    )
    assert [(row["kind"], row["corrected"]) for row in log["results"]] == [
        ("correction", False),
        ("identified", True),
    ]
    schema.check(
        "/api/v1/victims/{code}/grants",
        "get",
        client.get(reverse("api-victim-grants", args=[victim.code])),
    )
