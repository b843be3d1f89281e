"""Victims pages: the list, the victim page with its timeline, and the forms that write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import access
from cases.choices import IdentificationEventKind
from cases.exceptions import LogChanged, VersionConflict
from cases.forms import (
    GrantForm,
    IdentificationEventForm,
    VictimEditForm,
    VictimFilterForm,
    VictimForm,
    victim_initial,
)
from cases.models import Victim
from cases.selectors import (
    series_by_codes,
    series_get,
    series_identification_summary,
    series_is_followed,
    victim_events,
    victim_get,
    victim_list,
    victim_log_position,
)
from cases.services import (
    identification_event_check,
    identification_event_record,
    series_follow,
    series_unfollow,
    victim_create,
    victim_update,
)
from cases.views.common import CaseworkRequest, add_service_errors, casework_required
from cases.views.grants import grant_add, grant_revoke, grant_section

PAGE_SIZE = 50
# Errors the services key by argument name, shown next to the form field that holds it.
ERROR_FIELDS = {"series": "series_codes"}


@casework_required
def victim_list_view(request: CaseworkRequest) -> HttpResponse:
    form = VictimFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "cases/victim_list.html", {"form": form}, status=400)
    series_code = status = None
    if form.is_bound:
        series_code = form.cleaned_data["series"].strip().upper() or None
        status = form.cleaned_data["status"] or None
    series = (
        series_by_codes(actor=request.user, codes=[series_code]).get(series_code)
        if series_code
        else None
    )
    victims = victim_list(actor=request.user, series_code=series_code, status=status)
    page = Paginator(victims.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"form": form, "page": page, "series": series}
    if series is not None:
        context["summary"] = series_identification_summary(actor=request.user, series=series)
        context["following"] = series_is_followed(actor=request.user, series=series)
    return render(request, "cases/victim_list.html", context)


@casework_required
def victim_create_view(request: CaseworkRequest) -> HttpResponse:
    initial = {"series_codes": request.GET.get("series", "")}
    form = VictimForm(request.POST or None, actor=request.user, initial=initial)
    if request.method != "POST":
        return render(request, "cases/victim_form.html", {"form": form})
    if form.is_valid():
        try:
            victim = victim_create(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error, ERROR_FIELDS)
        else:
            messages.success(request, _("Child %(code)s registered.") % {"code": victim.code})
            return redirect("victim-detail", code=victim.code)
    return render(request, "cases/victim_form.html", {"form": form}, status=400)


def victim_page(
    request: CaseworkRequest,
    victim: Victim,
    *,
    grant_form: GrantForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The victim page: facts, the timeline, each series' summary, and the owner's grants."""
    events = victim_events(actor=request.user, victim=victim).order_by("occurred_on", "id")
    summaries = [
        series_identification_summary(actor=request.user, series=link.series)
        for link in victim.visible_series_links  # type: ignore[attr-defined]
    ]
    context = {
        "victim": victim,
        "events": events,
        "summaries": summaries,
        "can_edit": access.can_edit(request.user, victim),
        **grant_section(request, victim, grant_form),
    }
    return render(request, "cases/victim_detail.html", context, status=status)


@casework_required
def victim_detail_view(request: CaseworkRequest, code: str) -> HttpResponse:
    return victim_page(request, victim_get(actor=request.user, code=code))


@casework_required
def victim_edit_view(request: CaseworkRequest, code: str) -> HttpResponse:
    victim = victim_get(actor=request.user, code=code, audit=False)
    access.require_editable(request.user, victim)
    context: dict[str, Any] = {"victim": victim}
    if request.method != "POST":
        context["form"] = VictimEditForm(actor=request.user, initial=victim_initial(victim))
        return render(request, "cases/victim_form.html", context)
    form = context["form"] = VictimEditForm(request.POST, actor=request.user)
    if form.is_valid():
        arguments = form.service_arguments()
        try:
            victim_update(
                actor=request.user,
                victim=victim,
                version=form.cleaned_data["version"],
                **arguments,
            )
        except VersionConflict:
            form.add_error(
                None,
                _(
                    "Someone changed this child's record since you opened it. "
                    "Open it again to see their change, then make yours."
                ),
            )
            return render(request, "cases/victim_form.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error, ERROR_FIELDS)
        else:
            messages.success(request, _("Child %(code)s updated.") % {"code": victim.code})
            return redirect("victim-detail", code=victim.code)
    return render(request, "cases/victim_form.html", context, status=400)


@casework_required
def victim_record_outcome_view(request: CaseworkRequest, code: str) -> HttpResponse:
    """Record an outcome in two steps: the details, then a summary to confirm.

    Nothing is written until the summary is confirmed. The first valid POST answers the
    summary (the service's own check has passed, writing nothing); the confirming POST
    carries the same values in hidden fields with a signed token, is validated again,
    and writes only if the values are exactly those summarised and the log has not grown
    since (so a confirmation sent twice records once).
    """
    victim = victim_get(actor=request.user, code=code, audit=False)
    correctable = (
        victim_events(actor=request.user, victim=victim)
        .filter(is_corrected=False)  # type: ignore[misc]
        .exclude(kind=IdentificationEventKind.CORRECTION)
        .order_by("occurred_on", "id")
    )
    form = IdentificationEventForm(
        request.POST or None,
        correctable=correctable,
        initial={"occurred_on": timezone.now().date()},
    )
    # "Change the details" on the summary brings the values back into the form.
    if request.method != "POST" or "change" in request.POST:
        return _outcome_form(request, victim, form)
    if not form.is_valid():
        return _outcome_form(request, victim, form, status=400)
    if "confirm" in request.POST:
        return _outcome_record(request, victim, form)
    return _outcome_summary(request, victim, form)


def _outcome_form(
    request: CaseworkRequest, victim: Victim, form: IdentificationEventForm, status: int = 200
) -> HttpResponse:
    context = {"form": form, "victim": victim}
    return render(request, "cases/victim_record_outcome.html", context, status=status)


def _outcome_refused(
    request: CaseworkRequest, victim: Victim, form: IdentificationEventForm, error: Exception
) -> HttpResponse:
    """A refusal of the service on the form: 400 next to the field, 403 for a correction."""
    if isinstance(error, PermissionDenied):  # a correction of another agency's event
        form.add_error(None, str(error))
        return _outcome_form(request, victim, form, status=403)
    assert isinstance(error, ValidationError)
    add_service_errors(form, error)
    return _outcome_form(request, victim, form, status=400)


def _outcome_summary(
    request: CaseworkRequest, victim: Victim, form: IdentificationEventForm
) -> HttpResponse:
    """What will be recorded, in words, with the values carried on to be confirmed."""
    seen_up_to = victim_log_position(actor=request.user, victim=victim)
    try:
        events = identification_event_check(
            actor=request.user, victim=victim, **form.service_arguments()
        )
    except (ValidationError, PermissionDenied) as error:
        return _outcome_refused(request, victim, form, error)
    context = {
        "form": form,
        "victim": victim,
        "events": events,
        "confirmation": form.confirmation_token(
            actor=request.user, victim=victim, seen_up_to=seen_up_to
        ),
    }
    return render(request, "cases/victim_record_outcome_confirm.html", context)


def _outcome_record(
    request: CaseworkRequest, victim: Victim, form: IdentificationEventForm
) -> HttpResponse:
    """The confirmed values, written once, and only if they are the ones summarised."""
    seen_up_to = form.confirmed_position(
        request.POST.get("confirmation", ""), actor=request.user, victim=victim
    )
    if seen_up_to is None:
        form.add_error(
            None,
            _(
                "These details are not the ones you were asked to confirm, so nothing was "
                "recorded. Check them and continue again to see what will be recorded."
            ),
        )
        return _outcome_form(request, victim, form, status=400)
    try:
        identification_event_record(
            actor=request.user, victim=victim, seen_up_to=seen_up_to, **form.service_arguments()
        )
    except LogChanged as changed:
        if form.describes(changed.since, actor=request.user):
            messages.info(request, _("This outcome was already recorded; it was recorded once."))
            return redirect("victim-detail", code=victim.code)
        form.add_error(None, str(changed))
        return _outcome_form(request, victim, form, status=409)
    except (ValidationError, PermissionDenied) as error:
        return _outcome_refused(request, victim, form, error)
    messages.success(request, _("Recorded in the identification log."))
    return redirect("victim-detail", code=victim.code)


@require_POST
@casework_required
def victim_grant_add_view(request: CaseworkRequest, code: str) -> HttpResponse:
    victim = victim_get(actor=request.user, code=code, audit=False)
    return grant_add(
        request, victim, lambda form: victim_page(request, victim, grant_form=form, status=400)
    )


@require_POST
@casework_required
def victim_grant_revoke_view(request: CaseworkRequest, code: str, key: str) -> HttpResponse:
    return grant_revoke(request, victim_get(actor=request.user, code=code, audit=False), key)


@require_POST
@casework_required
def series_follow_view(request: CaseworkRequest, code: str) -> HttpResponse:
    series = series_get(actor=request.user, code=code, audit=False)
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
