from django.urls import include, path

urlpatterns: list = [
    path("", include("cases.api.victim_urls")),
]
