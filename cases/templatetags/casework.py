"""Template helpers of the casework pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.translation import gettext as _
from django_countries import countries

from cases.choices import DISTRIBUTION_EXPLAINED, Distribution, Verdict
from cases.languages import language_name
from cases.selectors.status_counts import StatusCount

register = template.Library()


@register.filter
def distribution_explained(level: str) -> str:
    """Who will see a record at ``level``, in plain words."""
    try:
        return str(DISTRIBUTION_EXPLAINED[Distribution(level)])
    except ValueError:
        return ""


@register.filter
def language_label(code: str) -> str:
    """An ISO 639-3 code's language name."""
    return language_name(code)


@register.filter
def country_label(code: Any) -> str:
    """An ISO 3166-1 code's country name."""
    return str(countries.name(str(code)) or code)


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with ``changes`` applied (a falsy value removes a key).

    Any change of filter returns to the first page.
    """
    request = context["request"]
    query: QueryDict = request.GET.copy()
    if "page" not in changes:
        query.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_set(context: dict[str, Any], name: str, value: Any) -> str:
    """The current query string with ``name`` set to ``value`` (removed when empty)."""
    return query_with(context, **{name: value})


# Bar charts: small SVGs drawn here, on the server (the pages load no chart library and
# run no inline code). Each row is a label and its number as text, with the row's bar
# beside it; the rows of the text and of the SVG have the same fixed height (CSS:
# .chart-row, 2rem; here: 2em of the SVG, whose font size is 1rem), so they line up
# whatever the labels. Colours only repeat what the labels say.
CHART_ROW_EM = 2
CHART_BAR_EM = 0.75


@dataclass(frozen=True)
class ChartBar:
    """One row of a bar chart: its label, its number as shown, and its bar."""

    key: str
    label: str
    count: int
    text: str  # the number as the page shows it ("3", "1 of 2")
    width: str  # the bar's width attribute: percent of the chart's width, e.g. "62.5%"
    index: int
    tone: str = "accent"
    testid: str = ""

    @property
    def y(self) -> str:
        """The top of the bar, centred in its row (an SVG length in em)."""
        return _em(self.index * CHART_ROW_EM + (CHART_ROW_EM - CHART_BAR_EM) / 2)


@dataclass(frozen=True)
class BarChart:
    """A titled bar chart; the title names both the figure and its SVG."""

    chart_id: str
    title: str
    bars: list[ChartBar]
    caption_shown: bool = True
    link: str = ""

    @property
    def height(self) -> str:
        return _em(CHART_ROW_EM * len(self.bars))

    @property
    def bar_height(self) -> str:
        return _em(CHART_BAR_EM)

    @property
    def description(self) -> str:
        return "; ".join(f"{bar.label}: {bar.text}" for bar in self.bars)


def _em(value: float) -> str:
    # Formatted here: a template would localise the decimal point ("0,75em" in French).
    return f"{value:g}em"


def bar_width(count: int, scale: int) -> str:
    """The width of a bar for ``count`` on a chart whose full width stands for ``scale``.

    A count above zero is never drawn thinner than 1%, so that it cannot pass for none.
    """
    if count <= 0 or scale <= 0:
        return "0%"
    share = min(100.0, max(1.0, count * 100 / scale))
    return f"{share:.1f}".removesuffix(".0") + "%"


@register.inclusion_tag("cases/_bar_chart.html")
def status_chart(
    counts: Iterable[StatusCount], chart_id: str, title: str, link: str = ""
) -> dict[str, Any]:
    """Counts by status beside bars that share one whole (the total of the counts).

    ``link``, when given, is a URL the status is appended to: a list filtered by it.
    """
    counts = list(counts)
    total = sum(entry.count for entry in counts)
    bars = [
        ChartBar(
            key=entry.status,
            label=str(entry.label),
            count=entry.count,
            text=str(entry.count),
            width=bar_width(entry.count, total),
            index=index,
        )
        for index, entry in enumerate(counts)
    ]
    return {"chart": BarChart(chart_id=chart_id, title=title, bars=bars, link=link)}


@register.inclusion_tag("cases/_bar_chart.html")
def identification_chart(summary: Mapping[str, Any]) -> dict[str, Any]:
    """Children known, identified and safeguarded in a series, as shares of the children.

    ``summary`` is ``cases.selectors.victims.series_identification_summary``.
    """
    children = int(summary["children"])
    rows = [
        ("children", _("Children known"), children, "muted"),
        ("identified", _("Identified"), int(summary["identified"]), "accent"),
        ("safeguarded", _("Safeguarded"), int(summary["safeguarded"]), "ok"),
    ]
    bars = [
        ChartBar(
            key=key,
            label=str(label),
            count=count,
            text=str(count)
            if key == "children"
            else _("%(n)s of %(total)s") % {"n": count, "total": children},
            width=bar_width(count, children),
            index=index,
            tone=tone,
            testid=f"summary-{key}",
        )
        for index, (key, label, count, tone) in enumerate(rows)
    ]
    code = summary["series_code"]
    title = _("Identification progress in %(code)s") % {"code": code}
    return {
        "chart": BarChart(chart_id=f"idchart-{code}", title=title, bars=bars, caption_shown=False)
    }


@register.filter
def marked(text: str) -> str:
    """Text from a search headline, escaped, with its matching words in ``<mark>``."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from cases.fulltext import MARK_END, MARK_START

    html = escape(text or "").replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own tags added


@register.inclusion_tag("cases/_bar_chart.html")
def verdict_chart(consensus: Any) -> dict[str, Any]:
    """How many assessors (each by their latest assessment) gave each verdict."""
    tones = {
        Verdict.RECOGNISED: "ok",
        Verdict.NOT_RECOGNISED: "muted",
        Verdict.UNSURE: "accent",
    }
    total = int(consensus.assessors)
    bars = [
        ChartBar(
            key=str(verdict),
            label=str(verdict.label),
            count=consensus.verdicts.get(verdict.value, 0),
            text=str(consensus.verdicts.get(verdict.value, 0)),
            width=bar_width(consensus.verdicts.get(verdict.value, 0), total),
            index=index,
            tone=tones[verdict],
            testid=f"verdict-{verdict.value}",
        )
        for index, verdict in enumerate(Verdict)
    ]
    return {"chart": BarChart(chart_id="verdicts", title=str(_("Verdicts")), bars=bars)}
