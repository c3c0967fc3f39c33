"""Events in a real browser, under the CSP: the agenda builder inline, a member registering,
and the door's check-in page on a phone-sized screen."""
import re
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portal.events.local_models import RegistrantMessage
from portal.extensions import db
from tests.browser.conftest import RECORD_VIOLATIONS, log_in_with_the_form, page_violations

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def browser(chromium):
    """The session's one Chromium (tests/browser/conftest.py): Playwright's sync API allows one per process."""
    return chromium


@pytest.fixture
def live_url(app):
    """The app served on a free port of 127.0.0.1, CSRF on."""
    from werkzeug.serving import make_server

    app.config.update(WTF_CSRF_ENABLED=True)
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    http.server_close()


def log_in(browser, url, email, **context):
    page = browser.new_context(**context).new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    return log_in_with_the_form(page, url, email)


def test_organiser_builds_the_agenda_inline(browser, live_url, make_event, make_user):
    from playwright.sync_api import expect

    from portal.events.formula import FORMULA_KEY

    event = make_event(template=FORMULA_KEY)
    make_user(role="admin", email="olivia@example.org", display_name="Olivia")
    page = log_in(browser, live_url, "olivia@example.org")
    page.goto(f"{live_url}/admin/events/{event.uid}/agenda")
    page.evaluate("window.__same_page = true")
    rows = page.locator(".agenda-row")
    expect(rows).to_have_count(len(event.items))

    page.click("summary:has-text('Add an item')")
    page.fill("#new-starts_at", "2049-03-18T09:15")
    page.fill("#new-ends_at", "2049-03-18T09:45")
    page.select_option("#new-kind", "keynote")
    page.fill("#new-title", "Surprise keynote")
    page.click(".agenda-add button[type=submit]")
    added = page.locator(".agenda-row:has(strong:text-is('Surprise keynote'))")
    expect(added).to_be_visible()
    expect(added.locator(".agenda-warning").first).to_contain_text("Overlaps with")

    first = rows.first
    first.locator("text=Edit").click()
    expect(page.locator("#edit-title")).to_be_visible()
    page.fill("#edit-title", "Coffee and opening words")
    page.click(".agenda-row.editing button[type=submit]")
    expect(rows.first.locator("strong")).to_have_text("Coffee and opening words")

    rows.first.locator("button[aria-label^='Move later']").click()
    # (the keynote's overlap warning names the first item too: look at the titles only)
    expect(rows.nth(1).locator("strong")).to_have_text("Coffee and opening words")

    coffee = page.locator(".agenda-row:has(strong:text-is('Coffee and opening words'))")
    coffee.locator("button:has-text('Mark as cancelled')").click()
    expect(coffee.locator(".badge-cancelled")).to_have_text("Cancelled")
    expect(coffee).to_have_class(re.compile(r"\bis-cancelled\b"))
    coffee.locator("button:has-text('Restore')").click()
    expect(coffee.locator(".badge-cancelled")).to_have_count(0)
    expect(coffee.locator("button:has-text('Mark as cancelled')")).to_be_visible()

    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda response: response.url.endswith("/delete")):
        added.locator("button:has-text('Delete')").click()
    expect(added).to_have_count(0)
    assert page.evaluate("window.__same_page") is True  # every change swapped in place
    assert page_violations(page) == []


def test_member_registers_with_b2b_and_consent(browser, live_url, make_event, make_user):
    from playwright.sync_api import expect

    event = make_event(b2b_enabled=True, b2b_starts_at=datetime(2049, 3, 18, 14, tzinfo=PARIS),
                       b2b_ends_at=datetime(2049, 3, 18, 17, tzinfo=PARIS))
    make_user(email="bruno@example.org", display_name="Bruno")
    page = log_in(browser, live_url, "bruno@example.org")
    page.goto(f"{live_url}/events/{event.uid}")
    page.click("#registration >> text=Register")
    expect(page.locator("#available_from")).to_be_hidden()  # events.js: the window follows the B2B box
    page.check("#b2b")
    expect(page.locator("#available_from")).to_be_visible()
    page.fill("#available_from", "15:00")  # a block within one day: times of that day
    page.click("#register-form button[type=submit]")
    expect(page.locator("#consent-error")).to_be_visible()  # 422 swapped in beside the box
    expect(page.locator("#available_from")).to_have_value("15:00")
    page.check("#consent")
    page.click("#register-form button[type=submit]")
    page.wait_for_url(f"{live_url}/events/{event.uid}")
    expect(page.locator("#registration")).to_contain_text("confirmed")
    assert page_violations(page) == []
    page.click("#registration >> text=My B2B meetings")  # from the event to the B2B pages
    page.wait_for_url(f"{live_url}/events/{event.uid}/b2b/")


def test_the_posters_qr_code_is_drawn(browser, live_url, make_event):
    event = make_event()
    page = browser.new_page()
    page.goto(f"{live_url}/events/{event.uid}/poster")
    width = page.eval_on_selector("img[src$='qr.svg']", "img => img.complete && img.naturalWidth")
    assert width and width > 100


def test_door_check_in_on_a_phone(browser, live_url, make_event, make_user, make_person):
    from playwright.sync_api import expect

    from portal.events.registrations import register
    from portal.extensions import db

    event = make_event(today=True)  # the door opens on the event's day
    for name in ("Yann Kervella", "Zoé Martin", "Anne Le Goff"):
        register(event, make_person(display_name=name).uid)
    db.session.commit()
    make_user(role="admin", email="door@example.org", display_name="Door")
    page = log_in(browser, live_url, "door@example.org", viewport={"width": 390, "height": 844},
                  is_mobile=True, has_touch=True)
    page.goto(f"{live_url}/admin/events/{event.uid}/checkin")
    expect(page.locator(".door-row")).to_have_count(3)
    page.fill("#checkin-q", "kerv")
    expect(page.locator(".door-row")).to_have_count(1)
    row = page.locator(".door-row", has_text="Yann Kervella")
    row.locator("button:has-text('Check in')").tap()
    expect(row.locator("button:has-text('Undo')")).to_be_visible()
    expect(page.locator(".door-row.is-in")).to_have_count(1)
    row.locator("button:has-text('Undo')").tap()
    expect(row.locator("button:has-text('Check in')")).to_be_visible()
    box = row.locator("button:has-text('Check in')").bounding_box()
    assert box["x"] + box["width"] <= 390 and box["height"] >= 40  # on screen, big enough to tap
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page_violations(page) == []


def test_after_a_check_in_the_door_search_is_empty_and_focused(browser, live_url, make_event, make_user, make_person):
    """With a queue at the door: type a name, check in, type the next name. The search kept its
    text and the focus went to Undo, so the organiser cleared the box each time; the row checked
    in stays on screen with its Undo."""
    from playwright.sync_api import expect

    from portal.events.registrations import register
    from portal.extensions import db

    event = make_event(today=True)
    for name in ("Yann Kervella", "Zoé Martin"):
        register(event, make_person(display_name=name).uid)
    db.session.commit()
    make_user(role="admin", email="door@example.org", display_name="Door")
    page = log_in(browser, live_url, "door@example.org")
    page.goto(f"{live_url}/admin/events/{event.uid}/checkin")
    page.fill("#checkin-q", "kerv")
    expect(page.locator(".door-row")).to_have_count(1)
    page.locator(".door-row button:has-text('Check in')").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".door-row.is-in", has_text="Yann Kervella")).to_be_visible()
    expect(page.locator("#checkin-q")).to_be_focused()
    expect(page.locator("#checkin-q")).to_have_value("")
    expect(page.locator(".door-row.is-in button:has-text('Undo')")).to_be_visible()
    page.keyboard.type("zoe")
    expect(page.locator(".door-row")).to_have_count(1)
    expect(page.locator(".door-row", has_text="Zoé Martin")).to_be_visible()


def test_a_badge_scanned_at_the_door_checks_its_bearer_in(browser, live_url, make_event, make_user, make_person):
    """The printed badge's QR code, opened on the organiser's phone: one person, one tap."""
    from playwright.sync_api import expect

    from portal.events.registrations import register
    from portal.extensions import db

    event = make_event(today=True)
    registrations = [register(event, make_person(display_name=name).uid) for name in ("Yann Kervella", "Zoé Martin")]
    db.session.commit()
    make_user(role="admin", email="door@example.org", display_name="Door")
    page = log_in(browser, live_url, "door@example.org", viewport={"width": 390, "height": 844},
                  is_mobile=True, has_touch=True)
    page.goto(f"{live_url}/admin/events/{event.uid}/badges")
    codes = page.locator("img.name-badge-qr")
    expect(codes).to_have_count(2)
    assert all(code.evaluate("img => img.complete && img.naturalWidth > 100") for code in codes.all())
    page.goto(f"{live_url}/admin/events/{event.uid}/checkin/{registrations[1].uid}")
    expect(page.locator(".door-row")).to_have_count(1)
    page.locator(".door-row button:has-text('Check in')").tap()
    expect(page.locator(".door-row.is-in", has_text="Zoé Martin")).to_be_visible()
    expect(page.locator("#door-count")).to_have_text("Checked in: 1 of 2 confirmed.")
    assert page_violations(page) == []


def test_badges_on_a_phone_never_cut_a_word(browser, live_url, make_event, make_user, make_person):
    """Two badges side by side at 375 pixels left each 130 pixels: French roles and names broke inside
    their words ('INTERV/ENANT', 'ORGA/NISATE/UR', 'Charlott/e'). On a phone's screen the sheet shows
    one badge a row; the printed A4 page keeps its two columns."""
    from portal.events.registrations import register

    event = make_event(today=True)
    for name, role in (("Charlotte Masson", "speaker"), ("Christophe Le Saux", "organiser"),
                       ("Cédric Goossens", "special_guest")):
        register(event, make_person(display_name=name).uid, role=role)
    db.session.commit()
    make_user(role="admin", email="door@example.org", display_name="Door")
    page = log_in(browser, live_url, "door@example.org", viewport={"width": 375, "height": 812}, locale="fr-FR")
    page.goto(f"{live_url}/admin/events/{event.uid}/badges")
    broken = page.evaluate("""() => [...document.querySelectorAll('.name-badge-name, .name-badge-role')].flatMap(line => {
        const text = line.firstChild, words = [...text.data.matchAll(/\\S+/g)];
        return words.filter(word => {
            const range = document.createRange();
            range.setStart(text, word.index); range.setEnd(text, word.index + word[0].length);
            return range.getClientRects().length > 1;
        }).map(word => word[0]);
    })""")
    assert page.evaluate("document.documentElement.lang") == "fr" and page.locator(".name-badge").count() == 3
    assert broken == []


def test_agenda_rows_keep_their_buttons_in_one_column_whatever_the_title(browser, live_url, make_event,
                                                                        make_user):
    from portal.events.formula import FORMULA_KEY
    from portal.extensions import db

    event = make_event(template=FORMULA_KEY)
    event.items[0].title = "A keynote with a title long enough to fill the row: " + "photonics for agrifood " * 6
    db.session.commit()
    make_user(role="admin", email="olivia@example.org", display_name="Olivia")
    page = log_in(browser, live_url, "olivia@example.org", viewport={"width": 1280, "height": 900})
    page.goto(f"{live_url}/admin/events/{event.uid}/agenda")
    boxes = [(row.locator(".agenda-row-main").bounding_box(), row.locator(".agenda-row-actions").bounding_box())
             for row in page.locator(".agenda-row").all()]
    assert len(boxes) == len(event.items) and len(boxes) > 3
    for main, actions in boxes:  # beside the text, level with its first line, never under it
        assert actions["x"] >= main["x"] + main["width"] and abs(actions["y"] - main["y"]) < 2
    right_edges = {round(actions["x"] + actions["width"]) for _, actions in boxes}
    assert len(right_edges) == 1


def test_the_speakers_list_narrows_to_what_is_typed(browser, live_url, make_event, make_user, make_person,
                                                    make_organisation):
    """Hundreds of people of every host: typing part of a name or an organisation (accents aside)
    leaves those, and the ones already chosen."""
    from playwright.sync_api import expect

    from portal.events.formula import FORMULA_KEY

    event = make_event(template=FORMULA_KEY)
    make_user(role="admin", email="olivia@example.org", display_name="Olivia")
    chosen = make_person(display_name="Zoé Chosen")
    inra = make_organisation(name="Institut Agro Rennes")
    for n in range(30):
        make_person(display_name=f"Person {n:02d}", organisation_uid=inra.uid if n == 7 else None)
    make_person(display_name="Hélène Photon")
    page = log_in(browser, live_url, "olivia@example.org")
    page.goto(f"{live_url}/admin/events/{event.uid}/agenda")
    page.locator(".agenda-row").first.locator("text=Edit").click()
    speakers = page.locator("#edit-speakers")
    speakers.select_option([chosen.uid])
    visible = speakers.locator("option:not([hidden])")
    page.fill("[data-filter-options=edit-speakers]", "helene")
    expect(visible).to_have_count(2)  # Hélène, and Zoé who is chosen
    page.fill("[data-filter-options=edit-speakers]", "agro renn")
    expect(visible).to_have_count(2)
    assert sorted(speakers.locator("option:not([hidden])").all_inner_texts()) == [
        "Person 07 · Institut Agro Rennes", "Zoé Chosen · Lumiwave Photonics"]
    page.press("[data-filter-options=edit-speakers]", "Enter")  # filters, never submits
    expect(page.locator("#edit-title")).to_be_visible()
    page.fill("[data-filter-options=edit-speakers]", "")
    expect(visible).to_have_count(33)
    assert page_violations(page) == []


def test_the_attendee_list_filters_as_it_is_typed_in(browser, live_url, make_event, make_user, make_person):
    """The search and filters swap the list's rows and count under the box, which keeps the focus
    and what is typed; the address follows (the list, reloaded or shared, is the same)."""
    from playwright.sync_api import expect

    from portal.events.registrations import register

    event = make_event()
    for name, role in (("Yann Kervella", "speaker"), ("Zoé Martin", "attendee"), ("Anne Le Goff", "speaker")):
        register(event, make_person(display_name=name).uid, role=role)
    db.session.commit()
    make_user(email="admin@example.org", role="admin")
    page = log_in(browser, live_url, "admin@example.org")
    page.goto(f"{live_url}/admin/events/{event.uid}/attendees")
    expect(page.locator("#attendee-results tbody tr")).to_have_count(3)
    page.select_option("#filter-role", "speaker")
    expect(page.locator("#attendee-results tbody tr")).to_have_count(2)
    page.locator("#filter-q").press_sequentially("kerv")
    expect(page.locator("#attendee-results tbody tr")).to_have_count(1)
    expect(page.locator("#attendee-results")).to_contain_text("1 of 3 registrations")
    expect(page.locator("#filter-q")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/attendees\?q=kerv&role=speaker$"))
    page.reload()
    expect(page.locator("#attendee-results tbody tr", has_text="Yann Kervella")).to_have_count(1)
    assert page_violations(page) == []


def test_an_untouched_list_with_no_default_choice_is_not_typed_text(browser, live_url, make_event, make_user,
                                                                     make_person):
    """The attendee list's "Register someone" has no option chosen beforehand: the browser shows
    the first, which is no change of the organiser's, so switching language asks nothing."""
    from playwright.sync_api import expect

    event = make_event()
    make_person(display_name="Dr Claire Morvan")
    make_user(email="admin@example.org", role="admin")
    page = log_in(browser, live_url, "admin@example.org")
    page.goto(f"{live_url}/admin/events/{event.uid}/attendees")
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.message) or dialog.dismiss())
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.click(".on-behalf summary")
    page.select_option("#role", "organiser")  # now a choice of the organiser's
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # asked, and dismissed: stayed
    assert len(asked) == 1


def test_a_double_click_on_send_asks_once_and_sends_once(browser, live_url, make_event, make_user):
    """A form that leaves the page is sent once (portal.js): the second click of a double click
    neither asks again nor posts again, whose answer ("nothing was sent") would be the page shown."""
    from playwright.sync_api import expect

    from portal.events.registrations import register

    event = make_event()
    register(event, make_user(email="anne@example.org", display_name="Anne").person_uid)
    db.session.commit()
    make_user(email="admin@example.org", role="admin")
    page = log_in(browser, live_url, "admin@example.org")
    page.goto(f"{live_url}/admin/events/{event.uid}/message")
    page.fill("#subject", "Parking")
    page.fill("#message", "Park behind the station.")
    send = page.get_by_role("button", name="Send 1 e-mail")
    expect(send).to_be_enabled()  # the live preview has counted the recipient
    asked = []
    page.on("dialog", lambda dialog: asked.append(dialog.message) or dialog.accept())
    send.dblclick()
    expect(page.locator(".flash, [role=status]").first).to_contain_text("1 e-mail queued.")
    assert asked == ["Send 1 e-mail now? It cannot be taken back."]
    assert db.session.scalar(select(func.count()).select_from(RegistrantMessage)) == 1


def test_save_as_template_keeps_its_button_on_one_line_on_a_phone(browser, live_url, make_event, make_user):
    """The name box and 'Enregistrer comme modèle' shared one row at 375 pixels: the button's words
    went on three lines, the button three times as tall as the box. On a phone the button goes under."""
    from portal.events.formula import FORMULA_KEY

    event = make_event(template=FORMULA_KEY)
    make_user(role="admin", email="olivia@example.org", display_name="Olivia")
    page = log_in(browser, live_url, "olivia@example.org", viewport={"width": 375, "height": 812}, locale="fr-FR")
    page.goto(f"{live_url}/admin/events/{event.uid}/agenda")
    found = page.evaluate("""() => {
        const button = document.querySelector('.template-save button'), range = document.createRange();
        range.selectNodeContents(button);
        const box = document.querySelector('#template-name').getBoundingClientRect(), own = button.getBoundingClientRect();
        return {text: button.innerText, lines: new Set([...range.getClientRects()].map(r => Math.round(r.top))).size,
                inside: own.right <= innerWidth, wide: box.width};
    }""")
    assert found["text"] == "Enregistrer comme modèle" and found["lines"] == 1 and found["inside"]
    assert found["wide"] >= 300  # the name box keeps the row for its placeholder


def test_a_challenge_s_pin_button_is_on_a_phone_s_screen(browser, live_url, make_event, make_user, make_organisation,
                                                        make_listing):
    """The challenges table kept its three columns at 375 pixels: 'Épingler' stood past the right
    edge, reached only by scrolling the table sideways. Each need is a card on a phone, its button
    under it, as on the other tables of records with actions."""
    event = make_event()
    guest = make_organisation(name="CHU de l'Estuaire", kind="end_user", special_guest=True)
    make_listing(organisation_uid=guest.uid, kind="need", title="Fast, validated disinfection of operating theatres",
                 summary="Looking for a validated, chemical-free disinfection of operating theatres between cases.")
    make_user(role="admin", email="olivia@example.org", display_name="Olivia")
    page = log_in(browser, live_url, "olivia@example.org", viewport={"width": 375, "height": 812}, locale="fr-FR")
    page.goto(f"{live_url}/admin/events/{event.uid}/challenges")
    button = page.locator("main table button", has_text="Épingler")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
