"""Liveness and readiness probes."""

from __future__ import annotations

import pytest
from django.test import Client

from config.celery import app as celery_app
from victimid.views import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_to_anyone():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_answers_200_when_the_database_and_broker_are_reachable():
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
        "outbox_backlog": 0,
    }


def test_readyz_reports_the_work_waiting_for_the_broker():
    from victimid.models import OutboxMessage

    OutboxMessage.objects.create(task_name="victimid.tasks.ping", args=["waiting"])
    assert Client().get("/readyz").json()["outbox_backlog"] == 1


def test_the_broker_the_settings_name_is_reachable():
    # Without CELERY_BROKER_URL this is kombu's filesystem transport under var/.
    assert health._broker_ok() is None
    with celery_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
        assert connection.connected


def test_the_filesystem_broker_carries_messages_and_keeps_its_files_under_var(
    settings, tmp_path, monkeypatch
):
    if not celery_app.conf.broker_url.startswith("filesystem"):
        pytest.skip("a real broker is configured (CELERY_BROKER_URL)")
    monkeypatch.chdir(tmp_path)  # whatever lands in the working directory shows up here

    with celery_app.connection_for_write() as connection:
        queue = connection.SimpleQueue("readiness-check")
        queue.put({"ping": 1})
        assert queue.get(timeout=1).payload == {"ping": 1}
        queue.close()

    assert list(tmp_path.iterdir()) == []
    assert list(settings.VAR_DIR.glob("celery/**/readiness-check.exchange"))


def test_readyz_answers_503_naming_the_broker_when_it_is_down(monkeypatch):
    monkeypatch.setattr(health, "_broker_ok", lambda: "OperationalError")
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "broker": "failed"},
        "outbox_backlog": 0,
    }


def test_readyz_answers_503_when_the_broker_refuses_connections(monkeypatch):
    from kombu import Connection

    monkeypatch.setattr(
        celery_app, "connection_for_write", lambda: Connection("redis://127.0.0.1:1/0")
    )
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "failed"


def test_readyz_answers_503_when_the_database_is_down(monkeypatch):
    monkeypatch.setattr(health, "_database_ok", lambda: "OperationalError")
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "failed", "broker": "ok"}


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_the_probes_answer_only_get(path):
    assert Client().post(path).status_code == 405
