"""The casework world the API tests share: one actor of every kind, and their clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.conftest import Actors, api_client_for, signed_in_client
from tests.factories import AgencyFactory, UserFactory
from victimid.models import Agency, SharingGroup, User

__all__ = ["MATRIX_ACTORS", "World", "world"]

# Actors of the access matrix (CONVENTIONS.md, issue 3), by name.
MATRIX_ACTORS = [
    "owner",
    "colleague",
    "same_country",
    "abroad",
    "group_member",
    "user_grantee",
    "agency_grantee",
    "unvetted",
    "oversight",
    "auditor",
    "anonymous",
]


@dataclass
class World:
    actors: Actors
    group_agency: Agency
    grantee_agency: Agency
    group_member: User
    user_grantee: User
    agency_grantee: User
    sharing_group: SharingGroup
    owner_coordinator: User
    _clients: dict[str, APIClient] = field(default_factory=dict)

    def user(self, name: str) -> User | None:
        if name == "anonymous":
            return None
        return getattr(self, name, None) or getattr(self.actors, name)

    def client(self, name: str) -> Any:
        if name not in self._clients:
            user = self.user(name)
            # An unvetted user cannot hold a token; a verified session is their only way in.
            if name == "unvetted":
                client = APIClient()
                client.cookies = signed_in_client(user).cookies
            else:
                client = api_client_for(user)
            self._clients[name] = client
        return self._clients[name]


@pytest.fixture
def world(actors) -> World:
    from cases.services import sharing_group_create

    group_agency = AgencyFactory(name="Group Member Agency", country="BR")
    grantee_agency = AgencyFactory(name="Grantee Agency", country="PH")
    owner_coordinator = UserFactory(
        email="coordinator.owner@nl.example.org", agency=actors.agency, roles=["coordinator"]
    )
    group = sharing_group_create(
        actor=owner_coordinator, name="Harbour task force", members=[group_agency]
    )
    return World(
        actors=actors,
        group_agency=group_agency,
        grantee_agency=grantee_agency,
        group_member=UserFactory(email="member@br.example.org", agency=group_agency),
        user_grantee=UserFactory(email="grantee@ph.example.org", agency=grantee_agency),
        agency_grantee=UserFactory(
            email="agency.grantee@fr.example.org", agency=AgencyFactory(country="FR")
        ),
        sharing_group=group,
        owner_coordinator=owner_coordinator,
    )
