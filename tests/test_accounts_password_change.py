"""Changing one's password on /account, and the rule that a password is not the account's e-mail address."""
import re

import pytest
from flask import g

from portal.accounts import services, throttle
from portal.accounts.passwords import make_reset_token, password_problem, read_reset_token, verify_password
from portal.extensions import db
from tests.test_accounts_views import HTMX, SIGNUP, error_beside

OLD, NEW = "correct horse battery", "a brand new passphrase"


@pytest.fixture
def member(make_user):
    return make_user(email="mona.member@example.org", display_name="Mona Member")


def change(client, current=OLD, password=NEW, confirm=None, **kwargs):
    return client.post("/account/password", data={"current_password": current, "password": password,
                                                  "confirm": password if confirm is None else confirm}, **kwargs)


def can_log_in(app, password):
    g.pop("_login_user", None)  # the fixture's app context outlives requests: no cached user
    return app.test_client().post("/login", data={"email": "mona.member@example.org",
                                                  "password": password}).status_code == 303


def test_the_account_page_has_the_form(client, member, login):
    login(member)
    page = client.get("/account").text
    assert 'id="password-form"' in page and 'action="/account/password"' in page
    assert 'name="current_password"' in page and 'name="confirm"' in page


def test_change_keeps_this_session_and_ends_the_others(app, member):
    thief, client = app.test_client(), app.test_client()
    client.post("/login", data={"email": "mona.member@example.org", "password": OLD})
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief.set_cookie(cookie.key, cookie.value)
    assert thief.get("/account").status_code == 200
    response = change(client)
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    g.pop("_login_user", None)  # the fixture's app context outlives requests: no cached user
    assert thief.get("/account").status_code == 302  # the copied cookie is dead
    g.pop("_login_user", None)
    assert "Your password is changed." in client.get("/account").text
    assert can_log_in(app, NEW) and not can_log_in(app, OLD)


def test_change_with_htmx_answers_the_fragment(app, client, member, login):
    login(member)
    done = change(client, headers=HTMX)
    assert done.status_code == 200 and "<html" not in done.text and "HX-Request" in done.headers["Vary"]
    assert done.text.lstrip().startswith(("{%", "<form")) and "Your password is changed." in done.text
    g.pop("_login_user", None)
    assert client.get("/account").status_code == 200  # still logged in, under the new session token
    failed = change(client, current="not my password", headers=HTMX)
    assert failed.status_code == 422 and "<html" not in failed.text
    assert "not your current password" in error_beside(failed.text, "current_password")


def test_a_wrong_current_password_is_an_error_beside_it_and_counts_as_a_failed_log_in(app, client, member, login):
    login(member)
    response = change(client, current="not my password")
    assert response.status_code == 422 and "<html" in response.text
    assert "not your current password" in error_beside(response.text, "current_password")
    assert NEW not in response.text  # passwords are never echoed
    db.session.refresh(member)
    assert member.failed_logins == 1
    assert can_log_in(app, OLD) and not can_log_in(app, NEW)


def test_guessing_the_current_password_is_throttled_as_at_log_in(app, client, member, login):
    login(member)
    for _ in range(throttle.FREE_FAILURES + 1):
        change(client, current="not my password")
    response = change(client)  # the right one, too soon
    assert response.status_code == 422 and "Too many failed attempts" in error_beside(response.text, "current_password")
    db.session.refresh(member)
    assert verify_password(member.password_hash, OLD)


@pytest.mark.parametrize("password, confirm, field, message", [
    ("short", None, "password", "at least 10"),
    ("azertyuiop123", None, "password", "too common"),
    (NEW, "something else entirely", "confirm", "differ"),
    ("MONA.MEMBER@example.org", None, "password", "e-mail address"),
    ("Mona.Member", None, "password", "e-mail address"),
    ("", None, "password", "required"),
    (OLD, None, "password", "the one you have now"),
])
def test_the_new_password_follows_the_sign_up_rules(app, client, member, login, password, confirm, field, message):
    login(member)
    response = change(client, password=password, confirm=confirm)
    assert response.status_code == 422 and message in error_beside(response.text, field).lower()
    assert can_log_in(app, OLD)


def test_change_needs_the_csrf_token(app, member):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": "mona.member@example.org", "password": OLD, "csrf_token": token})
    assert change(client).status_code == 400
    form = re.search(r'<form id="password-form".*?</form>', client.get("/account").text, re.S).group(0)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    assert client.post("/account/password", data={"current_password": OLD, "password": NEW, "confirm": NEW,
                                                  "csrf_token": token}).status_code == 302


def test_change_needs_a_login(client, member):
    response = change(client)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# The e-mail address is no password.

@pytest.mark.parametrize("password", ["anne.le-goff@example.org", " ANNE.LE-GOFF@Example.org", "Anne.Le-Goff"])
def test_password_problem_refuses_the_address_and_its_local_part(password):
    assert "e-mail address" in str(password_problem(password, "anne.le-goff@example.org"))
    assert password_problem(password) is None or "e-mail" not in str(password_problem(password))


def test_password_problem_accepts_a_password_that_only_contains_the_address():
    assert password_problem("anne.le-goff@example.org and more", "anne.le-goff@example.org") is None


def test_signup_refuses_the_address_as_password(client):
    email = "nolwenn.tanguy@example.org"
    for password in ("Nolwenn.Tanguy@Example.org", "NOLWENN.TANGUY"):
        response = client.post("/signup", data=dict(SIGNUP, email=email, password=password, confirm=password))
        assert response.status_code == 422 and "e-mail address" in error_beside(response.text, "password")
    assert client.get("/account").status_code == 302  # no account, not logged in


def test_reset_refuses_the_address_as_password(app, client, member):
    token = make_reset_token(member)
    response = client.post(f"/password/reset/{token}", data={"password": "Mona.Member@example.org",
                                                             "confirm": "Mona.Member@example.org"})
    assert response.status_code == 422 and "e-mail address" in error_beside(response.text, "password")
    assert read_reset_token(token, lambda ident: db.session.get(type(member), ident)) == member  # link still good
    assert can_log_in(app, OLD)


def test_services_refuse_the_address_as_password(member):
    with pytest.raises(services.AccountError) as refused:
        services.reset_password(make_reset_token(member), "mona.member@example.org")
    assert refused.value.field == "password"
    with pytest.raises(services.AccountError):
        services.change_password(member, OLD, "MONA.MEMBER")
    with pytest.raises(services.AccountError):
        services.sign_up("nolwenn.tanguy@example.org", "nolwenn.tanguy@example.org", "Nolwenn",
                         new_organisation={"name": "Kerlum", "kind": "research", "country": "FR", "city": ""})
