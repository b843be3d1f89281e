from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.choices import HashAlgorithm, HashSource, VicsCategory
from cases.hash_values import hash_value_digest, hash_value_text
from cases.models.base import VisibleQuerySet

__all__ = ["HashValueField", "KnownHash"]


class HashValueField(models.CharField):  # type: ignore[type-arg]
    """A hash value stored as its digest bytes (``bytea``), read and written as text.

    Python, forms, serializers and exports see the stored text form (lower-case hex,
    PhotoDNA as base64: ``cases.hash_values``); the database holds the bytes, so the
    unique index is half the size and a lookup compares bytes. Raw SQL converts with
    ``sql_hash_digest`` / ``sql_hash_text``.
    """

    def db_type(self, connection: Any) -> str:
        return "bytea"

    def rel_db_type(self, connection: Any) -> str:
        return "bytea"

    def cast_db_type(self, connection: Any) -> str:
        return "bytea"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        return None if value is None else hash_value_text(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None or isinstance(value, bytes | memoryview):
            return value
        if not prepared:
            value = self.get_prep_value(value)
        try:
            return hash_value_digest(value)
        except ValueError:
            raise ValidationError(
                _("Not a stored hash value (lower-case hex, or PhotoDNA as base64)."),
                code="invalid_hash_value",
            ) from None


class KnownHash(models.Model):
    """The hash value of one known file of a series. A value belongs to one series only."""

    # The two parents are checked once per statement, not once per row: an import adds a
    # million values to one series of one agency, and the deferred foreign-key check of
    # each row (a look-up and a row lock per key, 2M at commit) cost more than the rest of
    # the import together. Migration ``0015_known_hash_parents_per_statement`` installs
    # triggers that refuse, as a foreign key would (SQLSTATE 23503), a value whose series
    # or submitting agency does not exist, lock the parents named (``FOR KEY SHARE``) so
    # that a concurrent delete waits, and refuse deleting a series or agency that still
    # holds values or changing its id. ``tests/cases/test_known_hash_parents.py``.
    series = models.ForeignKey(
        "cases.Series",
        verbose_name=_("series"),
        on_delete=models.PROTECT,
        related_name="hashes",
        db_constraint=False,
    )
    algorithm = models.CharField(_("algorithm"), max_length=16, choices=HashAlgorithm.choices)
    value = HashValueField(
        _("value"),
        max_length=200,
        help_text=_(
            "Lower-case hex; PhotoDNA as base64, kept as given. Stored as the digest bytes."
        ),
    )
    vics_category = models.PositiveSmallIntegerField(
        _("VICS category"), choices=VicsCategory.choices, default=VicsCategory.UNCATEGORISED
    )
    distributed = models.BooleanField(
        _("distributed"),
        default=False,
        help_text=_("Cleared for distribution to other agencies' hash sets."),
    )
    submitting_agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("submitting agency"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    source = models.CharField(
        _("source"), max_length=16, choices=HashSource.choices, default=HashSource.MANUAL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("known hash")
        verbose_name_plural = _("known hashes")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["algorithm", "value"], name="known_hash_value_once")
        ]
        indexes = [models.Index(fields=["series", "-id"])]

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.value}"
