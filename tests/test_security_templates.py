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
TRIGGER = re.compile(r"""(?:data-)?hx-trigger[:\w-]*\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
#: An event filter sits right after the event name: `keyup[key=='Enter']` (a CSS selector
#: after `from:` may hold brackets too, and needs no eval).
FILTER = re.compile(r"^\s*[\w:.-]+\[")
RULES = (
    ("inline style attribute", re.compile(r"""[\s"'](?:data-)?style\s*=""", re.I)),
    ("<style> element", re.compile(r"<style\b", re.I)),
    ("hx-on attribute (needs eval)", re.compile(r"\b(?:data-)?hx-on[:\-]", re.I)),
    ("event-handler attribute", re.compile(r"""[\s"'/]on(?!e\b|ly\b)[a-z]+\s*=""", re.I)),
    ("javascript: or js: value (needs eval)",
     re.compile(r"""=\s*["']\s*(?:javascript|js):""", re.I)),
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
    for match in TRIGGER.finditer(text):
        specs = (match.group(1) or match.group(2) or "").split(",")
        if any(FILTER.match(spec) for spec in specs):
            found.append((line_of(text, match.start()), "hx-trigger filter (needs eval)"))
    return sorted(found)


def test_the_scan_catches_what_it_should(tmp_path):
    sample = tmp_path / "bad.html"
    sample.write_text(
        '<script>alert(1)</script>\n<p style="color: red">x</p>\n<button onclick="go()">x</button>\n'
        '<div hx-on:click="x()"></div>\n<a href="javascript:void(0)">x</a>\n{{ text|safe }}\n'
        '<div hx-trigger="keyup[key==\'Enter\']"></div>\n<style>p {}</style>\n'
        '<form hx-trigger="change from:input[name=q], submit"></form>\n'
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


STATIC_JS = os.path.join(os.path.dirname(TEMPLATES), "static", "js")
JS_RULES = (
    ("eval", re.compile(r"\beval\s*\(")),
    ("new Function", re.compile(r"\bnew\s+Function\s*\(")),
    ("string timer (eval)", re.compile(r"\bset(?:Timeout|Interval)\s*\(\s*[\"'`]")),
    ("inline handler or style set as an attribute",
     re.compile(r"""setAttribute\(\s*["'](?:on\w+|style)["']""", re.I)),
)


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(STATIC_JS) if n.endswith(".js")))
def test_our_scripts_need_no_eval_nor_inline_attributes(name):
    with open(os.path.join(STATIC_JS, name), encoding="utf-8") as source:
        text = source.read()
    found = [(line_of(text, m.start()), label) for label, pattern in JS_RULES for m in pattern.finditer(text)]
    assert not found, "\n".join(f"static/js/{name}:{line}: {label}" for line, label in sorted(found))
