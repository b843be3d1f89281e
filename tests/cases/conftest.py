"""Casework fixtures for the service and selector tests."""

from tests.casework_fixtures import (
    agency_level,
    clue,
    country_level,
    series,
    sockets,
    task_force,
)

__all__ = ["agency_level", "clue", "country_level", "series", "sockets", "task_force"]
