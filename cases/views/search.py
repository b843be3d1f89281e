"""The clue search page: filters, full-text words, facet counts and a page of results."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from cases.forms import ClueSearchForm
from cases.languages import language_choices
from cases.selectors import clue_list, taxonomy_tree
from cases.selectors.clue_facets import clue_facets
from cases.selectors.clues import clue_headlines
from cases.views.common import CaseworkRequest, add_service_errors, casework_required

PAGE_SIZE = 50


@casework_required
def clue_search_view(request: CaseworkRequest) -> HttpResponse:
    form = ClueSearchForm(request.GET or None, taxonomy=taxonomy_tree())
    context = {"form": form, "common_languages": language_choices()}
    if form.is_bound and not form.is_valid():
        return render(request, "cases/clue_search.html", context, status=400)
    filters = form.filters() if form.is_bound else {}
    try:
        clues = clue_list(actor=request.user, filters=filters)
    except ValidationError as error:
        add_service_errors(form, error)
        return render(request, "cases/clue_search.html", context, status=400)
    page = Paginator(clues, PAGE_SIZE).get_page(request.GET.get("page"))
    # Why each clue of the page matched: its words marked in the title and description.
    matches = clue_headlines(actor=request.user, clues=list(page), text=filters.get("q", ""))
    for clue in page:
        clue.matched = matches.get(clue.pk)  # type: ignore[attr-defined]
    context.update({"page": page, "facets": clue_facets(clues), "filters": filters})
    return render(request, "cases/clue_search.html", context)
