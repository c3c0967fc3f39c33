"""Sign-up in a real browser: htmx swaps the 422 form with errors beside the fields, the
new-organisation fields follow the choice, success lands on the account page, log-out works."""
import os
import threading

import pytest

from portal import create_app

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing and CI=true: browser tests must run")
        pytest.skip(f"*** {CHROMIUM} is missing: browser tests SKIPPED (apt-get install chromium) ***")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server(app_config, monkeypatch):
    """The portal on a free port of 127.0.0.1, CSRF on, with one organisation to join."""
    from werkzeug.serving import make_server

    from portal.directory.models import Organisation
    from portal.extensions import db

    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    app = create_app(dict(app_config, WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.session.add(Organisation(name="Lumiwave Photonics", kind="technology_provider", country="FR"))
        db.session.commit()
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    http.server_close()
    with app.app_context():
        db.engine.dispose()


def test_signup_with_htmx(browser, server):
    from playwright.sync_api import expect

    page = browser.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(server + "/signup")
    new_org = page.locator("[data-new-organisation]")
    expect(new_org).to_be_visible()
    page.select_option("#organisation_uid", label="Lumiwave Photonics")
    expect(new_org).to_be_hidden()
    page.select_option("#organisation_uid", value="")
    expect(new_org).to_be_visible()

    page.fill("#email", "not-an-address")
    page.fill("#display_name", "Nolwenn <b>Tanguy</b>")
    page.fill("#password", "short")
    page.fill("#confirm", "short")
    page.click("button[type=submit]")
    expect(page.locator("#email-error")).to_contain_text("e-mail address")
    expect(page.locator("#password-error")).to_contain_text("10")
    expect(page.locator("#organisation_name-error")).to_be_visible()
    expect(page.locator("#display_name")).to_have_value("Nolwenn <b>Tanguy</b>")
    assert page.url.endswith("/signup")

    page.fill("#email", "nolwenn@example.org")
    page.fill("#password", "a sturdy passphrase")
    page.fill("#confirm", "a sturdy passphrase")
    page.fill("#organisation_name", "Kerlum Optics")
    page.click("button[type=submit]")
    page.wait_for_url(server + "/account")
    expect(page.locator(".notice-pending").first).to_contain_text("waiting for an administrator")
    expect(page.locator("h1")).to_have_text("My account")

    page.click("text=Log out")
    page.wait_for_url(server + "/")
    expect(page.locator("nav >> text=Log in")).to_be_visible()
    assert page.evaluate("window.__violations") == []


def test_admin_approves_a_member_in_place(browser, server, app_config):
    from playwright.sync_api import expect

    from portal.accounts.services import create_admin, sign_up
    from portal.extensions import db

    app = create_app(app_config)
    with app.app_context():
        create_admin("admin@example.org", "a sturdy passphrase", "Ada Admin")
        sign_up("pat@example.org", "a sturdy passphrase", "Pat Pending",
                new_organisation={"name": "Kerlum", "kind": "research", "country": "FR", "city": "Brest"})
        db.session.commit()
        db.engine.dispose()
    page = browser.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(server + "/login")
    page.fill("#email", "admin@example.org")
    page.fill("#password", "a sturdy passphrase")
    page.click("form#login-form button[type=submit]")
    page.wait_for_url(server + "/account")
    page.goto(server + "/admin/members")
    page.click(".filters a[href$=\"status=pending\"]")
    page.wait_for_url(server + "/admin/members?status=pending")
    row = page.locator("tr", has_text="pat@example.org")
    row.locator("button", has_text="Approve").click()
    expect(page.locator("tr", has_text="pat@example.org")).to_contain_text("Active")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("tr", has_text="pat@example.org").locator("button", has_text="Disable").click()
    expect(page.locator("tr", has_text="pat@example.org")).to_contain_text("Disabled")
    assert page.evaluate("window.__violations") == []
