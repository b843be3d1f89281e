"""Victims and the identification log: pseudonymous codes, age bands and appended events.

No field here may hold a name, a birth date, an address, a school or a picture of a
child (design principle 2); the notes are screened like clue text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from cases.choices import AgeBand, IdentificationEventKind, SupportService, VictimStatus
from cases.models.base import (
    DistributedRecord,
    VisibleQuerySet,
    access_keys_field,
    group_distribution_constraint,
    raise_problems,
)

__all__ = [
    "EVENT_KIND_OF_FIELD",
    "IdentificationEvent",
    "SeriesFollower",
    "Victim",
    "VictimSeries",
    "identification_event_problems",
]

VICTIM_CODE_SEQUENCE = "cases_victim_code_seq"

Kind = IdentificationEventKind

# The fields of an event that one kind of event alone uses. The page shows each only
# with its kind (cases/static/cases/dependent_fields.js); given with another kind, it is
# refused by name on the page and in the API alike (identification_event_problems).
EVENT_KIND_OF_FIELD: dict[str, str] = {
    "support_service": Kind.REFERRED,
    "corrects": Kind.CORRECTION,
    "also_identified": Kind.SAFEGUARDED,
}


def identification_event_problems(
    *, kind: str | None, support_service: str, corrects: object | None, also_identified: bool
) -> dict[str, str]:
    """``identification_event_referral_has_service`` and ``…_correction_has_target``.

    A referral names its kind of support service and a correction the event it corrects;
    no other kind carries either (nor "also identified", which goes with a safeguarding).
    ``corrects`` is the event or its id (None: none). Used by the model's ``clean()``, the
    record service, the page form and the API's input serializer.
    """
    if kind not in Kind.values:
        return {}  # the kind's own check names it
    problems: dict[str, str] = {}
    kind_label = Kind(kind).label
    if kind == Kind.REFERRED and not support_service:
        problems["support_service"] = str(
            _("Say which kind of support service the child was referred to.")
        )
    elif kind != Kind.REFERRED and support_service:
        problems["support_service"] = str(
            _("A kind of support service goes only with a referral; leave it empty for “%(kind)s”.")
            % {"kind": kind_label}
        )
    if kind == Kind.CORRECTION and corrects is None:
        problems["corrects"] = str(_("Choose the event of this child that this corrects."))
    elif kind != Kind.CORRECTION and corrects is not None:
        problems["corrects"] = str(
            _("Only a correction points at another event; leave it empty for “%(kind)s”.")
            % {"kind": kind_label}
        )
    if also_identified and kind != Kind.SAFEGUARDED:
        problems["also_identified"] = str(
            _("“Also record the identification” goes only with a safeguarding.")
        )
    return problems


class Victim(DistributedRecord):
    """A child seen in one or more series, known only by a pseudonymous code."""

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    series = models.ManyToManyField(
        "cases.Series",
        verbose_name=_("series"),
        through="cases.VictimSeries",
        related_name="victims",
    )
    age_band = models.CharField(
        _("age band at first appearance"),
        max_length=8,
        choices=AgeBand.choices,
        default=AgeBand.UNKNOWN,
    )
    notes = models.TextField(
        _("working notes"),
        blank=True,
        max_length=2000,
        help_text=_("Investigative notes only. Never a name, birth date, address or school."),
    )
    series_access_keys = access_keys_field(
        _("series access keys"),
        _(
            "The union of the access keys of the series the child appears in, kept by the "
            "database: one visible series is enough."
        ),
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("victim")
        verbose_name_plural = _("victims")
        ordering = ["-id"]
        constraints = [group_distribution_constraint("victim_group_iff_group_distribution")]
        indexes = [
            models.Index(fields=["agency", "distribution"]),
            models.Index(fields=["owner_country", "distribution"]),
            models.Index(fields=["sharing_group"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def current_status_label(self) -> str:
        """The label of the ``current_status`` annotation (see cases.selectors.victims)."""
        status = getattr(self, "current_status", None)
        return str(VictimStatus(status).label) if status else ""


class VictimSeries(models.Model):
    """A child appears in a series (one child in many series, many children in one)."""

    victim = models.ForeignKey(
        Victim, verbose_name=_("victim"), on_delete=models.CASCADE, related_name="series_links"
    )
    series = models.ForeignKey(
        "cases.Series",
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        related_name="victim_links",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("appearance in a series")
        verbose_name_plural = _("appearances in series")
        constraints = [
            models.UniqueConstraint(fields=["victim", "series"], name="victim_series_once")
        ]
        indexes = [models.Index(fields=["series", "victim"])]

    def __str__(self) -> str:
        return f"{self.victim_id} in {self.series_id}"


class IdentificationEvent(models.Model):
    """One fact in a child's identification log; appended, never changed (a DB trigger)."""

    victim = models.ForeignKey(
        Victim, verbose_name=_("victim"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=IdentificationEventKind.choices)
    occurred_on = models.DateField(_("date it happened"))
    agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("acting agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    country: CountryField[str | Country, Country] = CountryField(_("acting country"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    support_service = models.CharField(
        _("kind of support service"),
        max_length=32,
        choices=SupportService.choices,
        blank=True,
    )
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("identification event")
        verbose_name_plural = _("identification events")
        ordering = ["occurred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=IdentificationEventKind.REFERRED)
                ^ models.Q(support_service=""),
                name="identification_event_referral_has_service",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=IdentificationEventKind.CORRECTION)
                ^ models.Q(corrects__isnull=True),
                name="identification_event_correction_has_target",
            ),
        ]
        indexes = [
            models.Index(fields=["victim", "kind", "occurred_on"]),
            models.Index(fields=["kind", "occurred_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.victim_id} {self.kind} {self.occurred_on}"

    def clean(self) -> None:
        super().clean()
        raise_problems(
            identification_event_problems(
                kind=self.kind,
                support_service=self.support_service,
                corrects=self.corrects_id,
                also_identified=False,
            )
        )


class SeriesFollower(models.Model):
    """A user asked to hear when a child in this series is identified or safeguarded."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="followed_series",
    )
    series = models.ForeignKey(
        "cases.Series",
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="followers",
    )
    created_at = models.DateTimeField(_("following since"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("series follower")
        verbose_name_plural = _("series followers")
        constraints = [
            models.UniqueConstraint(fields=["user", "series"], name="series_follower_once")
        ]
        indexes = [models.Index(fields=["series", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.series_id}"
