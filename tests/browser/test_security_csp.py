"""In a real browser, under the real Content-Security-Policy, pages and htmx work with no violation."""
import re
import threading

import pytest

from portal import create_app

from tests.browser.conftest import RECORD_VIOLATIONS, page_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(chromium):
    """The session's one Chromium (tests/browser/conftest.py): Playwright's sync API allows one per process."""
    return chromium


@pytest.fixture
def live_portal(app_config, monkeypatch):
    """The portal served by a real HTTP server on 127.0.0.1, on a free port, CSRF on."""
    from werkzeug.serving import make_server

    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    app = create_app(dict(app_config, WTF_CSRF_ENABLED=True))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    server.server_close()
    with app.app_context():
        from portal.extensions import db

        db.engine.dispose()


def public_pages(app):
    """Public GET pages whose URL needs no record."""
    pages = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if (getattr(view, "access", None) == "public" and "GET" in rule.methods and not rule.arguments
                and not rule.rule.startswith(("/federation/", "/healthz", "/brand"))):
            pages.append(rule.rule)
    return sorted(pages)


def test_pages_load_without_policy_violations(browser, live_portal):
    base, app = live_portal
    page = browser.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    visited = {}
    for path in public_pages(app):
        response = page.goto(base + path)
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        visited[path] = page_violations(page)
    assert "/" in visited and "/login" in visited
    assert {path: found for path, found in visited.items() if found} == {}
    assert page.evaluate("window.htmx && window.htmx.version") == "4.0.1"


def test_htmx_form_swaps_its_422_answer_under_the_policy(browser, live_portal):
    base, _ = live_portal
    page = browser.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(base + "/login")
    page.fill("input[name=email]", "nobody@example.org")
    page.fill("input[name=password]", "not the password")
    with page.expect_response(lambda r: r.url.endswith("/login") and r.request.method == "POST") as answer:
        page.click("#login-form button[type=submit]")
    assert answer.value.status == 422
    assert answer.value.request.headers.get("hx-request") == "true"  # htmx sent it, with the CSRF header
    page.wait_for_selector("#password-error.field-error")
    assert page.input_value("input[name=email]") == "nobody@example.org"
    assert page_violations(page) == []



#: Styles the page's elements through the CSSOM before each htmx request, as browser extensions
#: (password managers, dark modes, translators) and animation code do: the policy allows the CSSOM,
#: but htmx's settling copied each old element's style attribute onto its new counterpart with
#: setAttribute, a write the policy refuses (one violation per element with an id, per swap).
STYLE_THROUGH_THE_CSSOM = """
document.addEventListener("htmx:before:request", () => {
  document.querySelectorAll("main [id]").forEach((element) => element.style.setProperty("outline-offset", "1px"));
});
"""


def test_htmx_updates_of_the_agenda_door_and_b2b_pages_write_no_inline_style(
        browser_page, live_server, login_as, make_user, make_event, make_person, make_b2b_event,
        make_participant, make_meeting):
    from playwright.sync_api import expect

    from portal.events.formula import FORMULA_KEY
    from portal.events.registrations import register
    from portal.extensions import db
    from portal.meetings import services

    event = make_event(template=FORMULA_KEY, today=True)  # today: the door is open
    register(event, make_person(display_name="Yann Kervella").uid)
    b2b = make_b2b_event()
    anne, bruno = make_participant(b2b, "Anne"), make_participant(b2b, "Bruno")
    make_meeting(b2b, anne.person_uid, bruno.person_uid, status="scheduled")
    services.request_meeting(b2b, bruno.person_uid, anne.person_uid, "Hello")
    db.session.commit()
    page = browser_page
    page.add_init_script(STYLE_THROUGH_THE_CSSOM)
    page.on("dialog", lambda dialog: dialog.accept())
    found = {}

    login_as(page, make_user(role="admin"))
    page.goto(live_server(f"/admin/events/{event.uid}/agenda"))
    first = event.items[0].title
    page.get_by_role("button", name=f"Move later: {first}").click()
    expect(page.locator(".agenda-row").nth(1).locator("strong")).to_have_text(first)
    page.locator(".agenda-row").first.get_by_role("button", name="Mark as cancelled").click()
    expect(page.locator(".agenda-row").first).to_have_class(re.compile("is-cancelled"))
    found["agenda"] = page_violations(page)

    page.goto(live_server(f"/admin/events/{event.uid}/checkin"))
    page.fill("#checkin-q", "kerv")
    page.locator(".door-row").get_by_role("button", name="Check in").click()
    expect(page.locator(".door-row.is-in")).to_have_count(1)
    found["door"] = page_violations(page)

    page.goto(live_server(f"/admin/b2b/events/{b2b.uid}/"))
    page.locator(".admin-meetings").get_by_role("button", name="Cancel").click()
    expect(page.locator(".admin-meetings tbody tr")).to_have_class(re.compile("meeting-cancelled"))
    found["b2b admin"] = page_violations(page)

    login_as(page, anne)
    page.goto(live_server(f"/events/{b2b.uid}/b2b/"))
    page.locator(".star-button").click()
    expect(page.locator(".star-button")).to_have_attribute("aria-pressed", "true")
    page.locator(".reply-form").get_by_role("button", name="Accept").click()
    expect(page.locator(".request-row.request-accepted")).to_have_count(1)
    found["b2b requests"] = page_violations(page)

    assert found == dict.fromkeys(found, [])
