"""Claims: an agency declares it is working a series; and the notices that follow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.base import VisibleQuerySet

__all__ = ["Claim", "CoordinationNotice", "CoordinationReason"]


class Claim(models.Model):
    """An agency's declaration that it is working a series, with a contact and an expiry.

    Active while not withdrawn and not expired. It is seen with its series (a row of the
    access table): whoever may see the series learns who works it and how to reach them.
    """

    series = models.ForeignKey(
        "cases.Series", verbose_name=_("series"), on_delete=models.CASCADE, related_name="claims"
    )
    agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("claiming agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact = models.CharField(
        _("contact point"),
        max_length=200,
        help_text=_("How another agency reaches the people working the series."),
    )
    expires_on = models.DateField(_("expires on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("claimed at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["series_id", "created_at"]
        constraints = [
            # One claim of an agency on a series stands at a time; renewing changes it.
            models.UniqueConstraint(
                fields=["series", "agency"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="claim_one_standing_per_agency_and_series",
            )
        ]
        indexes = [models.Index(fields=["agency", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.agency_id} claims {self.series_id} until {self.expires_on}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and self.expires_on >= timezone.localdate()


class CoordinationReason(models.TextChoices):
    CLAIM = "claim", _("claims the series")
    FOLLOW = "follow", _("follows the series")


class CoordinationNotice(models.Model):
    """An agency is told that another agency works the same series: its name and contact.

    One row per recipient agency and other agency and series, written by the claim and
    follow services. It carries only what the recipient may know: the other agency's
    name, country and contact point, on a series the recipient itself may see.
    """

    series = models.ForeignKey(
        "cases.Series",
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="coordination_notices",
    )
    agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("agency told"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    other_agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("other agency"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    other_reason = models.CharField(
        _("what the other agency does"), max_length=16, choices=CoordinationReason.choices
    )
    other_contact = models.CharField(_("other agency's contact"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("coordination notice")
        verbose_name_plural = _("coordination notices")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "agency", "other_agency"], name="coordination_notice_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(agency=models.F("other_agency")),
                name="coordination_notice_two_agencies",
            ),
        ]
        indexes = [models.Index(fields=["agency", "-id"])]

    def __str__(self) -> str:
        return f"{self.agency_id} told of {self.other_agency_id} on {self.series_id}"
