from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["EmailFrequency", "Notification", "NotificationKind", "NotificationPreference"]


class EmailFrequency(models.TextChoices):
    """How often the e-mails of one kind of notification leave."""

    IMMEDIATELY = "immediately", _("At once, one e-mail each")
    DAILY = "daily", _("In a daily digest")
    WEEKLY = "weekly", _("In a weekly digest")


class NotificationKind(models.TextChoices):
    CHILD_IDENTIFIED = "child_identified", _("A child was identified")
    CHILD_SAFEGUARDED = "child_safeguarded", _("A child was safeguarded")
    SERIES_ALL_IDENTIFIED = "series_all_identified", _("Every child of a series is identified")
    DECONFLICTION = "deconfliction", _("Deconfliction notice")
    CLUE_ASSESSED = "clue_assessed", _("A clue was assessed")
    ROUTING_REQUESTED = "routing_requested", _("Your country is asked to recognise a clue")
    ROUTING_PASSED = "routing_passed", _("A routing request was passed to you")
    ROUTING_ANSWERED = "routing_answered", _("A country answered your routing request")
    CORRELATION = "correlation", _("A clue may be related to another")


class Notification(models.Model):
    """Something a user should know about. Carries references and a neutral message only,
    never restricted content: the recipient opens the record through the access policy."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    subject_type = models.CharField(_("about (type)"), max_length=32)
    subject_ref = models.CharField(_("about (reference)"), max_length=64)
    message = models.CharField(_("message"), max_length=500)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_failed_at = models.DateTimeField(
        _("e-mail failed at"),
        null=True,
        blank=True,
        help_text=_("Every retry to send the e-mail failed; it can be sent again."),
    )
    email_skipped_at = models.DateTimeField(
        _("e-mail skipped at"),
        null=True,
        blank=True,
        help_text=_("The recipient had switched off e-mails of this kind when it was due."),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(emailed_at__isnull=True)
                | models.Q(email_skipped_at__isnull=True),
                name="notification_emailed_or_skipped_not_both",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """Whether a user wants notifications of one kind e-mailed. No row means yes: a kind
    added later is e-mailed until its recipient says otherwise, as every kind was before."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    email = models.BooleanField(_("e-mailed"), default=True)
    frequency = models.CharField(
        _("how often"),
        max_length=16,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATELY,
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_preference_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}: {'e-mail' if self.email else 'no e-mail'}"
