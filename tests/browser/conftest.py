"""Browser fixtures: a live portal on 127.0.0.1 and a headless Chromium page (Playwright).

`live_server` serves the test's `app` (its fresh database, CSRF on) from a thread, so the
factories (`make_listing`...) write data the browser then sees. `browser_page` is a new
Chromium page that records Content-Security-Policy violations (`page_violations(page)`).
`login_as(page, user)` gives the page a signed-in session without going through a form.
"""
import os
import threading
from dataclasses import dataclass

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: Collects CSP violations before any page script runs (init scripts are not subject to the CSP).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    url: str
    app: object

    def __call__(self, path=""):
        return self.url + path


@pytest.fixture
def live_server(app):
    """The test's app served on a free port of 127.0.0.1 (CSRF protection on, as in production)."""
    from werkzeug.serving import make_server

    app.config["WTF_CSRF_ENABLED"] = True
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{http.server_port}", app)
    http.shutdown()
    http.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; skipped loudly when missing (a failure when CI=true)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing and CI=true: the browser tests must run")
        pytest.skip(f"*** {CHROMIUM} is missing: browser tests SKIPPED (apt-get install chromium) ***")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(locale="en-GB")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def page_violations(page):
    """The CSP directives the page violated since it loaded, each with what it blocked."""
    return page.evaluate("window.__violations")


def log_in_with_the_form(page, base_url, email, password="correct horse battery"):
    """Log `page` in through the real log-in form (the password of the make_user factory unless given)."""
    page.goto(base_url + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(lambda target: not target.endswith("/login"))
    return page


@pytest.fixture
def login_as(live_server):
    """Sign a user in on a page by giving it the session cookie a real log-in would set."""
    def sign_in(page, user):
        app = live_server.app
        value = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": user.get_id(), "_fresh": True})
        page.context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": value,
                                   "url": live_server.url}])
        return user
    return sign_in
