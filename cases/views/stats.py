"""The oversight dashboards: figures only, for oversight, coordinators and investigators."""

from __future__ import annotations

import csv

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cases.selectors.stats import stats_filters, stats_view
from victimid import audit_actions
from victimid.http import AuthenticatedRequest
from victimid.services.audit import audit_record


def stats_dashboard_view(request: AuthenticatedRequest) -> HttpResponse:
    """Charts and tables of the reader's scope; 403 for a reader without one."""
    try:
        filters = stats_filters(actor=request.user, params=request.GET)
    except ValidationError as error:
        return render(
            request, "cases/stats_dashboard.html", {"errors": error.message_dict}, status=400
        )
    view = stats_view(actor=request.user, filters=filters)
    query = urlencode(filters.as_query())
    return render(
        request, "cases/stats_dashboard.html", {"view": view, "csv_query": query, "errors": {}}
    )


def stats_csv_view(request: AuthenticatedRequest) -> HttpResponse:
    """The same tables as the page, one CSV row per figure."""
    try:
        filters = stats_filters(actor=request.user, params=request.GET)
    except ValidationError as error:
        lines = [f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()]
        return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")
    view = stats_view(actor=request.user, filters=filters, audit=False)
    audit_record(
        actor=request.user, action=audit_actions.STATS_DOWNLOADED, details=filters.as_query()
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"victimid-figures-{filters.year}-{filters.granularity}-{filters.area or 'agency'}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [_("table"), _("row"), _("measure"), _("figure"), _("state"), _("scope"), _("kind")]
    )
    for table in view.tables:
        for row in table.rows:
            for measure, cell in zip(table.measures, row.cells, strict=True):
                writer.writerow(
                    _inert(
                        table.title,
                        row.label,
                        measure.label,
                        cell.text,
                        cell.state,
                        view.scope_label,
                        filters.agency_kind or _("every kind"),
                    )
                )
    return response


def _inert(*values: object) -> list[str]:
    """Cells a spreadsheet will not run as formulas (an agency's name could start with =)."""
    return [f"'{text}" if text[:1] in ("=", "+", "-", "@") else text for text in map(str, values)]
