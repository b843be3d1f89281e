"""The restore drill of docs/deploy.md, performed: pg_dump, pg_restore, verify.

On the test's own PostgreSQL (tests/faults/stack.py), with the PostgreSQL client of the
same version: a custom-format dump of a live database, restored onto a scratch database,
must hold every row of every table, keep the audit log append-only with its hash chain
and signed checkpoints intact (``verify_audit``), be at the latest migration, and have
current access keys.
"""

from __future__ import annotations

import json
import subprocess
import sys

import psycopg
import pytest

from tests.faults.conftest import Stack
from tests.faults.stack import BASE_DIR

pytestmark = [pytest.mark.faults, pytest.mark.integration]

_TABLES = """
SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables ORDER BY 1
"""
_AUDIT_DIGEST = """
SELECT count(*), md5(coalesce(string_agg(row(e.*)::text, '|' ORDER BY e.id), ''))
FROM victimid_auditevent e
"""


def _counts(stack: Stack, database: str) -> dict[str, int]:
    tables = [name for (name,) in stack.postgres.query(_TABLES, database=database)]
    return {
        table: stack.postgres.query(f"SELECT count(*) FROM {table}", database=database)[0][0]
        for table in tables
    }


def test_a_dump_restored_on_a_scratch_database_holds_everything(stack: Stack, tmp_path) -> None:
    # Some work of the day first: a clue posted through the API (and its audit event).
    port = stack.processes.gunicorn(workers=1)
    status, body = stack.post_clue(port, "Before the backup")
    assert status == 201, body
    stack.processes.stop("web")
    # A signed checkpoint of the chain head, as beat writes every ten minutes.
    stack.processes.manage(
        "shell", "-c", "from victimid.services.audit import audit_checkpoint_write as w; w()"
    )

    dump = tmp_path / "victimid.dump"
    bin_dir = stack.postgres.bin
    source = stack.postgres.url(stack.database)
    subprocess.run(
        [str(bin_dir / "pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), source],
        check=True,
    )
    scratch = f"{stack.database}_restore"
    stack.postgres.query(f"CREATE DATABASE {scratch}")
    try:
        subprocess.run(
            [
                str(bin_dir / "pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                stack.postgres.url(scratch),
                str(dump),
            ],
            check=True,
        )
        original = _counts(stack, stack.database)
        restored = _counts(stack, scratch)
        assert restored == original
        assert original["public.cases_clue"] >= 1
        assert original["public.victimid_auditevent"] >= 1
        # The audit log came back event for event, and still refuses changes.
        digest = stack.postgres.query(_AUDIT_DIGEST, database=stack.database)
        assert stack.postgres.query(_AUDIT_DIGEST, database=scratch) == digest
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            stack.postgres.query("UPDATE victimid_auditevent SET action = 'x'", database=scratch)
        # The restored database is at the latest migration and its access keys are current.
        env = {**stack.processes.env, "DATABASE_URL": stack.postgres.url(scratch)}
        checks = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django, json; django.setup()\n"
                "from django.core.management import call_command\n"
                "call_command('migrate', '--check', verbosity=0)\n"
                "call_command('verify_audit')\n"
                "from cases.access.keys import stale_keys\n"
                "print(json.dumps(stale_keys()))",
            ],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert checks.returncode == 0, checks.stdout + checks.stderr
        assert "audit chain intact" in checks.stdout, checks.stdout
        assert "1 signed checkpoints hold" in checks.stdout, checks.stdout
        stale = checks.stdout.strip().splitlines()[-1]
        assert set(json.loads(stale).values()) == {0}, stale
    finally:
        stack.postgres.query(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")
