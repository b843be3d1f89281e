"""Reading explicit grants: how many there are, for the owner's "who can see it"."""

from __future__ import annotations

from cases.models import Series, SeriesAgencyGrant, SeriesUserGrant

__all__ = ["series_grant_count"]


def series_grant_count(*, series: Series) -> int:
    """Explicit grants of ``series`` to users and agencies (shown to its owner only)."""
    return (
        SeriesUserGrant.objects.filter(content_object=series).count()
        + SeriesAgencyGrant.objects.filter(content_object=series).count()
    )
