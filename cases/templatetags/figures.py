"""Column charts of the oversight figures, drawn on the server as SVG (no chart library, no
inline style: the CSP stays strict). A hidden figure gets no column, only its marker
("<5", "[c]") where the column would stand, so the chart tells no more than the table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from cases.selectors.stats import StatsTable

register = template.Library()

WIDTH = 640
HEIGHT = 260
LEFT = 56
RIGHT = 12
TOP = 16
BOTTOM = 52


@dataclass(frozen=True)
class Column:
    label: str
    text: str
    shown: bool
    x: float
    width: float
    y: float
    height: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class ColumnChart:
    chart_id: str
    title: str
    x_label: str
    y_label: str
    columns: list[Column]
    maximum: int
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM
    plot_right: int = WIDTH - RIGHT
    x_label_y: int = HEIGHT - 8
    y_label_x: int = 14
    y_label_y: int = (HEIGHT - BOTTOM + TOP) // 2
    tick_x: int = LEFT - 6


@register.inclusion_tag("cases/_column_chart.html")
def figure_chart(table: StatsTable) -> dict[str, Any]:
    """The table's first measure, one column per row (the whole-year or total row left out:
    it would dwarf the others, and the table gives it)."""
    measure = table.chart_measure
    if measure is None:
        return {"chart": None}
    index = table.measures.index(measure)
    rows = [row for row in table.rows if not row.is_total] or table.rows
    values = [row.cells[index].value for row in rows]
    maximum = max([int(v) for v in values if v is not None] + [1])
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / len(rows)
    columns = []
    for number, row in enumerate(rows):
        cell = row.cells[index]
        shown = cell.value is not None
        height = (cell.value or 0) / maximum * plot_height if shown else 0
        columns.append(
            Column(
                label=_short(row.label),
                text=cell.text,
                shown=shown,
                x=round(LEFT + number * slot + slot * 0.15, 1),
                width=round(slot * 0.7, 1),
                y=round(TOP + plot_height - height, 1),
                height=round(height, 1),
            )
        )
    title = f"{measure.label} — {table.title}"
    description = "; ".join(f"{row.label}: {row.cells[index].text}" for row in rows)
    return {
        "chart": ColumnChart(
            chart_id=f"chart-{table.key}",
            title=title,
            x_label=str(table.row_heading),
            y_label=str(measure.label),
            columns=columns,
            maximum=maximum,
            description=description,
        )
    }


def _short(label: str) -> str:
    """Column labels fit under a column: 2025-Q1 -> Q1, 2025-03 -> 03, a long name cut."""
    if len(label) == 7 and label[4] == "-":
        return label[5:]
    return label if len(label) <= 10 else label[:9] + "…"
