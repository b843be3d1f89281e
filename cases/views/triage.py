"""Triage pages: upload a seizure's hash list, follow its progress, read the results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases.forms import TriageUploadForm
from cases.models import TriageOutcome
from cases.selectors.status_counts import StatusCount
from cases.selectors.triage import triage_hits, triage_job_get, triage_jobs, triage_result_row
from cases.services.triage import triage_job_cancel, triage_job_create
from cases.views.common import CaseworkRequest, add_service_errors, casework_required
from victimid.middleware import accepts_uploads

__all__ = ["triage_job_cancel_view", "triage_job_detail_view", "triage_job_list_view"]

HITS_SHOWN = 500


@accepts_uploads("TRIAGE_MAX_UPLOAD_BYTES")
@casework_required
def triage_job_list_view(request: CaseworkRequest) -> HttpResponse:
    form = TriageUploadForm()
    if request.method == "POST":
        form = TriageUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = triage_job_create(
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    file_format=form.cleaned_data["format"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The list is being checked."))
                return redirect("triage-job-detail", pk=job.pk)
    jobs = triage_jobs(actor=request.user)[:50]
    status = 400 if form.is_bound else 200
    return render(request, "cases/triage_jobs.html", {"form": form, "jobs": jobs}, status=status)


@casework_required
def triage_job_detail_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    job = triage_job_get(actor=request.user, pk=pk, audit=True)
    counts = job.counts()
    chart = [StatusCount(str(key), str(TriageOutcome(key).label), counts[key]) for key in counts]
    hits = []
    if job.is_finished and job.purged_at is None:
        hits = [
            triage_result_row(result)
            for result in triage_hits(actor=request.user, job=job)[:HITS_SHOWN]
        ]
    download = reverse("api-triage-job-download", args=[job.pk])
    context = {
        "job": job,
        "chart": chart,
        "hits": hits,
        "hits_shown": HITS_SHOWN,
        "status_url": reverse("api-triage-job", args=[job.pk]),
        "download_csv": f"{download}?format=csv",
        "download_json": f"{download}?format=json",
    }
    return render(request, "cases/triage_job_detail.html", context)


@require_POST
@casework_required
def triage_job_cancel_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    job = triage_job_get(actor=request.user, pk=pk)
    try:
        triage_job_cancel(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The job is being stopped."))
    return redirect("triage-job-detail", pk=job.pk)
