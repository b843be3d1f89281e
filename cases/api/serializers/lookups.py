"""Serializers of hash lookups: up to 10,000 values in, one answer per value out."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.choices import HashAlgorithm, SeriesStatus
from victimid.api.serializers import InputSerializer

__all__ = [
    "HashLookupAnswerSerializer",
    "HashLookupResultSerializer",
    "HashLookupSerializer",
]


@extend_schema_field(
    {
        "type": "array",
        "maxItems": 10_000,
        "items": {
            "oneOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {
                        "value": {"type": "string"},
                        "algorithm": {"type": "string", "enum": list(HashAlgorithm.values)},
                    },
                    "required": ["value"],
                },
            ]
        },
    }
)
class _LookupValuesField(serializers.Field):  # type: ignore[type-arg]
    """A list of values, each text or ``{"value": ..., "algorithm": ...}``.

    Checked in one pass: a DRF field per item costs more than the lookup of 10,000 values.
    """

    default_error_messages = {
        "not_a_list": _("Give a list of values."),
        "empty": _("Give at least one hash value."),
        "shape": _(
            'Entry {index}: give each value as text or as {{"value": ..., "algorithm": ...}}.'
        ),
    }

    def to_internal_value(self, data: Any) -> list[dict[str, str]]:
        if not isinstance(data, list):
            self.fail("not_a_list")
        if not data:
            self.fail("empty")
        entries: list[dict[str, str]] = []
        for index, item in enumerate(data):
            if isinstance(item, str):
                entries.append({"value": item, "algorithm": ""})
                continue
            if isinstance(item, dict) and "value" in item and set(item) <= {"value", "algorithm"}:
                value, algorithm = item["value"], item.get("algorithm") or ""
                if isinstance(value, str) and isinstance(algorithm, str):
                    entries.append({"value": value, "algorithm": algorithm})
                    continue
            self.fail("shape", index=index)
        return entries

    def to_representation(self, value: Any) -> Any:
        return value


class HashLookupSerializer(InputSerializer):
    """Up to 10,000 values, any mix of algorithms; each looked up exactly."""

    values = _LookupValuesField(
        help_text=_(
            "Hash values as text (the algorithm is inferred from the form: 32 hex digits "
            "MD5, 40 SHA-1, 64 SHA-256 or PDQ, base64 of 144 bytes PhotoDNA) or objects "
            "naming the algorithm. At most 10,000."
        ),
    )
    algorithm = serializers.ChoiceField(
        choices=HashAlgorithm.choices,
        required=False,
        help_text=_("The algorithm of every value given as text, instead of inferring it."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        default = attrs.get("algorithm", "")
        attrs["entries"] = [
            {"value": entry["value"], "algorithm": entry["algorithm"] or default}
            for entry in attrs["values"]
        ]
        return attrs


class _AgencySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An agency working the series: its owner, or an agency with an active claim on it."""

    name = serializers.CharField()
    country = serializers.CharField()
    contact_point = serializers.CharField(
        help_text=_("The claim's contact point, else the agency's 24/7 contact point.")
    )
    role = serializers.ChoiceField(
        choices=[("owner", _("owns the series")), ("claim", _("claims the series"))]
    )


class _IdentificationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    children = serializers.IntegerField()
    identified = serializers.IntegerField()
    safeguarded = serializers.IntegerField()


class _SeriesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=SeriesStatus.choices)
    identification = _IdentificationSerializer()
    agencies = _AgencySerializer(many=True)


class HashLookupAnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Documents one answer. ``known_restricted`` answers carry ``value`` and ``status`` only."""

    value = serializers.CharField()
    status = serializers.ChoiceField(choices=["known", "known_restricted", "new"])
    algorithm = serializers.CharField(required=False, allow_null=True)
    vics_category = serializers.IntegerField(required=False)
    series = _SeriesSerializer(required=False)


class HashLookupResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    results = HashLookupAnswerSerializer(many=True)
    counts = serializers.DictField(child=serializers.IntegerField())
