"""Fixtures shared by the whole suite: the actors and signed-in clients.

The actors follow CONVENTIONS.md: an investigator at the owning agency, a
colleague at the same agency, another agency in the same country, an
investigator abroad, coordinators, an unvetted user, oversight and an auditor.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tests.factories import PASSWORD, AgencyFactory, PendingUserFactory, UserFactory
from victimid.choices import Role
from victimid.models import Agency, User


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
