"""The embedded PostgreSQL used when no ``DATABASE_URL`` is given.

``pgserver`` ships PostgreSQL binaries in its wheel, so ``make run`` and
``make test`` work on a machine with no database server. The server keeps its
data under ``VAR_DIR/pgdata`` (``var/pgdata`` in the checkout unless ``VAR_DIR`` says
otherwise) and is shared by every process of the project (web, worker, tests): the
first one to ask starts it, and it stops when the last process that asked exits
(pgserver counts them), so ``make test`` or a management command leaves nothing
running. ``scripts/run.py`` asks once, hands the URL to its children and stops the
server itself when the stack shuts down.
"""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_NAME = "victimid"


def _data_dir(var_dir: Path) -> Path:
    return var_dir / "pgdata"


def embedded_database_url(var_dir: Path, *, stop_at_exit: bool = True) -> str:
    """Start (or reuse) the embedded server and return a URL for its database.

    With ``stop_at_exit`` the server stops when this process exits, unless another
    process still uses it; without, the caller stops it (``stop_embedded``).
    """
    import logging
    import warnings

    logging.getLogger("pgserver").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); harmless here.
        warnings.simplefilter("ignore")
        import pgserver  # imported lazily: production never needs it

    data_dir = _data_dir(var_dir)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = pgserver.get_server(data_dir, cleanup_mode="stop" if stop_at_exit else None)
    # DATABASE_NAME is a constant of this module, never input.
    found = server.psql(f"SELECT 'found' FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
    if "found" not in found:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return server.get_uri(database=DATABASE_NAME)


def stop_embedded(var_dir: Path) -> bool:
    """Stop the embedded server if it is running (fast shutdown: it checkpoints first)."""
    data_dir = _data_dir(var_dir)
    if not (data_dir / "postmaster.pid").exists():
        return False
    import pgserver

    # As root, pgserver runs PostgreSQL as its own system user; pg_ctl must too.
    kwargs = {"user": "pgserver"} if os.geteuid() == 0 else {}
    # pgserver makes one function per bundled binary at import time (setattr), so no stub has it.
    # In a session of its own, so that a second Ctrl-C in the terminal cannot cut short
    # the wait for the server's shutdown.
    pgserver.pg_ctl(  # type: ignore[attr-defined]
        ["stop", "-m", "fast"], pgdata=data_dir, start_new_session=True, **kwargs
    )
    return True
