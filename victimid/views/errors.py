"""Error pages: HTML for people, the API's JSON error shape under /api/."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults

from victimid.api.errors import json_error
from victimid.middleware import is_api_path


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: the API's JSON shape for API paths no view matched, the HTML page otherwise."""
    if is_api_path(request.path):
        return json_error(request, 404, "not_found", _("Not found."))
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400, or 413 for a body over the upload limit: JSON for API paths, HTML otherwise."""
    if isinstance(exception, RequestDataTooBig):
        message = _("The request body is larger than %(limit)d bytes.") % {
            "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        }
        if is_api_path(request.path):
            return json_error(request, 413, "too_large", message)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    if is_api_path(request.path):
        return json_error(request, 400, "bad_request", _("The request could not be read."))
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without details: JSON for API paths, the static HTML page otherwise."""
    if is_api_path(request.path):
        return json_error(
            request, 500, "server_error", _("Something went wrong. The error has been logged.")
        )
    return defaults.server_error(request)
