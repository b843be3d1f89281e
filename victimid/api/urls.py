from django.urls import path

from victimid.api.views import MeView, NotificationListView

urlpatterns = [
    path("me", MeView.as_view(), name="api-me"),
    path("notifications", NotificationListView.as_view(), name="api-notifications"),
]
