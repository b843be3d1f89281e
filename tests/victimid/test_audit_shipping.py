"""Every audit event also leaves as one structured JSON line on the ``victimid.audit`` logger,
which deployments route to a log collector on another system (ASVS 16.4.3): identifiers
only, with the chain hash and the previous hash, so the copy can be checked against the
chain. A rolled-back event never leaves."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import transaction

from tests.conftest import api_client_for
from victimid import audit_actions
from victimid.audit_chain import hash_of
from victimid.logs import ContextFilter, JsonFormatter
from victimid.models import AuditEvent
from victimid.services.audit import audit_record

pytestmark = pytest.mark.django_db


class _Lines(logging.Handler):
    """The lines the ``victimid.audit`` logger writes, formatted as in production."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.addFilter(ContextFilter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def events(self) -> list[dict]:
        parsed = [json.loads(line) for line in self.lines]
        return [entry for entry in parsed if "audit_event" in entry]


@pytest.fixture
def shipped():
    handler = _Lines()
    audit_logger = logging.getLogger("victimid.audit")
    audit_logger.addHandler(handler)
    try:
        yield handler
    finally:
        audit_logger.removeHandler(handler)


def test_each_event_writes_exactly_one_line_with_its_chain_hash(
    actors, shipped, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = audit_record(actor=actors.owner, action=audit_actions.SERIES_LISTED)
        second = audit_record(
            actor=actors.owner,
            action=audit_actions.CLUE_VIEWED,
            target=actors.owner,
            details={"route": "x"},
        )

    lines = shipped.events()
    assert [line["audit_event"]["sequence"] for line in lines] == [first.sequence, second.sequence]
    for line, event in zip(lines, (first, second), strict=True):
        assert line["logger"] == "victimid.audit"
        assert line["audit_event"]["chain_hash"] == event.chain_hash
        assert line["audit_event"]["action"] == event.action
        assert line["audit_event"]["actor"] == actors.owner.pk
    assert lines[1]["audit_event"]["previous_hash"] == first.chain_hash
    assert lines[1]["audit_event"]["details"] == {"route": "x"}


def test_the_collectors_copy_recomputes_to_the_chain_hash(
    actors, shipped, django_capture_on_commit_callbacks
):
    from datetime import UTC, datetime
    from types import SimpleNamespace

    with django_capture_on_commit_callbacks(execute=True):
        event = audit_record(actor=actors.owner, action=audit_actions.LOGIN)
    (line,) = shipped.events()
    row = line["audit_event"]
    copy = SimpleNamespace(
        **row,
        actor_id=row["actor"],
        actor_agency_id=row["actor_agency"],
    )
    copy.occurred_at = datetime.strptime(row["occurred_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=UTC
    )
    assert hash_of(copy, row["previous_hash"]) == event.chain_hash


def test_an_event_rolled_back_with_its_action_is_never_shipped(
    actors, shipped, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                audit_record(actor=actors.owner, action=audit_actions.CLUE_CREATED)
                raise RuntimeError("the action failed after its audit row")
        except RuntimeError:
            pass
    assert shipped.events() == []
    assert not AuditEvent.objects.filter(action=audit_actions.CLUE_CREATED).exists()


def test_a_request_ships_one_line_per_event_it_records(
    actors, shipped, django_capture_on_commit_callbacks
):
    client = api_client_for(actors.owner)
    since = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get("/api/v1/series").status_code == 200
    recorded = list(
        AuditEvent.objects.filter(sequence__gt=since or 0).values_list("sequence", "chain_hash")
    )
    lines = [
        (line["audit_event"]["sequence"], line["audit_event"]["chain_hash"])
        for line in shipped.events()
    ]
    assert sorted(lines) == sorted(recorded) and recorded
    # Identifiers only: the same minimal details as the chain, nothing of the request's text.
    for line in shipped.events():
        assert set(line["audit_event"]) == {
            "sequence",
            "occurred_at",
            "actor",
            "actor_email",
            "actor_agency",
            "action",
            "target_type",
            "target_id",
            "outcome",
            "source_ip",
            "request_id",
            "details",
            "chain_hash",
            "previous_hash",
        }


def test_the_audit_logger_is_not_silenced_by_a_quieter_log_level():
    from django.conf import settings

    assert settings.LOGGING["loggers"]["victimid.audit"]["level"] == "INFO"
