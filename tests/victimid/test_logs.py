"""Log lines are one JSON object each, and carry the request id (and the task id in workers)."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory

from victimid import request_context
from victimid.celery_hooks import task_request_id
from victimid.jobs import enqueue_after_commit
from victimid.logs import ContextFilter, JsonFormatter
from victimid.models import OutboxMessage
from victimid.views.errors import server_error


def _line(record: logging.LogRecord) -> dict:
    ContextFilter().filter(record)
    text = JsonFormatter().format(record)
    assert "\n" not in text
    return json.loads(text)


def _record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("victimid.test", logging.WARNING, __file__, 1, message, args, None)
    record.__dict__.update(extra)
    return record


def test_a_record_is_one_line_of_json_with_the_request_id():
    token = request_context.set_current(request_context.RequestContext(request_id="req-42"))
    try:
        entry = _line(_record("clue %s saved", 7, status=201, request=object()))
    finally:
        request_context.reset(token)
    assert entry["message"] == "clue 7 saved"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "victimid.test"
    assert entry["request_id"] == "req-42"
    assert entry["status"] == 201
    # An object in ``extra`` (a request, with its query string) never reaches the log.
    assert "request" not in entry
    assert "task_id" not in entry


def test_a_traceback_stays_inside_the_one_line():
    try:
        raise ValueError("line one\nline two")
    except ValueError:
        record = _record("failed")
        record.exc_info = sys.exc_info()
    entry = _line(record)
    assert "ValueError: line one\nline two" in entry["error"]


@pytest.mark.django_db
def test_every_request_logs_one_line_with_its_route_status_and_request_id(caplog):
    with caplog.at_level(logging.INFO, logger="victimid.request"):
        response = Client().get("/healthz", HTTP_X_REQUEST_ID="probe-1")
    assert response["X-Request-ID"] == "probe-1"
    (record,) = [r for r in caplog.records if r.name == "victimid.request"]
    entry = _line(record)
    assert entry["route"] == "healthz"
    assert entry["status"] == 200
    assert entry["method"] == "GET"
    assert entry["duration_ms"] >= 0
    assert entry["request_id"] == "probe-1"


@pytest.mark.django_db
def test_queued_work_keeps_the_id_of_the_request_that_queued_it(django_capture_on_commit_callbacks):
    token = request_context.set_current(request_context.RequestContext(request_id="req-outbox"))
    try:
        enqueue_after_commit("victimid.tasks.ping", "x")
    finally:
        request_context.reset(token)
    assert OutboxMessage.objects.get().request_id == "req-outbox"


def test_a_task_reads_the_request_id_from_its_message_headers():
    class Request:
        headers = {"request_id": "from-header"}

    class Task:
        request = Request()

    assert task_request_id(Task()) == "from-header"
    Request.headers = {}
    assert task_request_id(Task()) == ""


def _answer_while_handling(error: Exception, path: str):
    try:
        raise error
    except Exception:
        return server_error(RequestFactory().get(path))


def test_a_database_outage_answers_503_json_not_500():
    api = _answer_while_handling(OperationalError("server closed the connection"), "/api/v1/clues")
    assert api.status_code == 503
    assert api["Retry-After"] == "5"
    assert json.loads(api.content)["error"]["code"] == "unavailable"
    page = _answer_while_handling(InterfaceError("connection already closed"), "/dashboard/")
    assert page.status_code == 503
    assert b"briefly unavailable" in page.content.lower()
    # Any other error stays a 500.
    assert _answer_while_handling(RuntimeError("bug"), "/api/v1/clues").status_code == 500
