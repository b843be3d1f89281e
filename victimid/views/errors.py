"""Error pages: HTML for people, the API's JSON error shape under /api/."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults

from victimid.api.errors import json_error
from victimid.middleware import is_api_path, too_large


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


def server_error(request: HttpRequest) -> HttpResponse:
    """500 without details: JSON for API paths, the static HTML page otherwise."""
    if is_api_path(request.path):
        return json_error(
            request, 500, "server_error", _("Something went wrong. The error has been logged.")
        )
    return defaults.server_error(request)
