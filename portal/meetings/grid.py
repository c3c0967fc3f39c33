"""The organiser's grid (tables down, slots across) as a server-side SVG picture.

Every piece of text goes through markupsafe, so a name from a peer is never markup. Colours
are presentation attributes, not styles: the Content-Security-Policy forbids inline styles.
"""
from markupsafe import Markup

CELL_W, CELL_H, HEAD_W, HEAD_H, PAD = 150, 46, 60, 34, 4
FILL = {"scheduled": "#e8f0fb", "held": "#e3f4e8", "no_show": "#fbe9e7"}
STROKE = {"scheduled": "#1d4e89", "held": "#0b6e4f", "no_show": "#b00020"}
# A mark besides the colour (WCAG 1.4.1: colour is not the only cue); the page's legend shows both.
MARK = {"scheduled": "", "held": "✓", "no_show": "✗"}


def _text(x, y, content, **attrs):
    extra = Markup("").join(Markup(' {}="{}"').format(k.replace("_", "-"), v) for k, v in attrs.items())
    return Markup('<text x="{}" y="{}"{}>{}</text>').format(x, y, extra, _clip(content))


def _clip(text, size=22):
    text = text or ""
    return text if len(text) <= size else text[: size - 1] + "…"


def svg(slot_labels, tables, cells, title=""):
    """`cells` maps (table index, slot) to {"names": (a, b), "status"}; returns SVG text."""
    width = HEAD_W + CELL_W * len(slot_labels) + PAD
    height = HEAD_H + CELL_H * tables + PAD
    parts = [Markup('<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" '
                    'font-family="sans-serif" font-size="11" role="img">').format(width, height, width, height),
             Markup("<title>{}</title>").format(title),
             Markup('<rect width="{}" height="{}" fill="#ffffff"/>').format(width, height)]
    for s, label in enumerate(slot_labels):
        parts.append(_text(HEAD_W + s * CELL_W + CELL_W // 2, 20, label, text_anchor="middle",
                           font_weight="bold"))
    for t in range(tables):
        y = HEAD_H + t * CELL_H
        parts.append(_text(8, y + CELL_H // 2 + 4, f"T{t + 1}", font_weight="bold"))
        for s in range(len(slot_labels)):
            parts.append(_cell(HEAD_W + s * CELL_W, y, cells.get((t, s))))
    parts.append(Markup("</svg>"))
    return str(Markup("\n").join(parts))


def _cell(x, y, cell):
    box = Markup('<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}" stroke="{}"/>')
    if cell is None:
        return box.format(x + 2, y + 2, CELL_W - 4, CELL_H - 4, "#fafafa", "#dddddd")
    status = cell.get("status", "scheduled")
    first, second = cell["names"]
    return Markup("").join([
        box.format(x + 2, y + 2, CELL_W - 4, CELL_H - 4, FILL.get(status, "#eeeeee"), STROKE.get(status, "#999999")),
        _text(x + 8, y + 19, first),
        _text(x + 8, y + 35, second),
        _text(x + CELL_W - 10, y + 19, MARK.get(status, ""), text_anchor="end", font_weight="bold",
              fill=STROKE.get(status, "#999999")) if MARK.get(status) else Markup(""),
    ])
