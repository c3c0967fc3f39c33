"""SVG charts and CSV cells, without an app: escaped text, patterns per series, numbers shown."""
import re

from markupsafe import Markup

from portal.impact.charts import bar_chart
from portal.impact.tables import Column, Table, csv_rows, csv_value
from portal.spreadsheet import CONVENTIONS, csv_text


def test_text_is_escaped_and_the_result_is_markup():
    svg = bar_chart("k", "Title <b>", [("<script>alert(1)</script>", 3), ("A & B", 1)])
    assert isinstance(svg, Markup)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A &amp; B" in svg and "Title &lt;b&gt;" in svg


def test_each_series_has_its_pattern_and_a_legend():
    chart = bar_chart("k", "T", [("x", [1, 2, 3])], series=["one", "two", "three"])
    legend, drawing = chart.split('<div class="chart-plot"')
    patterns = re.findall(r'<pattern id="([^"]+)"', drawing)
    assert len(patterns) == 3 and len({p.rsplit("-", 2)[-2] for p in patterns}) == 3  # solid, hatch, dots
    # The legend is a list above the drawing (it wraps, and stays in view when the drawing scrolls
    # on a phone), each name after a swatch that holds its series' pattern.
    entries = re.findall(r'<li><svg [^>]*aria-hidden="true"[^>]*><defs><pattern id="[^"]+-(\w+)-(\d)".*?</svg>(\w+)</li>',
                         legend)
    assert entries == [("solid", "0", "one"), ("hatch", "1", "two"), ("dots", "2", "three")]
    assert legend.startswith('<ul class="chart-legend">') and "one" not in drawing
    assert "chart-legend" not in bar_chart("k", "T", [("x", 1)], series=["alone"])  # one series: no legend


def test_values_are_labelled_and_bars_scaled_to_the_largest():
    svg = bar_chart("k", "T", [("a", 10), ("b", 5), ("c", None)], fmt=lambda v: f"{v} pts")
    assert ">10 pts<" in svg and ">5 pts<" in svg and ">–<" in svg
    widths = [float(w) for w in re.findall(r'<rect x="210" y="[\d.]+" width="([\d.]+)" height="18"', svg)]
    assert widths == [360.0, 180.0, 0.0]


def test_ids_are_unique_when_a_chart_is_drawn_twice():
    first, second = bar_chart("same", "T", [("a", 1)]), bar_chart("same", "T", [("a", 1)])
    assert set(re.findall(r'id="([^"]+)"', first)).isdisjoint(re.findall(r'id="([^"]+)"', second))


def test_long_labels_are_cut_with_the_whole_in_a_tooltip():
    svg = bar_chart("k", "T", [("A very long event title that goes on and on", 1)])
    assert "<title>A very long event title that goes on and on</title>" in svg and "…" in svg


def test_csv_defuses_formulas_and_writes_plain_numbers():
    assert csv_value("=SUM(A1)", "text") == "'=SUM(A1)" and csv_value("-1", "text") == "'-1"
    assert csv_value(-1, "int") == -1 and str(csv_value(12345, "money")) == "123.45" and csv_value(None, "rate") == ""
    table = Table("t", "T", [Column("name", "Name", "text"), Column("rate", "Rate", "rate"),
                             Column("cost", "Cost", "money")], [{"name": "@x; 2.5", "rate": 0.5, "cost": 1200}])
    assert csv_text(csv_rows(table)).splitlines() == ["Name,Rate,Cost", "'@x; 2.5,0.5,12.00"]
    # A French spreadsheet splits on ";" and reads "0,5": only numbers take the decimal comma.
    assert csv_text(csv_rows(table), CONVENTIONS["fr"]).splitlines() == ["Name;Rate;Cost", "\"'@x; 2.5\";0,5;12,00"]
