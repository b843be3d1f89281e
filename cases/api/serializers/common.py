"""What the casework serializers share: brief agencies and groups, lookups, versions.

Input shapes are checked here, meaning by the services.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.choices import DISTRIBUTION_EXPLAINED, Distribution
from cases.models import Series
from victimid.models import Agency, SharingGroup

__all__ = [
    "AgencyBriefSerializer",
    "CanEditMixin",
    "ModelRulesMixin",
    "MySharingGroupField",
    "SharingGroupBriefSerializer",
    "VersionRequiredMixin",
    "VisibleSeriesField",
]


class AgencyBriefSerializer(serializers.ModelSerializer[Agency]):
    """An agency as casework shows it: name and country, so colleagues can get in touch."""

    country = serializers.CharField(source="country.code")

    class Meta:
        model = Agency
        fields = ["id", "name", "country"]


class SharingGroupBriefSerializer(serializers.ModelSerializer[SharingGroup]):
    class Meta:
        model = SharingGroup
        fields = ["id", "name"]


class CanEditMixin(serializers.Serializer):  # type: ignore[type-arg]
    can_edit = serializers.SerializerMethodField()
    distribution_explained = serializers.SerializerMethodField()

    def get_can_edit(self, record: Any) -> bool:
        # The record was read through the access policy, so it is visible; the owning
        # agency edits it (access.can_edit, without one query per row).
        request = self.context.get("request")
        return bool(request and record.agency_id == getattr(request.user, "agency_id", None))

    def get_distribution_explained(self, record: Any) -> str:
        return str(DISTRIBUTION_EXPLAINED[Distribution(record.distribution)])


@extend_schema_field(OpenApiTypes.STR)
class VisibleSeriesField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A series code, resolved among the series the caller may see (others do not exist)."""

    default_error_messages = {
        "does_not_exist": _("No series with code {value} that you can see."),
        "invalid": _("Give a series code such as SER-2026-000123."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self) -> Any:
        return Series.objects.visible_to(self.context["request"].user)

    def to_internal_value(self, data: Any) -> Any:
        return super().to_internal_value(str(data).strip().upper())


@extend_schema_field(OpenApiTypes.INT)
class MySharingGroupField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A sharing group id, among the groups the caller's agency belongs to or manages."""

    default_error_messages = {
        "does_not_exist": _("No sharing group {pk_value} that your agency belongs to."),
    }

    def get_queryset(self) -> Any:
        from cases.selectors import sharing_groups_for

        return sharing_groups_for(actor=self.context["request"].user)


class VersionRequiredMixin(serializers.Serializer):  # type: ignore[type-arg]
    """Every change carries the version it was based on, PATCH included."""

    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you read; a stale one answers 409.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "version" not in attrs:
            raise serializers.ValidationError(
                {"version": _("Send the version you read, so no change is lost.")}
            )
        return super().validate(attrs)


class ModelRulesMixin(serializers.Serializer):  # type: ignore[type-arg]
    """Input that breaks a rule of the model is refused here, each problem on its field.

    ``rules`` are the model module's rule functions (``distribution_problems``,
    ``clue_time_window_problems``...), the same the model's ``clean()`` and the page forms
    call, so the API says what the pages say before any service runs and no database
    constraint's name reaches the caller. Each rule is called with the input fields named
    by its parameters. A creation reads a field left out as empty; a change
    (``changes_stored``) applies a rule only when every field it reads was sent, since the
    others keep stored values this serializer does not see (the service's ``full_clean``
    checks those with the same rule).
    """

    rules: ClassVar[tuple[Callable[..., dict[str, str]], ...]] = ()
    changes_stored: ClassVar[bool] = False

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        problems: dict[str, list[str]] = {}
        for rule in self.rules:
            names = list(inspect.signature(rule).parameters)
            if self.changes_stored and not all(name in attrs for name in names):
                continue
            for field, message in rule(**{name: attrs.get(name) for name in names}).items():
                problems.setdefault(field, []).append(message)
        if problems:
            raise serializers.ValidationError(problems)
        return attrs
