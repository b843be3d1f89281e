"""Typed reading of settings from the environment.

Every setting comes through one of these helpers. A value that cannot be parsed
stops the process at start-up with a message naming the variable, rather than
surfacing later as odd behaviour. A secret may also be given as ``<NAME>_FILE``,
the path of a file holding it (Docker and Kubernetes secrets).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def _raw(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None) -> str | None:
    """Return the variable as text, or ``default`` when unset or empty."""
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    """Return true/false; anything else is refused."""
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return an integer, refusing text and values below ``minimum``."""
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return a comma-separated list with blanks dropped."""
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [part.strip() for part in value.split(",") if part.strip()]


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate as ``<requests>/<seconds>`` (e.g. ``10/300``), both whole numbers above zero."""
    value = _raw(name) or default
    count, slash, seconds = value.partition("/")
    if not slash or not count.strip().isdigit() or not seconds.strip().isdigit():
        raise ImproperlyConfigured(
            f"{name} must be <requests>/<seconds>, e.g. 10/300, not {value!r}"
        )
    parsed = int(count), int(seconds)
    if min(parsed) < 1:
        raise ImproperlyConfigured(f"{name} must count at least 1 request in at least 1 second")
    return parsed
