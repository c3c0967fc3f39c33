"""Security headers on every kind of response, cookie flags, session expiry, proxy trust."""
import time
from datetime import timedelta

import pytest
from flask import g, request
from flask_login import current_user

from portal import create_app
from portal.security import ACCESS_LEVELS, access
from tests.conftest import CLUSTER_ID

POLICY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_protected(response):
    for name, value in POLICY_HEADERS.items():
        assert response.headers.get(name) == value, name
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'" and directives["form-action"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_html_page_has_the_policy_headers(client):
    response = client.get("/")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert_protected(response)


def test_json_responses_have_them_too(client):
    health = client.get("/healthz")
    assert health.mimetype == "application/json"
    assert_protected(health)
    missing = client.get("/federation/v1/no-such-endpoint")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    assert_protected(missing)


def test_error_pages_and_static_files_have_them(client):
    assert_protected(client.get("/no/such/page"))
    assert_protected(client.get("/static/js/portal.js"))


def test_hsts_only_when_cookies_are_https_only(app_config, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    plain = create_app(dict(app_config, HSTS_SECONDS=31536000)).test_client().get("/healthz")
    assert "Strict-Transport-Security" not in plain.headers
    secure = create_app(dict(app_config, HSTS_SECONDS=31536000, SESSION_COOKIE_SECURE=True))
    response = secure.test_client().get("/healthz", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def session_cookie(response, cluster_id=CLUSTER_ID):
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"passerelle-{cluster_id}=")]
    assert cookies, "no session cookie was set"
    return cookies[0]


def test_session_cookie_is_httponly_lax_and_expires(client):
    cookie = session_cookie(client.post("/language", data={"lang": "fr"}))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert "Secure" not in cookie


def test_only_navigations_and_changes_send_the_session_back(client):
    """A page refreshes the session cookie; a live search or a stylesheet answered after the
    language switch must not set the session it was asked with back (the switch was undone)."""
    assert session_cookie(client.post("/language", data={"lang": "fr"})) is not None
    assert session_cookie(client.get("/")) is not None
    assert "Set-Cookie" not in client.get("/static/css/portal.css").headers
    assert "Set-Cookie" not in client.get("/directory?q=laser", headers={"HX-Request": "true"}).headers


def test_two_portals_on_one_host_keep_their_own_cookies(app_config, tmp_path, monkeypatch):
    """Browsers share cookies between ports: each portal's are named after its cluster."""
    apps = []
    for cluster_id in ("alpha", "beta"):
        monkeypatch.setenv("PORTAL_INSTANCE", str(tmp_path / cluster_id))
        apps.append(create_app(dict(app_config, CLUSTER_ID=cluster_id)))
    assert [app.config["SESSION_COOKIE_NAME"] for app in apps] == ["passerelle-alpha", "passerelle-beta"]
    assert apps[1].config["REMEMBER_COOKIE_NAME"] == "passerelle-beta-remember"
    session_cookie(apps[1].test_client().post("/language", data={"lang": "fr"}), "beta")
    named = create_app(dict(app_config, SESSION_COOKIE_NAME="portal"))
    assert named.config["SESSION_COOKIE_NAME"] == "portal"  # an instance's own name is kept


def test_session_cookie_is_secure_when_configured(app_config, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    app = create_app(dict(app_config, SESSION_COOKIE_SECURE=True))
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    cookie = session_cookie(app.test_client().post("/language", data={"lang": "fr"},
                                                   base_url="https://localhost"))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_a_portal_published_over_https_sends_https_only_cookies_unless_told_otherwise(app_config, monkeypatch):
    """An operator who skipped PORTAL_SESSION_COOKIE_SECURE still gets Secure cookies on an https portal."""
    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    published = create_app(dict(app_config, BASE_URL="https://portal.example"))
    assert published.config["SESSION_COOKIE_SECURE"] is True and published.config["REMEMBER_COOKIE_SECURE"] is True
    assert create_app(app_config).config["SESSION_COOKIE_SECURE"] is False  # http: the demo, `make run`
    told = create_app(dict(app_config, BASE_URL="https://portal.example", SESSION_COOKIE_SECURE=False))
    assert told.config["SESSION_COOKIE_SECURE"] is False


def add_probe(app):
    """A route that says who the request is from and how it arrived (test only)."""
    app.add_url_rule("/_probe", "probe", lambda: {
        "user": current_user.is_authenticated, "url": request.url, "remote": request.remote_addr})


def test_a_session_older_than_its_lifetime_is_refused(app, client, make_user, login):
    add_probe(app)
    login(make_user())
    assert client.get("/_probe").get_json()["user"] is True
    # Re-sign the same session as if it had been issued 13 hours ago.
    serializer = app.session_interface.get_signing_serializer(app)
    with client.session_transaction() as session:
        data = dict(session)
    issued = int(time.time() - timedelta(hours=13).total_seconds())
    old_signer = serializer.make_signer(None)
    old_signer.get_timestamp = lambda: issued
    stale = old_signer.sign(serializer.dump_payload(data)).decode()
    client.set_cookie(client.application.config["SESSION_COOKIE_NAME"], stale)
    g.pop("_login_user", None)  # the fixture's app context outlives requests: forget the cached user
    assert client.get("/_probe").get_json()["user"] is False


def test_proxy_fix_trusts_forwarded_headers_only_when_configured(app_config, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
                 "X-Forwarded-Host": "portal.example.org"}
    direct = create_app(app_config)
    add_probe(direct)
    seen = direct.test_client().get("/_probe", headers=forwarded).get_json()
    assert seen["url"].startswith("http://localhost/") and seen["remote"] != "203.0.113.7"
    proxied = create_app(dict(app_config, PROXY_FIX={"x_for": 1, "x_proto": 1, "x_host": 1}))
    add_probe(proxied)
    seen = proxied.test_client().get("/_probe", headers=forwarded).get_json()
    assert seen["url"] == "https://portal.example.org/_probe" and seen["remote"] == "203.0.113.7"


def test_access_records_a_known_level_and_refuses_others():
    @access("admin")
    def view():
        return "ok"

    assert view.access == "admin" and view() == "ok"
    assert "peer-signed" in ACCESS_LEVELS
    with pytest.raises(ValueError):
        access("members")
