"""The truth table of the matrix, written from the design's words, not from cases.access.

Who may see a record at each level, who changes it, and what each kind of route answers
to each actor. A typo here cannot hide a leak: ``test_the_truth_table_reads_as_the_design``
spot-checks it against the design's sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PAGE = "page"
API = "api"

GRANTEES = {"user_grantee", "agency_grantee"}
# Vetted investigators and coordinators: the only actors who see any casework.
CASEWORK = {
    "owner",
    "coordinator",
    "same_country",
    "abroad",
    "group_member",
    *GRANTEES,
}
SIGNED_IN_WITHOUT_CASEWORK = {"unvetted", "no_role", "oversight", "auditor", "admin"}
# Who sees a record (and the records under it) at each level; grants reach the grantees
# whatever the level.
SEES = {
    "agency": {"owner", *GRANTEES},
    "country": {"owner", "coordinator", "same_country", *GRANTEES},
    "group": {"owner", "group_member", *GRANTEES},
    "network": CASEWORK,
}
# The owning agency changes its records; nobody else, whatever they may see.
OWNING_AGENCY = {"owner"}
# Who reads the aggregate figures: oversight (every country), coordinators (their country)
# and investigators (their agency); never auditors, admins or anyone unvetted.
FIGURE_READERS = {*CASEWORK, "oversight"}
# Who decides vetting and accounts: coordinators (of the subject's country) and admins.
MANAGERS = {"coordinator", "admin"}
# Who reads the audit trail: auditors and platform admins, nobody else.
AUDITORS = {"auditor", "admin"}


@dataclass(frozen=True)
class Expect:
    """What a route answers an actor: the status, and whether the actor was let through."""

    status: int
    allowed: bool


# (surface, actor, level, the route's success status) -> what it answers.
Rule = Callable[[str, str, str, int], Expect]


def sees(actor: str, level: str) -> bool:
    return actor in SEES[level]


def _refused(status: int) -> Expect:
    return Expect(status, allowed=False)


def _not_signed_in(surface: str) -> Expect:
    return _refused(302 if surface == PAGE else 401)


def _casework_gate(surface: str, actor: str) -> Expect | None:
    """Anonymous: sign in first. Signed in without casework: 403 on every casework route."""
    if actor == "anonymous":
        return _not_signed_in(surface)
    if actor not in CASEWORK:
        return _refused(403)
    return None


def casework(surface: str, actor: str, level: str, ok: int) -> Expect:
    """A casework route whose answer does not depend on a record (lists, create forms)."""
    return _casework_gate(surface, actor) or Expect(ok, allowed=True)


def reads(surface: str, actor: str, level: str, ok: int) -> Expect:
    """Reading one record, or adding to it (a clue on a series, an event to a child,
    following): 404 when it is not visible, exactly as if it did not exist."""
    gate = _casework_gate(surface, actor)
    if gate:
        return gate
    return Expect(ok, allowed=True) if sees(actor, level) else _refused(404)


def changes(surface: str, actor: str, level: str, ok: int) -> Expect:
    """Changing one record: 404 when not visible, 403 when visible but not the owner's."""
    gate = _casework_gate(surface, actor)
    if gate:
        return gate
    if not sees(actor, level):
        return _refused(404)
    return Expect(ok, allowed=True) if actor in OWNING_AGENCY else _refused(403)


def refers_to(refused: int) -> Rule:
    """Creating a record that names a visible one (a victim in a series): a hidden one is
    an unknown value, a 400 that names the field, not a 404."""

    def rule(surface: str, actor: str, level: str, ok: int) -> Expect:
        gate = _casework_gate(surface, actor)
        if gate:
            return gate
        return Expect(ok, allowed=True) if sees(actor, level) else _refused(refused)

    return rule


def into_owned(surface: str, actor: str, level: str, ok: int) -> Expect:
    """Creating work that names a record to change (an import into a series): a hidden
    record is an unknown value (400), a visible one of another agency's 403."""
    gate = _casework_gate(surface, actor)
    if gate:
        return gate
    if not sees(actor, level):
        return _refused(400)
    return Expect(ok, allowed=True) if actor in OWNING_AGENCY else _refused(403)


def own_work(surface: str, actor: str, level: str, ok: int) -> Expect:
    """Work that is one user's own (a triage job): theirs alone, whatever the level; 404
    for every other casework user, colleagues included, exactly as if it did not exist."""
    gate = _casework_gate(surface, actor)
    if gate:
        return gate
    return Expect(ok, allowed=True) if actor == "owner" else _refused(404)


def signed_in(surface: str, actor: str, level: str, ok: int) -> Expect:
    """Any signed-in user with a verified second factor, whatever their role."""
    return _not_signed_in(surface) if actor == "anonymous" else Expect(ok, allowed=True)


def managers(surface: str, actor: str, level: str, ok: int) -> Expect:
    """Coordinators and admins (vetting, invitations); 403 for every other signed-in user."""
    if actor == "anonymous":
        return _not_signed_in(surface)
    return Expect(ok, allowed=True) if actor in MANAGERS else _refused(403)


def auditors(surface: str, actor: str, level: str, ok: int) -> Expect:
    """The audit trail: auditors and admins; 403 for every other signed-in user."""
    if actor == "anonymous":
        return _not_signed_in(surface)
    return Expect(ok, allowed=True) if actor in AUDITORS else _refused(403)


def figures(surface: str, actor: str, level: str, ok: int) -> Expect:
    """The oversight figures: aggregates only, whatever the records' levels."""
    if actor == "anonymous":
        return _not_signed_in(surface)
    return Expect(ok, allowed=True) if actor in FIGURE_READERS else _refused(403)


def anyone(surface: str, actor: str, level: str, ok: int) -> Expect:
    """Public: health probes, sign-in and registration."""
    return Expect(ok, allowed=True)


def by_actor(statuses: dict[str, int]) -> Rule:
    """A route whose answer differs by actor in a way none of the rules above says: the
    actors named are refused with their status, the others get the success status."""

    def rule(surface: str, actor: str, level: str, ok: int) -> Expect:
        if actor in statuses:
            return _refused(statuses[actor])
        return Expect(ok, allowed=True)

    return rule
