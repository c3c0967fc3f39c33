"""Logging out ends the session everywhere: a copy of the old cookie no longer works."""
from flask import g


def cookie(client):
    return client.get_cookie(client.application.config["SESSION_COOKIE_NAME"]).value


def test_old_session_cookie_is_refused_after_logout(client, make_user, login):
    login(make_user())
    assert client.get("/account").status_code == 200
    stolen = cookie(client)
    g.pop("_login_user", None)  # the fixture's app context outlives requests: no cached user
    assert client.post("/logout").status_code in (302, 303)
    client.set_cookie(client.application.config["SESSION_COOKIE_NAME"], stolen)
    g.pop("_login_user", None)
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.location


def test_logout_ends_the_members_other_sessions(app, make_user, login, client):
    """Two browsers of one member: logging out in one logs out the other as well."""
    user = make_user()
    login(user)
    second = app.test_client()
    with second.session_transaction() as session:
        session["_user_id"] = user.get_id()
    g.pop("_login_user", None)
    assert second.get("/account").status_code == 200
    g.pop("_login_user", None)
    client.post("/logout")
    g.pop("_login_user", None)
    assert second.get("/account").status_code == 302


def test_a_fragment_asked_for_after_the_session_ended_sends_the_whole_window_to_the_login(client):
    page = "http://localhost/admin/members?status=pending"
    response = client.get("/admin/members?page=2", headers={"HX-Request": "true", "HX-Current-URL": page})
    assert response.status_code == 401 and response.get_data() == b""
    assert response.headers["HX-Redirect"] == "/login?next=%2Fadmin%2Fmembers%3Fstatus%3Dpending"
    # Without htmx: the usual redirect, back to the page asked for.
    plain = client.get("/admin/members?page=2")
    assert plain.status_code == 302 and plain.headers["Location"] == "/login?next=%2Fadmin%2Fmembers%3Fpage%3D2"
