"""Serializers of triage jobs: the upload in, the job with progress and counts out."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.hash_files import FORMATS
from cases.models import HashImportJob, TriageJob, TriageResult
from cases.selectors.triage import triage_result_row
from victimid.api.serializers import InputSerializer, StrictCharField

__all__ = [
    "HashImportCreateSerializer",
    "HashImportJobSerializer",
    "KnownHashMoveSerializer",
    "KnownHashRemoveSerializer",
    "TriageJobCreateSerializer",
    "TriageJobSerializer",
    "TriageResultSerializer",
]


class TriageJobCreateSerializer(InputSerializer):
    """A seizure's hash list as a file (multipart/form-data)."""

    file = serializers.FileField(
        help_text=_(
            "A plain list (one value per line, or algorithm:value), a CSV with a hash "
            "column (md5, sha1, sha256, pdq, photodna or hash), or VICS JSON 1.x or 2.0 "
            "(#Media or #Cases). Up to 10 million lines."
        )
    )
    format = serializers.ChoiceField(
        choices=FORMATS,
        required=False,
        help_text=_("The file's format; read from its first bytes when not given."),
    )


class TriageJobSerializer(serializers.ModelSerializer[TriageJob]):
    progress = serializers.IntegerField(read_only=True, help_text=_("Percent done, 0-100."))
    counts = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = TriageJob
        fields = [
            "id",
            "status",
            "progress",
            "file_name",
            "file_format",
            "file_bytes",
            "bytes_read",
            "lines_read",
            "values_read",
            "counts",
            "error",
            "error_line",
            "error_byte",
            "cancel_requested",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "purged_at",
            "links",
        ]
        read_only_fields = fields

    def get_counts(self, job: TriageJob) -> dict[str, int]:
        return {str(key): value for key, value in job.counts().items()}

    def get_links(self, job: TriageJob) -> dict[str, str]:
        return {
            "self": reverse("api-triage-job", args=[job.pk]),
            "hits": reverse("api-triage-job-hits", args=[job.pk]),
            "download_csv": reverse("api-triage-job-download", args=[job.pk]) + "?format=csv",
            "download_json": reverse("api-triage-job-download", args=[job.pk]) + "?format=json",
            "page": reverse("triage-job-detail", args=[job.pk]),
        }


class TriageResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One known value of a job; the series only when you may see it now."""

    line = serializers.IntegerField()
    value = serializers.CharField()
    algorithm = serializers.CharField(allow_null=True)
    outcome = serializers.CharField()
    series = serializers.CharField(allow_null=True)
    series_title = serializers.CharField(allow_null=True)
    vics_category = serializers.IntegerField(allow_null=True)

    def to_representation(self, instance: TriageResult) -> dict[str, Any]:
        return triage_result_row(instance)


class HashImportCreateSerializer(InputSerializer):
    """A hash file to import into a series you own (multipart/form-data)."""

    file = serializers.FileField(
        help_text=_("VICS JSON 1.x or 2.0, a CSV with a hash column, or a plain list.")
    )
    series = serializers.CharField(help_text=_("The code of a series your agency owns."))
    format = serializers.ChoiceField(choices=FORMATS, required=False)


class HashImportJobSerializer(serializers.ModelSerializer[HashImportJob]):
    progress = serializers.IntegerField(read_only=True)
    series = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = HashImportJob
        fields = [
            "id",
            "status",
            "progress",
            "series",
            "file_name",
            "file_format",
            "file_bytes",
            "bytes_read",
            "lines_read",
            "values_read",
            "added",
            "already_in_series",
            "conflicts",
            "error",
            "error_line",
            "error_byte",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class KnownHashRemoveSerializer(InputSerializer):
    reason = StrictCharField(max_length=500)


class KnownHashMoveSerializer(InputSerializer):
    series = StrictCharField(help_text=_("The code of another series your agency owns."))
    reason = StrictCharField(max_length=500)
