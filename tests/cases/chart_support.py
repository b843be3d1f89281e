"""Reading the bar charts of a page (cases/templates/cases/_bar_chart.html) as a user sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Chart:
    """One chart: its SVG's title, and per row the number shown as text and the bar's width."""

    title: str = ""
    svg_attrs: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)
    widths: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)


class _ChartParser(HTMLParser):
    def __init__(self, chart_id: str) -> None:
        super().__init__()
        self.chart_id = chart_id
        self.chart: Chart | None = None
        self._depth = 0  # elements open inside the chart's figure
        self._row = ""
        self._in: str | None = None  # "dt", "dd" or "title", while reading its text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self.chart is None:
            if tag == "figure" and values.get("data-testid") == f"chart-{self.chart_id}":
                self.chart = Chart()
                self._depth = 1
            return
        if not self._depth:
            return
        if tag not in ("rect",):  # rect is written self-closing: no end tag follows
            self._depth += 1
        if tag == "svg":
            self.chart.svg_attrs = values
        elif tag == "div" and "chart-row" in values.get("class", ""):
            self._row = values["data-key"]
        elif tag in ("dt", "dd", "title"):
            self._in = tag
        elif tag == "rect" and "chart-bar" in values.get("class", ""):
            self.chart.widths[values["data-key"]] = values["width"]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.chart is None or not self._depth:
            return
        self._depth -= 1
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self.chart is None or not self._depth or self._in is None:
            return
        if self._in == "title":
            self.chart.title += data.strip()
        elif self._in == "dd":
            self.chart.numbers[self._row] = self.chart.numbers.get(self._row, "") + data.strip()
        elif self._in == "dt":
            self.chart.labels[self._row] = self.chart.labels.get(self._row, "") + data.strip()


def chart_in(html: str, chart_id: str) -> Chart:
    """The chart ``chart_id`` of a page; AssertionError when the page has none."""
    parser = _ChartParser(chart_id)
    parser.feed(html)
    assert parser.chart is not None, f"no chart {chart_id!r} on the page"
    return parser.chart
