"""The transactional outbox: work that must follow a commit, kept until the broker took it."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

__all__ = ["OutboxMessage"]


class OutboxMessage(models.Model):
    """One Celery task to run after the transaction that wrote it commits.

    Written in the same transaction as the record it follows, so the work exists exactly
    when the record does; relayed to the broker at once after the commit and, if the
    broker was unreachable then, by the periodic relay. Tasks are safe to run twice.
    """

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created at"), db_default=Now(), editable=False)
    sent_at = models.DateTimeField(_("handed to the broker at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # The request that caused the work, for the task's logs and audit events.
    request_id = models.CharField(_("request id"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(sent_at__isnull=True), name="outbox_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"
