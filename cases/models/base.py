"""What every distributed casework record shares: an owner, a distribution level, a version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from cases.access.policy import restrict
from cases.choices import Distribution

if TYPE_CHECKING:
    from victimid.models import User

__all__ = [
    "DistributedRecord",
    "VisibleQuerySet",
    "access_keys_field",
    "distribution_problems",
    "group_distribution_constraint",
    "next_code",
    "raise_problems",
]

_M = TypeVar("_M", bound=models.Model)


def next_code(prefix: str, sequence: str) -> str:
    """A new code such as ``SER-2026-000123`` from a PostgreSQL sequence (gap-tolerant, unique)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        (number,) = cursor.fetchone()
    return f"{prefix}-{timezone.now().year}-{number:06d}"


class VisibleQuerySet(models.QuerySet[_M]):
    """Querysets of casework records start from ``visible_to(user)`` (``cases.access``)."""

    def visible_to(self, user: User | Any) -> VisibleQuerySet[_M]:
        return restrict(self, user)


def access_keys_field(verbose_name: Any, help_text: Any) -> ArrayField[Any, Any]:
    """Access keys (``cases.access.keys``): kept by database triggers, never by hand."""
    return ArrayField(
        models.BigIntegerField(),
        verbose_name=verbose_name,
        default=list,
        blank=True,
        editable=False,
        help_text=help_text,
    )


class DistributedRecord(models.Model):
    """Abstract base: owning agency, distribution level, optional sharing group, version."""

    agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("owning agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_country: CountryField[str | Country, Country] = CountryField(
        _("owning country"),
        editable=False,
        help_text=_("The owning agency's country, kept on the record for the access policy."),
    )
    distribution = models.CharField(
        _("distribution"),
        max_length=16,
        choices=Distribution.choices,
        default=Distribution.AGENCY,
    )
    sharing_group = models.ForeignKey(
        "victimid.SharingGroup",
        verbose_name=_("sharing group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    access_keys = access_keys_field(
        _("access keys"),
        _(
            "Who the record's own level and explicit grants admit, as numbers; derived by "
            "the database on every write."
        ),
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.agency_id and not self.owner_country:
            self.owner_country = self.agency.country
        super().save(*args, **kwargs)

    def rule_problems(self) -> dict[str, str]:
        """What the record's rules (its constraints, in words) find wrong, by field."""
        return distribution_problems(self.distribution, self.sharing_group_id)

    def clean(self) -> None:
        super().clean()
        raise_problems(self.rule_problems())


def raise_problems(problems: dict[str, str]) -> None:
    """A model's ``clean()`` refuses with the problems a rule found, each on its field.

    A field named here is left out of Django's check of the database constraints that
    follow ``clean()`` in ``full_clean``, so the constraint's own name (such as
    ``clue_time_window_ordered``) never reaches a reader.
    """
    if problems:
        raise ValidationError(problems)


def distribution_problems(distribution: str | None, sharing_group: object | None) -> dict[str, str]:
    """The rule of ``*_group_iff_group_distribution``: a sharing group exactly for 'group'.

    ``sharing_group`` is the group or its id (None: no group). Used by the model's
    ``clean()``, the page forms and the API's input serializers, so each says the same.
    """
    if distribution == Distribution.GROUP and sharing_group is None:
        return {"sharing_group": str(_("Choose the sharing group whose agencies may see this."))}
    if distribution != Distribution.GROUP and sharing_group is not None:
        return {
            "sharing_group": str(
                _(
                    "A sharing group goes only with the level “%(level)s”: choose that "
                    "level, or no group."
                )
                % {"level": Distribution.GROUP.label}
            )
        }
    return {}


def group_distribution_constraint(name: str) -> models.CheckConstraint:
    """The database half of ``distribution_problems``: a group exactly for ``group``."""
    return models.CheckConstraint(
        condition=(
            models.Q(distribution=Distribution.GROUP) & models.Q(sharing_group__isnull=False)
        )
        | (~models.Q(distribution=Distribution.GROUP) & models.Q(sharing_group__isnull=True)),
        name=name,
    )
