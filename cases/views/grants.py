"""The "Grant access" section of a record's page: list, make and withdraw grants (owner only).

Each record's views module routes its own grant URLs to ``grant_add`` and ``grant_revoke``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import access
from cases.forms import GrantForm
from cases.models import Clue, Series, Victim
from cases.selectors.grants import (
    GrantableRecord,
    RecordGrant,
    grant_key,
    record_grant_get,
    record_grant_list,
)
from cases.services import record_grant, record_grant_revoke
from cases.views.common import CaseworkRequest, add_service_errors

# How each record's page reaches the grant section: its URL names and how it is addressed.
_ROUTES = {
    Series: ("series-detail", "series-grant-add", "series-grant-revoke", "code"),
    Clue: ("clue-detail", "clue-grant-add", "clue-grant-revoke", "pk"),
    Victim: ("victim-detail", "victim-grant-add", "victim-grant-revoke", "code"),
}
# What the section calls each kind of record (the template words its sentences by it).
_KINDS = {Series: "series", Clue: "clue", Victim: "victim"}


def _address(record: GrantableRecord) -> Any:
    return getattr(record, _ROUTES[type(record)][3])


def grant_section(
    request: CaseworkRequest, record: GrantableRecord, form: GrantForm | None = None
) -> dict[str, Any]:
    """The page context of the "Grant access" section: empty unless the owner reads the page."""
    if not access.can_edit(request.user, record):
        return {"grant_section": None}
    _detail, add, revoke, _key = _ROUTES[type(record)]
    address = _address(record)
    grants = [
        (grant, reverse(revoke, args=[address, grant.key]), _described(record, grant))
        for grant in record_grant_list(actor=request.user, record=record)
    ]
    return {
        "grant_section": {
            "grants": grants,
            "form": form or GrantForm(owner_agency_id=record.agency_id),
            "add_url": reverse(add, args=[address]),
            "kind": _KINDS[type(record)],
        }
    }


def _grantee(grant: RecordGrant) -> str:
    agency = grant.agency
    where = f"{agency.name} ({agency.country.name})" if agency is not None else "—"
    return f"{grant.user.email}, {where}" if grant.user is not None else where


def _described(record: GrantableRecord, grant: RecordGrant) -> str:
    """A grant in the owner's list: what it does, or to whom it was made if it does nothing."""
    if grant.warning:
        return _("Granted to %(who)s.") % {"who": _grantee(grant)}
    return _granted_message(record, grant)


def _granted_message(record: GrantableRecord, grant: RecordGrant) -> str:
    """The grant in plain words: who will see the record although its level would not."""
    if grant.user is not None:
        who = _grantee(grant)
    else:
        who = _("People at %(agency)s") % {"agency": _grantee(grant)}
    if isinstance(record, Clue):
        sentence = _("%(who)s will see this clue even though its level would not show it to them.")
    elif isinstance(record, Victim):
        sentence = _(
            "%(who)s will see this child's record even though its level would not show it to them."
        )
    else:
        sentence = _(
            "%(who)s will see this series even though its level would not show it to them."
        )
    return sentence % {"who": who}


def grant_add(
    request: CaseworkRequest,
    record: GrantableRecord,
    render_page: Callable[[GrantForm], HttpResponse],
) -> HttpResponse:
    access.require_editable(request.user, record)
    form = GrantForm(request.POST, owner_agency_id=record.agency_id)
    if form.is_valid():
        grantee = form.grantee()
        try:
            created = record_grant(actor=request.user, record=record, **grantee)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            grant = record_grant_get(actor=request.user, record=record, key=grant_key(**grantee))
            if not created:
                messages.info(request, _("That grant was already in place; nothing changed."))
            elif grant.sees_record:
                messages.success(request, _granted_message(record, grant))
            if grant.warning:
                messages.warning(request, grant.warning)
            return redirect(_ROUTES[type(record)][0], _address(record))
    return render_page(form)


def grant_revoke(request: CaseworkRequest, record: GrantableRecord, key: str) -> HttpResponse:
    access.require_editable(request.user, record)
    grant = record_grant_get(actor=request.user, record=record, key=key)
    grantee = {"user": grant.user} if grant.user is not None else {"agency": grant.agency}
    record_grant_revoke(actor=request.user, record=record, **grantee)
    messages.success(request, _("Grant withdrawn: %(who)s.") % {"who": _grantee(grant)})
    return redirect(_ROUTES[type(record)][0], _address(record))
