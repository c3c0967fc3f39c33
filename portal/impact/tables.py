"""The dashboard's tables: one structure rendered as an HTML table, a chart's numbers, and CSV."""
from dataclasses import dataclass, field
from decimal import Decimal

from portal.spreadsheet import defused


@dataclass
class Column:
    key: str
    label: str
    # How its values are shown: text, lines (a list of texts, one a line; joined by "; " in CSV),
    # int, number (1 decimal), rate (a share), money (cents), date.
    kind: str = "int"

    @property
    def numeric(self):
        return self.kind not in ("text", "lines")


@dataclass
class Table:
    """Rows are dicts keyed by column key; `chart` is the SVG drawn from them, or None."""

    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    chart: object = None
    note: str = ""

    @property
    def wide(self):
        """Too many columns to sit beside its chart: the chart goes above it."""
        return len(self.columns) > 4


def csv_value(value, kind):
    """A cell for a spreadsheet: numbers as numbers (rates as 0.4167, means to 2 places, money in
    euros and cents), text defused."""
    if value is None:
        return ""
    if kind == "money":
        return Decimal(value).scaleb(-2)
    if kind in ("number", "rate"):
        return round(value, 4 if kind == "rate" else 2)
    if kind == "int":
        return value
    if kind == "date":
        return value.isoformat()  # "2026-05-21": a date to a spreadsheet of any language
    if kind == "lines":
        return defused("; ".join(value))
    return defused(value)


def csv_rows(table):
    """The heading row, then one row per table row."""
    yield [defused(c.label) for c in table.columns]
    for row in table.rows:
        yield [csv_value(row.get(c.key), c.kind) for c in table.columns]
