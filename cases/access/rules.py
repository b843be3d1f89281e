"""The table of access rules: for each kind of casework record, what admits a reader.

This is the whole need-to-know policy, written as data. Querysets
(``Model.objects.visible_to``), single-record checks (``can_view``, ``can_edit``),
the grant models of each kind and the SQL of every list are derived from it in
``cases.access.policy``, over the access keys that ``cases.access.keys`` derives from
the same rows and keeps on each record with database triggers; nothing else decides
who sees a record. A change to this table needs a migration that installs the triggers
again and derives every record's keys anew (``cases.access.keys.fingerprint``).

A reader first passes the user-level gate (``victimid.gate``: active, vetted and
current, second factor verified, a casework role). Then a record is visible when

- its **own level** admits the reader (``OwnLevel``; kinds without one have none), and
- each **parent** it follows is visible too (``Follows`` one parent by a foreign key,
  ``FollowsAny`` when at least one of several linked parents is enough);

or, for a kind that can be routed (``RoutedTo``), an open routing request to the
reader's country admits them as its coordinator or as the person it was passed to.

A kind may add a necessary condition that is cheap to index (``AgencyReach``: a row kept
per agency, read only by that agency's people while its reach is above nothing); it only
ever narrows what the other elements admit.

Models are named by label (``"cases.Series"``), so this module imports no model and
the models may ask the policy for ``visible_to`` without an import cycle.

Adding a kind of record (a triage result, an assessment, a suggestion) means adding a
row to ``RULES``; ``docs/architecture.md`` says how.
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.choices import Distribution

__all__ = [
    "LEVELS",
    "RULES",
    "AgencyReach",
    "Follows",
    "FollowsAny",
    "LevelRule",
    "OwnLevel",
    "Personal",
    "RecordRule",
    "RoutedTo",
    "rule_for",
]


@dataclass(frozen=True)
class LevelRule:
    """One way a distributed record's own level admits a reader.

    ``level`` is the distribution value this applies to (``None``: every level).
    ``column`` is the record's column compared with the reader's ``reader_key``:
    ``agency`` (the reader's agency id), ``country`` (the reader's agency's country),
    ``groups`` (the sharing groups the reader's agency belongs to), or nothing when the
    level alone admits every vetted reader. ``cases.access.keys`` makes the comparison
    when the record is written and keeps its outcome on the record as access keys.
    """

    level: str | None
    column: str | None
    reader_key: str | None
    why: str


# Why each level admits whom. Every level admits its owning agency: an agency never
# loses sight of what it recorded, whatever it chose to share.
LEVELS: tuple[LevelRule, ...] = (
    LevelRule(None, "agency_id", "agency", "the owning agency's own people see all it records"),
    LevelRule(
        Distribution.COUNTRY,
        "owner_country",
        "country",
        "'country': every agency of the owner's country (the owner's country is kept on "
        "the record, so no join to the agency is needed)",
    ),
    LevelRule(
        Distribution.GROUP,
        "sharing_group_id",
        "groups",
        "'group': the agencies in the record's sharing group (a multinational task force)",
    ),
    LevelRule(Distribution.NETWORK, None, None, "'network': every vetted user, in every country"),
)


@dataclass(frozen=True)
class OwnLevel:
    """The record carries a distribution level (``DistributedRecord``) and takes grants.

    Explicit grants of one record to one user or one agency are django-guardian
    direct-foreign-key tables (``cases.models.grants``): one row per grant, the agency
    grants held by the agency's own permission group.
    """

    user_grants: str
    agency_grants: str
    permission: str


@dataclass(frozen=True)
class Follows:
    """The record needs its parent (reached by the foreign key ``field``, or a path of
    them such as ``"clue_a__series"``) visible."""

    field: str
    parent: str


@dataclass(frozen=True)
class FollowsAny:
    """The record needs at least one linked parent visible.

    ``link`` is the through model, ``record_field`` its key to this record and
    ``parent_field`` its key to the parent.
    """

    link: str
    record_field: str
    parent_field: str
    parent: str


@dataclass(frozen=True)
class Personal:
    """The record belongs to the user who made it, while they work at the agency it names.

    Work done for one investigator (a triage job over a seizure's hash list, its
    results) is theirs alone: not their colleagues', not their agency's, and not theirs
    any more once they move to another agency. No level, no grants, no keys: two
    columns of the row itself are compared with the reader.
    """

    user_field: str
    agency_field: str


@dataclass(frozen=True)
class RoutedTo:
    """While a routing request is open, the asked country's assessors see the record.

    An investigator asks the coordinators of a country "do you recognise this?"
    (``link``: the request, ``record_field`` its key to the record). While the request's
    ``open_field`` holds ``open_value``, the coordinators of the country in
    ``country_field`` — and the investigator of that country it was passed to
    (``assignee_field``) — see the record **whatever its own level and its parents'**:
    they cannot recognise what they cannot read, and a routed clue of a series hidden
    from them is still shown to them (the series itself stays hidden). The request
    closing (answered or withdrawn) withdraws it. ``cases.access.keys`` keeps this as
    keys on the record and on its copies of its parents' keys.
    """

    link: str
    record_field: str
    country_field: str
    assignee_field: str
    open_field: str
    open_value: str
    why: str


@dataclass(frozen=True)
class AgencyReach:
    """The record is one agency's entry for a record it follows: only that agency reads it,
    and only while the entry's reach says someone there may.

    A list of what touches an agency (the suggestions on its clues) walks the agency's own
    entries on an index, newest first, instead of every record and the rule of each. The
    entry names the agency (``agency_field``) and keeps a **reach** (``reach_field``),
    derived by database triggers from the access keys of the followed record's keyed
    parents and the agency's keys (``cases.access.keys.reach_install_sql``): 2 when every
    parent's keys and copies admit the agency's people by level, group or agency grant; 1
    when each that does not holds a key of one person (a grant to a user, an open routing
    request); 0 otherwise — nobody there can see the followed record. A reader is admitted
    when they work at the entry's agency **and** the reach is above 0, and then only if
    the followed record's own rule admits them (the entry ``Follows`` it): the reach can
    narrow, never widen. ``copied`` are columns of the followed record the entry keeps a
    copy of, so that its index can filter and order by them.
    """

    agency_field: str
    reach_field: str
    copied: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class RecordRule:
    """Everything that admits a reader to one kind of record, and who may change it.

    ``owner`` is the path to the owning agency's id: only that agency's casework users
    change the record (and only while they may see it). ``None``: nobody changes it
    (an appended log).
    """

    model: str
    own: OwnLevel | None
    parents: tuple[Follows | FollowsAny, ...]
    owner: str | None
    why: str
    personal: Personal | None = None
    routes: RoutedTo | None = None
    reach: AgencyReach | None = None


RULES: tuple[RecordRule, ...] = (
    RecordRule(
        model="cases.Series",
        own=OwnLevel("cases.SeriesUserGrant", "cases.SeriesAgencyGrant", "view_series"),
        parents=(),
        owner="agency_id",
        why="a series is shared by its own level and grants",
    ),
    RecordRule(
        model="cases.Clue",
        own=OwnLevel("cases.ClueUserGrant", "cases.ClueAgencyGrant", "view_clue"),
        parents=(Follows("series", "cases.Series"),),
        owner="agency_id",
        why="a clue needs its own level and its series': sharing a clue of a hidden "
        "series would tell the reader that the series exists",
        routes=RoutedTo(
            link="cases.RoutingRequest",
            record_field="clue",
            country_field="country",
            assignee_field="assignee",
            open_field="status",
            open_value="open",
            why="its owner asked that country whether they recognise it: the asked "
            "country's coordinators, and the investigator they pass it to, see the clue "
            "(not its series) until the request is answered or withdrawn",
        ),
    ),
    RecordRule(
        model="cases.KnownHash",
        own=None,
        parents=(Follows("series", "cases.Series"),),
        owner="series__agency_id",
        why="a hash value follows its series",
    ),
    RecordRule(
        model="cases.Claim",
        own=None,
        parents=(Follows("series", "cases.Series"),),
        owner="agency_id",
        why="a claim is seen with its series, so that whoever works the series knows who "
        "else does; the claiming agency renews or withdraws it",
    ),
    RecordRule(
        model="cases.Assessment",
        own=None,
        parents=(Follows("clue", "cases.Clue"),),
        owner=None,
        why="an assessment is seen with its clue, by everyone who may see the clue; it is "
        "appended and never changed (an assessor who changes their mind assesses again)",
    ),
    RecordRule(
        model="cases.RoutingRequest",
        own=None,
        parents=(Follows("clue", "cases.Clue"),),
        owner=None,
        why="a routing request is seen with its clue: by the clue's readers, and by the "
        "asked country's assessors while it is open (the request itself admits them)",
    ),
    RecordRule(
        model="cases.CorrelationSuggestion",
        own=None,
        parents=(
            Follows("clue_a", "cases.Clue"),
            Follows("clue_b", "cases.Clue"),
            Follows("clue_a__series", "cases.Series"),
            Follows("clue_b__series", "cases.Series"),
        ),
        owner=None,
        why="a suggestion links two clues: it is shown only to those who may see both, and "
        "both their series — a clue routed to a country is seen there without its series, "
        "and a suggestion names both series and, confirmed, links them (each owning agency "
        "that may not see the other side is told only that a related restricted clue "
        "exists, and whom to contact)",
    ),
    RecordRule(
        model="cases.SuggestionInbox",
        own=None,
        parents=(Follows("suggestion", "cases.CorrelationSuggestion"),),
        owner=None,
        why="an agency's entry for a suggestion on one of its clues is that agency's list: "
        "seen only with the suggestion itself",
        reach=AgencyReach(
            agency_field="agency_id",
            reach_field="reach",
            copied=("status",),
            why="an agency reads its own list, and skips at once the suggestions that "
            "nobody there may see (the suggestion's rule still decides the rest): a "
            "reader's agency may see one in twenty of the other side's clues, and testing "
            "both clues of every suggestion on the way to a page walked 50 times too far",
        ),
    ),
    RecordRule(
        model="cases.Victim",
        own=OwnLevel("cases.VictimUserGrant", "cases.VictimAgencyGrant", "view_victim"),
        parents=(FollowsAny("cases.VictimSeries", "victim", "series", "cases.Series"),),
        owner="agency_id",
        why="a child keeps a level of its own and follows the series it appears in: "
        "one visible series is enough",
    ),
    RecordRule(
        model="cases.IdentificationEvent",
        own=None,
        parents=(Follows("victim", "cases.Victim"),),
        owner=None,
        why="the identification log follows its child and is never changed",
    ),
    RecordRule(
        model="cases.TriageJob",
        own=None,
        parents=(),
        owner="agency_id",
        why="a triage job over a seizure's hash list is its investigator's own work: only "
        "they see it and its probe values, and only while at the agency that ran it",
        personal=Personal("created_by_id", "agency_id"),
    ),
    RecordRule(
        model="cases.TriageResult",
        own=None,
        parents=(Follows("job", "cases.TriageJob"),),
        owner=None,
        why="a triage result follows its job and is never changed",
    ),
    RecordRule(
        model="cases.HashImportJob",
        own=None,
        parents=(),
        owner="agency_id",
        why="an import job is its investigator's own work; what it imports follows the "
        "series it imports into",
        personal=Personal("created_by_id", "agency_id"),
    ),
)

_BY_LABEL = {rule.model.lower(): rule for rule in RULES}


def rule_for(label: str) -> RecordRule:
    """The rule of the model with this label (``app_label.ModelName``, any case)."""
    try:
        return _BY_LABEL[label.lower()]
    except KeyError:
        raise LookupError(
            f"No access rule for {label}; add a row to cases.access.rules.RULES"
        ) from None
