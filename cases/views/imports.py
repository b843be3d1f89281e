"""Import pages: upload a hash file into a series, follow it, stop it, read its outcome."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases import access
from cases.forms import HashImportUploadForm
from cases.selectors.imports import hash_import_get, hash_imports
from cases.selectors.series import series_get
from cases.selectors.status_counts import StatusCount
from cases.services.imports import hash_import_cancel, hash_import_create
from cases.views.common import CaseworkRequest, add_service_errors, casework_required
from victimid.middleware import accepts_uploads

__all__ = ["hash_import_cancel_view", "hash_import_detail_view", "hash_import_list_view"]

JOBS_SHOWN = 50


@accepts_uploads("TRIAGE_MAX_UPLOAD_BYTES")
@casework_required
def hash_import_list_view(request: CaseworkRequest, code: str) -> HttpResponse:
    # 404 for a series the user may not see, 403 for one they see but may not change.
    series = series_get(actor=request.user, code=code, audit=False)
    access.require_editable(request.user, series)
    form = HashImportUploadForm()
    if request.method == "POST":
        form = HashImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = hash_import_create(
                    actor=request.user,
                    series=series,
                    upload=form.cleaned_data["file"],
                    file_format=form.cleaned_data["format"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The file is being imported."))
                return redirect("hash-import-detail", pk=job.pk)
    jobs = hash_imports(actor=request.user).filter(series=series)[:JOBS_SHOWN]
    context = {"form": form, "series": series, "jobs": jobs}
    status = 400 if form.is_bound else 200
    return render(request, "cases/hash_imports.html", context, status=status)


@casework_required
def hash_import_detail_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    job = hash_import_get(actor=request.user, pk=pk)
    chart = [
        StatusCount("added", str(_("Added to the series")), job.added),
        StatusCount("already", str(_("Already in the series")), job.already_in_series),
        StatusCount("conflicts", str(_("Known in another series")), job.conflicts),
    ]
    context = {"job": job, "chart": chart, "status_url": reverse("api-import", args=[job.pk])}
    return render(request, "cases/hash_import_detail.html", context)


@require_POST
@casework_required
def hash_import_cancel_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    job = hash_import_get(actor=request.user, pk=pk)
    try:
        hash_import_cancel(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The import is being stopped."))
    return redirect("hash-import-detail", pk=job.pk)
