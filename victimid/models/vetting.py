from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from victimid.choices import VettingDecisionKind

__all__ = ["VettingDecision"]


class VettingDecision(models.Model):
    """One decision on a user's vetting: who decided, when, why. Never rewritten."""

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        related_name="vetting_decisions",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="vetting_decisions_made",
        null=True,
        blank=True,
        help_text=_("Empty when the platform decided (for example an automatic expiry)."),
    )
    decision = models.CharField(_("decision"), max_length=16, choices=VettingDecisionKind.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    vetted_until = models.DateTimeField(_("vetted until"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vetting decision")
        verbose_name_plural = _("vetting decisions")
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.subject_id} at {self.decided_at:%Y-%m-%d}"
