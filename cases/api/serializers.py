"""Serializers of the casework API: input shapes are checked here, meaning by the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.choices import (
    DISTRIBUTION_EXPLAINED,
    ClueStatus,
    Confidence,
    Distribution,
    HashAlgorithm,
    HashSource,
    SeriesStatus,
    VicsCategory,
)
from cases.models import Clue, ClueCountryHypothesis, ClueTaxonomyNode, KnownHash, Series
from victimid.models import Agency, SharingGroup, SharingGroupMembership


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


class _CanEditMixin(serializers.Serializer):  # type: ignore[type-arg]
    can_edit = serializers.SerializerMethodField()
    distribution_explained = serializers.SerializerMethodField()

    def get_can_edit(self, record: Any) -> bool:
        # The record was read through the access policy, so it is visible; the owning
        # agency edits it (access.can_edit, without one query per row).
        request = self.context.get("request")
        return bool(request and record.agency_id == getattr(request.user, "agency_id", None))

    def get_distribution_explained(self, record: Any) -> str:
        return str(DISTRIBUTION_EXPLAINED[Distribution(record.distribution)])


# --- Series -------------------------------------------------------------------------------


class SeriesSerializer(_CanEditMixin, serializers.ModelSerializer[Series]):
    """A series as a caller who may see it reads it."""

    agency = AgencyBriefSerializer(read_only=True)
    owner_country = serializers.CharField(source="owner_country.code", read_only=True)
    sharing_group = SharingGroupBriefSerializer(read_only=True, allow_null=True)
    hash_count = serializers.IntegerField(read_only=True)
    clue_count = serializers.IntegerField(
        read_only=True, help_text=_("Clues of this series that you may see.")
    )

    class Meta:
        model = Series
        fields = [
            "code",
            "title",
            "status",
            "first_seen",
            "summary",
            "distribution",
            "distribution_explained",
            "sharing_group",
            "agency",
            "owner_country",
            "hash_count",
            "clue_count",
            "version",
            "can_edit",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SeriesDetailSerializer(SeriesSerializer):
    """One series; also names the series it was merged into, when the caller may see it."""

    merged_into = serializers.SerializerMethodField()

    class Meta(SeriesSerializer.Meta):
        fields = [*SeriesSerializer.Meta.fields, "merged_into"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_merged_into(self, series: Series) -> str | None:
        visible = self.context.get("merge_target_visible", False)
        target = series.merged_into
        return target.code if target is not None and visible else None


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


class SeriesInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What a caller sends to create a series or (with ``version``) change one."""

    title = serializers.CharField(max_length=200, help_text=_("A neutral working title."))
    distribution = serializers.ChoiceField(choices=Distribution.choices)
    sharing_group = MySharingGroupField(allow_null=True, required=False)
    first_seen = serializers.DateField(allow_null=True, required=False)
    summary = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    status = serializers.ChoiceField(choices=SeriesStatus.choices, required=False)
    merged_into = VisibleSeriesField(allow_null=True, required=False)


class _VersionRequiredMixin(serializers.Serializer):  # type: ignore[type-arg]
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


class SeriesUpdateSerializer(_VersionRequiredMixin, SeriesInputSerializer):
    """A change to a series, carrying the version read."""


# --- Known hashes ---------------------------------------------------------------------------


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


class KnownHashEntrySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One value to add (documentation of the entry shape; the service checks each)."""

    algorithm = serializers.ChoiceField(choices=HashAlgorithm.choices)
    value = serializers.CharField(
        help_text=_("md5/sha1/sha256/pdq as hex (any case); PhotoDNA as base64 of 144 bytes.")
    )
    vics_category = serializers.ChoiceField(choices=VicsCategory.choices, required=False)
    distributed = serializers.BooleanField(required=False)


class KnownHashAddSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Up to 10,000 values, added all together or not at all."""

    entries = serializers.ListField(child=serializers.DictField(), allow_empty=False)
    source = serializers.ChoiceField(choices=HashSource.choices, default=HashSource.API)


class KnownHashAddDocSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The documented shape of a hash submission (parsed by KnownHashAddSerializer)."""

    entries = KnownHashEntrySerializer(many=True, max_length=10_000)
    source = serializers.ChoiceField(choices=HashSource.choices, default=HashSource.API)


class KnownHashAddResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    added = serializers.IntegerField()


# --- Clues ----------------------------------------------------------------------------------


class TaxonomyNodeSerializer(serializers.ModelSerializer[ClueTaxonomyNode]):
    label = serializers.SerializerMethodField()
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    depth = serializers.IntegerField(read_only=True)

    class Meta:
        model = ClueTaxonomyNode
        fields = ["slug", "label", "parent", "path", "depth", "description"]
        read_only_fields = fields

    def get_label(self, node: ClueTaxonomyNode) -> str:
        return node.localized_label()


class TaxonomyNodeBriefSerializer(TaxonomyNodeSerializer):
    class Meta(TaxonomyNodeSerializer.Meta):
        fields = ["slug", "label", "path"]
        read_only_fields = fields


class CountryHypothesisSerializer(serializers.ModelSerializer[ClueCountryHypothesis]):
    country = serializers.CharField(
        source="country.code", help_text=_("ISO 3166-1 alpha-2, e.g. NL.")
    )
    confidence = serializers.ChoiceField(choices=Confidence.choices)

    class Meta:
        model = ClueCountryHypothesis
        fields = ["country", "confidence"]


class CountryHypothesisInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    country = serializers.CharField(max_length=8, help_text=_("ISO 3166-1 alpha-2, e.g. NL."))
    confidence = serializers.CharField(
        max_length=16, default=Confidence.MEDIUM, help_text=_("low, medium or high.")
    )


class ClueSerializer(_CanEditMixin, serializers.ModelSerializer[Clue]):
    """A clue as a caller who may see it (and its series) reads it."""

    series = serializers.CharField(source="series.code", read_only=True)
    taxonomy_node = TaxonomyNodeBriefSerializer(read_only=True)
    country_hypotheses = CountryHypothesisSerializer(many=True, read_only=True)
    agency = AgencyBriefSerializer(read_only=True)
    sharing_group = SharingGroupBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Clue
        fields = [
            "id",
            "series",
            "taxonomy_node",
            "title",
            "description",
            "languages",
            "country_hypotheses",
            "place_text",
            "latitude",
            "longitude",
            "radius_km",
            "time_from",
            "time_to",
            "status",
            "distribution",
            "distribution_explained",
            "sharing_group",
            "agency",
            "version",
            "can_edit",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ClueInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What a caller sends to post a clue."""

    series = VisibleSeriesField()
    taxonomy_node = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=ClueTaxonomyNode.objects.all(),
        help_text=_("Slug of a node of /clue-taxonomy."),
        error_messages={"does_not_exist": _("Unknown kind of clue: {value}.")},
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=8),
        required=False,
        max_length=20,
        help_text=_("ISO 639-3 codes, e.g. nld, spa, tgl."),
    )
    country_hypotheses = CountryHypothesisInputSerializer(many=True, required=False)
    place_text = serializers.CharField(max_length=300, allow_blank=True, required=False)
    latitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, allow_null=True, required=False
    )
    longitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, allow_null=True, required=False
    )
    radius_km = serializers.IntegerField(
        min_value=0, max_value=20000, allow_null=True, required=False
    )
    time_from = serializers.DateField(allow_null=True, required=False)
    time_to = serializers.DateField(allow_null=True, required=False)
    status = serializers.ChoiceField(choices=ClueStatus.choices, required=False)
    distribution = serializers.ChoiceField(choices=Distribution.choices)
    sharing_group = MySharingGroupField(allow_null=True, required=False)

    def validate_country_hypotheses(self, value: list[dict[str, str]]) -> list[tuple[str, str]]:
        # PATCH leaves nested defaults unapplied, so the default confidence is set here too.
        return [(item["country"], item.get("confidence", Confidence.MEDIUM)) for item in value]


class ClueUpdateSerializer(_VersionRequiredMixin, ClueInputSerializer):
    """A change to a clue: any field but its series, and the version read."""

    series = None  # type: ignore[assignment]


# --- Sharing groups ---------------------------------------------------------------------------


class SharingGroupMemberSerializer(serializers.ModelSerializer[SharingGroupMembership]):
    agency = AgencyBriefSerializer(read_only=True)

    class Meta:
        model = SharingGroupMembership
        fields = ["agency", "added_at"]
        read_only_fields = fields


class SharingGroupSerializer(serializers.ModelSerializer[SharingGroup]):
    managing_agency = AgencyBriefSerializer(read_only=True)
    members = SharingGroupMemberSerializer(source="memberships", many=True, read_only=True)
    can_manage = serializers.SerializerMethodField()

    class Meta:
        model = SharingGroup
        fields = ["id", "name", "description", "managing_agency", "members", "can_manage"]
        read_only_fields = fields

    def get_can_manage(self, group: SharingGroup) -> bool:
        from cases.services import can_manage_sharing_group

        request = self.context.get("request")
        return bool(request and can_manage_sharing_group(request.user, group))


class SharingGroupInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    members = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        many=True,
        required=False,
        help_text=_("Ids of the member agencies; your own agency is always a member."),
    )


class SharingGroupMemberInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())


# --- Explicit grants --------------------------------------------------------------------------


class RecordGrantSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One explicit grant of a record, as its owning agency reads it."""

    key = serializers.CharField(
        help_text=_("Address of the grant: `agency-<agency id>` or `user-<user id>`.")
    )
    kind = serializers.CharField(help_text=_("`agency` or `user`."))
    agency = AgencyBriefSerializer(
        allow_null=True, help_text=_("The agency granted to, or the person's agency.")
    )
    user = serializers.EmailField(source="user_email", allow_null=True)
    granted_at = serializers.DateTimeField()
    sees_record = serializers.BooleanField(
        help_text=_(
            "Whether the grantee can see the record now. A clue also needs its series: "
            "granting a clue whose series the grantee cannot see shows them nothing."
        )
    )
    warning = serializers.CharField(
        allow_null=True, help_text=_("Why the grant has no effect yet, in plain words.")
    )


@extend_schema_field(OpenApiTypes.EMAIL)
class GranteeUserField(serializers.Field):  # type: ignore[type-arg]
    """An e-mail address, resolved to the vetted investigator who uses it."""

    def to_internal_value(self, data: Any) -> Any:
        from cases.selectors.grants import grantee_user_by_email
        from cases.services.grants import NO_SUCH_INVESTIGATOR

        user = grantee_user_by_email(data) if isinstance(data, str) and data.strip() else None
        if user is None:
            raise serializers.ValidationError(str(NO_SUCH_INVESTIGATOR))
        return user

    def to_representation(self, value: Any) -> Any:
        return value.email


class RecordGrantInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Grant a record to one agency or to one person: exactly one of the two."""

    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, help_text=_("An agency id.")
    )
    user = GranteeUserField(required=False, help_text=_("A vetted investigator's e-mail."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if len(attrs) != 1:
            raise serializers.ValidationError(
                _("Send either `agency` (an agency id) or `user` (an e-mail address), not both.")
            )
        return attrs
