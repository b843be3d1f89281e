"""gunicorn settings for production: ``gunicorn -c config/gunicorn.py config.wsgi``.

Command-line options still win (``--bind``, ``--workers``). What this file adds:

- gunicorn's own lines (start-up, worker timeouts) as JSON, like the application's, with
  no access log of its own: the application logs one line per request with its route
  name, status, duration and request id (``victimid.metrics.MetricsMiddleware``);
- with ``PROMETHEUS_MULTIPROC_DIR`` set, a worker that exits is marked dead so that the
  metrics of the live ones are what the scrape adds up.
"""

from __future__ import annotations

import os
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104 - behind the proxy
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
accesslog = None
# gunicorn 24+ opens a control socket in $HOME by default: one per machine, which several
# gunicorns (or a test next to a running site) would fight over. Nothing here uses it.
control_socket_disable = True
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "victimid.logs.ContextFilter"}},
    "formatters": {"json": {"()": "victimid.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
