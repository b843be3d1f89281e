from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from victimid.choices import AgencyKind

__all__ = ["Agency"]


class Agency(models.Model):
    """A law-enforcement body, hotline or international organisation whose staff use VictimID."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    country: "CountryField[str | Country, Country]" = CountryField(_("country"))
    kind = models.CharField(
        _("kind"), max_length=32, choices=AgencyKind.choices, default=AgencyKind.POLICE
    )
    contact_point = models.CharField(
        _("24/7 contact point"),
        max_length=300,
        blank=True,
        help_text=_("Duty desk telephone or functional mailbox reachable at any hour."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    permission_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("permission group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="agency",
        help_text=_("Holds the record grants made to this agency (django-guardian)."),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["country", "name"]
        indexes = [models.Index(fields=["country"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if self.permission_group_id is None:
            # One auth group per agency carries its record grants, so a grant to an
            # agency is one row however many people work there.
            from django.contrib.auth.models import Group

            group, _created = Group.objects.get_or_create(name=f"agency:{self.pk}")
            self.permission_group = group
            type(self).objects.filter(pk=self.pk).update(permission_group=group)
