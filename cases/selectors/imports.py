"""Reading import jobs: the user's own, through the access policy."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cases import access
from cases.models import HashImportJob, KnownHash, Series
from victimid.models import User

__all__ = ["hash_import_get", "hash_imports", "known_hash_get"]


def hash_imports(*, actor: User) -> QuerySet[HashImportJob]:
    """The actor's own import jobs, newest first."""
    return access.restrict(HashImportJob.objects.all(), actor).select_related("series")


def hash_import_get(*, actor: User, pk: int) -> HashImportJob:
    """One of the actor's import jobs; Http404 for anyone else's."""
    job = hash_imports(actor=actor).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def known_hash_get(*, actor: User, series: Series, pk: int) -> KnownHash:
    """One hash value of a series the actor may see; Http404 otherwise."""
    known = (
        access.restrict(KnownHash.objects.filter(series=series, pk=pk), actor)
        .select_related("series")
        .first()
    )
    if known is None:
        raise Http404
    return known
