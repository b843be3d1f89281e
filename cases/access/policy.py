"""The access policy derived from the table of rules: querysets, single-record checks, SQL.

Every read of casework starts from ``Model.objects.visible_to(user)`` (which is
``restrict``) or asks ``can_view`` / ``can_edit``. All of them come from
``cases.access.rules.RULES``; this module only turns those rows into SQL, over the
access keys that ``cases.access.keys`` derives from the same rows and keeps on them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cases.access.keys import KEYS_COLUMN, copy_column, reader_keys
from cases.access.rules import Follows, RecordRule, rule_for
from victimid.gate import has_casework_access

__all__ = [
    "EDIT_REFUSED",
    "agency_can_view",
    "can_edit",
    "can_view",
    "grant_models",
    "require_editable",
    "require_visible",
    "restrict",
    "restrict_through",
    "visibility_q",
]

# The one answer to someone who may see a record but not change it.
EDIT_REFUSED = _("Only the owning agency changes this record.")
_M = TypeVar("_M", bound=Model)

# The queryset's own class comes back, so a custom QuerySet keeps its methods.
_QS = TypeVar("_QS", bound="QuerySet[Any]")


def _reader_has_access(user: Any) -> bool:
    return has_casework_access(user) and getattr(user, "agency_id", None) is not None


def restrict(queryset: _QS, user: Any) -> _QS:
    """``queryset`` narrowed to what ``user`` may see; empty without casework access."""
    if not _reader_has_access(user):
        return queryset.none()
    return queryset.filter(visibility_q(user, queryset.model))


class _Through(str):
    """A prefix reaching a record's related rows by a reverse relation (``"inbox__"``).

    It remembers the record's model, so that a related row's rule that follows the record
    back (an agency's entry follows its suggestion) asks the record's own rule of the
    record itself, not of a second join to the same row.
    """

    origin: type[Model]
    relation: str

    def __new__(cls, origin: type[Model], relation: str) -> _Through:
        through = super().__new__(cls, f"{relation}__")
        through.origin = origin
        through.relation = relation
        return through


def _step(prefix: str, field: str) -> str:
    """The prefix of the parent reached from ``prefix`` by the foreign key ``field``."""
    if isinstance(prefix, _Through):
        back = prefix.origin._meta.get_field(prefix.relation)
        if back.one_to_many and getattr(back.remote_field, "name", None) == field:
            return ""  # the relation's own foreign key: back at the record
    return f"{prefix}{field}__"


def restrict_through(queryset: _QS, user: Any, relation: str, **lookups: Any) -> _QS:
    """``queryset`` narrowed to the records with a row of ``relation`` (a reverse relation)
    that matches ``lookups`` and that ``user`` may see.

    The related row's rule and ``lookups`` go in one join, so one index of the related
    rows serves both (an agency's entries for suggestions, walked newest first). A related
    row that follows the record it relates to asks the record's rule of the record itself:
    the record is admitted when the related row is, and that includes its own rule.
    """
    if not _reader_has_access(user):
        return queryset.none()
    related = queryset.model._meta.get_field(relation)
    if not related.one_to_many:
        raise LookupError(f"{relation} is not a reverse relation of {queryset.model.__name__}")
    condition = Q(**{f"{relation}__{name}": value for name, value in lookups.items()})
    related_model = related.related_model
    assert isinstance(related_model, type)
    condition &= visibility_q(user, related_model, _Through(queryset.model, relation))
    return queryset.filter(condition)


def visibility_q(user: Any, model: type[Model], prefix: str = "") -> Q:
    """The WHERE clause admitting exactly the ``model`` rows ``user`` may see.

    ``prefix`` reaches the record through a relation (``"series__"``), so a record
    that follows a parent can use the parent's rule in its own query.
    """
    rule = rule_for(model._meta.label)
    assert rule.own is not None or rule.parents or rule.personal, (
        f"{rule.model} must be restricted by something"
    )
    return _rule_q(rule, reader_keys(user), prefix, user)


def _personal_q(rule: RecordRule, user: Any, prefix: str) -> Q:
    """A personal record: its maker, at the agency it names (a user id of None: nobody)."""
    assert rule.personal is not None
    if getattr(user, "pk", None) is None:
        return Q(pk__in=[])
    return Q(
        **{
            f"{prefix}{rule.personal.user_field}": user.pk,
            f"{prefix}{rule.personal.agency_field}": user.agency_id,
        }
    )


def _rule_q(rule: RecordRule, keys: list[int], prefix: str, user: Any) -> Q:
    """A rule as access-key overlaps (``cases.access.keys``): why this shape is fast.

    ``bench/bench_clue_access.py`` measures it on 1M clues (bench/README.md has the
    figures and the shapes it was chosen over):

    - A record that has a level of its own is admitted by ``access_keys && <the reader's
      keys>``, and a clue's series (a victim's series) by the copy it keeps,
      ``series_access_keys && <the reader's keys>``. Both are tests of columns of the row
      itself: walking the clue list newest first, PostgreSQL rejects a hidden clue without
      a look-up of its series, of the grant tables or of sharing-group memberships (the
      comparisons of ``LEVELS`` and the grants were made when the record was written).
    - The reader's keys are a constant array computed from their agency as it is loaded
      with them: no query before the page's SQL, and the planner sees the values, so its
      estimate of how many rows a reader sees comes from the column statistics of the
      keys (a subquery or a parameter it cannot see gave estimates a hundred times off and
      parallel sequential scans).
    - There is no index on the keys: every reader holds the ``network`` key, which one
      record in five carries, so an index on them finds a fifth of the table for anyone;
      a GIN index over the search vector and the keys was measured slower for both
      searches than the search index with the keys tested on the rows it finds.

    Records without a level of their own (hash values, identification events) follow
    their parent by a join and use its keys there.
    """
    condition = Q()
    if rule.personal is not None:
        condition &= _personal_q(rule, user, prefix)
    if rule.reach is not None:
        condition &= _reach_q(rule, user, prefix)
    if rule.own is not None:
        condition &= Q(**{f"{prefix}{KEYS_COLUMN}__overlap": keys})
        for parent in rule.parents:
            condition &= Q(**{f"{prefix}{copy_column(parent)}__overlap": keys})
        return condition
    for parent in rule.parents:
        parent_rule = rule_for(parent.parent)
        if isinstance(parent, Follows) and len(rule.parents) > 1:
            condition &= _parent_admits(parent, parent_rule, keys, prefix, user)
        elif isinstance(parent, Follows):
            condition &= _rule_q(parent_rule, keys, _step(prefix, parent.field), user)
        else:
            links = apps.get_model(parent.link)._default_manager.filter(
                **{parent.record_field: OuterRef(f"{prefix}pk")}
            )
            visible = _rule_q(parent_rule, keys, f"{parent.parent_field}__", user)
            condition &= Q(Exists(links.filter(visible)))
    return condition


def _reach_q(rule: RecordRule, user: Any, prefix: str) -> Q:
    """An agency's entry: the reader's agency's, and someone there may see what it follows.

    A necessary condition only (``rules.AgencyReach``): the entry follows its record, whose
    rule is added after it. Its point is the index it lets a list walk — the agency's
    entries with a reach, newest first — instead of every record of the kind.
    """
    assert rule.reach is not None
    return Q(
        **{
            f"{prefix}{rule.reach.agency_field}": user.agency.pk,
            f"{prefix}{rule.reach.reach_field}__gt": 0,
        }
    )


def _parent_admits(
    parent: Follows, parent_rule: RecordRule, keys: list[int], prefix: str, user: Any
) -> Q:
    """One of several parents, tested row by row: does its rule admit the reader?

    A record that follows two parents (a suggestion linking two clues) could join both
    and test their keys, but the planner then multiplies the two parents' shares as if
    they were independent, expects a handful of rows, and reads every clue to sort them:
    1.8 s for the first page of 200,000 suggestions over 1M clues, where walking the
    suggestions newest first and looking up both clues of each takes about 100 ms
    (``bench/bench_correlation.py``). Tested by a sub-select per row, it walks.
    """
    parent_model = apps.get_model(parent.parent)
    admitted = ExpressionWrapper(_rule_q(parent_rule, keys, "", user), output_field=BooleanField())
    row = (
        parent_model._default_manager.filter(pk=OuterRef(f"{prefix}{parent.field}"))
        .order_by()
        .annotate(admitted=admitted)
        .values("admitted")[:1]
    )
    return Q(Subquery(row, output_field=BooleanField()))


def can_view(user: Any, record: Model) -> bool:
    """May ``user`` see this record? The same rule as the lists, asked of one row."""
    model = type(record)
    return restrict(model._default_manager.filter(pk=record.pk), user).exists()


class _AnyoneAt:
    """Stands for any vetted user of one agency: the agency's rights, no personal grants."""

    pk = None  # matches no user grant

    def __init__(self, agency: Any) -> None:
        self.agency = agency


def agency_can_view(agency: Any, record: Model) -> bool:
    """Would the vetted users of ``agency`` see this record, by its level, group or grants?

    Asked of an agency rather than a person, e.g. to warn an owner that a clue granted
    to an agency stays hidden there because its series does not reach them.
    """
    model = type(record)
    rule = visibility_q(_AnyoneAt(agency), model)
    return model._default_manager.filter(pk=record.pk).filter(rule).exists()


def can_edit(user: Any, record: Model) -> bool:
    """Only the owning agency's casework users change a record, while they may see it."""
    if not _reader_has_access(user):
        return False
    owner = rule_for(type(record)._meta.label).owner
    if owner is None:
        return False
    value: Any = record
    for step in owner.split("__"):
        value = getattr(value, step)
    return value == user.agency_id and can_view(user, record)


def require_visible(user: Any, record: _M) -> _M:
    """The record itself when ``user`` may see it; Http404 otherwise (no existence leak)."""
    if record.pk is None or not can_view(user, record):
        raise Http404
    return record


def require_editable(user: Any, record: _M) -> _M:
    """Http404 when not visible; PermissionDenied (403) when visible but not changeable."""
    require_visible(user, record)
    if not can_edit(user, record):
        raise PermissionDenied(EDIT_REFUSED)
    return record


def grant_models(record: Model | type[Model]) -> tuple[Any, Any, str]:
    """The user-grant model, the agency-grant model and the permission of a kind of record."""
    model = record if isinstance(record, type) else type(record)
    own = rule_for(model._meta.label).own
    if own is None:
        raise LookupError(f"{model.__name__} records cannot be granted")
    return apps.get_model(own.user_grants), apps.get_model(own.agency_grants), own.permission
