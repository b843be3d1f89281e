"""Reading explicit grants: the owner's list of who else may see a record, and their count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from cases import access
from cases.access import grant_models
from cases.models import Clue, Series, SeriesAgencyGrant, SeriesUserGrant, Victim
from victimid.models import Agency, User

__all__ = [
    "GrantableRecord",
    "RecordGrant",
    "grant_key",
    "grantee_user_by_email",
    "record_grant_get",
    "record_grant_list",
    "series_grant_count",
]

GrantableRecord = Series | Clue | Victim

USER = "user"
AGENCY = "agency"


def grant_key(*, user: User | None = None, agency: Agency | None = None) -> str:
    """The stable address of a grant: ``user-<user id>`` or ``agency-<agency id>``."""
    if user is not None:
        return f"{USER}-{user.pk}"
    assert agency is not None
    return f"{AGENCY}-{agency.pk}"


@dataclass(frozen=True)
class RecordGrant:
    """One explicit grant as its owner reads it, and whether it has any effect."""

    kind: str  # "user" or "agency"
    key: str
    agency: Agency | None  # the agency granted to, or the person's agency
    user: User | None
    granted_at: datetime
    sees_record: bool  # false: the grantee still cannot see it (a clue whose series is hidden)
    warning: str | None

    @property
    def user_email(self) -> str | None:
        return self.user.email if self.user is not None else None


def _sees(record: GrantableRecord, *, user: User | None, agency: Agency | None) -> bool:
    if user is not None:
        return access.can_view(user, record)
    return agency is not None and access.agency_can_view(agency, record)


def _warning(record: GrantableRecord, *, user: User | None, agency: Agency | None) -> str:
    """Plain words for an owner whose grant changes nothing yet."""
    if user is not None:
        who = user.email
    else:
        who = _("People at %(agency)s") % {"agency": getattr(agency, "name", "?")}
    series = getattr(record, "series", None)
    if (
        isinstance(record, Clue)
        and series is not None
        and not _sees(series, user=user, agency=agency)
    ):
        return _(
            "%(who)s cannot see series %(code)s, so they will not see this clue until that "
            "series is shared with them too."
        ) % {"who": who, "code": series.code}
    if isinstance(record, Victim) and not any(
        _sees(linked, user=user, agency=agency) for linked in record.series.all()
    ):
        # No codes named: the owner may not see every series the child is linked to.
        return _(
            "%(who)s cannot see any series this child appears in, so they will not see this "
            "child's record until one of those series is shared with them too."
        ) % {"who": who}
    return _("%(who)s cannot see this record yet (the account may be suspended or expired).") % {
        "who": who
    }


def _entry(record: GrantableRecord, grant: Any, kind: str) -> RecordGrant:
    user = grant.user if kind == USER else None
    agency = user.agency if user is not None else grant.group.agency
    sees = _sees(record, user=user, agency=agency)
    return RecordGrant(
        kind=kind,
        key=grant_key(user=user) if user is not None else grant_key(agency=agency),
        agency=agency,
        user=user,
        granted_at=grant.granted_at,
        sees_record=sees,
        warning=None if sees else _warning(record, user=user, agency=agency),
    )


def _agency_grants(record: GrantableRecord, **filters: Any) -> list[RecordGrant]:
    agency_grants = grant_models(record)[1]
    rows = agency_grants.objects.filter(content_object=record, **filters)
    return [_entry(record, grant, AGENCY) for grant in rows.select_related("group__agency")]


def _user_grants(record: GrantableRecord, **filters: Any) -> list[RecordGrant]:
    user_grants = grant_models(record)[0]
    rows = user_grants.objects.filter(content_object=record, **filters)
    return [_entry(record, grant, USER) for grant in rows.select_related("user__agency")]


def record_grant_list(*, actor: User, record: GrantableRecord) -> list[RecordGrant]:
    """The explicit grants of ``record``, oldest first; its owning agency only (else 403/404).

    One access check per grant tells the owner whether it has any effect; a record
    carries a handful of grants, made one by one by hand.
    """
    access.require_editable(actor, record)
    grants = _agency_grants(record) + _user_grants(record)
    return sorted(grants, key=lambda grant: (grant.granted_at, grant.key))


def record_grant_get(*, actor: User, record: GrantableRecord, key: str) -> RecordGrant:
    """One grant of ``record`` by its key (``user-12``, ``agency-3``); Http404 if none."""
    access.require_editable(actor, record)
    kind, _sep, number = str(key).partition("-")
    if kind not in (USER, AGENCY) or not number.isdigit() or len(number) > 18:
        raise Http404
    if kind == USER:
        found = _user_grants(record, user_id=int(number))
    else:
        found = _agency_grants(record, group__agency__id=int(number))
    if not found:
        raise Http404
    return found[0]


def grantee_user_by_email(email: str) -> User | None:
    """The account with this e-mail address (any letter case), if there is one."""
    return User.objects.filter(email__iexact=str(email).strip()).select_related("agency").first()


def series_grant_count(*, series: Series) -> int:
    """Explicit grants of ``series`` to users and agencies (shown to its owner only)."""
    return (
        SeriesUserGrant.objects.filter(content_object=series).count()
        + SeriesAgencyGrant.objects.filter(content_object=series).count()
    )
