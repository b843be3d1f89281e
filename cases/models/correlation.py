"""Correlation suggestions: two clues in different series that look related."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.base import VisibleQuerySet

__all__ = ["CorrelationSuggestion", "SuggestionStatus"]


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class CorrelationSuggestion(models.Model):
    """Two clues of different series that look related, why, and what people decided.

    Written by the correlation task (``cases.services.correlation``), whatever the
    clues' levels; seen only by those who may see **both** clues (a row of the access
    table with two parents). The pair is stored once, the lower clue id first.
    """

    clue_a = models.ForeignKey(
        "cases.Clue", verbose_name=_("clue"), on_delete=models.CASCADE, related_name="+"
    )
    clue_b = models.ForeignKey(
        "cases.Clue", verbose_name=_("related clue"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("score"))
    reasons = models.JSONField(
        _("reasons"),
        default=list,
        help_text=_("Why the two look related, as sentences a person can read."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.OPEN,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("suggested at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("correlation suggestion")
        verbose_name_plural = _("correlation suggestions")
        ordering = ["-score", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["clue_a", "clue_b"], name="suggestion_pair_once"),
            models.CheckConstraint(
                condition=models.Q(clue_a__lt=models.F("clue_b")),
                name="suggestion_pair_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["clue_b"]),
            models.Index(fields=["status", "-score"]),
        ]

    def __str__(self) -> str:
        return f"{self.clue_a_id} ~ {self.clue_b_id} ({self.score:.1f})"
