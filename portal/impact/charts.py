"""Charts drawn as SVG on the server: horizontal bars with value labels and fill patterns.

They read without colour (each series has its own pattern, shown in the legend, and each
bar its value in text), print as they show, and need no script. Every piece of text is
escaped with markupsafe; the result is Markup, safe to place in a template as is.
Pure: no Flask, no database.

The legend is an HTML list above the drawing, not part of it: it wraps to the width it has,
and stays in view when a phone scrolls the drawing sideways in its box (.chart-plot).
"""
import itertools

from markupsafe import Markup, escape

WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 70
BAR = 18
GAP = 10
TOP = 8

#: Fill patterns, one per series: (name, SVG content of an 8x8 tile drawn in currentColor).
PATTERNS = (
    ("solid", '<rect width="8" height="8" fill="currentColor"/>'),
    ("hatch", '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="currentColor" stroke-width="2"/>'),
    ("dots", '<circle cx="4" cy="4" r="2" fill="currentColor"/>'),
    ("cross", '<path d="M0,4 h8 M4,0 v8" stroke="currentColor" stroke-width="1.5"/>'),
    ("lines", '<path d="M0,2 h8 M0,6 h8" stroke="currentColor" stroke-width="1.5"/>'),
)


def _pattern(key, index):
    name, tile = PATTERNS[index % len(PATTERNS)]
    return (f'<pattern id="{key}-{name}-{index}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="#fff"/>{tile}</pattern>')


def _defs(key, count):
    return "<defs>" + "".join(_pattern(key, index) for index in range(count)) + "</defs>"


def _fill(key, index):
    return f"url(#{key}-{PATTERNS[index % len(PATTERNS)][0]}-{index})"


LABEL_CHARS = 30


def _text(x, y, content, anchor="start", cls=""):
    klass = f' class="{cls}"' if cls else ""
    content = str(content)
    shown, full = content, ""
    if len(content) > LABEL_CHARS:  # a long label is cut; the whole of it stays in a tooltip
        shown, full = content[:LABEL_CHARS - 1] + "…", f"<title>{escape(content)}</title>"
    return (f'<text x="{x}" y="{y}" text-anchor="{anchor}" dominant-baseline="middle"{klass}>'
            f'{full}{escape(shown)}</text>')


_serial = itertools.count(1)


def _safe_key(key):
    """An id prefix unique in the page (the same chart may be drawn twice, e.g. in a yearly report)."""
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in str(key)) or "chart"
    return f"{cleaned}-{next(_serial)}"


def _legend(key, series):
    """The series' names, each after a swatch of its pattern (a small drawing of its own, which
    holds its pattern: it shows wherever the list wraps to)."""
    entries, swatch = [], f"{key}-key"
    for index, name in enumerate(series):
        entries.append(f'<li><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 14 14" width="14" height="14" '
                       f'class="chart-swatch" aria-hidden="true" focusable="false">'
                       f'<defs>{_pattern(swatch, index)}</defs><rect x=".5" y=".5" width="13" height="13" '
                       f'fill="{_fill(swatch, index)}" stroke="currentColor"/></svg>{escape(name)}</li>')
    return '<ul class="chart-legend">' + "".join(entries) + "</ul>"


def bar_chart(key, title, rows, series=None, fmt=str):
    """Bars per row; `rows` is [(label, [value per series])] or [(label, value)].

    `series` names the series (a legend is drawn when there are two or more); a value of
    None is drawn as an empty bar labelled "–". `fmt` formats a value for its label.
    """
    key = _safe_key(key)
    rows = [(label, values if isinstance(values, (list, tuple)) else [values]) for label, values in rows]
    count = max((len(values) for _label, values in rows), default=1)
    series = list(series or [])[:count]
    numbers = [v for _label, values in rows for v in values if v is not None]
    top = max(numbers, default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group = count * BAR + (count - 1) * 2 + GAP
    height = TOP + max(len(rows), 1) * group
    # The box that scrolls on a phone is focusable, so that the keyboard scrolls it too (a group, not a
    # region: the table beside it is the region of that name).
    parts = [_legend(key, series) if len(series) > 1 else "",
             f'<div class="chart-plot" tabindex="0" role="group" aria-labelledby="{key}-title">',
             f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="{key}-title" class="chart-svg">',
             f'<title id="{key}-title">{escape(title)}</title>', _defs(key, count)]
    y = TOP
    for label, values in rows:
        parts.append(_text(LABEL_WIDTH - 8, y + (group - GAP) / 2, label, anchor="end"))
        for index, value in enumerate(values):
            width = round(span * (value or 0) / top, 1)
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR}" '
                         f'fill="{_fill(key, index)}" stroke="currentColor"/>')
            parts.append(_text(LABEL_WIDTH + width + 4, y + BAR / 2, "–" if value is None else fmt(value),
                               cls="chart-value"))
            y += BAR + 2
        y += GAP - 2
    if not rows:
        parts.append(_text(LABEL_WIDTH, TOP + BAR / 2, "–"))
    parts.append("</svg></div>")
    return Markup("".join(parts))
