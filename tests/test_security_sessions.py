"""Sessions: "Log out" ends this session; "Log out everywhere" ends every other one, copied cookies too."""
from flask import g

from tests.test_accounts_views import SIGNUP


def cookie(client):
    return client.get_cookie(client.application.config["SESSION_COOKIE_NAME"]).value


def second_browser(app, user):
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = user.get_id()
    return browser


def test_old_session_cookie_is_refused_after_logging_out_everywhere(client, make_user, login):
    login(make_user())
    assert client.get("/account").status_code == 200
    stolen = cookie(client)
    g.pop("_login_user", None)  # the fixture's app context outlives requests: no cached user
    assert client.post("/account/logout-everywhere").status_code in (302, 303)
    g.pop("_login_user", None)
    assert client.get("/account").status_code == 200  # this session goes on, under the new token
    client.set_cookie(client.application.config["SESSION_COOKIE_NAME"], stolen)
    g.pop("_login_user", None)
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.location


def test_logout_ends_this_session_only(app, make_user, login, client):
    """Two browsers of one member (the check-in tablet and the laptop): logging out of one keeps the other."""
    user = make_user()
    login(user)
    second = second_browser(app, user)
    g.pop("_login_user", None)
    assert second.get("/account").status_code == 200
    g.pop("_login_user", None)
    assert client.post("/logout").status_code in (302, 303)
    g.pop("_login_user", None)
    assert client.get("/account").status_code == 302
    g.pop("_login_user", None)
    assert second.get("/account").status_code == 200


def test_logout_everywhere_ends_the_members_other_sessions(app, make_user, login, client):
    user = make_user()
    login(user)
    second = second_browser(app, user)
    g.pop("_login_user", None)
    page = client.get("/account").text
    assert 'action="/account/logout-everywhere"' in page and "Log out everywhere" in page
    g.pop("_login_user", None)
    done = client.post("/account/logout-everywhere", follow_redirects=True)
    assert "You are logged out on every other device." in done.text
    g.pop("_login_user", None)
    assert second.get("/account").status_code == 302
    g.pop("_login_user", None)
    assert client.get("/account").status_code == 200


def test_logout_everywhere_is_a_post_with_a_csrf_token(app, make_user, login, client):
    user = make_user()
    token = user.session_token
    login(user)
    assert client.get("/account/logout-everywhere").status_code == 405
    app.config["WTF_CSRF_ENABLED"] = True
    g.pop("_login_user", None)
    assert client.post("/account/logout-everywhere").status_code == 400
    assert user.session_token == token


def test_a_fragment_asked_for_after_the_session_ended_sends_the_whole_window_to_the_login(client):
    page = "http://localhost/admin/members?status=pending"
    response = client.get("/admin/members?page=2", headers={"HX-Request": "true", "HX-Current-URL": page})
    assert response.status_code == 401 and response.get_data() == b""
    assert response.headers["HX-Redirect"] == "/login?next=%2Fadmin%2Fmembers%3Fstatus%3Dpending"
    # Without htmx: the usual redirect, back to the page asked for.
    plain = client.get("/admin/members?page=2")
    assert plain.status_code == 302 and plain.headers["Location"] == "/login?next=%2Fadmin%2Fmembers%3Fpage%3D2"


def test_a_copy_of_the_session_cookie_stops_working_at_logout(app, make_user, client):
    """Sessions are signed cookies: one copied before "Log out" (a shared computer, a proxy's
    log) is refused afterwards, while the member's other sessions go on."""
    user = make_user(email="anne@example.org")
    client.post("/login", data={"email": "anne@example.org", "password": "correct horse battery"})
    g.pop("_login_user", None)
    other = app.test_client()
    other.post("/login", data={"email": "anne@example.org", "password": "correct horse battery"})
    g.pop("_login_user", None)
    assert client.get("/account").status_code == 200
    copied = cookie(client)
    g.pop("_login_user", None)
    assert client.post("/logout").status_code in (302, 303)
    g.pop("_login_user", None)
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], copied)
    assert thief.get("/account").status_code == 302
    g.pop("_login_user", None)
    assert other.get("/account").status_code == 200
    assert user.session_token  # "log out everywhere" was not needed


def test_signing_up_starts_a_new_session(app, client):
    """As logging in does: a session planted in the browser beforehand (its CSRF token known to
    whoever planted it) does not become the new member's."""
    with client.session_transaction() as session:
        session["csrf_token"], session["planted"] = "known-to-someone-else", True
    assert client.post("/signup", data=SIGNUP).status_code == 303
    with client.session_transaction() as session:
        assert "_user_id" in session  # logged in
        assert "planted" not in session and session.get("csrf_token") != "known-to-someone-else"
