"""Casework web pages: series, clues and the clue search, victims."""

from django.urls import path

from cases.views import (
    claims,
    clues,
    correlation,
    dashboard,
    notifications,
    routing,
    search,
    series,
    victims,
)

urlpatterns = [
    path("", dashboard.dashboard_view, name="dashboard"),
    path("notifications/", notifications.notifications_view, name="notifications"),
    path("notifications/read/", notifications.notifications_read_view, name="notifications-read"),
    path("series/", series.series_list_view, name="series-list"),
    path("series/new/", series.series_create_view, name="series-create"),
    path("series/<str:code>/", series.series_detail_view, name="series-detail"),
    path("series/<str:code>/edit/", series.series_edit_view, name="series-edit"),
    path("series/<str:code>/hashes/", series.series_hashes_add_view, name="series-hashes-add"),
    path("series/<str:code>/grants/", series.series_grant_add_view, name="series-grant-add"),
    path(
        "series/<str:code>/grants/<str:key>/revoke/",
        series.series_grant_revoke_view,
        name="series-grant-revoke",
    ),
    path("series/<str:code>/clues/new/", clues.clue_create_view, name="clue-create"),
    path("series/<str:code>/claim/", claims.series_claim_view, name="series-claim"),
    path(
        "series/<str:code>/claim/withdraw/",
        claims.series_claim_withdraw_view,
        name="series-claim-withdraw",
    ),
    path("notices/", claims.notices_view, name="notices"),
    path("suggestions/", correlation.suggestion_list_view, name="suggestion-list"),
    path(
        "suggestions/<int:pk>/decide/",
        correlation.suggestion_decide_view,
        name="suggestion-decide",
    ),
    path(
        "notices/<str:kind>/<int:pk>/acknowledge/",
        claims.notice_acknowledge_view,
        name="notice-acknowledge",
    ),
    path("clues/", search.clue_search_view, name="clue-search"),
    path("clues/<int:pk>/", clues.clue_detail_view, name="clue-detail"),
    path("clues/<int:pk>/edit/", clues.clue_edit_view, name="clue-edit"),
    path("clues/<int:pk>/delete/", clues.clue_delete_view, name="clue-delete"),
    path("clues/<int:pk>/assessments/", clues.clue_assess_view, name="clue-assess"),
    path("clues/<int:pk>/routing/", routing.clue_route_view, name="clue-route"),
    path("routing/", routing.routing_queue_view, name="routing-queue"),
    path("routing/<int:pk>/pass/", routing.routing_pass_view, name="routing-pass"),
    path("routing/<int:pk>/withdraw/", routing.routing_withdraw_view, name="routing-withdraw"),
    path("clues/<int:pk>/grants/", clues.clue_grant_add_view, name="clue-grant-add"),
    path(
        "clues/<int:pk>/grants/<str:key>/revoke/",
        clues.clue_grant_revoke_view,
        name="clue-grant-revoke",
    ),
    path("victims/", victims.victim_list_view, name="victim-list"),
    path("victims/new/", victims.victim_create_view, name="victim-create"),
    path(
        "victims/series/<str:code>/follow/",
        victims.series_follow_view,
        name="victim-series-follow",
    ),
    path("victims/<str:code>/", victims.victim_detail_view, name="victim-detail"),
    path("victims/<str:code>/edit/", victims.victim_edit_view, name="victim-edit"),
    path(
        "victims/<str:code>/record/",
        victims.victim_record_outcome_view,
        name="victim-record-outcome",
    ),
    path("victims/<str:code>/grants/", victims.victim_grant_add_view, name="victim-grant-add"),
    path(
        "victims/<str:code>/grants/<str:key>/revoke/",
        victims.victim_grant_revoke_view,
        name="victim-grant-revoke",
    ),
]
