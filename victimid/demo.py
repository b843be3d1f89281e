"""Fictional, non-graphic demo data for ``make run``: agencies, one user per role.

Every demo account has the same password and a confirmed authenticator; the
``demo_otp`` command prints an account's current code so a person can sign in
with the second factor still enforced.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from victimid.choices import AgencyKind, Role
from victimid.models import Agency, User
from victimid.services.accounts import agency_create, user_create

DEMO_DOMAIN = "demo.victimid.invalid"
# No word of the platform, the demo agencies ("Demo ...") or their countries: the password
# validators refuse those (victimid.password_validation.ContextWordsPasswordValidator).
DEMO_PASSWORD = "Lantern-Orchard-2026"


@dataclass(frozen=True)
class DemoAgency:
    key: str
    name: str
    country: str
    kind: str
    contact: str


AGENCIES = [
    DemoAgency(
        "nl",
        "Demo National Police — VID Team",
        "NL",
        AgencyKind.NATIONAL_VID_UNIT,
        "+31 00 000 0000 (24/7 desk)",
    ),
    DemoAgency(
        "nl2",
        "Demo Regional Police Amsterdam",
        "NL",
        AgencyKind.POLICE,
        "duty.desk@nl-demo.invalid",
    ),
    DemoAgency(
        "es",
        "Demo Policía Nacional — Unidad de Víctimas",
        "ES",
        AgencyKind.NATIONAL_VID_UNIT,
        "+34 00 000 0000",
    ),
    DemoAgency(
        "br", "Demo Polícia Federal — Identificação", "BR", AgencyKind.POLICE, "+55 00 0000 0000"
    ),
    DemoAgency(
        "ph", "Demo Philippine Internet Crimes Unit", "PH", AgencyKind.POLICE, "+63 0 000 0000"
    ),
    DemoAgency(
        "int",
        "Demo International Coordination Office",
        "FR",
        AgencyKind.INTERNATIONAL,
        "+33 0 00 00 00 00",
    ),
]


@dataclass(frozen=True)
class DemoUser:
    local: str
    name: str
    agency: str | None
    role: str


USERS = [
    DemoUser("investigator.nl", "Noor Investigator", "nl", Role.INVESTIGATOR),
    DemoUser("investigator.es", "Elena Investigadora", "es", Role.INVESTIGATOR),
    DemoUser("investigator.br", "Bruno Investigador", "br", Role.INVESTIGATOR),
    DemoUser("coordinator.nl", "Niels Coordinator", "nl", Role.COORDINATOR),
    DemoUser("coordinator.es", "Sofía Coordinadora", "es", Role.COORDINATOR),
    DemoUser("oversight", "Olga Oversight", "int", Role.OVERSIGHT),
    DemoUser("auditor", "Arun Auditor", "int", Role.AUDITOR),
    DemoUser("admin", "Ada Admin", None, Role.ADMIN),
]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def is_seeded() -> bool:
    return User.objects.filter(email=demo_email(USERS[0].local)).exists()


@transaction.atomic
def seed_people() -> dict[str, Agency]:
    """Create the demo agencies and users (vetted, with a confirmed authenticator)."""
    agencies = {
        demo.key: agency_create(
            actor=None,
            name=demo.name,
            country=demo.country,
            kind=demo.kind,
            contact_point=demo.contact,
        )
        for demo in AGENCIES
    }
    for demo in USERS:
        user = user_create(
            actor=None,
            email=demo_email(demo.local),
            agency=agencies[demo.agency] if demo.agency else None,
            role=demo.role,
            full_name=demo.name,
            password=DEMO_PASSWORD,
            vetted=True,
        )
        TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
    # One pending account, so the coordinator's vetting queue has something in it.
    user_create(
        actor=None,
        email=demo_email("pending.nl"),
        agency=agencies["nl2"],
        role=Role.INVESTIGATOR,
        full_name="Pim Pending",
        password=DEMO_PASSWORD,
    )
    return agencies
