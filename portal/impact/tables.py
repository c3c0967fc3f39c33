"""The dashboard's tables: one structure rendered as an HTML table, a chart's numbers, and CSV."""
import csv
import io
from dataclasses import dataclass, field

#: How a column's values are shown: text, int, number (1 decimal), rate (a share), money (cents).
KINDS = ("text", "int", "number", "rate", "money")


@dataclass
class Column:
    key: str
    label: str
    kind: str = "int"


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
    """A cell for a spreadsheet: numbers plain (rates as 0.42, money in euros), text defused."""
    if value is None:
        return ""
    if kind == "money":
        return f"{value / 100:.2f}"
    if kind in ("int", "number", "rate"):
        return str(value)
    text = str(value)
    # A cell starting with = + - @ (or a tab/CR) would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(table):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(c.label) for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_value(row.get(c.key), c.kind) for c in table.columns])
    return out.getvalue()
