"""The access policy: the one place that decides who may see and change what.

Every read of casework starts from ``Model.objects.visible_to(user)`` or asks
``can_view`` / ``can_edit`` here. The foundation part decides whether a user may
see casework at all; record-level rules live beside it as the casework models
arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import BooleanField, Expression, F, Model, Q, QuerySet

from victimid.choices import Role

# The queryset's own class comes back, so a custom QuerySet keeps its methods.
_QS = TypeVar("_QS", bound="QuerySet[Any]")


def second_factor_ok(user: Any) -> bool:
    """False for a request-bound user whose session has no verified second factor.

    Users loaded outside a request (tasks, commands) carry no ``is_verified``;
    the second-factor gate already guards every request, so they pass here.
    """
    is_verified = getattr(user, "is_verified", None)
    return True if is_verified is None else bool(is_verified())


def has_casework_access(user: Any) -> bool:
    """May this user see any casework? Vetted, current, active, second factor verified."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_vetted or not second_factor_ok(user):
        return False
    # Oversight and auditors read aggregates and the audit trail only.
    return user.has_role(Role.INVESTIGATOR) or user.has_role(Role.COORDINATOR)


def is_coordinator_of(user: Any, country_code: str) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_vetted
        and user.has_role(Role.COORDINATOR)
        and user.agency is not None
        and user.agency.country.code == country_code
    )


# --- Record-level visibility -------------------------------------------------------------
#
# A distributed record (series, clue) is visible to a user with casework access when
#   it belongs to the user's agency, or
#   its level is ``country`` and its owner is in the user's country, or
#   its level is ``group`` and the user's agency is a member of its sharing group, or
#   its level is ``network``, or
#   it was granted explicitly to the user or to the user's agency.
# A clue needs that for itself and for its series; a known hash follows its series.
# Everything is one SQL WHERE clause, so lists, search and counts filter in the database.


def _level_q(user: Any, model: type[Model], prefix: str = "") -> Q:
    """The distribution rule for records of ``model`` reached through ``prefix``."""
    return Q(_DistributionRule(user, model, prefix))


class _DistributionRule(Expression):
    """The distribution rule as one SQL condition on the record's columns.

    Why this shape is fast (``bench/bench_clue_access.py`` measures it on 1M clues):

    - The column tests are plain comparisons that PostgreSQL checks row by row while
      it walks an index in list order (newest first), stopping after a page.
    - The lookups of other tables (the user's sharing groups, the grants to the user or
      their agency) are uncorrelated, so each runs once per query. They are written
      ``column = ANY(ARRAY(subquery))`` rather than ``column IN (subquery)``: the
      planner assumes an ``IN (subquery)`` admits half the table, so it expected one
      clue in three to be visible, chose parallel scans and, for a search, walked the
      newest clues instead of the few that match; for ``= ANY`` of an array it assumes
      a short list, which is what grants and memberships are. The array is searched
      linearly, cheap for the hundreds of grants one investigator holds.
    - It is one expression with SQL text rather than a tree of lookups and nested
      querysets because Django resolves and compiles every lookup and every nested
      queryset on every call; a clue needs its own rule and its series' and the tree
      took longer to build than PostgreSQL took to run the page. The columns are still
      Django column references (``F``), so joins and alias relabelling (the rule used
      inside another query) work as for any filter; the subqueries name only their own
      tables. ``tests/victimid/test_access_visibility_sql.py`` holds it to the ORM
      formulation it replaced.
    """

    output_field = BooleanField()
    _COLUMNS = ("agency_id", "distribution", "owner_country", "sharing_group_id", "pk")

    def __init__(self, user: Any, model: type[Model], prefix: str) -> None:
        from cases.choices import Distribution

        super().__init__()
        self.columns = [F(f"{prefix}{name}") for name in self._COLUMNS]
        agency = user.agency
        user_grants, agency_grants = _grant_models(model)
        quote = connection.ops.quote_name
        codename = f"view_{model._meta.model_name}"
        # Table names come from the models; every value is a parameter.
        self.sql_template = (
            "({agency_id} = %s OR {distribution} = %s"  # noqa: S608
            " OR ({distribution} = %s AND {owner_country} = %s)"
            " OR ({distribution} = %s AND {sharing_group_id} = ANY(ARRAY("
            "SELECT sharing_group_id FROM victimid_sharinggroupmembership WHERE agency_id = %s)))"
            " OR {pk} = ANY(ARRAY("
            f"SELECT content_object_id FROM {quote(user_grants._meta.db_table)}"
            " WHERE user_id = %s"
            " AND permission_id IN (SELECT id FROM auth_permission WHERE codename = %s)"
            f" UNION ALL SELECT content_object_id FROM {quote(agency_grants._meta.db_table)}"
            " WHERE group_id = %s"
            " AND permission_id IN (SELECT id FROM auth_permission WHERE codename = %s))))"
        )
        self.params = [
            agency.pk,
            Distribution.NETWORK.value,
            Distribution.COUNTRY.value,
            agency.country.code,
            Distribution.GROUP.value,
            agency.pk,
            user.pk,
            codename,
            agency.permission_group_id,
            codename,
        ]

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


def _grant_models(model: type[Model]) -> tuple[Any, Any]:
    from cases import models as cases_models

    grants = {
        "series": (cases_models.SeriesUserGrant, cases_models.SeriesAgencyGrant),
        "clue": (cases_models.ClueUserGrant, cases_models.ClueAgencyGrant),
        "victim": (cases_models.VictimUserGrant, cases_models.VictimAgencyGrant),
    }
    model_name = model._meta.model_name
    assert model_name is not None, "every concrete model has a model_name"
    return grants[model_name]


def visibility_q(user: Any, model: type[Model]) -> Q:
    """The WHERE clause that admits exactly the ``model`` rows ``user`` may see."""
    from cases import models as cases_models

    if model is cases_models.Series:
        return _level_q(user, cases_models.Series)
    if model is cases_models.Clue:
        return _level_q(user, cases_models.Clue) & _level_q(
            user, cases_models.Series, prefix="series__"
        )
    if model is cases_models.KnownHash:
        return _level_q(user, cases_models.Series, prefix="series__")
    extra = _EXTRA_RULES.get(model._meta.label_lower)
    if extra is not None:
        return extra(user)
    raise LookupError(f"No visibility rule for {model._meta.label}")


# Rules for models added by later parts of casework: label -> function(user) -> Q.
_EXTRA_RULES: dict[str, Callable[[Any], Q]] = {}


def register_visibility(label: str, rule: Callable[[Any], Q]) -> None:
    """Teach the policy how to restrict another model (e.g. victims follow their series)."""
    _EXTRA_RULES[label] = rule


def series_visibility_q(user: Any, prefix: str = "") -> Q:
    """The series rule reached through ``prefix`` (for records that follow their series)."""
    from cases.models import Series

    return _level_q(user, Series, prefix=prefix)


def restrict(queryset: _QS, user: Any) -> _QS:
    """``queryset`` narrowed to what ``user`` may see; empty without casework access."""
    if not has_casework_access(user) or user.agency_id is None:
        return queryset.none()
    return queryset.filter(visibility_q(user, queryset.model))


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
    """Only the owning agency's investigators and coordinators change a record."""
    if not has_casework_access(user) or user.agency_id is None:
        return False
    owner_agency_id = getattr(record, "agency_id", None)
    if owner_agency_id is None and hasattr(record, "series"):
        owner_agency_id = record.series.agency_id
    return owner_agency_id == user.agency_id and can_view(user, record)
