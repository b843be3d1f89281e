"""Clue pages: posting a clue on a series, reading it, editing it, deleting it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from cases import access
from cases.choices import Confidence
from cases.exceptions import VersionConflict
from cases.forms import (
    AssessmentForm,
    ClueEditForm,
    ClueForm,
    GrantForm,
    RoutingForm,
    clue_initial,
)
from cases.models import Clue
from cases.selectors import (
    assessment_consensus,
    assessment_list,
    clue_get,
    routing_overdue_before,
    routing_requests_of_clue,
    series_get,
    sharing_groups_for,
    suggestions_of_clue,
    taxonomy_tree,
)
from cases.services import (
    assessment_create,
    clue_create,
    clue_delete,
    clue_update,
    routing_proposed_countries,
)
from cases.views.common import (
    CaseworkRequest,
    ConflictingField,
    add_service_errors,
    casework_required,
    conflicting_fields,
)
from cases.views.grants import grant_add, grant_revoke, grant_section

# Errors the services key by argument name, shown next to the form field that holds it.
ERROR_FIELDS = {"country_hypotheses": "country_1", "taxonomy": "taxonomy_node"}


def _form_kwargs(request: CaseworkRequest, clue: Clue | None = None) -> dict[str, Any]:
    return {
        "taxonomy": taxonomy_tree(),
        "sharing_groups": sharing_groups_for(actor=request.user),
        "hypothesis_rows": len(clue.country_hypotheses.all()) if clue else 0,
    }


@casework_required
def clue_create_view(request: CaseworkRequest, code: str) -> HttpResponse:
    # One event per action: the form names the series (a view); a POST is the clue's creation.
    series = series_get(actor=request.user, code=code, audit=request.method != "POST")
    form = ClueForm(request.POST or None, **_form_kwargs(request))
    context = {"form": form, "series": series}
    if request.method != "POST":
        return render(request, "cases/clue_form.html", context)
    if form.is_valid():
        try:
            clue = clue_create(
                actor=request.user,
                series=series,
                **form.service_arguments(),
            )
        except ValidationError as error:
            add_service_errors(form, error, ERROR_FIELDS)
        else:
            messages.success(request, _("Clue posted."))
            return redirect("clue-detail", pk=clue.pk)
    return render(request, "cases/clue_form.html", context, status=400)


def clue_page(
    request: CaseworkRequest,
    clue: Clue,
    *,
    grant_form: GrantForm | None = None,
    assessment_form: AssessmentForm | None = None,
    routing_form: RoutingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The clue page: the clue, its assessments, routing, who can see it, grants (owner)."""
    assessments = list(assessment_list(actor=request.user, clue=clue))
    can_edit = access.can_edit(request.user, clue)
    routing = list(routing_requests_of_clue(actor=request.user, clue=clue))
    overdue_before = routing_overdue_before()
    context = {
        "clue": clue,
        "hypotheses": clue.country_hypotheses.all(),
        "can_edit": can_edit,
        # Routing shows a clue to people who may not see its series: its title stays hidden.
        "series_visible": access.can_view(request.user, clue.series),
        "assessments": assessments,
        "suggestions": [
            (
                suggestion,
                suggestion.clue_b if suggestion.clue_a_id == clue.pk else suggestion.clue_a,
            )
            for suggestion in suggestions_of_clue(actor=request.user, clue=clue)[:20]
        ],
        "consensus": assessment_consensus(assessments),
        "assessment_form": assessment_form or AssessmentForm(),
        "routing": [(r, r.status == "open" and r.asked_at < overdue_before) for r in routing],
        "routing_form": (routing_form or RoutingForm(proposed=routing_proposed_countries(clue)))
        if can_edit
        else None,
        **grant_section(request, clue, grant_form),
    }
    if context["grant_section"]:
        # Routing shares the clue too: the owner sees it beside the grants.
        context["grant_section"]["routes"] = [r for r in routing if r.status == "open"]
    return render(request, "cases/clue_detail.html", context, status=status)


@casework_required
def clue_detail_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    return clue_page(request, clue_get(actor=request.user, pk=pk))


def _conflicts(form: ClueEditForm, current: Clue) -> list[ConflictingField]:
    """Where the saved clue and this editor's input differ, field by field."""
    saved = {
        name: value
        for name, value in clue_initial(current).items()
        # Languages compare as one list; hypotheses as one set, whatever their rows.
        if name != "other_languages" and not name.startswith(("country_", "confidence_"))
    }
    saved["languages"] = list(current.languages)
    conflicts = conflicting_fields(form, saved)
    saved_pairs = sorted((str(h.country), h.confidence) for h in current.country_hypotheses.all())
    submitted_pairs = sorted(form.cleaned_data["country_hypotheses"])
    if saved_pairs != submitted_pairs:
        conflicts.append(
            ConflictingField(
                label=_("Countries it may point to"),
                saved=_hypotheses_shown(saved_pairs),
                submitted=_hypotheses_shown(submitted_pairs),
            )
        )
    return conflicts


def _hypotheses_shown(pairs: list[tuple[str, str]]) -> str:
    confidence = dict(Confidence.choices)
    return (
        ", ".join(
            f"{countries.name(code)} ({str(confidence.get(level, level)).lower()})"
            for code, level in pairs
        )
        or "—"
    )


@casework_required
def clue_edit_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    clue = clue_get(actor=request.user, pk=pk, audit=request.method != "POST")
    access.require_editable(request.user, clue)
    if request.method != "POST":
        form = ClueEditForm(initial=clue_initial(clue), **_form_kwargs(request, clue))
        return render(request, "cases/clue_form.html", {"form": form, "clue": clue})
    form = ClueEditForm(request.POST, **_form_kwargs(request, clue))
    if form.is_valid():
        try:
            clue_update(
                actor=request.user,
                clue=clue,
                version=form.cleaned_data["version"],
                **form.service_arguments(),
            )
        except VersionConflict:
            current = clue_get(actor=request.user, pk=pk, audit=False)
            data = request.POST.copy()
            data["version"] = str(current.version)
            context = {
                "form": ClueEditForm(data, **_form_kwargs(request, current)),
                "clue": current,
                "conflict": _conflicts(form, current),
            }
            return render(request, "cases/clue_form.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error, ERROR_FIELDS)
        else:
            messages.success(request, _("Clue saved."))
            return redirect("clue-detail", pk=clue.pk)
    return render(request, "cases/clue_form.html", {"form": form, "clue": clue}, status=400)


@require_POST
@casework_required
def clue_delete_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    clue = clue_get(actor=request.user, pk=pk, audit=False)
    access.require_editable(request.user, clue)
    code = clue.series.code
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the clue should be deleted."))
        return redirect("clue-detail", pk=pk)
    try:
        clue_delete(actor=request.user, clue=clue)
    except PermissionDenied as refusal:  # assessed meanwhile: it stays, and we say why
        messages.error(request, str(refusal))
        return redirect("clue-detail", pk=pk)
    messages.success(request, _("Clue deleted."))
    return redirect("series-detail", code=code)


@require_POST
@casework_required
def clue_grant_add_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    clue = clue_get(actor=request.user, pk=pk, audit=False)
    return grant_add(
        request, clue, lambda form: clue_page(request, clue, grant_form=form, status=400)
    )


@require_POST
@casework_required
def clue_grant_revoke_view(request: CaseworkRequest, pk: int, key: str) -> HttpResponse:
    return grant_revoke(request, clue_get(actor=request.user, pk=pk, audit=False), key)


@require_POST
@casework_required
def clue_assess_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    clue = clue_get(actor=request.user, pk=pk, audit=False)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            assessment_create(actor=request.user, clue=clue, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error, {"attributions": "country_1"})
        else:
            messages.success(request, _("Assessment recorded. Thank you."))
            if not access.can_view(request.user, clue):
                # It answered the request that shared the clue with them.
                messages.info(request, _("Your answer closed the request that shared this clue."))
                return redirect("routing-queue")
            return redirect("clue-detail", pk=clue.pk)
    return clue_page(request, clue, assessment_form=form, status=400)
