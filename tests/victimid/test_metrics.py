"""The metrics endpoint answers operators with the token, and looks absent to everyone else."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.conftest import api_client_for, signed_in_client
from victimid.models import OutboxMessage

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-tests-0123456789abcdef"


def _scrape(client: Client, token: str | None = TOKEN):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get("/metrics", **headers)


def _value(text: str, name: str) -> float:
    """The value of an unlabelled metric in Prometheus' text format."""
    (line,) = [line for line in text.splitlines() if line.startswith(f"{name} ")]
    return float(line.split()[1])


def test_without_a_configured_token_nobody_reaches_it(actors):
    assert _scrape(Client()).status_code == 404
    assert signed_in_client(actors.admin).get("/metrics").status_code == 404


@override_settings(METRICS_TOKEN=TOKEN)
def test_without_the_token_it_is_a_404_whatever_the_method_or_the_user(actors):
    client = Client()
    assert _scrape(client, token=None).status_code == 404
    assert _scrape(client, token="wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 404  # no "Bearer"
    assert client.post("/metrics").status_code == 404  # not a 405 that gives it away
    # A signed-in platform admin is a user, not an operator.
    assert signed_in_client(actors.admin).get("/metrics").status_code == 404


@override_settings(METRICS_TOKEN=TOKEN)
def test_operators_read_requests_by_route_name_never_by_path(actors):
    api_client_for(actors.owner).get("/api/v1/clues/987654321")  # a 404 for an id nobody has
    client = Client()
    client.get("/healthz")
    response = _scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"].startswith("max-age=0")
    text = response.content.decode()
    assert 'victimid_http_requests_total{method="GET",route="healthz",status="200"}' in text
    assert 'route="api-clue-detail",status="404"' in text
    assert "victimid_http_request_duration_seconds_bucket" in text
    assert "987654321" not in text
    assert "/api/v1" not in text


@override_settings(METRICS_TOKEN=TOKEN)
def test_it_reports_the_database_the_broker_the_queues_and_the_outbox_backlog():
    OutboxMessage.objects.create(task_name="victimid.tasks.ping", args=["x"])
    text = _scrape(Client()).content.decode()
    assert "victimid_database_up 1.0" in text
    assert "victimid_broker_up 1.0" in text
    assert "victimid_outbox_backlog 1.0" in text
    assert "victimid_outbox_oldest_age_seconds" in text
    assert 'victimid_queue_depth{queue="' in text
    # The chain was never verified: no verdict is invented.
    assert "victimid_audit_chain_intact" not in text
    assert "victimid_audit_chain_broken_reports 0.0" in text


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_broken_chain_reported_by_the_verification_and_the_checkpoint_age_show():
    from victimid import audit_actions
    from victimid.choices import AuditOutcome
    from victimid.services.audit import audit_checkpoint_write, audit_record

    audit_checkpoint_write()
    audit_record(actor=None, action=audit_actions.AUDIT_CHAIN_BROKEN, outcome=AuditOutcome.FAILURE)
    text = _scrape(Client()).content.decode()
    assert "victimid_audit_chain_broken_reports 1.0" in text
    assert "victimid_audit_checkpoint_age_seconds" in text


@override_settings(METRICS_TOKEN=TOKEN)
def test_it_reports_worker_jobs_whose_lease_lapsed_by_kind(actors, settings, tmp_path):
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from cases.models import TriageJob
    from cases.services.triage import triage_job_create

    settings.TRIAGE_UPLOAD_DIR = str(tmp_path)
    jobs = [
        triage_job_create(actor=actors.owner, upload=SimpleUploadedFile("a.txt", b"%032d" % 1))
        for _ in range(3)
    ]
    now = timezone.now()
    TriageJob.objects.filter(pk=jobs[0].pk).update(status="running", lease_until=now)  # lapsed
    TriageJob.objects.filter(pk=jobs[1].pk).update(
        status="running", lease_until=now + timedelta(minutes=1)
    )  # a living worker holds it; the third waits in the queue
    text = _scrape(Client()).content.decode()
    assert 'victimid_jobs_lease_lapsed{kind="triage"} 1.0' in text
    assert 'victimid_jobs_lease_lapsed{kind="import"} 0.0' in text


@override_settings(METRICS_TOKEN=TOKEN)
def test_it_reports_the_stored_verdict_of_the_last_verification(actors):
    from victimid.models import AuditEvent, AuditVerification
    from victimid.services.audit import audit_chain_check, audit_record

    audit_record(actor=actors.owner, action="auth.login")
    assert audit_chain_check().intact
    verdict = AuditVerification.objects.get()
    text = _scrape(Client()).content.decode()
    assert _value(text, "victimid_audit_chain_intact") == 1
    verified = _value(text, "victimid_audit_chain_verified_timestamp_seconds")
    assert abs(verified - verdict.verified_at.timestamp()) < 0.001
    assert _value(text, "victimid_audit_chain_events_checked") == verdict.events_checked
    assert verdict.events_checked == AuditEvent.objects.count() > 0


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_scrape_reads_the_verdict_and_never_walks_the_chain(actors, monkeypatch):
    from victimid.selectors import audit_chain
    from victimid.services.audit import audit_chain_check

    audit_chain_check()

    def walk(*args, **kwargs):
        raise AssertionError("a scrape must not walk the audit chain")

    monkeypatch.setattr(audit_chain, "audit_chain_verify", walk)
    assert "victimid_audit_chain_intact 1.0" in _scrape(Client()).content.decode()


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_broken_chain_found_by_the_verification_is_exported_as_not_intact(actors):
    from django.db import connection

    from victimid.models import AuditEvent, AuditVerification
    from victimid.services.audit import audit_chain_check, audit_record

    audit_record(actor=actors.owner, action="auth.login")
    victim = AuditEvent.objects.order_by("sequence").first()
    with connection.cursor() as cursor:  # a superuser's edit, past the append-only trigger
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE victimid_auditevent DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE victimid_auditevent SET action = 'edited' WHERE id = %s", [victim.pk]
        )
        cursor.execute("ALTER TABLE victimid_auditevent ENABLE TRIGGER USER")

    assert not audit_chain_check().intact
    verdict = AuditVerification.objects.order_by("-id").first()
    assert verdict.broken_sequence == victim.sequence and verdict.problem
    assert "victimid_audit_chain_intact 0.0" in _scrape(Client()).content.decode()


@override_settings(METRICS_TOKEN=TOKEN)
def test_it_counts_tasks_by_name_and_state():
    from victimid.tasks import ping

    ping.delay("x")  # eager in the tests: the task signals fire all the same
    text = _scrape(Client()).content.decode()
    assert 'victimid_tasks_total{state="success",task="victimid.tasks.ping"}' in text
    assert 'victimid_task_duration_seconds_count{task="victimid.tasks.ping"}' in text
