"""Serializers of the casework API, one module per kind of record.

Input shapes are checked here, meaning by the services.
"""

from cases.api.serializers.clues import (
    ClueInputSerializer,
    ClueSerializer,
    ClueUpdateSerializer,
    CountryHypothesisInputSerializer,
    CountryHypothesisSerializer,
    TaxonomyNodeBriefSerializer,
    TaxonomyNodeSerializer,
)
from cases.api.serializers.common import (
    AgencyBriefSerializer,
    CanEditMixin,
    MySharingGroupField,
    SharingGroupBriefSerializer,
    VersionRequiredMixin,
    VisibleSeriesField,
)
from cases.api.serializers.grants import (
    GranteeUserField,
    RecordGrantInputSerializer,
    RecordGrantSerializer,
)
from cases.api.serializers.hashes import (
    KnownHashAddDocSerializer,
    KnownHashAddResultSerializer,
    KnownHashAddSerializer,
    KnownHashEntrySerializer,
    KnownHashSerializer,
)
from cases.api.serializers.lookups import (
    HashLookupAnswerSerializer,
    HashLookupResultSerializer,
    HashLookupSerializer,
)
from cases.api.serializers.series import (
    SeriesDetailSerializer,
    SeriesInputSerializer,
    SeriesSerializer,
    SeriesUpdateSerializer,
)
from cases.api.serializers.sharing import (
    SharingGroupInputSerializer,
    SharingGroupMemberInputSerializer,
    SharingGroupMemberSerializer,
    SharingGroupSerializer,
)
from cases.api.serializers.victims import (
    IdentificationEventCreateSerializer,
    IdentificationEventSerializer,
    IdentificationEventsRecordedSerializer,
    SeriesFollowSerializer,
    VictimCreateSerializer,
    VictimSerializer,
    VictimUpdateSerializer,
)

__all__ = [
    "HashLookupAnswerSerializer",
    "HashLookupResultSerializer",
    "HashLookupSerializer",
    "AgencyBriefSerializer",
    "CanEditMixin",
    "ClueInputSerializer",
    "ClueSerializer",
    "ClueUpdateSerializer",
    "CountryHypothesisInputSerializer",
    "CountryHypothesisSerializer",
    "GranteeUserField",
    "IdentificationEventCreateSerializer",
    "IdentificationEventSerializer",
    "IdentificationEventsRecordedSerializer",
    "KnownHashAddDocSerializer",
    "KnownHashAddResultSerializer",
    "KnownHashAddSerializer",
    "KnownHashEntrySerializer",
    "KnownHashSerializer",
    "MySharingGroupField",
    "RecordGrantInputSerializer",
    "RecordGrantSerializer",
    "SeriesDetailSerializer",
    "SeriesFollowSerializer",
    "SeriesInputSerializer",
    "SeriesSerializer",
    "SeriesUpdateSerializer",
    "SharingGroupBriefSerializer",
    "SharingGroupInputSerializer",
    "SharingGroupMemberInputSerializer",
    "SharingGroupMemberSerializer",
    "SharingGroupSerializer",
    "TaxonomyNodeBriefSerializer",
    "TaxonomyNodeSerializer",
    "VersionRequiredMixin",
    "VictimCreateSerializer",
    "VictimSerializer",
    "VictimUpdateSerializer",
    "VisibleSeriesField",
]
