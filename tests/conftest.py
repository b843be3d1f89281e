"""Fixtures shared by the whole suite: the actors and signed-in clients.

The actors follow CONVENTIONS.md: an investigator at the owning agency, a
colleague at the same agency, another agency in the same country, an
investigator abroad, coordinators, an unvetted user, oversight and an auditor.
"""

from __future__ import annotations

import fcntl
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, TransactionTestCase
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from config.env import env_str
from tests.factories import PASSWORD, AgencyFactory, PendingUserFactory, UserFactory
from victimid.choices import Role
from victimid.models import Agency, User

# The casework fixtures (series, clue, records at a level...) for every test package.
pytest_plugins = ["tests.casework_fixtures"]

_TEST_RUN_LOCK: list[object] = []


def pytest_configure(config: pytest.Config) -> None:
    """With the embedded server, let one test run at a time use this checkout's database.

    Every run creates the same test database (``test_victimid``) on the one embedded
    server under ``var/``; a second run started meanwhile would drop it from under
    the first. The lock is an flock, so a killed run never leaves it behind.
    """
    if env_str("DATABASE_URL"):
        return  # a configured server: CI and developers choose distinct database names
    if hasattr(config, "workerinput"):
        return  # a pytest-xdist worker: the run that started it holds the lock
    var_dir = Path(env_str("VAR_DIR") or Path(__file__).resolve().parent.parent / "var")
    var_dir.mkdir(parents=True, exist_ok=True)
    lock = (var_dir / "embedded-test-run.lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("Another test run uses the embedded database; waiting for it.", file=sys.stderr)
        fcntl.flock(lock, fcntl.LOCK_EX)
    _TEST_RUN_LOCK.append(lock)  # held until this process exits


def current_code(user: User) -> str:
    """The current TOTP code of the user's confirmed device."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def signed_in_client(user: User, *, verified: bool = True) -> Client:
    """A web client signed in as ``user``, with or without a verified second factor."""
    client = Client()
    response = client.post("/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    if verified:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        device.last_t = -1  # allow re-use of the current step across clients in one test
        device.save(update_fields=["last_t"])
        response = client.post("/mfa/verify/", {"token": current_code(user)})
        assert response.status_code == 302, response.content[:500]
    return client


def api_client_for(user: User | None) -> APIClient:
    """An API client authenticated with a fresh bearer token (anonymous for None)."""
    client = APIClient()
    if user is not None:
        from victimid.services.tokens import api_token_issue

        _record, token = api_token_issue(user=user, name="test", days=30)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@dataclass
class Actors:
    agency: Agency
    agency_same_country: Agency
    agency_abroad: Agency
    owner: User
    colleague: User
    same_country: User
    abroad: User
    coordinator: User
    coordinator_abroad: User
    unvetted: User
    oversight: User
    auditor: User
    admin: User


@pytest.fixture
def actors(db: None) -> Actors:
    agency = AgencyFactory(name="Owning Agency", country="NL")
    same_country = AgencyFactory(name="Neighbour Agency", country="NL")
    abroad = AgencyFactory(name="Agency Abroad", country="ES")
    return Actors(
        agency=agency,
        agency_same_country=same_country,
        agency_abroad=abroad,
        owner=UserFactory(email="owner@nl.example.org", agency=agency),
        colleague=UserFactory(email="colleague@nl.example.org", agency=agency),
        same_country=UserFactory(email="neighbour@nl.example.org", agency=same_country),
        abroad=UserFactory(email="abroad@es.example.org", agency=abroad),
        coordinator=UserFactory(
            email="coordinator@nl.example.org", agency=same_country, roles=[Role.COORDINATOR]
        ),
        coordinator_abroad=UserFactory(
            email="coordinator@es.example.org", agency=abroad, roles=[Role.COORDINATOR]
        ),
        unvetted=PendingUserFactory(email="pending@nl.example.org", agency=agency),
        oversight=UserFactory(
            email="oversight@int.example.org", agency=abroad, roles=[Role.OVERSIGHT]
        ),
        auditor=UserFactory(email="auditor@int.example.org", agency=abroad, roles=[Role.AUDITOR]),
        admin=UserFactory(email="admin@example.org", agency=None, roles=[Role.ADMIN]),
    )


@pytest.fixture(scope="session", autouse=True)
def _audit_table_allows_test_flush() -> Iterator[None]:
    """Let the flush after a transactional test empty the append-only audit table.

    Transactional tests (``live_server``, ``transactional_db``) commit for real,
    and Django empties every table with TRUNCATE after each of them. The audit
    table's trigger refuses TRUNCATE, as it must outside tests; it is disabled
    for that flush only and enabled again straight after, so every other test
    still finds the table append-only.
    """
    original = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self: TransactionTestCase) -> None:
        _set_truncate_guard(enabled=False)
        try:
            original(self)
        finally:
            _set_truncate_guard(enabled=True)

    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[method-assign]
    yield
    TransactionTestCase._fixture_teardown = original  # type: ignore[method-assign]


def _set_truncate_guard(*, enabled: bool) -> None:
    action = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        for table in ("victimid_auditevent", "victimid_auditcheckpoint"):
            cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {table}_no_truncate")
