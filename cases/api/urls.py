"""Casework routes under /api/v1/ (included by config/api_urls.py); none ends in a slash."""

from django.urls import path

from cases.api import views

urlpatterns = [
    path("series", views.SeriesListView.as_view(), name="api-series-list"),
    path("series/<str:code>", views.SeriesDetailView.as_view(), name="api-series-detail"),
    path("series/<str:code>/hashes", views.SeriesHashListView.as_view(), name="api-series-hashes"),
    path("series/<str:code>/grants", views.SeriesGrantListView.as_view(), name="api-series-grants"),
    path(
        "series/<str:code>/grants/<str:key>",
        views.SeriesGrantDetailView.as_view(),
        name="api-series-grant",
    ),
    path("hashes/lookup", views.HashLookupView.as_view(), name="api-hashes-lookup"),
    path("series/<str:code>/export", views.SeriesExportView.as_view(), name="api-series-export"),
    path("imports", views.HashImportListView.as_view(), name="api-imports"),
    path("imports/<int:pk>", views.HashImportDetailView.as_view(), name="api-import"),
    path("imports/<int:pk>/cancel", views.HashImportCancelView.as_view(), name="api-import-cancel"),
    path(
        "series/<str:code>/hashes/<int:pk>/remove",
        views.KnownHashRemoveView.as_view(),
        name="api-series-hash-remove",
    ),
    path(
        "series/<str:code>/hashes/<int:pk>/move",
        views.KnownHashMoveView.as_view(),
        name="api-series-hash-move",
    ),
    path("triage-jobs", views.TriageJobListView.as_view(), name="api-triage-jobs"),
    path("triage-jobs/<int:pk>", views.TriageJobDetailView.as_view(), name="api-triage-job"),
    path(
        "triage-jobs/<int:pk>/cancel",
        views.TriageJobCancelView.as_view(),
        name="api-triage-job-cancel",
    ),
    path(
        "triage-jobs/<int:pk>/hits", views.TriageJobHitsView.as_view(), name="api-triage-job-hits"
    ),
    path(
        "triage-jobs/<int:pk>/download",
        views.TriageJobDownloadView.as_view(),
        name="api-triage-job-download",
    ),
    path("series/<str:code>/claims", views.SeriesClaimsView.as_view(), name="api-series-claims"),
    path("notices", views.NoticeListView.as_view(), name="api-notices"),
    path(
        "notices/<str:kind>/<int:pk>/acknowledge",
        views.NoticeAcknowledgeView.as_view(),
        name="api-notice-acknowledge",
    ),
    path("clues", views.ClueListView.as_view(), name="api-clue-list"),
    path("clues/<int:pk>", views.ClueDetailView.as_view(), name="api-clue-detail"),
    path("clues/<int:pk>/grants", views.ClueGrantListView.as_view(), name="api-clue-grants"),
    path(
        "clues/<int:pk>/assessments",
        views.ClueAssessmentListView.as_view(),
        name="api-clue-assessments",
    ),
    path(
        "clues/<int:pk>/grants/<str:key>",
        views.ClueGrantDetailView.as_view(),
        name="api-clue-grant",
    ),
    path(
        "clues/<int:pk>/routing-requests",
        views.ClueRoutingView.as_view(),
        name="api-clue-routing",
    ),
    path("routing-requests", views.RoutingQueueView.as_view(), name="api-routing-queue"),
    path(
        "clues/<int:pk>/suggestions",
        views.ClueSuggestionListView.as_view(),
        name="api-clue-suggestions",
    ),
    path("suggestions", views.SuggestionListView.as_view(), name="api-suggestions"),
    path(
        "suggestions/<int:pk>/decision",
        views.SuggestionDecisionView.as_view(),
        name="api-suggestion-decide",
    ),
    path(
        "routing-requests/<int:pk>/pass",
        views.RoutingPassView.as_view(),
        name="api-routing-pass",
    ),
    path(
        "routing-requests/<int:pk>/withdraw",
        views.RoutingWithdrawView.as_view(),
        name="api-routing-withdraw",
    ),
    path("clue-taxonomy", views.ClueTaxonomyView.as_view(), name="api-clue-taxonomy"),
    path("languages", views.LanguageListView.as_view(), name="api-languages"),
    path("countries", views.CountryListView.as_view(), name="api-countries"),
    path("notifications", views.NotificationListView.as_view(), name="api-notifications"),
    path("sharing-groups", views.SharingGroupListView.as_view(), name="api-sharing-group-list"),
    path(
        "sharing-groups/<int:pk>",
        views.SharingGroupDetailView.as_view(),
        name="api-sharing-group-detail",
    ),
    path(
        "sharing-groups/<int:pk>/members",
        views.SharingGroupMemberListView.as_view(),
        name="api-sharing-group-members",
    ),
    path(
        "sharing-groups/<int:pk>/members/<int:agency_id>",
        views.SharingGroupMemberDetailView.as_view(),
        name="api-sharing-group-member",
    ),
    path("victims", views.VictimListView.as_view(), name="api-victim-list"),
    path("victims/<str:code>", views.VictimDetailView.as_view(), name="api-victim-detail"),
    path("victims/<str:code>/events", views.VictimEventsView.as_view(), name="api-victim-events"),
    path(
        "victims/<str:code>/grants", views.VictimGrantListView.as_view(), name="api-victim-grants"
    ),
    path(
        "victims/<str:code>/grants/<str:key>",
        views.VictimGrantDetailView.as_view(),
        name="api-victim-grant",
    ),
    path("stats", views.StatsFiguresView.as_view(), name="api-stats"),
    path("series/<str:code>/follow", views.SeriesFollowView.as_view(), name="api-series-follow"),
]
