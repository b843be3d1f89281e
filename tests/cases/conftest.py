"""Casework fixtures for the service and selector tests."""

from tests.casework_fixtures import clue, series, sockets, task_force

__all__ = ["clue", "series", "sockets", "task_force"]
