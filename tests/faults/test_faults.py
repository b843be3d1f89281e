"""When a part fails, investigators' work is not lost and the service comes back by itself.

Real processes of the test's own (tests/faults/stack.py): gunicorn, Celery workers,
PostgreSQL and Redis on free ports, stopped, restarted and killed here. ``make faults``
runs them all; each takes well under a minute, so ``make test`` runs them too (they skip
when the binaries are missing, unless FAULTS_REQUIRED=1).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter

import pytest

from tests.faults.conftest import Stack
from tests.faults.smtp import HoldingSmtpServer
from tests.faults.stack import http, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.integration]

EMAIL_TASK = "victimid.tasks.send_notification_email"


def _base(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def _record_identification(stack: Stack, port: int) -> tuple[int, object]:
    """The colleague records that the child was identified: the owner and the follower are
    notified of the identification and of the safeguarding recorded with it."""
    return http(
        "POST",
        f"{_base(port)}/api/v1/victims/{stack.seed['victim']}/events",
        token=stack.seed["colleague_token"],
        body={"kind": "identified", "occurred_on": "2026-11-01"},
    )


def _identification_notices(stack: Stack) -> list[tuple[int, str]]:
    return stack.rows(
        "SELECT n.id, u.email FROM victimid_notification n "
        "JOIN victimid_user u ON u.id = n.recipient_id ORDER BY n.id"
    )


def _mailed_recipients(stack: Stack) -> Counter[str]:
    """Who received an e-mail, counted per message written by the file backend."""
    sent: Counter[str] = Counter()
    for path in stack.mail_dir.glob("*.log"):
        for recipient in re.findall(r"^To: (.+)$", path.read_text(), flags=re.MULTILINE):
            sent[recipient.strip()] += 1
    return sent


def test_a_clue_posted_while_the_broker_is_down_is_saved_and_its_work_runs_once_later(
    stack: Stack,
) -> None:
    port = stack.processes.gunicorn()
    stack.redis.stop()

    status, clue = stack.post_clue(port, "Posted without a broker")
    assert status == 201, clue
    status, events = _record_identification(stack, port)
    assert status == 201, events
    notices = _identification_notices(stack)
    # The owner and the follower abroad, of the identification and of the safeguarding
    # recorded with it; not the colleague who recorded them.
    assert len(notices) == 4
    # The work waits in the outbox, and /readyz says so.
    status, ready = http("GET", f"{_base(port)}/readyz")
    assert status == 503
    assert ready["checks"] == {"database": "ok", "broker": "failed"}
    # The e-mails, and the correlation of the new clue with others (issue 12).
    assert ready["outbox_backlog"] == len(notices) + 1, stack.rows(
        "SELECT task_name, args, sent_at, last_error FROM victimid_outboxmessage"
    )

    stack.redis.start()
    stack.processes.worker("worker", beat=True)  # beat runs the relay every 10 s

    expected = Counter(email for _id, email in notices)
    wait_for(
        lambda: (
            _mailed_recipients(stack) == expected
            and not stack.rows("SELECT 1 FROM victimid_outboxmessage WHERE sent_at IS NULL")
        ),
        seconds=60,
        what="the queued e-mails",
        log=lambda: stack.processes.log("worker"),
    )
    time.sleep(12)  # another relay round: nothing is handed over or sent twice
    assert _mailed_recipients(stack) == expected
    assert stack.rows(
        "SELECT count(*) FROM victimid_notification WHERE emailed_at IS NOT NULL"
    ) == [(len(notices),)]
    status, ready = http("GET", f"{_base(port)}/readyz")
    assert (status, ready["outbox_backlog"]) == (200, 0)


def test_the_database_restarting_under_a_running_web_server_answers_503_then_recovers(
    stack: Stack,
) -> None:
    port = stack.processes.gunicorn(workers=2)
    token = stack.seed["owner_token"]
    series_url = f"{_base(port)}/api/v1/series/{stack.seed['series']}"
    for _ in range(4):  # every gunicorn worker holds a connection to the database
        assert http("GET", series_url, token=token)[0] == 200

    stack.postgres.stop()
    for _ in range(4):
        status, body = http("GET", series_url, token=token)
        assert status == 503, body
        assert body["error"]["code"] == "unavailable"
    status, body = stack.post_clue(port, "Posted during the outage")
    assert status == 503, body
    status, ready = http("GET", f"{_base(port)}/readyz")
    assert status == 503
    assert ready["checks"]["database"] == "failed"

    stack.postgres.start()
    for _ in range(6):  # every worker, each with its dropped connection, recovers
        status, body = http("GET", series_url, token=token)
        assert status == 200, body
    status, clue = stack.post_clue(port, "Posted after the outage")
    assert status == 201, clue
    assert http("GET", f"{_base(port)}/readyz")[0] == 200
    titles = {title for (title,) in stack.rows("SELECT title FROM cases_clue")}
    assert "Posted after the outage" in titles
    assert "Posted during the outage" not in titles
    # Every line the web server wrote is one JSON record (the outage's errors included).
    for line in stack.processes.log("web").splitlines():
        assert json.loads(line)["level"], line


def test_two_workers_given_the_same_job_send_the_email_once(stack: Stack) -> None:
    with HoldingSmtpServer(hold_seconds=3) as smtp:
        smtp_env = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_USE_TLS": "false",
        }
        stack.processes.env.update(smtp_env)
        port = stack.processes.gunicorn()
        stack.redis.stop()  # keep the e-mails in the outbox while the workers start
        assert _record_identification(stack, port)[0] == 201
        stack.redis.start()
        stack.processes.worker("worker-a")
        stack.processes.worker("worker-b")
        notice_id = _identification_notices(stack)[0][0]
        # The same job twice at once (as a relay retrying a hand-over would), one for each
        # worker: the first holds the row while the mail server is slow to answer.
        publish = (
            "from victimid.tasks import send_notification_email as t; "
            f"[t.delay({notice_id}) for _ in range(2)]"
        )
        stack.processes.manage("shell", "-c", publish)
        wait_for(
            lambda: _succeeded(stack, "worker-a") + _succeeded(stack, "worker-b") >= 2,
            seconds=60,
            what="both deliveries to finish",
            log=lambda: stack.processes.log("worker-a") + stack.processes.log("worker-b"),
        )
        assert _succeeded(stack, "worker-a") == 1
        assert _succeeded(stack, "worker-b") == 1
        notice_email = _identification_notices(stack)[0][1]
        assert smtp.delivered.count(notice_email) == 1


def _succeeded(stack: Stack, worker: str) -> int:
    """How many e-mail tasks this worker finished (whatever they decided)."""
    log = stack.processes.log(worker)
    return len(re.findall(rf"Task {re.escape(EMAIL_TASK)}\[[^\]]+\] succeeded", log))


def test_a_worker_killed_in_the_middle_of_a_job_completes_it_once_after_a_restart(
    stack: Stack,
) -> None:
    with HoldingSmtpServer(hold_seconds=3600) as smtp:
        stack.processes.env.update(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            EMAIL_USE_TLS="false",
        )
        port = stack.processes.gunicorn()
        stack.processes.worker("worker")
        assert _record_identification(stack, port)[0] == 201
        # The worker is inside its first send, the mail server sitting on the message.
        wait_for(lambda: smtp.holding >= 1, seconds=60, what="the first send to start")
        stack.processes.kill("worker")  # SIGKILL: no clean-up, no acknowledgement
        smtp.release()  # the mail server answers normally from now on
        stack.processes.worker("worker-again")
        expected = Counter(email for _id, email in _identification_notices(stack))
        wait_for(
            lambda: Counter(smtp.delivered) == expected,
            seconds=90,
            what="every e-mail once",
            log=lambda: stack.processes.log("worker-again"),
        )
        time.sleep(8)  # past the visibility timeout: nothing comes back a second time
        assert Counter(smtp.delivered) == expected
        assert stack.rows(
            "SELECT count(*) FROM victimid_notification WHERE emailed_at IS NULL"
        ) == [(0,)]


_QUEUE_TRIAGE_JOB = """
from django.core.files.uploadedfile import SimpleUploadedFile
from cases.services.triage import triage_job_create
from victimid.models import User
owner = User.objects.get(email="owner@nl.example.org")
values = b"".join(b"%032x\\n" % n for n in range({lines}))
job = triage_job_create(actor=owner, upload=SimpleUploadedFile("probes.txt", values))
print(job.pk)
"""

_QUEUE_IMPORT_JOB = """
from django.core.files.uploadedfile import SimpleUploadedFile
from cases.models import Series
from cases.services.imports import hash_import_create
from victimid.models import User
owner = User.objects.get(email="owner@nl.example.org")
series = Series.objects.get(code="{series}")
values = b"".join(b"%040x\\n" % n for n in range(1, {lines} + 1))
job = hash_import_create(actor=owner, series=series, upload=SimpleUploadedFile("set.txt", values))
print(job.pk)
"""

# The lease a worker holds a job by, short here so that the test waits seconds, not
# minutes; beat looks for lapsed leases every two seconds.
# Long enough that the worker is killed while it reads (after its first 4 MB block of 33).
LINES = 1_000_000
_LEASE = {"UPLOAD_JOB_LEASE_SECONDS": "15", "UPLOAD_JOB_REQUEUE_SECONDS": "2"}


def _job_status(stack: Stack, table: str, job_id: int) -> str:
    return stack.rows(f"SELECT status FROM {table} WHERE id = %s", job_id)[0][0]  # noqa: S608


def _kill_in_the_middle_then_restart(stack: Stack, table: str, job_id: int) -> None:
    """SIGKILL the worker while it reads the job's file; a new worker (and beat) finishes it."""

    def reading_or_ended() -> bool:
        status, bytes_read = stack.rows(
            f"SELECT status, bytes_read FROM {table} WHERE id = %s",  # noqa: S608
            job_id,
        )[0]
        return bytes_read > 0 or status not in ("queued", "running")

    wait_for(
        reading_or_ended,
        seconds=60,
        what="the worker to start reading the job's file",
        log=lambda: stack.processes.log("worker"),
    )
    if _job_status(stack, table, job_id) != "running":
        pytest.skip("the job finished before the worker could be killed: make it longer")
    stack.processes.kill("worker")  # SIGKILL in the middle of reading the file
    stack.processes.worker("worker-again", beat=True)
    wait_for(
        lambda: _job_status(stack, table, job_id) not in ("queued", "running"),
        # The lease lapses (15 s), beat or a redelivery hands the job over, and the job runs
        # again from the start: generous, for a shared machine under load.
        seconds=300,
        what="the job to complete after the restart",
        log=lambda: stack.processes.log("worker-again"),
    )
    assert _job_status(stack, table, job_id) == "done", stack.processes.log("worker-again")
    attempts = stack.rows(f"SELECT attempts FROM {table} WHERE id = %s", job_id)[0][0]  # noqa: S608
    assert attempts >= 2  # the killed run, then the one that finished it


@pytest.mark.skipif(
    os.environ.get("FAULTS_SLOW") != "1", reason="over a minute: `make faults` runs it"
)
def test_a_worker_killed_in_the_middle_of_a_triage_job_completes_it_after_a_restart(
    stack: Stack,
) -> None:
    stack.processes.env.update(_LEASE)
    stack.processes.worker("worker")
    output = stack.processes.manage("shell", "-c", _QUEUE_TRIAGE_JOB.format(lines=LINES))
    job_id = int(output.strip().splitlines()[-1])

    _kill_in_the_middle_then_restart(stack, "cases_triagejob", job_id)

    assert stack.rows("SELECT count(*) FROM cases_triagejob") == [(1,)]
    # Every probe value once: the killed run left none, the run that finished wrote each.
    assert stack.rows(
        "SELECT count(*), count(DISTINCT line) FROM cases_triageresult WHERE job_id = %s", job_id
    ) == [(LINES, LINES)]
    assert stack.rows(
        "SELECT new_values, values_read FROM cases_triagejob WHERE id = %s", job_id
    ) == [(LINES, LINES)]


@pytest.mark.skipif(
    os.environ.get("FAULTS_SLOW") != "1", reason="over a minute: `make faults` runs it"
)
def test_a_worker_killed_in_the_middle_of_an_import_completes_it_once_after_a_restart(
    stack: Stack,
) -> None:
    stack.processes.env.update(_LEASE)
    stack.processes.worker("worker")
    before = stack.rows("SELECT count(*) FROM cases_knownhash")[0][0]
    queue = _QUEUE_IMPORT_JOB.format(series=stack.seed["series"], lines=600_000)
    job_id = int(stack.processes.manage("shell", "-c", queue).strip().splitlines()[-1])

    _kill_in_the_middle_then_restart(stack, "cases_hashimportjob", job_id)

    # Each value once in the series, counted once, and one audit event of the addition.
    assert stack.rows("SELECT count(*) FROM cases_knownhash")[0][0] == before + 600_000
    assert stack.rows(
        "SELECT added, already_in_series FROM cases_hashimportjob WHERE id = %s", job_id
    ) == [(600_000, 0)]
    assert stack.rows(
        "SELECT count(*) FROM victimid_auditevent"
        " WHERE action = 'hashes.added' AND details->>'job' = %s",
        str(job_id),
    ) == [(1,)]
