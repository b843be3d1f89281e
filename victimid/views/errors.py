"""Error pages: HTML for people, the API's JSON error shape under /api/."""

from __future__ import annotations

import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from victimid.api.errors import json_error
from victimid.middleware import is_api_path, too_large
from victimid.uploads import NO_ROOM, StorageFull


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: the API's JSON shape for API paths no view matched, the HTML page otherwise."""
    if is_api_path(request.path):
        return json_error(request, 404, "not_found", _("Not found."))
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400, or 413 for a body over the upload limit: JSON for API paths, HTML otherwise."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if is_api_path(request.path):
        return json_error(request, 400, "bad_request", _("The request could not be read."))
    return defaults.bad_request(request, exception)


# Seconds a client is asked to wait before it tries again while the database is away.
RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without details: JSON for API paths, the static HTML page otherwise.

    When the error is the database not answering (stopped, restarting, failing over, out
    of connections), the answer is 503 instead: nothing is wrong with the request, and
    the same request succeeds once the database is back, without restarting anything
    (``CONN_HEALTH_CHECKS`` replaces a dropped connection). Django calls this handler
    while it handles the exception, so ``sys.exc_info()`` names it.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return _database_unavailable(request)
    if isinstance(error, StorageFull) or (isinstance(error, OSError) and error.errno in NO_ROOM):
        # The disk filled up (an upload, or Django spooling a large request body).
        if is_api_path(request.path):
            return json_error(request, 507, "insufficient_storage", str(StorageFull.message))
        return HttpResponse(
            StorageFull.message, status=507, content_type="text/plain; charset=utf-8"
        )
    if is_api_path(request.path):
        return json_error(
            request, 500, "server_error", _("Something went wrong. The error has been logged.")
        )
    return defaults.server_error(request)


def _database_unavailable(request: HttpRequest) -> HttpResponse:
    message = _("The service is briefly unavailable. Please try again in a moment.")
    response: HttpResponse
    if is_api_path(request.path) or "json" in request.headers.get("Accept", ""):
        response = json_error(request, 503, "unavailable", message)
    else:
        page = loader.get_template("503.html").render()  # no request: no database
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
