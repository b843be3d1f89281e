"""The named world of the access matrix: one actor of every kind, and records at a level.

Actors (issue 9): anonymous, unvetted, a vetted user without a casework role, oversight,
auditor, admin — who see no casework — and the casework actors: the owner, a coordinator
and an investigator of another agency in the owner's country, an outsider abroad, a
member of the record's sharing group, and two grantees (one personally, one through
their agency). Everything is built with the factories, through the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from cases.choices import Distribution
from cases.models import Clue, IdentificationEvent, KnownHash, Series, Victim
from tests.conftest import api_client_for, signed_in_client
from tests.factories import (
    AgencyFactory,
    ClueFactory,
    GrantFactory,
    IdentificationEventFactory,
    KnownHashFactory,
    PendingUserFactory,
    SeriesFactory,
    SharingGroupFactory,
    UserFactory,
    VictimFactory,
)
from victimid.choices import Role
from victimid.models import Agency, SharingGroup, User

ANONYMOUS = "anonymous"
ACTORS = [
    ANONYMOUS,
    "unvetted",
    "no_role",
    "oversight",
    "auditor",
    "admin",
    "owner",
    "coordinator",
    "same_country",
    "abroad",
    "group_member",
    "user_grantee",
    "agency_grantee",
]
LEVELS = [Distribution.AGENCY, Distribution.COUNTRY, Distribution.GROUP, Distribution.NETWORK]
HASH_VALUE = "0123456789abcdef0123456789abcdef"


@dataclass
class Records:
    """What the owner recorded at one level: a series with a hash, a clue, a child, an event."""

    level: str
    series: Series
    known_hash: KnownHash
    clue: Clue
    victim: Victim
    event: IdentificationEvent


@dataclass
class World:
    users: dict[str, User]
    owning_agency: Agency
    outsider_agency: Agency
    sharing_group: SharingGroup
    _page_clients: dict[str, Client] = field(default_factory=dict)
    _api_clients: dict[str, APIClient] = field(default_factory=dict)

    def user(self, name: str) -> User | None:
        return None if name == ANONYMOUS else self.users[name]

    def page_client(self, name: str) -> Client:
        """A browser session: signed in with a verified second factor (anonymous: none)."""
        if name not in self._page_clients:
            user = self.user(name)
            self._page_clients[name] = Client() if user is None else signed_in_client(user)
        return self._page_clients[name]

    def api_client(self, name: str) -> APIClient:
        """An API client with a bearer token; the unvetted user may hold none: a session."""
        if name not in self._api_clients:
            if name == "unvetted":
                client = APIClient()
                client.cookies = self.page_client(name).cookies
            else:
                client = api_client_for(self.user(name))
            self._api_clients[name] = client
        return self._api_clients[name]

    def records_at(self, level: str) -> Records:
        owner = self.users["owner"]
        group = self.sharing_group if level == Distribution.GROUP else None
        shared: dict[str, Any] = {"distribution": level, "sharing_group": group}
        series = SeriesFactory(actor=owner, title=f"Lighthouse room {level}", **shared)
        known_hash = KnownHashFactory(series=series, value=HASH_VALUE)
        clue = ClueFactory(actor=owner, series=series, title=f"Lighthouse socket {level}", **shared)
        victim = VictimFactory(actor=owner, series=[series], **shared)
        event = IdentificationEventFactory(
            actor=owner, victim=victim, kind="provisionally_identified"
        )
        for record in (series, clue, victim):
            GrantFactory(record=record, user=self.users["user_grantee"])
            GrantFactory(record=record, agency=self.users["agency_grantee"].agency)
        return Records(
            level=level,
            series=series,
            known_hash=known_hash,
            clue=clue,
            victim=victim,
            event=event,
        )


def build_world() -> World:
    owning = AgencyFactory(name="Owning Agency", country="NL")
    neighbour = AgencyFactory(name="Neighbour Agency", country="NL")
    abroad = AgencyFactory(name="Agency Abroad", country="ES")
    member = AgencyFactory(name="Group Member Agency", country="BR")
    users = {
        "unvetted": PendingUserFactory(email="pending@owning.example.org", agency=owning),
        "no_role": UserFactory(email="norole@owning.example.org", agency=owning, roles=[]),
        "oversight": UserFactory(
            email="oversight@example.org", agency=abroad, roles=[Role.OVERSIGHT]
        ),
        "auditor": UserFactory(email="auditor@example.org", agency=abroad, roles=[Role.AUDITOR]),
        "admin": UserFactory(email="admin@example.org", agency=None, roles=[Role.ADMIN]),
        "owner": UserFactory(email="owner@owning.example.org", agency=owning),
        "coordinator": UserFactory(
            email="coordinator@neighbour.example.org", agency=neighbour, roles=[Role.COORDINATOR]
        ),
        "same_country": UserFactory(email="investigator@neighbour.example.org", agency=neighbour),
        "abroad": UserFactory(email="investigator@abroad.example.org", agency=abroad),
        "group_member": UserFactory(email="investigator@member.example.org", agency=member),
        "user_grantee": UserFactory(
            email="grantee@ph.example.org", agency=AgencyFactory(country="PH")
        ),
        "agency_grantee": UserFactory(
            email="grantee@fr.example.org", agency=AgencyFactory(country="FR")
        ),
    }
    manager = UserFactory(
        email="coordinator@owning.example.org", agency=owning, roles=[Role.COORDINATOR]
    )
    group = SharingGroupFactory(actor=manager, name="Harbour task force", members=[member])
    return World(users=users, owning_agency=owning, outsider_agency=abroad, sharing_group=group)
