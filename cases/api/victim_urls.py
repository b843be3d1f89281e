"""Victims API routes (included from cases/api/urls.py)."""

from django.urls import path

from cases.api.victim_views import (
    SeriesFollowView,
    VictimDetailView,
    VictimEventsView,
    VictimListView,
)

urlpatterns = [
    path("victims/", VictimListView.as_view(), name="api-victim-list"),
    path("victims/<str:code>/", VictimDetailView.as_view(), name="api-victim-detail"),
    path("victims/<str:code>/events/", VictimEventsView.as_view(), name="api-victim-events"),
    path("series/<str:code>/follow", SeriesFollowView.as_view(), name="api-series-follow"),
]
