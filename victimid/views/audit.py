"""The audit pages: the trail with filters, an actor's timeline, and the CSV export.

For auditors and platform admins only; they show identifiers (who, which agency, which
record by type and id), never the content of a record.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from victimid.forms import AuditFilterForm
from victimid.gate import AUDIT_REFUSED, has_audit_access
from victimid.http import AuthenticatedRequest
from victimid.models import User
from victimid.selectors.audit import audit_csv_rows
from victimid.services.audit_trail import audit_trail_read

PAGE_SIZE = 100


def auditor_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not has_audit_access(request.user):
            raise PermissionDenied(AUDIT_REFUSED)
        return view(request, *args, **kwargs)

    return wrapper


def _filtered(
    request: AuthenticatedRequest, form: AuditFilterForm, *, export: bool = False, **fixed: str
) -> Any:
    """The events the valid ``form`` asks for, or None with the errors put on the form."""
    if form.is_bound and not form.is_valid():
        return None
    filters = {**(form.filters() if form.is_bound else {}), **fixed}
    try:
        return audit_trail_read(actor=request.user, filters=filters, export=export)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return None


def _query(request: AuthenticatedRequest) -> Any:
    data = request.GET.copy()
    data.pop("page", None)
    return data or None


@require_GET
@auditor_required
def audit_list_view(request: AuthenticatedRequest) -> HttpResponse:
    form = AuditFilterForm(_query(request))
    events = _filtered(request, form)
    if events is None:
        return render(request, "victimid/audit_list.html", {"form": form}, status=400)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    export_query = request.GET.copy()
    export_query.pop("page", None)
    context = {"form": form, "page": page, "export_query": export_query.urlencode()}
    return render(request, "victimid/audit_list.html", context)


@require_GET
@auditor_required
def audit_actor_view(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    subject = User.objects.select_related("agency").filter(pk=user_id).first()
    if subject is None:
        raise Http404
    form = AuditFilterForm(_query(request))
    events = _filtered(request, form, actor=str(subject.pk))
    if events is None:
        context = {"form": form, "subject": subject}
        return render(request, "victimid/audit_actor.html", context, status=400)
    by_action = (
        events.order_by().values("action").annotate(count=Count("id")).order_by("-count", "action")
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "subject": subject, "page": page, "by_action": by_action}
    return render(request, "victimid/audit_actor.html", context)


@require_GET
@auditor_required
def audit_export_view(request: AuthenticatedRequest) -> HttpResponseBase:
    form = AuditFilterForm(_query(request))
    events = _filtered(request, form, export=True)
    if events is None:
        return render(request, "victimid/audit_list.html", {"form": form}, status=400)
    response = StreamingHttpResponse(audit_csv_rows(events), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
    return response
