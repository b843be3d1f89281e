"""Static checks the suite holds the code to: mypy with django-stubs, and the import contracts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_mypy_reports_no_errors():
    env = {**os.environ, "DEBUG": "true"}  # the settings need no SECRET_KEY in debug mode
    # The django-stubs plugin imports the settings but never connects; a placeholder URL
    # keeps the settings from starting the embedded server for it.
    env.setdefault("DATABASE_URL", "postgresql://typecheck@127.0.0.1:5432/unused")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "victimid", "cases", "config"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"mypy failed:\n{result.stdout}{result.stderr}"


def test_the_import_contracts_hold():
    # pyproject.toml [tool.importlinter]: victimid knows nothing of cases, layers point one
    # way, and no sibling modules import each other in a cycle.
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"an import contract is broken:\n{result.stdout}{result.stderr}"
