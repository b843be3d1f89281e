"""The OpenAPI schema describes every casework endpoint, with examples, and builds cleanly."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db

CASEWORK_PATHS = {
    "/api/v1/series": {"get", "post"},
    "/api/v1/series/{code}": {"get", "put", "patch"},
    "/api/v1/series/{code}/hashes": {"get", "post"},
    "/api/v1/series/{code}/grants": {"get", "post"},
    "/api/v1/series/{code}/grants/{key}": {"delete"},
    "/api/v1/clues": {"get", "post"},
    "/api/v1/clues/{id}": {"get", "put", "patch", "delete"},
    "/api/v1/clues/{id}/grants": {"get", "post"},
    "/api/v1/clues/{id}/grants/{key}": {"delete"},
    "/api/v1/clue-taxonomy": {"get"},
    "/api/v1/sharing-groups": {"get", "post"},
    "/api/v1/sharing-groups/{id}": {"get"},
    "/api/v1/sharing-groups/{id}/members": {"post"},
    "/api/v1/sharing-groups/{id}/members/{agency_id}": {"delete"},
    "/api/v1/victims": {"get", "post"},
    "/api/v1/victims/{code}": {"get", "patch"},
    "/api/v1/victims/{code}/events": {"get", "post"},
    "/api/v1/victims/{code}/grants": {"get", "post"},
    "/api/v1/victims/{code}/grants/{key}": {"delete"},
    "/api/v1/series/{code}/follow": {"post", "delete"},
}
# Writes that take no body (and so answer no 400).
WITHOUT_BODY = {("/api/v1/series/{code}/follow", "post")}


def test_the_schema_builds_without_warnings(tmp_path):
    # --fail-on-warn turns any warning (an untyped field, an enum clash) into an error.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


def test_every_casework_operation_is_documented_with_examples(actors):
    schema = (
        api_client_for(actors.owner).get("/api/v1/schema", HTTP_ACCEPT="application/json").json()
    )
    paths = {path: ops for path, ops in schema["paths"].items() if path in CASEWORK_PATHS}
    assert set(paths) == set(CASEWORK_PATHS)
    for path, methods in CASEWORK_PATHS.items():
        operations = paths[path]
        assert set(operations) & {"get", "post", "put", "patch", "delete"} == methods, path
        for method in methods:
            operation = operations[method]
            assert operation.get("description"), (path, method)
            assert {"401", "403", "404"} <= set(operation["responses"]), (path, method)
            if method in ("post", "put", "patch") and (path, method) not in WITHOUT_BODY:
                assert "400" in operation["responses"], (path, method)
                content = operation["requestBody"]["content"]["application/json"]
                assert content.get("examples"), (path, method, "request example")
            if method in ("put", "patch"):
                assert "409" in operation["responses"], (path, method)
            if method == "get":
                body = operation["responses"]["200"]["content"]["application/json"]
                assert body.get("examples"), (path, method, "response example")
    clue_filters = {p["name"] for p in paths["/api/v1/clues"]["get"]["parameters"]}
    assert clue_filters >= {
        "series",
        "taxonomy",
        "country",
        "language",
        "status",
        "created_after",
        "created_before",
        "q",
        "cursor",
    }
