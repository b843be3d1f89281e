"""Victims pages (included from cases/urls.py)."""

from django.urls import path

from cases.views import victims

urlpatterns = [
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
]
