"""B2B meetings in a real browser, under the CSP: request a meeting, accept it without a reload,
see the counters follow, then the personal schedule once the lead has published it."""
import pytest

from tests.browser.conftest import RECORD_VIOLATIONS, log_in_with_the_form, page_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app, live_server, make_b2b_event, make_participant):
    """An event with Anne and Bruno registered for its B2B meetings, served by `live_server`."""
    app.config.update(SCHEDULER_BACKGROUND=False, SCHEDULER_TIME_LIMIT=3)
    event = make_b2b_event()
    anne = make_participant(event, "Anne", email="anne@example.org", listings=[
        {"kind": "need", "title": "Monitoring bridge decks", "keywords": ["fibre sensing"]}])
    bruno = make_participant(event, "Bruno", email="bruno@example.org", listings=[
        {"kind": "offer", "title": "Fibre Bragg grating sensors", "keywords": ["fibre sensing"]}])
    return {"url": live_server.url, "event": event, "anne": anne, "bruno": bruno}


@pytest.fixture
def log_in(chromium, world):
    """A page of its own browser context, logged in through the real form; contexts closed after."""
    contexts = []

    def sign_in(email):
        context = chromium.new_context()
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        return log_in_with_the_form(page, world["url"], email)
    yield sign_in
    for context in contexts:
        context.close()


def test_request_accept_and_schedule(world, log_in):
    from playwright.sync_api import expect

    from portal.extensions import db
    from portal.meetings import scheduling

    url, event = world["url"], world["event"]
    b2b = f"{url}/events/{event.uid}/b2b"

    bruno = log_in("bruno@example.org")
    bruno.goto(b2b + "/participants")
    expect(bruno.locator(".participant-card")).to_have_count(2)
    bruno.locator("details.directory-filters summary").click()
    bruno.select_option("#listing_kind", value="need")  # htmx swaps the results in place
    expect(bruno.locator(".participant-card")).to_have_count(1)
    expect(bruno.locator(".participant-card")).to_contain_text("Anne")
    bruno.fill("#q", "nobody-by-that-name")
    expect(bruno.locator(".participant-card")).to_have_count(0)
    assert "listing_kind=need" in bruno.url  # the filters are in the address
    bruno.goto(b2b + "/suggestions")
    expect(bruno.locator(".suggestion").first).to_contain_text("share: fibre sensing")
    bruno.click(".suggestion >> text=Request a meeting")
    bruno.wait_for_selector("#message")  # the request page has loaded
    bruno.evaluate("document.querySelector('#message').removeAttribute('maxlength')")  # the server checks too
    bruno.fill("#message", "x" * 1001)
    bruno.click("#request-form button[type=submit]")
    expect(bruno.locator("#message-error")).to_be_visible()  # 422 swapped in, text kept
    bruno.fill("#message", "Our FBG sensors for your bridges?")
    bruno.check("#starred")
    bruno.click("#request-form button[type=submit]")
    expect(bruno.locator("#request-form")).to_contain_text("Your request was sent to Anne")
    assert page_violations(bruno) == []

    anne = log_in("anne@example.org")
    anne.goto(b2b + "/")
    expect(anne.locator('[data-counter="pending"]')).to_have_text("1")
    anne.evaluate("window.__same_page = true")
    row = anne.locator(".request-row").first
    expect(row).to_contain_text("Our FBG sensors for your bridges?")
    row.locator("textarea[name=message]").fill("See you there")
    row.locator("button[value=accepted]").click()
    expect(anne.locator(".request-row .request-state").first).to_have_text("Accepted")
    expect(anne.locator("#announcer")).to_have_text("You accepted the request from Bruno.")  # the row says so
    expect(anne.locator('[data-counter="accepted"]')).to_have_text("1")
    expect(anne.locator('[data-counter="pending"]')).to_have_text("0")
    assert anne.evaluate("window.__same_page") is True  # no reload: htmx swapped the row
    assert page_violations(anne) == []

    run = scheduling.start_run(event)
    scheduling.publish_run(run)
    db.session.commit()

    bruno.goto(b2b + "/")
    expect(bruno.locator('[data-counter="accepted"]')).to_have_text("1")
    anne.goto(b2b + "/schedule")
    expect(anne.locator(".schedule-table tbody tr")).to_have_count(1)
    expect(anne.locator(".schedule-table")).to_contain_text("Bruno")
    expect(anne.locator(".schedule-table")).to_contain_text("T1")
    feed = anne.locator(".calendar-feed input.select-on-focus").input_value()
    assert feed.endswith(".ics") and "/b2b/calendar/" in feed
    anne.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    anne.set_viewport_size({"width": 390, "height": 844})  # a phone: the address is longer than its field
    copy = anne.get_by_role("button", name="Copy")
    box = copy.bounding_box()
    assert box["x"] + box["width"] <= 390
    copy.click()
    expect(anne.locator(".calendar-feed button[data-copy]")).to_have_text("Copied")
    assert anne.evaluate("navigator.clipboard.readText()") == feed
    assert page_violations(anne) == []


def test_a_new_request_shows_in_the_list_when_the_counters_change(world, log_in, make_participant):
    from playwright.sync_api import expect

    from portal.extensions import db
    from portal.meetings import services

    event, anne, bruno = world["event"], world["anne"], world["bruno"]
    services.request_meeting(event, bruno.person_uid, anne.person_uid, "Our FBG sensors for your bridges?")
    db.session.commit()
    page = log_in("anne@example.org")
    page.goto(f"{world['url']}/events/{event.uid}/b2b/")
    expect(page.locator('[data-counter="pending"]')).to_have_text("1")
    page.evaluate("window.__same_page = true")
    answer = page.locator(".request-row textarea[name=message]").first
    answer.fill("Gladly, on Tuesday")  # Anne is typing her answer when a new request comes in
    carla = make_participant(event, "Carla", email="carla@example.org")
    services.request_meeting(event, carla.person_uid, anne.person_uid, "Soil probes?")
    db.session.commit()
    expect(page.locator('[data-counter="pending"]')).to_have_text("2", timeout=15_000)  # polled every 10 s
    expect(page.locator("#meeting-requests .request-row")).to_have_count(2)
    expect(page.locator("#meeting-requests")).to_contain_text("Soil probes?")
    answer = page.locator(".request-row", has_text="Our FBG sensors").locator("textarea[name=message]")
    expect(answer).to_have_value("Gladly, on Tuesday")
    expect(answer).to_be_focused()
    assert page.evaluate("window.__same_page") is True
    assert page_violations(page) == []


def test_a_request_s_organisation_never_begins_a_line_with_its_dot_on_a_phone(world, chromium, make_participant,
                                                                            make_organisation):
    """The row's head wraps on a phone: its '· Résidences Les Hortensias' went to a line of its own,
    which began with the dot. The dot stays after the name, the organisation wrapping after it."""
    from portal.extensions import db
    from portal.meetings import services

    event, anne = world["event"], world["anne"]
    sandrine = make_participant(event, "Sandrine Chauvin", email="sandrine@example.org",
                                organisation=make_organisation(name="Résidences Les Hortensias"))
    services.request_meeting(event, sandrine.person_uid, anne.person_uid, "Shall we meet?")
    db.session.commit()
    context = chromium.new_context(locale="fr-FR", viewport={"width": 375, "height": 812})
    page = log_in_with_the_form(context.new_page(), world["url"], "anne@example.org")
    page.goto(f"{world['url']}/events/{event.uid}/b2b/")
    found = page.evaluate("""() => {
        const head = document.querySelector('.request-row .request-head');
        const name = head.querySelector('strong').getBoundingClientRect();
        const walker = document.createTreeWalker(head, NodeFilter.SHOW_TEXT);
        let node; while ((node = walker.nextNode()) && !node.data.includes('·')) {}
        const range = document.createRange(), at = node.data.indexOf('·');
        range.setStart(node, at); range.setEnd(node, at + 1);
        const dot = range.getBoundingClientRect();
        return {same_line: dot.top < name.bottom && dot.bottom > name.top, text: head.innerText};
    }""")
    context.close()
    assert "Résidences Les Hortensias" in found["text"] and found["same_line"]
