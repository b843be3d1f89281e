"""Reading routing requests: a clue's, and a coordinator's queue for their country."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Clue, RoutingRequest, RoutingStatus
from victimid.choices import Role
from victimid.models import User

__all__ = [
    "ROUTING_QUEUE_STATUSES",
    "routing_overdue_before",
    "routing_queue",
    "routing_request_get",
    "routing_requests_of_clue",
]

ROUTING_QUEUE_STATUSES = ("open", "closed", "all")


def routing_overdue_before() -> datetime:
    """Open requests asked before this moment are overdue (``ROUTING_OVERDUE_DAYS``)."""
    return timezone.now() - timedelta(days=settings.ROUTING_OVERDUE_DAYS)


def _visible(actor: User) -> QuerySet[RoutingRequest]:
    return RoutingRequest.objects.visible_to(actor).select_related(
        "clue", "clue__agency", "asking_agency", "assignee", "answer"
    )


def routing_requests_of_clue(*, actor: User, clue: Clue) -> QuerySet[RoutingRequest]:
    """The routing requests of a clue ``actor`` may see (with the clue), oldest first."""
    return _visible(actor).filter(clue=clue).order_by("asked_at", "pk")


def routing_queue(*, actor: User, status: str = "open") -> QuerySet[RoutingRequest]:
    """The requests to ``actor``'s country (a coordinator) or passed to them, overdue first.

    A coordinator sees every request to their country; an investigator the ones passed
    to them. A closed request stays listed only while its clue is otherwise visible.
    """
    if actor.agency is None:
        return RoutingRequest.objects.none()
    mine = Q(assignee_id=actor.pk)
    if actor.has_role(Role.COORDINATOR):
        mine |= Q(country=str(actor.agency.country))
    queryset = _visible(actor).filter(mine)
    if status == "open":
        queryset = queryset.filter(status=RoutingStatus.OPEN)
    elif status == "closed":
        queryset = queryset.exclude(status=RoutingStatus.OPEN)
    return queryset.order_by("asked_at", "pk")


def routing_request_get(*, actor: User, pk: int) -> RoutingRequest:
    """One routing request ``actor`` may see; 404 otherwise."""
    request = _visible(actor).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request
