"""Casework API views, one module per kind of record: parse, call a service or selector."""

from cases.api.views.assessments import ClueAssessmentListView
from cases.api.views.claims import NoticeAcknowledgeView, NoticeListView, SeriesClaimsView
from cases.api.views.clues import (
    ClueDetailView,
    ClueGrantDetailView,
    ClueGrantListView,
    ClueListView,
)
from cases.api.views.common import (
    ERRORS,
    VERSION_CONFLICT,
    CaseworkView,
    PayloadTooLarge,
    query_filters,
    query_parameter,
    service_errors,
    validated,
)
from cases.api.views.correlation import (
    ClueSuggestionListView,
    SuggestionDecisionView,
    SuggestionListView,
)
from cases.api.views.grants import RecordGrantsView
from cases.api.views.hashes import SeriesHashListView
from cases.api.views.imports import (
    HashImportCancelView,
    HashImportDetailView,
    HashImportListView,
    KnownHashMoveView,
    KnownHashRemoveView,
)
from cases.api.views.lookups import HashLookupView
from cases.api.views.notifications import NotificationListView
from cases.api.views.reference import CountryListView, LanguageListView
from cases.api.views.routing import (
    ClueRoutingView,
    RoutingPassView,
    RoutingQueueView,
    RoutingWithdrawView,
)
from cases.api.views.series import (
    SeriesDetailView,
    SeriesGrantDetailView,
    SeriesGrantListView,
    SeriesListView,
)
from cases.api.views.sharing import (
    SharingGroupDetailView,
    SharingGroupListView,
    SharingGroupMemberDetailView,
    SharingGroupMemberListView,
)
from cases.api.views.stats import StatsFiguresView
from cases.api.views.taxonomy import ClueTaxonomyView
from cases.api.views.triage import (
    SeriesExportView,
    TriageJobCancelView,
    TriageJobDetailView,
    TriageJobDownloadView,
    TriageJobHitsView,
    TriageJobListView,
)
from cases.api.views.victims import (
    SeriesFollowView,
    VictimDetailView,
    VictimEventsView,
    VictimGrantDetailView,
    VictimGrantListView,
    VictimListView,
)

__all__ = [
    "SeriesExportView",
    "HashImportCancelView",
    "HashImportDetailView",
    "HashImportListView",
    "KnownHashMoveView",
    "KnownHashRemoveView",
    "TriageJobCancelView",
    "TriageJobDetailView",
    "TriageJobDownloadView",
    "TriageJobHitsView",
    "TriageJobListView",
    "HashLookupView",
    "ClueSuggestionListView",
    "SuggestionDecisionView",
    "SuggestionListView",
    "NoticeAcknowledgeView",
    "NoticeListView",
    "SeriesClaimsView",
    "ClueRoutingView",
    "RoutingPassView",
    "RoutingQueueView",
    "RoutingWithdrawView",
    "ClueAssessmentListView",
    "ERRORS",
    "VERSION_CONFLICT",
    "CaseworkView",
    "ClueDetailView",
    "ClueGrantDetailView",
    "ClueGrantListView",
    "ClueListView",
    "ClueTaxonomyView",
    "CountryListView",
    "LanguageListView",
    "NotificationListView",
    "PayloadTooLarge",
    "RecordGrantsView",
    "SeriesDetailView",
    "SeriesFollowView",
    "SeriesGrantDetailView",
    "SeriesGrantListView",
    "SeriesHashListView",
    "SeriesListView",
    "SharingGroupDetailView",
    "StatsFiguresView",
    "SharingGroupListView",
    "SharingGroupMemberDetailView",
    "SharingGroupMemberListView",
    "VictimDetailView",
    "VictimEventsView",
    "VictimGrantDetailView",
    "VictimGrantListView",
    "VictimListView",
    "query_filters",
    "query_parameter",
    "service_errors",
    "validated",
]
