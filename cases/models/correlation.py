"""Correlation suggestions: two clues in different series that look related."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.base import VisibleQuerySet

__all__ = ["CorrelationSuggestion", "SuggestionInbox", "SuggestionReach", "SuggestionStatus"]


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


class SuggestionReach(models.IntegerChoices):
    """How far a suggestion reaches at one agency (``cases.access.keys.reach_sql``)."""

    NOBODY = 0, _("nobody there may see it")
    PERSONAL = 1, _("only someone with a key of their own may see it")
    AGENCY = 2, _("the agency's level, group and grants admit it")


class SuggestionInbox(models.Model):
    """A suggestion as the list of one of its clues' owning agencies holds it.

    Written by database triggers only (``cases.access.keys.reach_install_sql``), one row
    per distinct owning agency of the two clues, so that an agency's list walks its own
    rows newest first on an index instead of every suggestion. ``reach`` is an upper
    bound of who there may see the suggestion: ``0`` means no reader at the agency may,
    so the access rule (``rules.AgencyReach``) skips the row before it asks the exact rule
    of the suggestion, which still decides.
    """

    # No index of their own: the unique pair leads with the suggestion, the walk with the
    # agency, and every entry is written by the triggers (one index fewer to keep each).
    suggestion = models.ForeignKey(
        CorrelationSuggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="inbox",
        db_index=False,
    )
    agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SuggestionStatus.choices,
        editable=False,
        help_text=_("The suggestion's status, copied by a trigger."),
    )
    reach = models.SmallIntegerField(
        _("reach"),
        choices=SuggestionReach.choices,
        editable=False,
        help_text=_("Kept by a trigger from the clues' access keys and the agency's."),
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggestion in an agency's list")
        verbose_name_plural = _("suggestions in agencies' lists")
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "agency"], name="suggestion_inbox_once"),
            models.CheckConstraint(
                condition=models.Q(reach__gte=0, reach__lte=2), name="suggestion_inbox_reach"
            ),
        ]
        indexes = [
            # The list of an agency with the policy switched off (and any reach).
            models.Index(fields=["agency", "status", "-suggestion"], name="suggestion_inbox_walk"),
            # The list as the policy reads it: only rows someone there may see.
            models.Index(
                fields=["agency", "status", "-suggestion"],
                condition=models.Q(reach__gt=0),
                name="suggestion_inbox_reached",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} @ {self.agency_id} ({self.status}, reach {self.reach})"
