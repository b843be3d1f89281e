"""Reading known hashes."""

from __future__ import annotations

from django.db.models import QuerySet

from cases import access
from cases.models import KnownHash, Series
from victimid import audit_actions
from victimid.models import User
from victimid.services.audit import audit_record

__all__ = ["known_hash_list"]


def known_hash_list(*, actor: User, series: Series, audit: bool = True) -> QuerySet[KnownHash]:
    """The hash values of a series ``actor`` may see (Http404 otherwise); audited."""
    access.require_visible(actor, series)
    queryset = access.restrict(KnownHash.objects.filter(series=series), actor).select_related(
        "series", "submitting_agency"
    )
    if audit:
        audit_record(actor=actor, action=audit_actions.HASHES_LISTED, target=series)
    return queryset
