"""Accessibility in headless Chromium: theme and brand colour, focus, announcements, menus, layout."""
import pytest

from tests.browser.conftest import page_violations

pytestmark = pytest.mark.browser


def test_light_theme_and_brand_colour_even_when_the_system_is_dark(browser_page, live_server):
    live_server.app.config["BRAND_COLOUR"] = "#2f6b2f"
    page = browser_page
    page.emulate_media(color_scheme="dark")
    page.goto(live_server("/"))
    colours = page.evaluate("""() => {
        const style = (selector) => getComputedStyle(document.querySelector(selector));
        return {body: getComputedStyle(document.documentElement).backgroundColor,
                link: style(".nav-links a:not([role=button])").color,
                button: style("a[role=button]").backgroundColor};
    }""")
    assert colours == {"body": "rgb(255, 255, 255)", "link": "rgb(47, 107, 47)", "button": "rgb(47, 107, 47)"}


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
    # On an A4 page (about 720 pixels of text), each table fits and each chart takes the width;
    # the trends' twelve columns and the clusters' eight print on landscape pages of their own.
    page.set_viewport_size({"width": 720, "height": 1000})
    page.goto(live_server(f"/admin/impact/report/{event.starts_at.year}"))
    page.emulate_media(media="print")
    wide = page.eval_on_selector_all(".impact-report section:not(#table-trends, #table-clusters) table",
                                     "ts => ts.filter(t => t.getBoundingClientRect().right > 720).length")
    columns = page.eval_on_selector_all(".impact-pair", "ps => ps.map(p => getComputedStyle(p).gridTemplateColumns.split(' ').length)")
    assert wide == 0 and columns and set(columns) == {1}
    for landscape in ("#table-trends", "#table-clusters"):
        assert page.eval_on_selector(landscape, "s => getComputedStyle(s).page") == "landscape"
    page.set_viewport_size({"width": 1040, "height": 700})
    for landscape in ("#table-trends table", "#table-clusters table"):
        assert page.eval_on_selector(landscape, "t => t.getBoundingClientRect().right") <= 1040


def test_focus_stays_on_the_control_after_its_row_is_swapped(browser_page, live_server, login_as,
                                                            make_b2b_event, make_participant):
    from playwright.sync_api import expect

    from portal.extensions import db
    from portal.meetings import services

    event = make_b2b_event()
    anne, bruno = make_participant(event, "Anne"), make_participant(event, "Bruno")
    services.request_meeting(event, anne.person_uid, bruno.person_uid, "Hello")
    db.session.commit()
    page = browser_page
    login_as(page, anne)
    page.goto(live_server(f"/events/{event.uid}/b2b/"))
    star = page.locator(".star-button")
    star.focus()
    page.keyboard.press("Enter")
    expect(star).to_have_attribute("aria-pressed", "true")
    expect(star).to_be_focused()


def test_focus_moves_into_the_edit_form_and_back_and_follows_a_moved_item(browser_page, live_server, login_as,
                                                                         make_user, make_event):
    from playwright.sync_api import expect

    from portal.events.formula import FORMULA_KEY

    event = make_event(template=FORMULA_KEY)
    first = event.items[0].title
    page = browser_page
    login_as(page, make_user(role="admin"))
    page.goto(live_server(f"/admin/events/{event.uid}/agenda"))
    page.locator(".agenda-row").first.get_by_role("button", name=f"Edit “{first}”").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#edit-starts_at")).to_be_focused()

    page.fill("#edit-title", "Welcome coffee, renamed")
    page.locator("#edit-title").press("Enter")  # saved: the row comes back, focus on its own "Edit"
    expect(page.get_by_role("button", name="Edit “Welcome coffee, renamed”")).to_be_focused()
    assert page_violations(page) == []  # htmx's settling wrote no inline style the policy refuses

    page.goto(live_server(f"/admin/events/{event.uid}/agenda"))
    first = "Welcome coffee, renamed"
    page.get_by_role("button", name=f"Move later: {first}").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".agenda-row").nth(1).locator("strong")).to_have_text(first)
    expect(page.get_by_role("button", name=f"Move later: {first}")).to_be_focused()


def test_edit_on_a_later_item_puts_the_focus_in_its_form(browser_page, live_server, login_as, make_user,
                                                        make_event):
    """Edit on the third item put the focus on the first item's Edit, at the top of the agenda, the
    form far below it: only the first item's form was reached (its field was first in the list)."""
    from playwright.sync_api import expect

    from portal.events.formula import FORMULA_KEY

    event = make_event(template=FORMULA_KEY)
    third = event.items[2].title
    page = browser_page
    login_as(page, make_user(role="admin"))
    page.goto(live_server(f"/admin/events/{event.uid}/agenda"))
    page.get_by_role("button", name=f"Edit “{third}”").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#edit-starts_at")).to_be_focused()
    page.fill("#edit-title", "Renamed")
    page.locator("#edit-title").press("Enter")
    expect(page.get_by_role("button", name="Edit “Renamed”")).to_be_focused()
    page.locator(".agenda-row").nth(2).get_by_role("button", name="Mark as cancelled").focus()
    page.keyboard.press("Enter")  # not a link: the focus stays on the item's button, not the add form's
    expect(page.locator(".agenda-row").nth(2).get_by_role("button", name="Restore")).to_be_focused()


def test_deleting_an_item_leaves_the_focus_on_the_next_one(browser_page, live_server, login_as, make_user,
                                                          make_event):
    """Delete on the third item put the focus on the first item's Edit, at the top of the agenda."""
    from playwright.sync_api import expect

    from portal.events.formula import FORMULA_KEY

    event = make_event(template=FORMULA_KEY)
    third, fourth = event.items[2].title, event.items[3].title
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(page, make_user(role="admin"))
    page.goto(live_server(f"/admin/events/{event.uid}/agenda"))
    page.locator(".agenda-row").nth(2).get_by_role("button", name="Delete").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".agenda-row").nth(2).locator("strong")).to_have_text(fourth)
    expect(page.get_by_role("button", name=f"Edit “{fourth}”")).to_be_focused()
    assert third not in page.locator(".agenda-builder").inner_text()


def test_live_search_keeps_focus_in_the_box_and_announces_the_count(browser_page, live_server, make_listing):
    from playwright.sync_api import expect

    for title in ("Laser welding cell", "Cold plasma torch"):
        make_listing(title=title)
    page = browser_page
    page.goto(live_server("/directory"))
    expect(page.locator("input[name=q]")).not_to_be_focused()  # no autofocus: the page starts at the top
    search = page.locator("input[name=q]")
    search.click()
    search.press_sequentially("laser", delay=40)
    expect(page.locator("#results .listing-card")).to_have_count(1)
    expect(page.locator("#announcer")).to_have_text("1 offer or need")
    expect(search).to_be_focused()


def test_admin_menu_fits_a_phone_and_closes_with_escape(browser_page, live_server, login_as, make_user):
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": 375, "height": 812})
    login_as(page, make_user(role="admin", display_name="Olivia Administrator"))
    page.goto(live_server("/"))
    # The brand and two rows of links, menus read as links: not a quarter of the screen (it was 219 px).
    assert page.eval_on_selector(".site-header", "header => header.getBoundingClientRect().height") < 180
    menu = page.locator("details.dropdown", has=page.locator("summary", has_text="Administration"))
    menu.locator("summary").click()
    box = menu.locator("ul").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(menu.locator("summary")).to_be_focused()


def test_a_header_menu_closes_when_the_keyboard_leaves_it(browser_page, live_server, login_as, make_user):
    """Tabbing past the account menu's last item closes it: left open, at 320 pixels it covered the
    link the focus had moved to (the event's back link under the header)."""
    from playwright.sync_api import expect

    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    login_as(page, make_user(display_name="Anne Member"))
    page.goto(live_server("/"))
    menu = page.locator("details.dropdown", has=page.locator("#nav-name"))
    page.focus("#nav-name")
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Tab")  # into the menu: it stays open
    expect(menu).to_have_attribute("open", "")
    expect(menu.locator("a").first).to_be_focused()
    page.focus("details.dropdown[open] button[type=submit]")
    page.keyboard.press("Tab")
    expect(menu).not_to_have_attribute("open", "")
    assert page.evaluate("!document.activeElement.closest('details.dropdown')")


def test_a_confirmation_swapped_in_is_read_out_through_the_stable_region(browser_page, live_server, login_as,
                                                                        make_user):
    """'Your profile is saved.' comes back inside the swapped form, in a status region new to the
    page, which screen readers do not read: the focus stays on Save, and the stable region says it."""
    from playwright.sync_api import expect

    page = browser_page
    login_as(page, make_user(display_name="Anne Member"))
    page.goto(live_server("/account"))
    page.fill("#job_title", "Engineer")
    page.focus("#profile-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#profile-form .saved")).to_be_visible()
    expect(page.locator("#profile-form button[type=submit]")).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Your profile is saved.")


def test_the_attendees_row_menus_are_targets_of_24_pixels_at_least(browser_page, live_server, login_as, make_user,
                                                                   make_event, make_person):
    """'Role' and 'Refuse' were lines of text 16 pixels high touching each other on a phone (20 on
    a desk): under WCAG 2.2's 24 pixels, where the row's buttons are a thumb's 44."""
    from portal.events.registrations import register
    from portal.extensions import db

    event = make_event()
    register(event, make_person(display_name="Yann Kerouac").uid)
    db.session.commit()
    page = browser_page
    login_as(page, make_user(role="admin"))
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server(f"/admin/events/{event.uid}/attendees"))
        heights = page.eval_on_selector_all(".row-actions summary", "all => all.map(s => s.getBoundingClientRect().height)")
        assert len(heights) == 2 and min(heights) >= 24, (width, heights)


def test_agenda_builder_fits_320_pixels_and_catalogue_filters_take_one_column_on_a_phone(
        browser_page, live_server, login_as, make_user, make_event, make_b2b_event, make_participant):
    from portal.events.formula import FORMULA_KEY

    event = make_event(template=FORMULA_KEY)
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 700})
    login_as(page, make_user(role="admin"))
    page.goto(live_server(f"/admin/events/{event.uid}/agenda"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    b2b = make_b2b_event()
    login_as(page, make_participant(b2b, "Anne"))
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server(f"/events/{b2b.uid}/b2b/participants"))
    page.locator("details.directory-filters summary").click()
    widths = page.eval_on_selector_all(".catalogue-filters select", "all => all.map(s => s.getBoundingClientRect().width)")
    assert widths and min(widths) > 250


def test_long_unbroken_words_wrap_on_a_phone(browser_page, live_server, login_as, make_user, make_event):
    """A 200-character word (a pasted URL, a peer's text) in an agenda title or a survey question wraps."""
    from portal.events.formula import FORMULA_KEY
    from portal.extensions import db
    from portal.surveys.models import SurveyConfig

    event = make_event(template=FORMULA_KEY, description="https://example.org/" + "x" * 200)
    event.items[0].title = "Keynote" + "x" * 200
    db.session.add(SurveyConfig(event_uid=event.uid, stage="post_event", next_question=2,
                                questions=[{"id": "x1", "kind": "scale", "label": "How" + "y" * 300}]))
    db.session.commit()
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login_as(page, make_user(role="admin"))
    widths = {}
    for path in (f"/events/{event.uid}", f"/events/{event.uid}/agenda",
                 f"/admin/events/{event.uid}/surveys/post_event/preview"):
        page.goto(live_server(path))
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == dict.fromkeys(widths, 390)


def test_a_wide_table_shows_a_shade_at_the_edge_it_scrolls_to_on_a_phone(browser_page, live_server, login_as, make_user,
                                                                         make_event):
    """The box that scrolls a wide table sideways (the B2B funnel's) shades its edges (covers that
    scroll with the table hide a shade at its ends), and the cells let the shades through."""
    make_event()
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 812})
    login_as(page, make_user(role="admin"))
    page.goto(live_server("/admin/b2b/funnel"))
    found = page.evaluate("""() => {
        const box = document.querySelector("main .overflow-auto"), style = getComputedStyle(box);
        return {scrolls: box.scrollWidth > box.clientWidth,
                shades: (style.backgroundImage.match(/radial-gradient/g) || []).length,
                attachment: style.backgroundAttachment,
                cell: getComputedStyle(box.querySelector("td")).backgroundColor};
    }""")
    cell = found.pop("cell")  # transparent, or the faint tint of a striped row
    assert cell.startswith("rgba(") and float(cell.rstrip(")").split(",")[-1]) <= 0.05, cell
    assert found == {"scrolls": True, "shades": 2, "attachment": "local, local, scroll, scroll"}


def test_meeting_and_attendee_tables_are_cards_on_a_phone(browser_page, live_server, login_as, make_user,
                                                          make_b2b_event, make_participant, make_meeting):
    """At 390 pixels each row of the member's schedule, the organiser's meetings and the attendees
    is a card: its time, table, status and actions lie within the screen, nothing scrolls sideways."""
    event = make_b2b_event()
    anne, bruno = make_participant(event, "Anne"), make_participant(event, "Bruno")
    make_meeting(event, anne.person_uid, bruno.person_uid, status="scheduled", table="T2")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})

    def on_screen(selector):
        box = page.locator(selector).first.bounding_box()
        return box is not None and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= 390

    def all_on_screen(path, *selectors):
        page.goto(live_server(path))
        found = {selector: on_screen(selector) for selector in selectors}
        found["no sideways scroll"] = page.evaluate(
            "[...document.querySelectorAll('main, main .overflow-auto')].every(b => b.scrollWidth <= b.clientWidth)")
        return found

    login_as(page, anne)
    found = all_on_screen(f"/events/{event.uid}/b2b/schedule", *(
        f".schedule-table tbody tr td:nth-child({n})" for n in (1, 2, 4)))  # time, table, status
    assert found == dict.fromkeys(found, True)
    label = page.eval_on_selector(".schedule-table tbody td", "td => getComputedStyle(td, '::before').content")
    assert label == '"Time"'  # each value says what it is, the header row being hidden

    login_as(page, make_user(role="admin"))
    found = all_on_screen(f"/admin/b2b/events/{event.uid}/", *(
        f".admin-meetings tbody tr td:nth-child({n})" for n in (1, 2)), ".admin-meetings button:has-text('Cancel')")
    assert found == dict.fromkeys(found, True)
    found = all_on_screen(f"/admin/events/{event.uid}/attendees",
                          ".attendee-table .decision", ".attendee-table details.refuse summary")
    assert found == dict.fromkeys(found, True)


def test_administration_tables_are_cards_on_a_phone(browser_page, live_server, login_as, make_user, make_event,
                                                    make_listing):
    """Members, organisations, a member's listings and the budget: at 390 pixels each row is a
    card, its actions within the screen, nothing scrolling sideways."""
    from portal.events.local_models import EventCost
    from portal.extensions import db

    event = make_event()
    db.session.add(EventCost(event_uid=event.uid, category="room", label="Conference room", paid_by=event.origin,
                             amount_cents=150000))
    admin = make_user(role="admin")
    make_user(status="pending")
    make_listing(organisation_uid=admin.organisation_uid, person_uid=admin.person_uid)
    db.session.commit()
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login_as(page, admin)
    found = {}
    for path, selectors in {"/admin/members?status=pending": (".members-table button:has-text('Approve')",),
                            "/admin/organisations": ("main table td[data-label]",),
                            "/account/listings": (".my-listings a:has-text('Edit')",),
                            f"/admin/events/{event.uid}/budget": ("main table button:has-text('Delete')",)}.items():
        page.goto(live_server(path))
        for selector in selectors:
            box = page.locator(selector).first.bounding_box()
            found[selector] = box is not None and 0 <= box["x"] and box["x"] + box["width"] <= 390
        found[path] = page.evaluate(
            "[...document.querySelectorAll('main, main .overflow-auto')].every(b => b.scrollWidth <= b.clientWidth)")
    assert found == dict.fromkeys(found, True)


def test_tab_menus_wrap_in_tight_rows_on_a_phone(browser_page, live_server, login_as, make_user, make_b2b_event,
                                                  make_participant):
    """At 390 pixels the B2B menu, the event management tabs and the member filters wrap into rows
    a few pixels apart (Pico's padding of a nav's items left a blank line between them), each link
    a target of 40 pixels within the screen, nothing scrolling sideways."""
    event = make_b2b_event()
    anne, admin = make_participant(event, "Anne"), make_user(role="admin")
    make_user(status="pending")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    found = {}
    for user, path, menu in ((anne, f"/events/{event.uid}/b2b/participants", ".b2b-nav"),
                             (admin, f"/admin/events/{event.uid}", ".event-admin-nav"),
                             (admin, "/admin/members", "#member-filters")):
        login_as(page, user)
        page.goto(live_server(path))
        boxes = page.eval_on_selector_all(menu + " li a", """links => links.map(link => {
            const box = link.getBoundingClientRect();
            return [box.left, box.top, box.right, box.bottom];
        })""")
        rows = [[box for box in boxes if round(box[1]) == top] for top in sorted({round(box[1]) for box in boxes})]
        gaps = [min(box[1] for box in below) - max(box[3] for box in above) for above, below in zip(rows, rows[1:])]
        found[menu] = {"wraps": len(rows) > 1, "rows a few pixels apart": all(0 <= gap <= 8 for gap in gaps),
                       "targets of 40 px": all(bottom - top >= 39.5 for _, top, _, bottom in boxes),
                       "on screen": all(left >= 0 and right <= 390 for left, _, right, _ in boxes),
                       "no sideways scroll": page.evaluate("document.documentElement.scrollWidth") == 390}
    expected = dict.fromkeys(("wraps", "rows a few pixels apart", "targets of 40 px", "on screen",
                              "no sideways scroll"), True)
    assert found == dict.fromkeys(found, expected)


def test_a_cards_labels_never_run_into_its_actions_in_french(chromium, live_server, login_as, make_user,
                                                              make_b2b_event, make_participant, make_listing):
    """At 390 pixels in French, a label longer than its column ("Valable jusqu'au", "Pôle d'origine")
    wraps inside its own cell: the cells of a card (the actions' included) never overlap."""
    from portal.events.local_models import EventCost
    from portal.extensions import db

    event = make_b2b_event()
    make_participant(event, "Anne")
    db.session.add(EventCost(event_uid=event.uid, category="room", label="Salle", paid_by=event.origin,
                             amount_cents=150000))
    admin = make_user(role="admin")
    make_user(status="pending")
    make_listing(organisation_uid=admin.organisation_uid, person_uid=admin.person_uid)
    db.session.commit()
    context = chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    login_as(page, admin)
    found = {}
    for path in ("/account/listings", "/admin/members?status=pending", "/admin/organisations",
                 f"/admin/events/{event.uid}/budget", f"/admin/events/{event.uid}/attendees"):
        page.goto(live_server(path))
        assert page.evaluate("document.documentElement.lang") == "fr"
        found[path] = page.evaluate("""() => [...document.querySelectorAll('.stack-table tbody tr')].flatMap(row => {
            const cells = [...row.children].filter(td => td.offsetHeight > 0);
            const boxes = cells.map(td => td.getBoundingClientRect());
            const overflowing = cells.filter(td => td.scrollHeight > td.clientHeight + 1).map(td => td.dataset.label);
            const overlapping = boxes.slice(1).flatMap((box, i) => box.top < boxes[i].bottom - 1 ? [cells[i + 1].className || cells[i + 1].dataset.label] : []);
            return [...overflowing, ...overlapping];
        })""")
    context.close()
    assert found == dict.fromkeys(found, [])


def test_a_message_flashed_to_the_next_page_is_read_out(browser_page, live_server, login_as, make_user):
    """'You are logged out.' stood on the page it loaded with: a status region is read when it
    changes, and this one never did."""
    from playwright.sync_api import expect

    page = browser_page
    login_as(page, make_user(display_name="Anne Member"))
    page.goto(live_server("/account"))
    page.evaluate("document.querySelector('form[action$=\"/logout\"]').requestSubmit()")
    expect(page.locator("#flashes")).to_contain_text("You are logged out.")
    expect(page.locator("#announcer")).to_have_text("You are logged out.")
