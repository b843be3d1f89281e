"""The OpenAPI schema describes every operation, with examples, and builds cleanly."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def test_the_schema_builds_without_warnings(tmp_path):
    # --fail-on-warn turns any warning (an untyped field, an enum clash) into an error.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


METHODS = {"get", "post", "put", "patch", "delete"}


def test_every_operation_of_the_schema_is_documented_with_examples(actors):
    # Walks the schema itself, so an operation added tomorrow is held to the same standard.
    schema = (
        api_client_for(actors.owner).get("/api/v1/schema", HTTP_ACCEPT="application/json").json()
    )
    problems = []
    for path, operations in schema["paths"].items():
        for method in set(operations) & METHODS:
            operation = operations[method]
            where = f"{method.upper()} {path}"
            responses = set(operation["responses"])
            if not operation.get("description"):
                problems.append(f"{where}: no description")
            if not {"401", "403"} <= responses:
                problems.append(f"{where}: 401 and 403 not documented")
            if "{" in path and "404" not in responses:
                problems.append(f"{where}: a record's address without a documented 404")
            if "requestBody" in operation:
                if "400" not in responses:
                    problems.append(f"{where}: takes a body, 400 not documented")
                # An upload is described as multipart/form-data, everything else as JSON.
                bodies = operation["requestBody"]["content"]
                content = bodies.get("application/json") or bodies.get("multipart/form-data", {})
                if not content.get("examples"):
                    problems.append(f"{where}: no request example")
            if method in ("put", "patch") and "409" not in responses:
                problems.append(f"{where}: a change without a documented 409 (stale version)")
            if method == "get":
                body = operation["responses"].get("200", {}).get("content", {})
                # JSON, or the one media type a download (the audit CSV) answers in.
                if not any(media.get("examples") for media in body.values()):
                    problems.append(f"{where}: no response example")
    assert not problems, "\n".join(sorted(problems))
    assert len(schema["paths"]) >= 20, "the schema lost its casework paths"


def test_the_clue_list_documents_its_filters(actors):
    schema = (
        api_client_for(actors.owner).get("/api/v1/schema", HTTP_ACCEPT="application/json").json()
    )
    clue_filters = {p["name"] for p in schema["paths"]["/api/v1/clues"]["get"]["parameters"]}
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
