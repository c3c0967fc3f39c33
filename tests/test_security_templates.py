"""Every template keeps to the Content-Security-Policy and to autoescaping.

No inline script (JSON-LD data blocks aside), no inline style, no event-handler
attributes, no htmx feature that needs eval (hx-on, trigger filters, js: values),
no `|safe`, no autoescape switched off. Behaviour lives in static/js/, styles in CSS.
"""
import os
import re

import pytest

TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates")

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
RULES = (
    ("inline style attribute", re.compile(r"""[\s"'](?:data-)?style\s*=""", re.I)),
    ("<style> element", re.compile(r"<style\b", re.I)),
    ("hx-on attribute (needs eval)", re.compile(r"\b(?:data-)?hx-on[:\-]", re.I)),
    ("event-handler attribute", re.compile(r"""[\s"'/]on(?!e\b|ly\b)[a-z]+\s*=""", re.I)),
    ("javascript: or js: value (needs eval)",
     re.compile(r"""=\s*["']\s*(?:javascript|js):""", re.I)),
    ("hx-trigger filter (needs eval)", re.compile(r"""hx-trigger[:\w-]*\s*=\s*["'][^"']*\[""", re.I)),
    ("|safe filter", re.compile(r"\|\s*safe\b")),
    ("autoescape off", re.compile(r"{%-?\s*autoescape\s+(?:false|off)", re.I)),
)


def templates():
    found = []
    for folder, _, names in os.walk(TEMPLATES):
        found += [os.path.join(folder, name) for name in names if name.endswith((".html", ".svg", ".txt"))]
    return sorted(found)


def line_of(text, index):
    return text.count("\n", 0, index) + 1


def strip_comments(text):
    """Blank out Jinja comments, keeping line numbers."""
    return re.sub(r"{#.*?#}", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


def offences(path):
    with open(path, encoding="utf-8") as source:
        text = strip_comments(source.read())
    found = []
    for match in SCRIPT.finditer(text):
        attributes, body = match.group(1), match.group(2)
        if re.search(r"""type\s*=\s*["']application/ld\+json["']""", attributes, re.I):
            continue
        if body.strip() or not re.search(r"\bsrc\s*=", attributes, re.I):
            found.append((line_of(text, match.start()), "inline <script>"))
    for label, pattern in RULES:
        found += [(line_of(text, m.start()), label) for m in pattern.finditer(text)]
    return sorted(found)


def test_the_scan_catches_what_it_should(tmp_path):
    sample = tmp_path / "bad.html"
    sample.write_text(
        '<script>alert(1)</script>\n<p style="color: red">x</p>\n<button onclick="go()">x</button>\n'
        '<div hx-on:click="x()"></div>\n<a href="javascript:void(0)">x</a>\n{{ text|safe }}\n'
        '<div hx-trigger="keyup[key==\'Enter\']"></div>\n<style>p {}</style>\n'
        '<script type="application/ld+json">{"@context": "https://schema.org"}</script>\n'
        '<script src="/static/js/x.js" defer></script>\n<details open>ok</details>\n'
        '{# a comment about |safe and style="" is fine #}\n')
    labels = [label for _, label in offences(str(sample))]
    assert labels == ["inline <script>", "inline style attribute", "event-handler attribute",
                      "hx-on attribute (needs eval)", "javascript: or js: value (needs eval)",
                      "|safe filter", "hx-trigger filter (needs eval)", "<style> element"]


@pytest.mark.parametrize("path", templates(), ids=lambda p: os.path.relpath(p, TEMPLATES))
def test_template_keeps_to_the_policy(path):
    found = offences(path)
    assert not found, "\n".join(f"{os.path.relpath(path, TEMPLATES)}:{line}: {label}" for line, label in found)
