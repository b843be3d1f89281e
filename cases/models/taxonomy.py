from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

__all__ = ["ClueTaxonomyNode"]


class ClueTaxonomyNode(models.Model):
    """A node of the controlled clue taxonomy tree (products, sockets, flora, dialect...)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(
        _("path"),
        max_length=500,
        unique=True,
        editable=False,
        help_text=_("Slugs from the root, joined by '/', ending in '/'; finds descendants."),
    )
    label = models.CharField(_("label (English)"), max_length=200)
    translations = models.JSONField(
        _("translated labels"),
        default=dict,
        blank=True,
        help_text=_('Labels by language code, e.g. {"fr": "Prises électriques"}.'),
    )
    description = models.TextField(_("what to look at"), blank=True, max_length=2000)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("clue taxonomy node")
        verbose_name_plural = _("clue taxonomy")
        ordering = ["path"]
        indexes = [
            models.Index(
                fields=["path"], name="taxonomy_path_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return self.localized_label()

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = f"{self.parent.path if self.parent else ''}{self.slug}/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def localized_label(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "en").split("-")[0]
        return str(self.translations.get(language) or self.label)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1
