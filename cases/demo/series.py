"""Demo series with their hash values and clues, a sharing group and an explicit grant.

Titles are neutral working names; hash values are derived from labels and match no
real file.
"""

from __future__ import annotations

import hashlib
from datetime import date

from cases.choices import Distribution
from cases.models import ClueTaxonomyNode, Series
from cases.services import (
    clue_create,
    known_hashes_add,
    record_grant,
    series_create,
    sharing_group_create,
)
from victimid.demo import demo_email
from victimid.models import Agency, SharingGroup, User

__all__ = ["seed_series"]


def _user(local: str) -> User:
    return User.objects.select_related("agency").get(email=demo_email(local))


def _fake_hashes(label: str, count: int) -> list[dict[str, object]]:
    """Values derived from a label: well-formed, fictional, the same on every run."""
    entries: list[dict[str, object]] = []
    for i in range(count):
        seed = f"victimid-demo:{label}:{i}".encode()
        entries.append({"algorithm": "md5", "value": hashlib.md5(seed).hexdigest()})  # noqa: S324
        entries.append(
            {"algorithm": "sha256", "value": hashlib.sha256(seed).hexdigest(), "vics_category": 1}
        )
    return entries


def _node(slug: str) -> ClueTaxonomyNode:
    return ClueTaxonomyNode.objects.get(slug=slug)


def _series(
    actor: User,
    title: str,
    distribution: str,
    summary: str,
    *,
    group: SharingGroup | None = None,
    hashes: int = 3,
) -> Series:
    series = series_create(
        actor=actor,
        title=title,
        distribution=distribution,
        sharing_group=group,
        summary=summary,
        first_seen=date(2025, 3, 1),
    )
    known_hashes_add(actor=actor, series=series, entries=_fake_hashes(title, hashes))
    return series


def seed_series(*, agencies: dict[str, Agency]) -> None:
    """Seed demo series, hashes and clues owned by the demo agencies, and a sharing group."""
    noor, elena, bruno = (
        _user("investigator.nl"),
        _user("investigator.es"),
        _user("investigator.br"),
    )
    task_force = sharing_group_create(
        actor=_user("coordinator.nl"),
        name="Demo North Sea task force",
        description="Fictional task force of the Dutch and Spanish demo agencies.",
        members=[agencies["es"]],
    )

    blue_room = _series(
        noor,
        "Blue curtains room",
        Distribution.NETWORK,
        "Indoor series; a room with blue curtains and a tiled floor.",
    )
    harbour = _series(
        noor,
        "Harbour view apartment",
        Distribution.COUNTRY,
        "Indoor series with a window overlooking a harbour.",
    )
    kitchen = _series(
        noor, "Yellow tiled kitchen", Distribution.AGENCY, "Kitchen with yellow wall tiles."
    )
    shed = _series(
        noor,
        "Garden shed series",
        Distribution.GROUP,
        "Wooden shed; garden tools on the wall.",
        group=task_force,
    )
    cabin = _series(
        elena, "Mountain cabin", Distribution.NETWORK, "Wooden cabin interior, stone fireplace."
    )
    # One explicit grant: the Brazilian demo investigator may see the agency-only kitchen.
    record_grant(actor=noor, record=kitchen, user=bruno)

    clues = [
        (
            noor,
            blue_room,
            "sockets",
            "Recessed type F wall socket",
            "Cream recessed socket with two earthing clips, low on the wall.",
            ["nld"],
            [("NL", "medium"), ("DE", "low")],
            Distribution.NETWORK,
            None,
        ),
        (
            noor,
            blue_room,
            "food-drink",
            "Chocolate sprinkles box on the shelf",
            "A cardboard box of chocolate sprinkles, blue and white packaging.",
            ["nld"],
            [("NL", "high"), ("BE", "medium")],
            Distribution.NETWORK,
            None,
        ),
        (
            noor,
            harbour,
            "architecture",
            "Gabled brick facades across the water",
            "Narrow brick houses with step gables seen through the window.",
            [],
            [("NL", "medium")],
            Distribution.COUNTRY,
            None,
        ),
        (
            noor,
            kitchen,
            "written-text",
            "Handwritten shopping list",
            "A short list on the fridge door, Latin script, words look Dutch.",
            ["nld"],
            [("NL", "low")],
            Distribution.AGENCY,
            None,
        ),
        (
            noor,
            shed,
            "flora",
            "Hydrangea bush by the door",
            "Blue hydrangea flowers, typical of acid soil.",
            [],
            [("NL", "low"), ("ES", "low")],
            Distribution.GROUP,
            task_force,
        ),
        (
            elena,
            cabin,
            "spoken-language",
            "Radio announcer in the background",
            "A radio announcer speaks Catalan between songs.",
            ["cat", "spa"],
            [("ES", "high"), ("AD", "low")],
            Distribution.NETWORK,
            None,
        ),
        (
            bruno,
            blue_room,
            "electrical",
            "Light switch with rocker",
            "Wide white rocker switch; a Brazilian colleague thinks it is a common European type.",
            [],
            [("NL", "low")],
            Distribution.NETWORK,
            None,
        ),
    ]
    for author, series, slug, title, description, languages, countries, level, group in clues:
        clue_create(
            actor=author,
            series=series,
            taxonomy_node=_node(slug),
            title=title,
            description=description,
            languages=languages,
            country_hypotheses=countries,
            distribution=level,
            sharing_group=group,
        )
