from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from victimid.choices import AuditOutcome

__all__ = ["AUDIT_EVENT_FIELDS", "AuditCheckpoint", "AuditEvent", "AuditVerification"]

# What an event records, in the order auditors read it (the CSV export's columns).
AUDIT_EVENT_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_email",
    "actor_agency_id",
    "action",
    "target_type",
    "target_id",
    "outcome",
    "source_ip",
    "request_id",
    "details",
    "chain_hash",
)


class AuditEvent(models.Model):
    """One attributable action. Append-only (a trigger refuses UPDATE and DELETE) and
    hash-chained: ``chain_hash`` covers the previous event's hash and this event's
    canonical content (``victimid.audit_chain``), so a rewrite shows even to a superuser."""

    sequence = models.BigIntegerField(_("sequence"), unique=True)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
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
    chain_hash = models.CharField(_("chain hash"), max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["actor", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.outcome}"


class AuditCheckpoint(models.Model):
    """The chain head at one moment, signed with a key kept outside the database, so that
    removing the newest events (which leaves a consistent but shorter chain) is detected.

    ``archived_through`` is set on the checkpoint written when retention removed the events
    up to that sequence: verification then starts from it instead of from event 1.
    Append-only, like the events."""

    created_at = models.DateTimeField(_("created at"))
    sequence = models.BigIntegerField(_("head sequence"))
    chain_hash = models.CharField(_("head hash"), max_length=64)
    event_count = models.BigIntegerField(_("events in the table"))
    archived_through = models.BigIntegerField(_("archived through"), null=True, blank=True)
    key_id = models.CharField(_("key id"), max_length=16)
    signature = models.CharField(_("signature"), max_length=64)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"checkpoint #{self.pk} at {self.sequence}"


class AuditVerification(models.Model):
    """The verdict of one walk of the whole chain (the periodic verification, or
    ``verify_audit``): when, how many events it checked, and intact or where it broke.

    Stored so that the metrics endpoint reports the last verdict on every scrape without
    walking the chain itself (a walk reads every event)."""

    verified_at = models.DateTimeField(_("verified at"), db_index=True)
    events_checked = models.BigIntegerField(_("events checked"))
    head_sequence = models.BigIntegerField(_("head sequence reached"))
    intact = models.BooleanField(_("intact"))
    broken_sequence = models.BigIntegerField(_("first broken sequence"), null=True, blank=True)
    problem = models.TextField(_("problem"), blank=True)

    class Meta:
        verbose_name = _("audit chain verification")
        verbose_name_plural = _("audit chain verifications")
        ordering = ["-verified_at", "-id"]

    def __str__(self) -> str:
        verdict = "intact" if self.intact else f"broken at #{self.broken_sequence}"
        return f"verification {self.verified_at:%Y-%m-%d %H:%M}: {verdict}"
