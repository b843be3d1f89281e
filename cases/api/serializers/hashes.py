"""Serializers of known hash values: the values of a series, and a batch to add."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.api.serializers.common import AgencyBriefSerializer
from cases.choices import HashAlgorithm, HashSource, VicsCategory
from cases.models import KnownHash
from victimid.api.serializers import InputSerializer, StrictCharField

__all__ = [
    "KnownHashAddDocSerializer",
    "KnownHashAddResultSerializer",
    "KnownHashAddSerializer",
    "KnownHashEntrySerializer",
    "KnownHashSerializer",
]


class KnownHashSerializer(serializers.ModelSerializer[KnownHash]):
    submitting_agency = AgencyBriefSerializer(read_only=True)

    class Meta:
        model = KnownHash
        fields = [
            "id",
            "algorithm",
            "value",
            "vics_category",
            "distributed",
            "submitting_agency",
            "source",
            "created_at",
        ]
        read_only_fields = fields


class KnownHashEntrySerializer(InputSerializer):
    """One value to add (documentation of the entry shape; the service checks each)."""

    algorithm = serializers.ChoiceField(choices=HashAlgorithm.choices)
    value = StrictCharField(
        help_text=_("md5/sha1/sha256/pdq as hex (any case); PhotoDNA as base64 of 144 bytes.")
    )
    vics_category = serializers.ChoiceField(choices=VicsCategory.choices, required=False)
    distributed = serializers.BooleanField(required=False)


class KnownHashAddSerializer(InputSerializer):
    """Up to 10,000 values, added all together or not at all."""

    entries = serializers.ListField(child=serializers.DictField(), allow_empty=False)
    source = serializers.ChoiceField(choices=HashSource.choices, default=HashSource.API)


class KnownHashAddDocSerializer(InputSerializer):
    """The documented shape of a hash submission (parsed by KnownHashAddSerializer)."""

    entries = KnownHashEntrySerializer(many=True, max_length=10_000)
    source = serializers.ChoiceField(choices=HashSource.choices, default=HashSource.API)


class KnownHashAddResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    added = serializers.IntegerField()
