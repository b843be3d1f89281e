"""Victims pages: the list, the victim page with its timeline, and the forms that write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import access
from cases.choices import IdentificationEventKind
from cases.exceptions import VersionConflict
from cases.models import Series, Victim
from cases.selectors.victims import (
    series_identification_summary,
    series_is_followed,
    victim_events,
    victim_get,
    victim_list,
)
from cases.services.victims import (
    identification_event_record,
    series_follow,
    series_unfollow,
    victim_create,
    victim_update,
)
from cases.victim_forms import (
    RecordOutcomeForm,
    VictimCreateForm,
    VictimEditForm,
    VictimFilterForm,
)
from cases.views.common import CaseworkRequest, add_service_errors, casework_required

PAGE_SIZE = 50


def _visible_victim(request: CaseworkRequest, code: str, *, record_read: bool = False) -> Victim:
    try:
        return victim_get(actor=request.user, code=code, record_read=record_read)
    except Victim.DoesNotExist as exc:
        raise Http404 from exc


def _visible_series(request: CaseworkRequest, code: str) -> Series | None:
    return Series.objects.visible_to(request.user).filter(code=code.strip().upper()).first()


@casework_required
def victim_list_view(request: CaseworkRequest) -> HttpResponse:
    form = VictimFilterForm(request.GET or None)
    series_code = status = None
    if form.is_valid():
        series_code = form.cleaned_data["series"].strip().upper() or None
        status = form.cleaned_data["status"] or None
    series = _visible_series(request, series_code) if series_code else None
    victims = victim_list(actor=request.user, series_code=series_code, status=status)
    page = Paginator(victims.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"form": form, "page": page, "series": series}
    if series is not None:
        context["summary"] = series_identification_summary(actor=request.user, series=series)
        context["following"] = series_is_followed(actor=request.user, series=series)
    return render(request, "cases/victim_list.html", context)


def _series_from_form(request: CaseworkRequest, form: VictimCreateForm) -> list[Series] | None:
    """The visible series the form names, or None with the unknown codes put on the form."""
    codes = form.cleaned_data["series_codes"]
    found = {s.code: s for s in Series.objects.visible_to(request.user).filter(code__in=codes)}
    missing = [code for code in codes if code not in found]
    if missing:
        form.add_error(
            "series_codes",
            _("No series %(codes)s that you can see.") % {"codes": ", ".join(missing)},
        )
        return None
    return list(found.values())


@casework_required
def victim_create_view(request: CaseworkRequest) -> HttpResponse:
    initial = {"series_codes": request.GET.get("series", "")}
    form = VictimCreateForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        series = _series_from_form(request, form)
        if series is not None:
            try:
                victim = victim_create(
                    actor=request.user,
                    series=series,
                    age_band=data["age_band"],
                    notes=data["notes"],
                    distribution=data["distribution"],
                    sharing_group=data["sharing_group"],
                )
            except ValidationError as error:
                add_service_errors(form, error, {"series": "series_codes"})
            else:
                messages.success(request, _("Victim %(code)s registered.") % {"code": victim.code})
                return redirect("victim-detail", code=victim.code)
    return render(request, "cases/victim_form.html", {"form": form})


@casework_required
def victim_detail_view(request: CaseworkRequest, code: str) -> HttpResponse:
    victim = _visible_victim(request, code, record_read=True)
    events = victim_events(actor=request.user, victim=victim).order_by("occurred_on", "id")
    summaries = [
        series_identification_summary(actor=request.user, series=link.series)
        for link in victim.visible_series_links  # type: ignore[attr-defined]
    ]
    return render(
        request,
        "cases/victim_detail.html",
        {
            "victim": victim,
            "events": events,
            "summaries": summaries,
            "can_edit": access.can_edit(request.user, victim),
        },
    )


@casework_required
def victim_edit_view(request: CaseworkRequest, code: str) -> HttpResponse:
    victim = _visible_victim(request, code)
    access.require_editable(request.user, victim)
    initial = {
        "version": victim.version,
        "series_codes": ", ".join(link.series.code for link in victim.visible_series_links),  # type: ignore[attr-defined]
        "age_band": victim.age_band,
        "notes": victim.notes,
        "distribution": victim.distribution,
        "sharing_group": victim.sharing_group_id,
    }
    form = VictimEditForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        series = _series_from_form(request, form)
        if series is not None:
            try:
                victim_update(
                    actor=request.user,
                    victim=victim,
                    version=data["version"],
                    series=series,
                    age_band=data["age_band"],
                    notes=data["notes"],
                    distribution=data["distribution"],
                    sharing_group=data["sharing_group"],
                )
            except VersionConflict:
                form.add_error(
                    None,
                    _(
                        "Someone changed this victim record since you opened it. "
                        "Open it again to see their change, then make yours."
                    ),
                )
            except ValidationError as error:
                add_service_errors(form, error, {"series": "series_codes"})
            else:
                messages.success(request, _("Victim %(code)s updated.") % {"code": victim.code})
                return redirect("victim-detail", code=victim.code)
    return render(request, "cases/victim_form.html", {"form": form, "victim": victim})


@casework_required
def victim_record_outcome_view(request: CaseworkRequest, code: str) -> HttpResponse:
    victim = _visible_victim(request, code)
    correctable = (
        victim_events(actor=request.user, victim=victim)
        .filter(is_corrected=False)  # type: ignore[misc]
        .exclude(kind=IdentificationEventKind.CORRECTION)
        .order_by("occurred_on", "id")
    )
    form = RecordOutcomeForm(
        request.POST or None,
        correctable=correctable,
        initial={"occurred_on": timezone.now().date()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            identification_event_record(actor=request.user, victim=victim, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Recorded in the identification log."))
            return redirect("victim-detail", code=victim.code)
    return render(request, "cases/victim_record_outcome.html", {"form": form, "victim": victim})


@require_POST
@casework_required
def series_follow_view(request: CaseworkRequest, code: str) -> HttpResponse:
    series = _visible_series(request, code)
    if series is None:
        raise Http404
    if request.POST.get("follow") == "0":
        series_unfollow(actor=request.user, series=series)
        messages.success(request, _("You no longer follow %(code)s.") % {"code": series.code})
    else:
        series_follow(actor=request.user, series=series)
        messages.success(
            request,
            _("You will hear when a child in %(code)s is identified or safeguarded.")
            % {"code": series.code},
        )
    # Back to the page the form was on (the series page or the victim list), if it is ours.
    back = request.POST.get("next") or request.headers.get("Referer", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(f"{reverse('victim-list')}?series={series.code}")
