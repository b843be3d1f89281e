"""The real URL configuration plus two routes whose storage is full."""

import errno

from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from config.urls import handler404, handler500
from config.urls import urlpatterns as real_urlpatterns
from victimid.middleware import public
from victimid.uploads import StorageFull


@public
@api_view(["POST"])
@permission_classes([AllowAny])
def full_disk(request):
    raise StorageFull


@public
def full_disk_spool(request):
    raise OSError(errno.ENOSPC, "No space left on device")


urlpatterns = [
    path("api/v1/full-disk", full_disk),
    path("api/v1/full-disk-spool", full_disk_spool),
    *real_urlpatterns,
]

__all__ = ["handler404", "handler500", "urlpatterns"]
