"""The impact dashboard in headless Chromium: its menu of years on a phone."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")


def test_the_years_wrap_on_a_phone_instead_of_breaking_their_digits(chromium, live_server, login_as, make_user,
                                                                   make_b2b_event):
    """The years and 'Rapport imprimable pour 2026' shared one row that could not wrap: at 375
    pixels the years were squeezed to two digits a line ('202' over '7')."""
    for year in (2025, 2026):
        make_b2b_event(title=f"Day {year}", starts_at=datetime(year, 5, 6, 9, tzinfo=PARIS),
                       ends_at=datetime(year, 5, 6, 17, tzinfo=PARIS))
    context = chromium.new_context(locale="fr-FR", viewport={"width": 375, "height": 812})
    page = context.new_page()
    login_as(page, make_user(role="admin"))
    page.goto(live_server("/admin/impact/?year=2026"))
    lines = page.evaluate("""() => [...document.querySelectorAll('main nav a')].map(link => {
        const range = document.createRange();
        range.selectNodeContents(link);
        return [link.innerText, new Set([...range.getClientRects()].map(r => Math.round(r.top))).size];
    })""")
    wide = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    years = [(text.replace("\n", ""), count) for text, count in lines if text.replace("\n", "").isdigit()]
    assert sorted(text for text, _ in years) == ["2025", "2026"]
    assert [text for text, count in years if count > 1] == [] and wide <= 375


def test_a_chart_s_legend_stays_inside_the_chart_in_french(chromium, live_server, login_as, make_user,
                                                           make_b2b_event):
    """The legend's entries followed one another on one line from the bars' left edge: the French
    'Retombées déclarées', longer than 'Reported outcomes', ran past the chart's right edge and
    read 'Retombées décla' at any width. An entry that would not fit starts a second line."""
    make_b2b_event(title="Day 2026", starts_at=datetime(2026, 5, 6, 9, tzinfo=PARIS),
                   ends_at=datetime(2026, 5, 6, 17, tzinfo=PARIS))
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    login_as(page, make_user(role="admin"))
    page.goto(live_server("/admin/impact/?year=2026"))
    found = page.evaluate("""() => [...document.querySelectorAll('figure.chart svg')].flatMap(svg => {
        const width = svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].filter(text => {
            const box = text.getBBox();
            return box.x < 0 || box.x + box.width > width;
        }).map(text => text.textContent);
    })""")
    legend = page.locator("figure.chart .chart-legend li", has_text="Retombées déclarées").count()
    context.close()
    assert legend >= 1 and found == []


def test_a_chart_reads_on_a_phone(chromium, live_server, login_as, make_user, make_b2b_event):
    """Shrunk to a 375-pixel screen, a chart's 12-pixel labels read at 7 pixels: it keeps a readable
    width and scrolls sideways in its figure (reachable from the keyboard), the page itself does not."""
    event = make_b2b_event(title="Day 2026", starts_at=datetime(2026, 5, 6, 9, tzinfo=PARIS),
                           ends_at=datetime(2026, 5, 6, 17, tzinfo=PARIS))
    context = chromium.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    login_as(page, make_user(role="admin"))
    page.goto(live_server(f"/admin/impact/events/{event.uid}"))
    sizes = page.eval_on_selector_all("figure.chart .chart-plot", """boxes => boxes.map(f => {
        const svg = f.querySelector('svg.chart-svg');
        return [svg.getBoundingClientRect().width / svg.viewBox.baseVal.width * 12, f.scrollWidth > f.clientWidth,
                f.tabIndex];
    })""")
    wide = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert sizes and all(text >= 10 and scrolls and focusable == 0 for text, scrolls, focusable in sizes), sizes
    assert wide <= 375


def test_a_chart_s_legend_stays_in_view_on_a_phone(chromium, live_server, login_as, make_user, make_b2b_event,
                                                  make_participant):
    """Since a chart scrolls sideways on a phone, its legend, drawn in the chart from the bars' left
    edge, scrolled with it: at 390 pixels 'Checked in' lay past the figure's right edge, to be
    found by scrolling. The legend sits above the scrolling drawing and wraps to the screen."""
    event = make_b2b_event(title="Day 2026", starts_at=datetime(2026, 5, 6, 9, tzinfo=PARIS),
                           ends_at=datetime(2026, 5, 6, 17, tzinfo=PARIS))
    make_participant(event, "Anne")  # attendance charts of two series: confirmed, checked in
    context = chromium.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    login_as(page, make_user(role="admin"))
    page.goto(live_server(f"/admin/impact/events/{event.uid}"))
    entries = page.eval_on_selector_all("figure.chart", """figures => figures.flatMap(f => {
        const box = f.getBoundingClientRect();
        const plot = f.querySelector('.chart-plot');
        const names = [...f.querySelectorAll('.chart-legend li, svg text')].filter(e => /^(Confirmed|Checked in)$/.test(
            e.textContent.trim()));
        return names.map(e => {
            const r = e.getBoundingClientRect();
            return [e.textContent.trim(), r.left >= box.left && r.right <= Math.min(box.right, 390),
                    plot !== null && plot.contains(e)];
        });
    })""")
    context.close()
    assert {name for name, _, _ in entries} == {"Confirmed", "Checked in"}, entries
    assert [entry for entry in entries if not entry[1] or entry[2]] == [], entries  # in view, outside the scroll
