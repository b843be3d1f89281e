from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["UserSession"]


class UserSession(models.Model):
    """One signed-in browser session, so its owner can see it and end it (and an admin end
    them all). Keyed by an id kept in the session's data, which survives the session key
    changing at the second factor; the session key itself (a bearer secret) is never stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="browser_sessions",
    )
    sid = models.CharField(_("session id"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("signed in at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen at"), auto_now_add=True)
    source_ip = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("browser session")
        verbose_name_plural = _("browser sessions")
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"session {self.pk} of user {self.user_id}"
