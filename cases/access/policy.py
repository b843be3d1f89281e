"""The access policy derived from the table of rules: querysets, single-record checks, SQL.

Every read of casework starts from ``Model.objects.visible_to(user)`` (which is
``restrict``) or asks ``can_view`` / ``can_edit``. All of them come from
``cases.access.rules.RULES``; this module only turns those rows into SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BooleanField, Exists, Expression, F, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cases.access.rules import LEVELS, Follows, OwnLevel, rule_for
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


def visibility_q(user: Any, model: type[Model], prefix: str = "") -> Q:
    """The WHERE clause admitting exactly the ``model`` rows ``user`` may see.

    ``prefix`` reaches the record through a relation (``"series__"``), so a record
    that follows a parent can use the parent's rule in its own query.
    """
    rule = rule_for(model._meta.label)
    assert rule.own is not None or rule.parents, f"{rule.model} must be restricted by something"
    condition = Q()
    if rule.own is not None:
        condition &= Q(_OwnLevelRule(user, rule.own, prefix))
    for parent in rule.parents:
        parent_model = apps.get_model(parent.parent)
        if isinstance(parent, Follows):
            condition &= visibility_q(user, parent_model, f"{prefix}{parent.field}__")
        else:
            links = apps.get_model(parent.link)._default_manager.filter(
                **{parent.record_field: OuterRef(f"{prefix}pk")}
            )
            visible = visibility_q(user, parent_model, f"{parent.parent_field}__")
            condition &= Q(Exists(links.filter(visible)))
    return condition


class _OwnLevelRule(Expression):
    """A record's own level (``LEVELS``) and its explicit grants, as one SQL condition.

    Why this shape is fast (``bench/bench_clue_access.py`` measures it on 1M clues):

    - The column tests are plain comparisons that PostgreSQL checks row by row while
      it walks an index in list order (newest first), stopping after a page.
    - The lookups of other tables (the reader's sharing groups, the grants to the reader
      or their agency) are uncorrelated, so each runs once per query. They are written
      ``column = ANY(ARRAY(subquery))`` rather than ``column IN (subquery)``: the
      planner assumes an ``IN (subquery)`` admits half the table, so it expected one
      clue in three to be visible, chose parallel scans and, for a search, walked the
      newest clues instead of the few that match; for ``= ANY`` of an array it assumes
      a short list, which is what grants and memberships are.
    - It is one expression with SQL text rather than a tree of lookups and nested
      querysets because Django resolves and compiles every lookup and every nested
      queryset on every call, and that took longer than PostgreSQL took to run the
      page. The columns are still Django column references (``F``), so joins and alias
      relabelling work as for any filter; the subqueries name only their own tables.
      ``tests/cases/test_access_visibility_sql.py`` holds it to a plain ORM formulation.
    """

    output_field = BooleanField()
    _COLUMNS = ("agency_id", "distribution", "owner_country", "sharing_group_id", "pk")

    def __init__(self, user: Any, own: OwnLevel, prefix: str) -> None:
        super().__init__()
        self.columns = [F(f"{prefix}{name}") for name in self._COLUMNS]
        terms: list[str] = []
        params: list[Any] = []
        for level in LEVELS:
            term, term_params = _level_term(level.column, level.reader_key, user)
            if level.level is not None:
                term = "({distribution} = %s AND " + term + ")" if term else "{distribution} = %s"
                term_params = [str(level.level), *term_params]
            terms.append(term)
            params.extend(term_params)
        grants_sql, grants_params = _grants_term(user, own)
        terms.append(grants_sql)
        params.extend(grants_params)
        self.sql_template = "(" + " OR ".join(terms) + ")"
        self.params = params

    def get_source_expressions(self) -> list[Any]:
        return self.columns

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.columns = list(exprs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        columns = {}
        for name, column in zip(self._COLUMNS, self.columns, strict=True):
            sql, params = compiler.compile(column)
            assert not params, "a column reference carries no parameters"
            columns[name] = sql
        return self.sql_template.format(**columns), tuple(self.params)


def _level_term(column: str | None, reader_key: str | None, user: Any) -> tuple[str, list[Any]]:
    """The comparison of the record's ``column`` with what the reader holds."""
    if column is None:
        return "", []
    agency = user.agency
    if reader_key == "agency":
        return f"{{{column}}} = %s", [agency.pk]
    if reader_key == "country":
        return f"{{{column}}} = %s", [agency.country.code]
    if reader_key == "groups":
        memberships = _table("victimid.SharingGroupMembership")
        sql = f"{{{column}}} = ANY(ARRAY(SELECT sharing_group_id FROM {memberships}"  # noqa: S608
        return sql + " WHERE agency_id = %s))", [agency.pk]
    raise LookupError(f"Unknown reader key {reader_key!r}")


def _grants_term(user: Any, own: OwnLevel) -> tuple[str, list[Any]]:
    """The record's id among those granted to the reader or to the reader's agency."""
    # Table names come from the models; every value is a parameter.
    sql = (
        "{pk} = ANY(ARRAY("  # noqa: S608
        f"SELECT content_object_id FROM {_table(own.user_grants)}"
        " WHERE user_id = %s"
        " AND permission_id IN (SELECT id FROM auth_permission WHERE codename = %s)"
        f" UNION ALL SELECT content_object_id FROM {_table(own.agency_grants)}"
        " WHERE group_id = %s"
        " AND permission_id IN (SELECT id FROM auth_permission WHERE codename = %s)))"
    )
    return sql, [user.pk, own.permission, user.agency.permission_group_id, own.permission]


def _table(label: str) -> str:
    return connection.ops.quote_name(apps.get_model(label)._meta.db_table)


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
