"""A real worker logs JSON lines that name the task and the request that queued it."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.victimid.test_worker_integration import _worker_log, worker  # noqa: F401
from victimid.tasks import ping

pytestmark = pytest.mark.integration


def _task_lines(log: str, task_id: str) -> list[dict[str, Any]]:
    lines = []
    for line in log.splitlines():
        if task_id in line and line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_the_worker_logs_the_task_id_and_the_request_id(worker: dict[str, Any]) -> None:  # noqa: F811
    result = ping.apply_async(("x",), queue=worker["queue"], headers={"request_id": "req-77"})
    assert result.get(timeout=60) == "pong:x"
    deadline = time.monotonic() + 15
    while True:
        lines = [
            e for e in _task_lines(_worker_log(worker), result.id) if "succeeded" in e["message"]
        ]
        if lines:
            break
        assert time.monotonic() < deadline, _worker_log(worker)
        time.sleep(0.2)
    (entry,) = lines
    assert entry["task_id"] == result.id
    assert entry["task_name"] == "victimid.tasks.ping"
    assert entry["request_id"] == "req-77"
    assert entry["level"] == "INFO"
