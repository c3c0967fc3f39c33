"""Accessibility in headless Chromium: theme and brand colour, focus, announcements, menus, layout."""
import pytest

pytestmark = pytest.mark.browser


def test_skip_link_is_opaque_above_the_header_and_focus_ring_is_solid(browser_page, live_server):
    page = browser_page
    page.goto(live_server("/"))
    page.keyboard.press("Tab")
    skip = page.evaluate("""() => {
        const link = document.activeElement, box = link.getBoundingClientRect();
        const header = document.querySelector(".site-header").getBoundingClientRect();
        return {cls: link.className, background: getComputedStyle(link).backgroundColor,
                overlaps: box.bottom > header.top && box.top < header.bottom};
    }""")
    assert skip == {"cls": "skip-link", "background": "rgb(255, 255, 255)", "overlaps": False}
    page.keyboard.press("Tab")
    ring = page.evaluate("""() => {
        const style = getComputedStyle(document.activeElement);
        return [style.outlineStyle, parseFloat(style.outlineWidth) >= 2];
    }""")
    assert ring == ["solid", True]


def test_breaks_are_not_faded_and_the_agenda_prints_without_links_and_buttons(browser_page, live_server, make_event):
    from playwright.sync_api import expect

    from portal.events.formula import FORMULA_KEY

    event = make_event(template=FORMULA_KEY)
    page = browser_page
    page.goto(live_server(f"/events/{event.uid}/agenda"))
    opacities = page.eval_on_selector_all(".timeline-item.kind-break", "items => items.map(i => getComputedStyle(i).opacity)")
    assert opacities and set(opacities) == {"1"}
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Add to my calendar (.ics)")).to_be_hidden()
    expect(page.locator("main a", has_text=event.title)).to_be_hidden()


def test_impact_report_prints_wide_tables_unclipped(browser_page, live_server, login_as, make_user, make_b2b_event):
    event = make_b2b_event()
    page = browser_page
    login_as(page, make_user(role="admin"))
    page.goto(live_server(f"/admin/impact/events/{event.uid}/report"))
    page.emulate_media(media="print")
    boxes = page.eval_on_selector_all(".impact-report .overflow-auto", "boxes => boxes.map(b => getComputedStyle(b).overflowX)")
    assert boxes and set(boxes) == {"visible"}
