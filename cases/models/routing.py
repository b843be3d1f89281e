"""Routing requests: "do you recognise this?", a clue put to one country's coordinators."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from cases.models.base import VisibleQuerySet

__all__ = ["RoutingRequest", "RoutingStatus"]


class RoutingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RoutingRequest(models.Model):
    """A clue's owner asks one country's coordinators whether they recognise it.

    While it is open, the access policy shows the clue to that country's coordinators
    and to the investigator they pass it to (``cases.access.rules.RoutedTo``); answering
    (an assessment by one of them) or withdrawing closes it, and the clue is theirs no
    more. When it was asked, passed and answered is kept for statistics.
    """

    clue = models.ForeignKey(
        "cases.Clue",
        verbose_name=_("clue"),
        on_delete=models.CASCADE,
        related_name="routing_requests",
    )
    country: CountryField[str | Country, Country] = CountryField(_("asked country"))
    question = models.TextField(_("question"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RoutingStatus.choices, default=RoutingStatus.OPEN
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asking_agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("asking agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("passed to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    passed_at = models.DateTimeField(_("passed at"), null=True, blank=True)
    answer = models.ForeignKey(
        "cases.Assessment",
        verbose_name=_("answer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_requests",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("routing request")
        verbose_name_plural = _("routing requests")
        ordering = ["asked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clue", "country"],
                condition=models.Q(status="open"),
                name="routing_request_one_open_per_country",
            ),
            models.CheckConstraint(
                condition=(models.Q(status="open") & models.Q(closed_at__isnull=True))
                | (~models.Q(status="open") & models.Q(closed_at__isnull=False)),
                name="routing_request_closed_iff_not_open",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="answered") | models.Q(answer__isnull=False),
                name="routing_request_answered_has_answer",
            ),
        ]
        indexes = [
            models.Index(fields=["country", "status", "asked_at"]),
            models.Index(fields=["assignee", "status"]),
        ]

    def __str__(self) -> str:
        return f"clue {self.clue_id} → {self.country} ({self.status})"

    @property
    def due_at(self) -> datetime:
        return self.asked_at + timedelta(days=settings.ROUTING_OVERDUE_DAYS)

    @property
    def is_overdue(self) -> bool:
        return self.status == RoutingStatus.OPEN and timezone.now() > self.due_at
