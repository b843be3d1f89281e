"""The real URL configuration plus two views that crash, to see the 500 handlers."""

from django.urls import path

from config.urls import handler404, handler500
from config.urls import urlpatterns as real_urlpatterns
from victimid.middleware import public


@public
def boom(request):
    raise RuntimeError("secret detail")


urlpatterns = [path("api/v1/boom", boom), path("boom", boom), *real_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
