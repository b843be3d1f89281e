"""Access keys: the table of rules kept on each row as numbers, and what a reader holds.

Every way ``rules.LEVELS`` and the explicit grants admit a reader becomes a **key**, a
``bigint`` of ``kind << 48 | value``:

========================  ===========================================  ================
kind                      a record carries it when                     a reader holds
========================  ===========================================  ================
``AGENCY``, agency id     it is the owning agency (every level); the   their agency
                          level is ``group`` and the agency is a
                          member of the record's sharing group
``COUNTRY``, country      the level is ``country`` (the owner's        their agency's
                          country, kept on the record)                 country
``EVERYONE``              the level is ``network``                     always
``USER``, user id         an explicit grant to that user               themselves
``AGENCY_GRANT``, group   an explicit grant to an agency (held by      their agency's
                          its permission group)                        permission group
``ROUTED``, country       an open routing request to that country      coordinators of
                          (``RoutedTo``; on the record's own keys and  that country
                          on its copies of its parents')
``USER``, user id         an open routing request passed to that       themselves
                          investigator (as above)
========================  ===========================================  ================

So a record's own level and grants admit a reader exactly when the record's
``access_keys`` and the reader's keys overlap (``access_keys && ARRAY[...]``): the
comparisons of ``LEVELS`` are made once, when the record is written, instead of on
every read. A record with a level of its own that also follows a parent keeps a copy
of the parent's keys (``<field>_access_keys``: a clue its series', a victim the union
of its series' — at least one visible series is the same as the union overlapping the
reader's keys), so that rejecting a record never needs a join. Records without a level
of their own (hash values, identification events) follow their parent by a join: ten
million hash values are not worth a copy.

The keys are kept by PostgreSQL triggers generated here from the same table
(``install_sql``), enabled ``ALWAYS`` so that no write can leave them stale — not a
service, not ``QuerySet.update``, not raw SQL, not a bulk load in replica mode:

- a record's own keys and its copies are derived ``BEFORE INSERT OR UPDATE`` of the row
  (whatever the statement wrote in them is replaced);
- a grant added, changed or revoked, a link to a parent added or removed, an agency
  joining or leaving a sharing group: the records concerned are rewritten ("touched")
  in the same statement, so their keys are derived again;
- a parent whose keys change rewrites the copies of its children.

An agency's entries for the records it owns part of (``rules.AgencyReach``: the
suggestions on its clues) keep a **reach** derived from the same keys, by triggers made
here too (``reach_install_sql``): whether the keys of the followed record's parents admit
the agency's people by what every one of them holds (``agency_keys``: ``AGENCY_KINDS``),
or only by a key one person holds (``PERSONAL_KINDS``), or nobody there.

The numbers of the kinds are stored in every row: never renumber them, and give a new
kind a new number. Any change to ``rules`` goes with a migration that installs the
triggers again and derives every row's keys anew (see ``fingerprint``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model

from cases.access.rules import LEVELS, RULES, Follows, FollowsAny, RecordRule, rule_for

__all__ = [
    "AGENCY_KINDS",
    "KEYS_COLUMN",
    "PERSONAL_KINDS",
    "KeyKind",
    "agency_keys",
    "backfill_sql",
    "copy_column",
    "fingerprint",
    "install_sql",
    "key",
    "keyed_rules",
    "reach_backfill_sql",
    "reach_fingerprint",
    "reach_install_sql",
    "reach_rules",
    "reach_uninstall_sql",
    "reader_keys",
    "stale_keys",
    "stale_reach",
    "uninstall_sql",
]

KEYS_COLUMN = "access_keys"
_SHIFT = 48
_LINE = "\n  "
_EMPTY = "'{}'::bigint[]"


class KeyKind(IntEnum):
    """What a key stands for; the number is stored in every row, so it never changes."""

    AGENCY = 1
    COUNTRY = 2
    EVERYONE = 3
    USER = 4
    AGENCY_GRANT = 5
    ROUTED = 6


# Every vetted user of an agency holds its keys of these kinds (``agency_keys``) ...
AGENCY_KINDS = frozenset({KeyKind.AGENCY, KeyKind.COUNTRY, KeyKind.EVERYONE, KeyKind.AGENCY_GRANT})
# ... and one person the keys of these (``reader_keys``: a grant to them, their role).
PERSONAL_KINDS = frozenset({KeyKind.USER, KeyKind.ROUTED})


def key(kind: KeyKind, value: int = 0) -> int:
    """One access key: ``kind << 48 | value`` (ids stay far below 2**48)."""
    if not 0 <= value < 1 << _SHIFT:
        raise ValueError(f"Key value out of range: {value}")
    return (int(kind) << _SHIFT) | value


def _country_number(code: str) -> int:
    """An ISO 3166-1 alpha-2 code as a number: its two ASCII letters."""
    return (ord(code[0]) << 8) | ord(code[1]) if len(code) == 2 else 0


def _key_sql(kind: KeyKind, value_sql: str = "0") -> str:
    return f"({key(kind)}::bigint | ({value_sql}))"


def _country_number_sql(column_sql: str) -> str:
    return (
        f"CASE WHEN length({column_sql}) = 2 THEN (ascii(substr({column_sql}, 1, 1)) << 8)"
        f" | ascii(substr({column_sql}, 2, 1)) ELSE 0 END"
    )


@dataclass(frozen=True)
class _ReaderKey:
    """How one ``LevelRule.reader_key`` is kept: keys on the row, keys the reader holds."""

    row_keys: Callable[[str], str]  # SQL array of keys, given the row's column in SQL
    reader_keys: Callable[[Any], list[int]]  # the keys an agency's readers hold
    # The same keys in SQL, given the agency's row (``reach_sql``), and its columns read.
    agency_keys: Callable[[str], str]
    agency_columns: tuple[str, ...] = ()


_MEMBERSHIPS = "victimid.SharingGroupMembership"
_AGENCIES = "victimid.Agency"


def _membership_keys(column_sql: str) -> str:
    # A sharing group's members are written onto the record as agency keys: the reader
    # then needs no look-up of their agency's groups on every read (a second query, or a
    # subquery whose result the planner cannot see when it estimates the filter).
    agency = _column(_MEMBERSHIPS, "agency")
    group = _column(_MEMBERSHIPS, "sharing_group")
    return (
        f"ARRAY(SELECT {_key_sql(KeyKind.AGENCY, 'm.' + agency)} FROM {_table(_MEMBERSHIPS)} m"  # noqa: S608
        f" WHERE m.{group} = {column_sql})"
    )


# One entry per kind of ``LevelRule.reader_key`` (``None``: the level alone admits).
_READER_KEYS: dict[str | None, _ReaderKey] = {
    "agency": _ReaderKey(
        row_keys=lambda column: f"ARRAY[{_key_sql(KeyKind.AGENCY, column)}]",
        reader_keys=lambda agency: [key(KeyKind.AGENCY, agency.pk)],
        agency_keys=lambda row: f"ARRAY[{_key_sql(KeyKind.AGENCY, row + '.id')}]",
    ),
    "country": _ReaderKey(
        row_keys=lambda column: f"ARRAY[{_key_sql(KeyKind.COUNTRY, _country_number_sql(column))}]",
        reader_keys=lambda agency: [key(KeyKind.COUNTRY, _country_number(agency.country.code))],
        agency_keys=lambda row: (
            "ARRAY["
            f"{_key_sql(KeyKind.COUNTRY, _country_number_sql(_agency_column(row, 'country')))}]"
        ),
        agency_columns=("country",),
    ),
    "groups": _ReaderKey(
        row_keys=_membership_keys,
        # The members' agency keys on the record meet the agency key the reader holds.
        reader_keys=lambda agency: [],
        agency_keys=lambda row: _EMPTY,
    ),
    None: _ReaderKey(
        row_keys=lambda column: f"ARRAY[{_key_sql(KeyKind.EVERYONE)}]",
        reader_keys=lambda agency: [key(KeyKind.EVERYONE)],
        agency_keys=lambda row: f"ARRAY[{_key_sql(KeyKind.EVERYONE)}]",
    ),
}


def _agency_column(row: str, field: str) -> str:
    return f"{row}.{_column(_AGENCIES, field)}"


def agency_keys(agency: Any) -> list[int]:
    """The keys every vetted user of ``agency`` holds, whoever they are (``AGENCY_KINDS``)."""
    held: set[int] = set()
    for level in LEVELS:
        held.update(_READER_KEYS[level.reader_key].reader_keys(agency))
    if agency.permission_group_id is not None:
        held.add(key(KeyKind.AGENCY_GRANT, agency.permission_group_id))
    return sorted(held)


def _agency_keys_sql(row: str) -> str:
    """``agency_keys`` in SQL, of the agency in ``row``."""
    group = _agency_column(row, "permission_group")
    terms = [_READER_KEYS[level.reader_key].agency_keys(row) for level in LEVELS]
    terms.append(f"ARRAY(SELECT {_key_sql(KeyKind.AGENCY_GRANT, group)} WHERE {group} IS NOT NULL)")  # noqa: S608
    return " || ".join(terms)


def _agency_key_columns() -> list[str]:
    """The agency's columns its keys are made of: a change to one changes its reach."""
    columns = [
        _column(_AGENCIES, name)
        for level in LEVELS
        for name in _READER_KEYS[level.reader_key].agency_columns
    ]
    return list(dict.fromkeys([*columns, _column(_AGENCIES, "permission_group")]))


def reader_keys(user: Any) -> list[int]:
    """The keys ``user`` holds, from their agency as loaded with them (no query).

    ``user`` may stand for any vetted user of an agency (``pk`` None: no personal grants).
    """
    agency = user.agency
    held: set[int] = set(agency_keys(agency))
    if user.pk is not None:
        held.add(key(KeyKind.USER, user.pk))
    if _is_coordinator(user):
        # Routing requests ask a country's coordinators (``rules.RoutedTo``).
        held.add(key(KeyKind.ROUTED, _country_number(agency.country.code)))
    return sorted(held)


def _is_coordinator(user: Any) -> bool:
    # ``role_names`` is loaded once per user object, by the gate that runs before any read.
    has_role = getattr(user, "has_role", None)
    return bool(user.pk is not None and has_role is not None and has_role("coordinator"))


# --- What the triggers derive, from the table -------------------------------------------


def keyed_rules() -> list[RecordRule]:
    """The rules whose records carry keys (a level of their own), parents first."""
    keyed = [rule for rule in RULES if rule.own is not None]
    return sorted(keyed, key=lambda rule: len(rule.parents))


def copy_column(parent: Follows | FollowsAny) -> str:
    """The column in which a keyed record keeps its parent's keys."""
    field = parent.field if isinstance(parent, Follows) else parent.parent_field
    return f"{field}_{KEYS_COLUMN}"


def _keyed_parent(parent: Follows | FollowsAny) -> RecordRule:
    rule = rule_for(parent.parent)
    if rule.own is None or rule.parents:
        # A copy holds one set of keys; a parent that itself follows another would need
        # the conjunction of several. Join to such a parent instead, or extend this.
        raise LookupError(
            f"{parent.parent}: a copied parent must have its own level and no parents"
        )
    return rule


def _model(label: str) -> type[Model]:
    return apps.get_model(label)


def _table(label: str) -> str:
    return connection.ops.quote_name(_model(label)._meta.db_table)


def _column(label: str, field: str) -> str:
    column = _model(label)._meta.get_field(field).column  # type: ignore[union-attr]
    assert isinstance(column, str)
    return connection.ops.quote_name(column)


def _literal(value: str) -> str:
    if not value.replace("_", "").isalnum():
        raise ValueError(f"Unexpected value in generated SQL: {value!r}")
    return f"'{value}'"


def _own_keys_sql(rule: RecordRule, row: str) -> str:
    """SQL for the keys a record's own level and explicit grants give it, sorted, once each."""
    assert rule.own is not None
    terms: list[str] = []
    for level in LEVELS:
        column = f"{row}.{_column(rule.model, level.column)}" if level.column else ""
        keys = _READER_KEYS[level.reader_key].row_keys(column)
        if level.level is not None:
            distribution = _column(rule.model, "distribution")
            keys = (
                f"CASE WHEN {row}.{distribution} = {_literal(str(level.level))}"
                f" THEN {keys} ELSE {_EMPTY} END"
            )
        terms.append(keys)
    permission = (
        "IN (SELECT p.id FROM auth_permission p"  # noqa: S608
        f" WHERE p.codename = {_literal(rule.own.permission)})"
    )
    grants = (
        (rule.own.user_grants, "user_id", KeyKind.USER),
        (rule.own.agency_grants, "group_id", KeyKind.AGENCY_GRANT),
    )
    for grant_label, holder, kind in grants:
        terms.append(
            f"ARRAY(SELECT {_key_sql(kind, 'g.' + holder)} FROM {_table(grant_label)} g"  # noqa: S608
            f" WHERE g.content_object_id = {row}.id AND g.permission_id {permission})"
        )
    routed = _routed_keys_sql(rule, row)
    if routed:
        terms.append(routed)
    return f"ARRAY(SELECT DISTINCT k FROM unnest({' || '.join(terms)}) AS k ORDER BY k)"  # noqa: S608


def _routes_installed(rule: RecordRule) -> bool:
    """Does the table of the rule's routing requests exist yet?

    The migration that first installed the triggers (``0005_access_keys``) runs before
    the routing requests' table is made, and derives the triggers from this module as it
    is now: it leaves routing out, and the migration that made the table installs them
    again with it.
    """
    if rule.routes is None:
        return False
    return _model(rule.routes.link)._meta.db_table in connection.introspection.table_names()


def _routed_keys_sql(rule: RecordRule, row: str) -> str | None:
    """SQL for the keys open routing requests give a record (``rules.RoutedTo``), or None."""
    routes = rule.routes
    if routes is None or not _routes_installed(rule):
        return None
    link = _table(routes.link)
    record_fk = _column(routes.link, routes.record_field)
    country = _column(routes.link, routes.country_field)
    assignee = _column(routes.link, routes.assignee_field)
    is_open = f"r.{_column(routes.link, routes.open_field)} = {_literal(routes.open_value)}"
    country_key = _key_sql(KeyKind.ROUTED, _country_number_sql(f"r.{country}"))
    return (
        f"ARRAY(SELECT {country_key} FROM {link} r"  # noqa: S608
        f" WHERE r.{record_fk} = {row}.id AND {is_open})"
        f" || ARRAY(SELECT {_key_sql(KeyKind.USER, 'r.' + assignee)} FROM {link} r"
        f" WHERE r.{record_fk} = {row}.id AND {is_open} AND r.{assignee} IS NOT NULL)"
    )


def _copy_with_routes_sql(
    rule: RecordRule, parent: Follows | FollowsAny, routed: str | None
) -> str:
    """The copy of a parent's keys, with the keys of open routing requests when routed."""
    copy = _copy_sql(rule, parent, "NEW")
    if routed is None:
        return copy
    return f"ARRAY(SELECT DISTINCT k FROM unnest({copy} || {routed}) AS k ORDER BY k)"  # noqa: S608


def _copy_sql(rule: RecordRule, parent: Follows | FollowsAny, row: str) -> str:
    """SQL for the copy of a parent's keys (a union over the links for ``FollowsAny``)."""
    parent_table = _table(_keyed_parent(parent).model)
    if isinstance(parent, Follows):
        fk = _column(rule.model, parent.field)
        return (
            f"COALESCE((SELECT p.{KEYS_COLUMN} FROM {parent_table} p"  # noqa: S608
            f" WHERE p.id = {row}.{fk}), {_EMPTY})"
        )
    link = _table(parent.link)
    record_fk = _column(parent.link, parent.record_field)
    parent_fk = _column(parent.link, parent.parent_field)
    return (
        f"ARRAY(SELECT DISTINCT k FROM {link} l JOIN {parent_table} p ON p.id = l.{parent_fk}"  # noqa: S608
        f" CROSS JOIN LATERAL unnest(p.{KEYS_COLUMN}) AS k WHERE l.{record_fk} = {row}.id"
        " ORDER BY k)"
    )


@dataclass(frozen=True)
class _Touch:
    """After a write to ``source``, derive again the keys of ``target`` rows ``where``."""

    source: str
    target: str
    where: str  # over OLD and NEW; OLD is NULL on INSERT and NEW on DELETE
    parent_keys_changed: bool = False  # only when a parent's own keys changed (UPDATE)

    def statement(self) -> str:
        # Writing the column back fires the target's BEFORE trigger, which derives it.
        return f"UPDATE {self.target} SET {KEYS_COLUMN} = {KEYS_COLUMN} WHERE {self.where};"  # noqa: S608


def _touches() -> Iterator[_Touch]:
    """Every write that changes some record's keys, and the records it changes."""
    for rule in keyed_rules():
        assert rule.own is not None
        table = _table(rule.model)
        for grant_label in (rule.own.user_grants, rule.own.agency_grants):
            yield _Touch(
                _table(grant_label),
                table,
                "id IN (OLD.content_object_id, NEW.content_object_id)",
            )
        for level in LEVELS:
            if level.reader_key == "groups" and level.level is not None and level.column:
                # The members are on the record: joining or leaving a group changes them.
                column = _column(rule.model, level.column)
                distribution = _column(rule.model, "distribution")
                group = _column(_MEMBERSHIPS, "sharing_group")
                yield _Touch(
                    _table(_MEMBERSHIPS),
                    table,
                    f"{distribution} = {_literal(str(level.level))} AND {column}"
                    f" IN (OLD.{group}, NEW.{group})",
                )
        if rule.routes is not None and _routes_installed(rule):
            record_fk = _column(rule.routes.link, rule.routes.record_field)
            yield _Touch(
                _table(rule.routes.link), table, f"id IN (OLD.{record_fk}, NEW.{record_fk})"
            )
        for parent in rule.parents:
            parent_table = _table(_keyed_parent(parent).model)
            if isinstance(parent, Follows):
                yield _Touch(
                    parent_table,
                    table,
                    f"{_column(rule.model, parent.field)} = NEW.id",
                    parent_keys_changed=True,
                )
            else:
                link = _table(parent.link)
                record_fk = _column(parent.link, parent.record_field)
                parent_fk = _column(parent.link, parent.parent_field)
                yield _Touch(
                    parent_table,
                    table,
                    f"id IN (SELECT l.{record_fk} FROM {link} l WHERE l.{parent_fk} = NEW.id)",  # noqa: S608
                    parent_keys_changed=True,
                )
                yield _Touch(link, table, f"id IN (OLD.{record_fk}, NEW.{record_fk})")


def _function_name(table: str, suffix: str = "") -> str:
    bare = table.strip('"')
    return f"cases_access_keys{suffix}_{bare}"


def install_sql() -> list[str]:
    """The functions and triggers that keep every key, derived from the table of rules."""
    statements: list[str] = []
    for rule in keyed_rules():
        table = _table(rule.model)
        assignments = [f"NEW.{KEYS_COLUMN} := {_own_keys_sql(rule, 'NEW')};"]
        routed = _routed_keys_sql(rule, "NEW")
        # A routed record is admitted whatever its parents' keys: the routing keys go on
        # its copies of them too (``rules.RoutedTo``).
        assignments += [
            f"NEW.{copy_column(parent)} := {_copy_with_routes_sql(rule, parent, routed)};"
            for parent in rule.parents
        ]
        function = _function_name(table)
        statements += _trigger_sql(
            function,
            _LINE.join(assignments),
            "NEW",
            "access_keys",
            table,
            f"BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW",
        )
    grouped: dict[tuple[str, bool], list[_Touch]] = {}
    for touch in _touches():
        grouped.setdefault((touch.source, touch.parent_keys_changed), []).append(touch)
    for (source, parent_keys_changed), touches in grouped.items():
        suffix = "_of_parent" if parent_keys_changed else "_after"
        function = _function_name(source, suffix)
        trigger = "access_keys_of_children" if parent_keys_changed else "access_keys_of_records"
        body = _LINE.join(touch.statement() for touch in touches)
        if parent_keys_changed:
            when = (
                f"AFTER UPDATE ON {source} FOR EACH ROW"
                f" WHEN (OLD.{KEYS_COLUMN} IS DISTINCT FROM NEW.{KEYS_COLUMN})"
            )
        else:
            when = f"AFTER INSERT OR UPDATE OR DELETE ON {source} FOR EACH ROW"
        statements += _trigger_sql(function, body, "NULL", trigger, source, when)
    return statements


def _trigger_sql(
    function: str, body: str, returns: str, trigger: str, table: str, when: str
) -> list[str]:
    """A trigger function, and its trigger made again and enabled whatever the session's
    replication role (``ALWAYS``): no write may leave what it keeps stale."""
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n  {body}\n  RETURN {returns};\nEND\n$$",
        f"DROP TRIGGER IF EXISTS {trigger} ON {table}",
        f"CREATE TRIGGER {trigger} {when} EXECUTE FUNCTION {function}()",
        f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {trigger}",
    ]


def uninstall_sql() -> list[str]:
    """Drop what ``install_sql`` made (triggers go with their functions)."""
    functions = [_function_name(_table(rule.model)) for rule in keyed_rules()]
    for touch in _touches():
        suffix = "_of_parent" if touch.parent_keys_changed else "_after"
        functions.append(_function_name(touch.source, suffix))
    return [f"DROP FUNCTION IF EXISTS {name}() CASCADE" for name in dict.fromkeys(functions)]


def backfill_sql(*, every_row: bool = False) -> list[str]:
    """Derive the keys of every row that has none yet (``every_row``: of every row), parents
    first, once the triggers are installed.

    A parent's new keys rewrite its children's copies through the triggers; a keyed row
    always holds at least its owner's key, so an empty array means "never derived".
    """
    where = "" if every_row else f" WHERE {KEYS_COLUMN} = {_EMPTY}"
    return [
        f"UPDATE {_table(rule.model)} SET {KEYS_COLUMN} = {KEYS_COLUMN}{where}"  # noqa: S608
        for rule in keyed_rules()
    ]


def fingerprint() -> str:
    """A digest of what ``install_sql`` derives from the table of rules.

    The latest migration that installs the triggers records it (``ACCESS_KEYS_FINGERPRINT``);
    a test fails while the table of rules (or this derivation) has changed without a
    migration that installs the triggers again and derives every row's keys anew.
    """
    return hashlib.sha256("\n".join(install_sql()).encode()).hexdigest()[:16]


def stale_keys() -> dict[str, int]:
    """How many rows of each keyed model hold keys other than the ones derived now.

    A check (every count should be 0): the keys of every row are derived again in a
    savepoint that is then rolled back, and compared with what was stored. All tables are
    read first, so a stale copy is found even when its parent's re-derivation would fix it.
    """
    stale: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        savepoint = transaction.savepoint()
        columns: dict[str, str] = {}
        for number, rule in enumerate(keyed_rules()):
            names = [KEYS_COLUMN, *(copy_column(parent) for parent in rule.parents)]
            columns[rule.model] = ", ".join(names)
            cursor.execute(
                f"CREATE TEMP TABLE access_keys_before_{number} ON COMMIT DROP AS"  # noqa: S608
                f" SELECT id, {columns[rule.model]} FROM {_table(rule.model)}"
            )
        for statement in backfill_sql(every_row=True):
            cursor.execute(statement)
        for number, rule in enumerate(keyed_rules()):
            cursor.execute(
                f"SELECT count(*) FROM {_table(rule.model)} t"  # noqa: S608
                f" FULL JOIN access_keys_before_{number} b USING (id)"
                f" WHERE ROW({_prefixed('t', columns[rule.model])})"
                f" IS DISTINCT FROM ROW({_prefixed('b', columns[rule.model])})"
            )
            stale[rule.model] = cursor.fetchone()[0]
        transaction.savepoint_rollback(savepoint)
    return stale


def _prefixed(alias: str, columns: str) -> str:
    return ", ".join(f"{alias}.{column}" for column in columns.split(", "))


# --- Reach: an agency's entries for the records it owns part of (``rules.AgencyReach``) ---


@dataclass(frozen=True)
class _Reached:
    """What the triggers of one ``AgencyReach`` rule read, found in the table of rules."""

    rule: RecordRule  # the agencies' entries
    followed: RecordRule  # the record they follow (a suggestion)
    link: str  # the entries' foreign key to it
    parents: tuple[Follows, ...]  # the followed record's keyed parents (its two clues)


def reach_rules() -> list[RecordRule]:
    """The rules whose records are agencies' entries with a reach."""
    return [rule for rule in RULES if rule.reach is not None]


def _reached(rule: RecordRule) -> _Reached:
    """Check that the followed record is decided by keyed parents alone, and name them.

    Its parents are keyed records followed by a foreign key (a clue), or their own parents
    reached through them (``clue_a__series``), which their copies hold: the reach reads
    the keys and the copies of the keyed parents, so it is an upper bound of every part of
    the followed record's rule. Any other shape is refused rather than half-derived.
    """
    (link,) = rule.parents
    if not isinstance(link, Follows) or "__" in link.field:
        raise LookupError(f"{rule.model}: an agency's entry follows one record by a foreign key")
    followed = rule_for(link.parent)
    if followed.own or followed.routes or followed.personal or followed.reach:
        raise LookupError(f"{followed.model}: the reach covers a record decided by its parents")
    keyed = tuple(
        parent
        for parent in followed.parents
        if isinstance(parent, Follows) and "__" not in parent.field
    )
    for parent in followed.parents:
        if not isinstance(parent, Follows):
            raise LookupError(f"{followed.model}: the reach covers parents followed by a key")
        if parent in keyed:
            owner = rule_for(parent.parent).owner
            if rule_for(parent.parent).own is None or owner is None or "__" in owner:
                raise LookupError(f"{parent.parent}: a parent with keys and an owning agency")
            continue
        first, _, rest = parent.field.partition("__")
        through = next((one for one in keyed if one.field == first), None)
        if through is None or Follows(rest, parent.parent) not in rule_for(through.parent).parents:
            raise LookupError(f"{followed.model}: {parent.field} is not in a parent's copy")
    return _Reached(rule=rule, followed=followed, link=link.field, parents=keyed)


def _reach_sql(reached: _Reached, held: str) -> str:
    """SQL for the reach at the agency whose keys are the array ``held``.

    For each keyed parent ``p<n>``, its own keys and each copy of its parents' keys: 2 when
    they meet the keys every user of the agency holds, 1 when they hold a key of one person
    (who may be anyone, at any agency: a grant to a user, an open routing request), 0
    otherwise; the reach is the least of them. A reader who may see the followed record
    has, for each of these arrays, a key of theirs in it (that is how the arrays admit):
    one of the agency's, or a personal one — so they find a reach above 0.
    """
    personal = ", ".join(str(int(kind)) for kind in sorted(PERSONAL_KINDS))
    scores: list[str] = []
    for number, parent in enumerate(reached.parents):
        columns = [KEYS_COLUMN, *(copy_column(one) for one in rule_for(parent.parent).parents)]
        for column in columns:
            keys = f"p{number}.{connection.ops.quote_name(column)}"
            scores.append(
                f"CASE WHEN {keys} && {held} THEN 2"
                f" WHEN EXISTS (SELECT FROM unnest({keys}) AS k"  # noqa: S608
                f" WHERE (k >> {_SHIFT}) IN ({personal})) THEN 1 ELSE 0 END"
            )
    return f"LEAST({', '.join(scores)})::smallint"


def _reach_refresh_sql(reached: _Reached, ids_sql: str, lock: str | None = None) -> list[str]:
    """Bring the entries of the followed records ``ids_sql`` selects up to date.

    One entry per distinct owning agency of the keyed parents, with the copied columns
    and the reach; an entry of an agency that no longer owns a parent goes. Set-based:
    the same statements refresh one suggestion or every one.

    In a trigger (``lock``), the rows the entries are derived from are locked first, and
    the entries derived by the next statements, which read the data as committed once the
    locks are held: two transactions changing what one entry is made of, at the same time,
    would otherwise each derive it from the other's rows as they were before, and the
    last to write would leave it stale. ``"records"``: the followed records (a parent's or
    an agency's keys changed; the transaction holds that row, and waits for any other
    refreshing the same records). ``"parents"``: the keyed parents and their agencies (a
    new record: another transaction changing their keys has not seen it, so this one
    waits for that one's commit — or that one for this one's, and then sees it).
    """
    rule, followed = reached.rule, reached.followed
    assert rule.reach is not None
    entries, followed_table = _table(rule.model), _table(followed.model)
    link = _column(rule.model, reached.link)
    agency = _column(rule.model, rule.reach.agency_field)
    reach = _column(rule.model, rule.reach.reach_field)
    copied = [_column(rule.model, name) for name in rule.reach.copied]
    joins = " ".join(
        f"JOIN {_table(parent.parent)} p{number}"
        f" ON p{number}.id = f.{_column(followed.model, parent.field)}"
        for number, parent in enumerate(reached.parents)
    )
    owners = ", ".join(
        f"p{number}.{_column(parent.parent, str(rule_for(parent.parent).owner))}"
        for number, parent in enumerate(reached.parents)
    )
    values = ", ".join(f"f.{_column(followed.model, name)}" for name in rule.reach.copied)
    derived = (
        f"SELECT f.id, g.id, {values}, {_reach_sql(reached, 'agency_keys.held')}"  # noqa: S608
        f" FROM {followed_table} f {joins}"
        f" JOIN {_table(_AGENCIES)} g ON g.id IN ({owners})"
        f" CROSS JOIN LATERAL (SELECT {_agency_keys_sql('g')} AS held) agency_keys"
        f" WHERE f.id IN ({ids_sql})"
    )
    kept = [*copied, reach]
    locks: list[str] = []
    if lock == "records":
        locks.append(
            f"PERFORM FROM {followed_table} f WHERE f.id IN ({ids_sql}) ORDER BY f.id FOR UPDATE;"  # noqa: S608
        )
    elif lock == "parents":
        for label in dict.fromkeys(parent.parent for parent in reached.parents):
            parent_ids = " UNION ".join(
                f"SELECT f.{_column(followed.model, parent.field)} FROM {followed_table} f"  # noqa: S608
                f" WHERE f.id IN ({ids_sql})"
                for parent in reached.parents
                if parent.parent == label
            )
            owner = _column(label, str(rule_for(label).owner))
            locks += [
                f"PERFORM FROM {_table(label)} p WHERE p.id IN ({parent_ids})"  # noqa: S608
                " ORDER BY p.id FOR SHARE;",
                f"PERFORM FROM {_table(_AGENCIES)} g WHERE g.id IN"  # noqa: S608
                f" (SELECT p.{owner} FROM {_table(label)} p WHERE p.id IN ({parent_ids}))"
                " ORDER BY g.id FOR SHARE;",
            ]
    else:
        assert lock is None, lock
    return [
        *locks,
        f"DELETE FROM {entries} e USING {followed_table} f {joins}"  # noqa: S608
        f" WHERE e.{link} = f.id AND f.id IN ({ids_sql}) AND e.{agency} <> ALL(ARRAY[{owners}]);",
        f"INSERT INTO {entries} ({link}, {agency}, {', '.join(kept)}) {derived}"
        f" ON CONFLICT ({link}, {agency}) DO UPDATE SET"
        f" {', '.join(f'{column} = EXCLUDED.{column}' for column in kept)}"
        f" WHERE ({', '.join(f'{entries}.{column}' for column in kept)})"
        f" IS DISTINCT FROM ({', '.join(f'EXCLUDED.{column}' for column in kept)});",
    ]


@dataclass(frozen=True)
class _ReachTrigger:
    """One trigger keeping entries up to date: on which table, when, doing what."""

    name: str
    table: str
    when: str  # what follows ``CREATE TRIGGER <name>``
    body: list[str]

    def function(self, entries: str) -> str:
        bare = entries.strip('"')
        return f"cases_reach_{self.name}_{bare}"


def _reach_triggers(reached: _Reached) -> list[_ReachTrigger]:
    """Every write that changes an entry: its record added, changed or deleted, a parent's
    keys, copies or owner changed (grants, levels, sharing groups, routing requests and a
    series' keys all reach a clue's keys through the key triggers), an agency's keys."""
    rule, followed = reached.rule, reached.followed
    assert rule.reach is not None
    entries, followed_table = _table(rule.model), _table(followed.model)
    link = _column(rule.model, reached.link)

    def changed(columns: list[str]) -> str:
        return " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in columns)

    watched = [
        *(_column(followed.model, parent.field) for parent in reached.parents),
        *(_column(followed.model, name) for name in rule.reach.copied),
    ]
    triggers = [
        _ReachTrigger(
            "inserted",
            followed_table,
            f"AFTER INSERT ON {followed_table} REFERENCING NEW TABLE AS inserted"
            " FOR EACH STATEMENT",
            _reach_refresh_sql(reached, "SELECT id FROM inserted", lock="parents"),
        ),
        _ReachTrigger(
            "changed",
            followed_table,
            f"AFTER UPDATE ON {followed_table} FOR EACH ROW WHEN ({changed(watched)})",
            _reach_refresh_sql(reached, "SELECT NEW.id", lock="records"),
        ),
        _ReachTrigger(
            # The ORM deletes the entries first; a raw DELETE finds them gone here.
            "deleted",
            followed_table,
            f"AFTER DELETE ON {followed_table} REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT",
            [f"DELETE FROM {entries} WHERE {link} IN (SELECT id FROM deleted);"],  # noqa: S608
        ),
    ]
    by_parent: dict[str, list[Follows]] = {}
    for parent in reached.parents:
        by_parent.setdefault(parent.parent, []).append(parent)
    for label, parents in by_parent.items():
        parent_rule = rule_for(label)
        columns = [
            KEYS_COLUMN,
            *(copy_column(one) for one in parent_rule.parents),
            _column(label, str(parent_rule.owner)),
        ]
        ids = " UNION ALL ".join(
            f"SELECT f.id FROM {followed_table} f"  # noqa: S608
            f" WHERE f.{_column(followed.model, parent.field)} = NEW.id"
            for parent in parents
        )
        triggers.append(
            _ReachTrigger(
                f"parent_{_model(label)._meta.model_name}",
                _table(label),
                f"AFTER UPDATE ON {_table(label)} FOR EACH ROW WHEN ({changed(columns)})",
                _reach_refresh_sql(reached, ids, lock="records"),
            )
        )
    agency = _column(rule.model, rule.reach.agency_field)
    triggers.append(
        _ReachTrigger(
            "agency",
            _table(_AGENCIES),
            f"AFTER UPDATE ON {_table(_AGENCIES)} FOR EACH ROW"
            f" WHEN ({changed(_agency_key_columns())})",
            _reach_refresh_sql(
                reached,
                f"SELECT e.{link} FROM {entries} e WHERE e.{agency} = NEW.id",  # noqa: S608
                lock="records",
            ),
        )
    )
    return triggers


def reach_install_sql() -> list[str]:
    """The functions and triggers that keep every agency's entries and their reach."""
    statements: list[str] = []
    for rule in reach_rules():
        entries = _table(rule.model)
        for trigger in _reach_triggers(_reached(rule)):
            function = trigger.function(entries)
            name = connection.ops.quote_name(function.removeprefix("cases_"))
            statements += _trigger_sql(
                function, _LINE.join(trigger.body), "NULL", name, trigger.table, trigger.when
            )
    return statements


def reach_uninstall_sql() -> list[str]:
    """Drop what ``reach_install_sql`` made (triggers go with their functions)."""
    return [
        f"DROP FUNCTION IF EXISTS {trigger.function(_table(rule.model))}() CASCADE"
        for rule in reach_rules()
        for trigger in _reach_triggers(_reached(rule))
    ]


def reach_backfill_sql() -> list[str]:
    """Make or bring up to date the entries of every followed record (once installed)."""
    return [
        statement
        for rule in reach_rules()
        for statement in _reach_refresh_sql(
            _reached(rule),
            f"SELECT id FROM {_table(_reached(rule).followed.model)}",  # noqa: S608
        )
    ]


def reach_fingerprint() -> str:
    """A digest of ``reach_install_sql``: the latest migration that installs the reach
    triggers records it (``ACCESS_REACH_FINGERPRINT``), as for ``fingerprint``."""
    return hashlib.sha256("\n".join(reach_install_sql()).encode()).hexdigest()[:16]


def stale_reach() -> dict[str, int]:
    """How many entries differ from the ones derived now, missing or extra ones included.

    A check (every count should be 0), like ``stale_keys``: every entry is derived anew
    in a savepoint that is then rolled back, and compared with what was stored.
    """
    stale: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        savepoint = transaction.savepoint()
        for number, rule in enumerate(reach_rules()):
            assert rule.reach is not None
            reached = _reached(rule)
            entries = _table(rule.model)
            row = [
                _column(rule.model, reached.link),
                _column(rule.model, rule.reach.agency_field),
                *(_column(rule.model, name) for name in rule.reach.copied),
                _column(rule.model, rule.reach.reach_field),
            ]
            cursor.execute(
                f"CREATE TEMP TABLE reach_before_{number} ON COMMIT DROP AS"  # noqa: S608
                f" SELECT {', '.join(row)} FROM {entries}"
            )
            cursor.execute(f"DELETE FROM {entries}")  # noqa: S608
            every = f"SELECT id FROM {_table(reached.followed.model)}"  # noqa: S608
            for statement in _reach_refresh_sql(reached, every):
                cursor.execute(statement)
            cursor.execute(
                f"SELECT count(*) FROM {entries} t"  # noqa: S608
                f" FULL JOIN reach_before_{number} b USING ({', '.join(row[:2])})"
                f" WHERE ROW({_prefixed('t', ', '.join(row))})"
                f" IS DISTINCT FROM ROW({_prefixed('b', ', '.join(row))})"
            )
            stale[rule.model] = cursor.fetchone()[0]
        transaction.savepoint_rollback(savepoint)
    return stale
