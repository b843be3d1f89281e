"""The Prometheus metrics endpoint, for operators only."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from victimid.metrics import render
from victimid.middleware import public


def _operator(request: HttpRequest) -> bool:
    """The request carries the configured metrics token (compared in constant time)."""
    token = settings.METRICS_TOKEN
    if not token:
        return False
    supplied = request.headers.get("Authorization", "")
    # Digests of equal length: the comparison takes as long whatever was sent.
    expected = hashlib.sha256(f"Bearer {token}".encode()).digest()
    return hmac.compare_digest(hashlib.sha256(supplied.encode()).digest(), expected)


@public
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Metrics in Prometheus' text format; 404 to anyone without the token (users too).

    Nothing tells a caller without the token that the route exists: not the method
    check, not a 401 or 403.
    """
    if not _operator(request):
        raise Http404
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return HttpResponse(render(), content_type=CONTENT_TYPE_LATEST)
