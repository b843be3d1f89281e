"""Scaling out: heavy and light queues, and a read replica behind a database router."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from config.celery import app
from tests.factories import ClueFactory, SeriesFactory
from tests.victimid.test_worker_integration import _database_url
from victimid.services.tokens import api_token_issue


def _queue(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_long_jobs_go_to_the_heavy_queue_and_the_rest_to_the_light_one():
    assert _queue("cases.tasks.import_job_run") == "heavy"
    assert _queue("cases.tasks.triage_job_run") == "heavy"
    assert _queue("cases.tasks.correlate_clue") == "heavy"
    assert _queue("victimid.tasks.send_notification_email") == "light"
    assert _queue("victimid.tasks.relay_outbox") == "light"
    # A worker started without --queues consumes both (development, small sites).
    assert {queue.name for queue in app.conf.task_queues} == {"light", "heavy"}


# Run in a process of its own, whose settings add a second alias, "replica", pointing at
# the same server and database as "default" (the test database, committed to).
_REPLICA_PROBE = """
import json, django
django.setup()
from django.db import connections
from django.test import Client

counts = {"default": 0, "replica": 0}
def counter(alias):
    def wrapper(execute, sql, params, many, context):
        counts[alias] += 1
        return execute(sql, params, many, context)
    return wrapper

def probe(path, **extra):
    for alias in counts:
        counts[alias] = 0
    with connections["default"].execute_wrapper(counter("default")), \\
            connections["replica"].execute_wrapper(counter("replica")):
        response = Client().get(path, **extra)
    return {"status": response.status_code, "body": response.content.decode()[:2000],
            **{alias: count for alias, count in counts.items()}}

auth = {"HTTP_AUTHORIZATION": "Bearer %(token)s"}
print(json.dumps({
    "search": probe("/api/v1/clues?q=lighthouse", **auth),
    "detail": probe("/api/v1/series/%(series)s", **auth),
}))
"""


@pytest.mark.django_db(transaction=True)
def test_search_reads_casework_from_the_replica_and_everything_else_from_the_primary(actors):
    series = SeriesFactory(actor=actors.owner, distribution="network")
    ClueFactory(actor=actors.owner, series=series, title="Lighthouse on the bay")
    _record, token = api_token_issue(user=actors.owner, name="replica", days=1)
    url = _database_url()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": url,
        "DATABASE_REPLICA_URL": url,
    }
    result = subprocess.run(
        [sys.executable, "-c", _REPLICA_PROBE % {"token": token, "series": series.code}],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probes = json.loads(result.stdout.strip().splitlines()[-1])
    search, detail = probes["search"], probes["detail"]
    assert search["status"] == 200, search["body"]
    assert "Lighthouse on the bay" in search["body"]
    assert search["replica"] > 0  # the clues were read from the replica
    assert search["default"] > 0  # the token, the user and the audit event: the primary
    assert detail["status"] == 200, detail["body"]
    assert detail["replica"] == 0  # not a replica route: all on the primary


def test_without_a_replica_url_there_is_only_the_primary():
    assert "replica" not in settings.DATABASES
    assert settings.DATABASE_ROUTERS == ["config.db_router.ReplicaRouter"]


def test_pgbouncer_transaction_mode_turns_off_server_side_cursors_and_prepared_statements():
    probe = (
        "d = settings.DATABASES['default']; "
        "print(d['DISABLE_SERVER_SIDE_CURSORS'], d['OPTIONS'].get('prepare_threshold', 'unset'))"
    )
    assert _printed_under_pgbouncer(probe, "true") == "True None"
    assert _printed_under_pgbouncer(probe, "false") == "False unset"


def test_connections_ask_for_no_jit_compilation_unless_pgbouncer_passes_no_options(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
    probe = "print(repr(settings.DATABASES['default']['OPTIONS'].get('options')))"
    assert _printed_under_pgbouncer(probe, "true") == "None"
    assert _printed_under_pgbouncer(probe, "false") == "'-c jit=off'"


def _printed_under_pgbouncer(probe: str, mode: str) -> str:
    """The last line ``probe`` prints in a fresh process whose settings were read with
    ``PGBOUNCER_TRANSACTION_MODE=mode`` (settings are read once, at start)."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; {probe}",
        ],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
            "PGBOUNCER_TRANSACTION_MODE": mode,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr
    return lines[-1]
