"""The bar charts drawn on the server: bars in proportion, and the numbers beside them."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from cases.selectors.status_counts import StatusCount
from cases.templatetags.casework import bar_width
from tests.cases.chart_support import chart_in


def _render(source: str, **context: object) -> str:
    return Template("{% load casework %}" + source).render(Context(context))


SERIES_COUNTS = [
    StatusCount("active", "Active", 3),
    StatusCount("identified", "Identified", 1),
    StatusCount("closed", "Closed", 0),
    StatusCount("merged", "Merged into another series", 0),
]


@pytest.mark.parametrize(
    ("count", "scale", "width"),
    [
        (3, 4, "75%"),
        (1, 3, "33.3%"),
        (4, 4, "100%"),
        (0, 4, "0%"),
        (1, 1000, "1%"),  # a count above zero never looks like none
        (2, 0, "0%"),
    ],
)
def test_a_bar_is_its_count_as_a_share_of_the_scale(count, scale, width):
    assert bar_width(count, scale) == width


def test_a_status_chart_draws_each_status_as_a_share_of_the_total_beside_its_number():
    tag = '{% status_chart counts chart_id="by-status" title="Series by status" link=link %}'
    html = _render(tag, counts=SERIES_COUNTS, link="/series/?status=")
    chart = chart_in(html, "by-status")

    assert chart.widths == {"active": "75%", "identified": "25%", "closed": "0%", "merged": "0%"}
    assert chart.numbers == {"active": "3", "identified": "1", "closed": "0", "merged": "0"}
    assert chart.labels["merged"] == "Merged into another series"
    assert chart.title == "Series by status"
    assert chart.svg_attrs["role"] == "img"
    assert chart.svg_attrs["aria-labelledby"] == "by-status-title"
    # Only statuses with something to show link to their filtered list.
    assert 'href="/series/?status=active"' in html
    assert 'href="/series/?status=closed"' not in html
    assert "style=" not in html  # the CSP refuses style attributes


def test_the_rows_of_text_and_of_bars_have_the_same_rhythm():
    html = _render('{% status_chart counts chart_id="c" title="T" %}', counts=SERIES_COUNTS)
    chart = chart_in(html, "c")
    # Four rows of 2em (the CSS gives each row of text 2rem, and the SVG an em of 1rem).
    assert chart.svg_attrs["height"] == "8em"
    assert 'y="0.625em"' in html and 'y="6.625em"' in html


def test_an_empty_chart_draws_no_bar():
    counts = [StatusCount("open", "Open", 0), StatusCount("resolved", "Resolved", 0)]
    chart = chart_in(_render('{% status_chart c chart_id="e" title="T" %}', c=counts), "e")
    assert set(chart.widths.values()) == {"0%"}
    assert chart.numbers == {"open": "0", "resolved": "0"}


def test_lengths_keep_a_decimal_point_in_every_language():
    counts = [StatusCount("open", "Open", 1), StatusCount("resolved", "Resolved", 2)]
    with translation.override("fr"):
        html = _render('{% status_chart c chart_id="fr" title="T" %}', c=counts)
    assert chart_in(html, "fr").widths == {"open": "33.3%", "resolved": "66.7%"}
    assert 'height="0.75em"' in html


def test_the_identification_chart_measures_against_the_children_known():
    summary = {"series_code": "SER-2026-000007", "children": 4, "identified": 3, "safeguarded": 1}
    html = _render("{% identification_chart summary %}", summary=summary)
    chart = chart_in(html, "idchart-SER-2026-000007")

    assert chart.widths == {"children": "100%", "identified": "75%", "safeguarded": "25%"}
    assert chart.numbers == {"children": "4", "identified": "3 of 4", "safeguarded": "1 of 4"}
    assert chart.title == "Identification progress in SER-2026-000007"
    # The numbers are where the pages and their tests have always found them.
    assert 'data-testid="summary-identified">3 of 4</dd>' in html
    # Colours repeat the labels; a label names every bar.
    assert 'class="chart-bar tone-ok"' in html
    assert set(chart.labels) == set(chart.widths)
