from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from victimid.choices import AuditOutcome

__all__ = ["AuditEvent"]


class AuditEvent(models.Model):
    """One attributable action. Append-only: a database trigger refuses UPDATE and DELETE."""

    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    actor_email = models.CharField(
        _("actor e-mail"),
        max_length=254,
        blank=True,
        help_text=_("As typed at login when no account matched; kept for failed logins."),
    )
    actor_agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("actor agency"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS
    )
    source_ip = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.outcome}"
