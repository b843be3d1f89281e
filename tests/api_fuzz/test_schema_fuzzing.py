"""Schemathesis against the API's own OpenAPI schema, as an authenticated investigator.

Every operation, a bounded number of generated requests in one test (one set of records,
derandomised, so a run is repeatable and fast): no answer is a server error, and every
answer (status, content type, body) is one the schema documents. The investigator's
agency owns records at network and agency level, so paths reach real objects too.
"""

from __future__ import annotations

import json

import hypothesis
import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cases.choices import Distribution
from tests.casework_fixtures import records_at
from victimid.services.tokens import api_token_issue

# Requests in all, spread over every operation (about ten each).
MAX_EXAMPLES = 320
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _raw_schema() -> dict:
    import django

    django.setup()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(generated, default=str))


schema = schemathesis.openapi.from_dict(_raw_schema())
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request (Django's test
    client disconnects that too): it would end the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def investigator_token(actors):
    records_at(actors, Distribution.NETWORK)
    records_at(actors, Distribution.AGENCY)
    _record, token = api_token_issue(user=actors.owner, name="fuzz", days=1)
    return token


@pytest.mark.django_db
@hypothesis.given(case=schema.as_strategy())
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
)
def test_every_operation_answers_as_documented(investigator_token, case):
    case.call_and_validate(headers={"Authorization": f"Bearer {investigator_token}"}, checks=CHECKS)
