"""In a real browser, under the real Content-Security-Policy, pages and htmx work with no violation."""
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
