from django.urls import include, path

urlpatterns: list = [
    path("", include("cases.victim_urls")),
]
