"""Account pages: who may see what, sign-up validation, log-in and out, reset, profile, admin."""
import re

import pytest
from flask import g
from sqlalchemy import select

from portal.accounts import throttle
from portal.accounts.models import User
from portal.extensions import db
from portal.federation import feed
from portal.mail.models import OutboxMessage

HTMX = {"HX-Request": "true"}
SIGNUP = {"email": "nolwenn@example.org", "password": "a sturdy passphrase", "confirm": "a sturdy passphrase",
          "display_name": "Nolwenn Tanguy", "job_title": "Engineer", "organisation_uid": "",
          "organisation_name": "Kerlum Optics", "organisation_kind": "research", "organisation_country": "FR",
          "organisation_city": "Brest"}


@pytest.fixture
def people(make_user):
    """One account of each kind, by name."""
    return {
        "pending": make_user(status="pending", email="pending@example.org", display_name="Pat Pending"),
        "member": make_user(email="member@example.org", display_name="Mona Member", phone="+33 2 98 00 11 22"),
        "admin": make_user(role="admin", email="admin@example.org", display_name="Ada Admin"),
    }


def as_who(who, people, login):
    if who != "anonymous":
        login(people[who])


@pytest.mark.parametrize("who", ["anonymous", "pending", "member", "admin"])
def test_every_menu_link_opens_for_whoever_sees_it(client, people, login, who):
    """A pending account is not shown B2B meetings (nor a way to post a listing) only to be told to wait."""
    as_who(who, people, login)
    home = client.get("/").text
    menu = home[home.index('<header class="site-header">'):home.index("</header>")]
    links = set(re.findall(r'<a href="(/[^"]*)"', menu))
    assert links and all(client.get(link).status_code == 200 for link in links), links
    assert ("/b2b/" in links) == (who in ("member", "admin"))
    assert ("/listings/new" in home) == (who in ("member", "admin"))


@pytest.mark.parametrize("who, path, expected", [
    ("anonymous", "/login", 200), ("anonymous", "/signup", 200), ("anonymous", "/password/reset", 200),
    ("anonymous", "/account", 302), ("anonymous", "/people/{member}", 302),
    ("anonymous", "/admin/members", 302), ("anonymous", "/admin/organisations", 302),
    ("pending", "/login", 302), ("pending", "/signup", 302), ("pending", "/account", 200),
    ("pending", "/people/{member}", 200), ("pending", "/admin/members", 403), ("pending", "/admin/organisations", 403),
    ("member", "/account", 200), ("member", "/people/{member}", 200), ("member", "/people/{admin}", 200),
    ("member", "/people/no-such-person", 404), ("member", "/people/{pending}", 404), ("member", "/admin/members", 403),
    ("member", "/admin/organisations", 403),
    ("admin", "/account", 200), ("admin", "/admin/members", 200), ("admin", "/admin/members?status=pending", 200),
    ("admin", "/admin/organisations", 200), ("admin", "/people/{pending}", 200),
    ("anonymous", "/admin/", 302), ("member", "/admin/", 403), ("admin", "/admin/", 302),
])
def test_get_access(client, people, login, who, path, expected):
    as_who(who, people, login)
    path = path.format(**{name: user.person_uid for name, user in people.items()})
    assert client.get(path).status_code == expected


def test_a_profile_not_shared_is_not_for_a_pending_account(client, people, login, make_user):
    """Anyone can sign up and wait as pending: a profile kept from partner clusters is seen only
    by its person and the approved members."""
    shy = make_user(email="shy@example.org", display_name="Nathalie Discrète", share_profile=False)
    login(people["pending"])
    refused = client.get(f"/people/{shy.person_uid}")
    assert refused.status_code == 403 and "Nathalie" not in refused.text
    assert client.get(f"/people/{people['pending'].person_uid}").status_code == 200  # their own
    login(people["member"])
    assert "Nathalie Discrète" in client.get(f"/people/{shy.person_uid}").text


def test_administrators_find_members_by_name_or_address(client, people, login):
    as_who("admin", people, login)
    found = client.get("/admin/members?q=MONA", headers={"HX-Request": "true"}).text
    assert "Mona Member" in found and "Pat Pending" not in found and 'value="MONA"' in found
    assert "Pat Pending" in client.get("/admin/members?q=pending@example").text  # the address too
    pending_only = client.get("/admin/members?status=pending&q=a").text
    assert "Pat Pending" in pending_only and "Mona Member" not in pending_only
    assert 'href="/admin/members?status=active&amp;q=a"' in pending_only  # the tabs keep the words
    assert "No account here." in client.get("/admin/members?q=%25").text  # "%" is a letter here


def test_the_administrations_address_leads_to_the_events(client, people, login):
    as_who("admin", people, login)
    assert client.get("/admin/").headers["Location"].endswith("/admin/events/")


@pytest.mark.parametrize("who, expected", [("anonymous", 302), ("pending", 403), ("member", 403), ("admin", 302)])
@pytest.mark.parametrize("action", ["approve", "disable", "role", "refuse"])
def test_member_actions_access(client, people, login, who, expected, action):
    as_who(who, people, login)
    target = people["pending"]
    response = client.post(f"/admin/members/{target.id}/{action}", data={"role": "admin"})
    assert response.status_code == expected
    if expected == 302 and who == "admin":
        assert "/admin/members" in response.headers["Location"]


@pytest.mark.parametrize("who, logged_out", [("anonymous", 302), ("pending", 303), ("member", 303)])
def test_post_routes_need_a_login(client, people, login, who, logged_out):
    as_who(who, people, login)
    assert client.post("/logout").status_code == logged_out
    consent = client.post("/account/consent", data={"share_profile": "no"})
    assert consent.status_code == 302
    if who == "anonymous":
        assert "/login" in consent.headers["Location"]


def test_get_never_changes_state(client, people, login):
    login(people["admin"])
    for path in ("/admin/members", f"/admin/members/{people['pending'].id}/approve", "/logout", "/account/consent"):
        client.get(path)
    db.session.expire_all()
    assert people["pending"].status == "pending"


# Sign-up.

def test_signup_creates_a_pending_account_and_logs_in(client):
    response = client.post("/signup", data=SIGNUP)
    assert response.status_code == 303 and response.headers["Location"].endswith("/account")
    user = db.session.scalars(select(User)).one()
    assert user.status == "pending" and user.person.organisation.name == "Kerlum Optics"
    page = client.get("/account").text
    assert "waiting for an administrator" in page  # said once, by the page, for as long as it waits
    assert "Welcome to Test Cluster! Your account is created." in page and "approve your account soon" not in page


@pytest.mark.parametrize("accept, language", [("en-GB,en;q=0.9", "en"), ("fr-FR,fr;q=0.9", "fr")])
def test_signup_keeps_the_language_the_form_was_read_in_for_the_members_mail(client, accept, language):
    client.post("/signup", data=SIGNUP, headers={"Accept-Language": accept})
    assert db.session.scalars(select(User)).one().language == language


def published(uid):
    """The change a peer would pull for `uid`, or None when the feed shows it nothing."""
    changes = [c for c in feed.changes("peer-x", 0, 1000)["changes"] if c["uid"] == uid]
    return changes[0] if changes and not changes[0]["deleted"] else None


def test_signup_organisation_hidden_and_unpublished_until_approval(client, make_user, login):
    admin = make_user(role="admin", email="admin@example.org")
    client.post("/signup", data=SIGNUP)
    user = db.session.scalars(select(User).where(User.status == "pending")).one()
    organisation, person = user.person.organisation, user.person
    assert client.get(f"/organisations/{organisation.uid}").status_code == 200  # the member sees their own
    client.post("/logout")
    assert published(organisation.uid) is None and published(person.uid) is None
    assert "Kerlum Optics" not in client.get("/organisations").text
    assert client.get(f"/organisations/{organisation.uid}").status_code == 404
    assert "Kerlum Optics" not in client.get("/signup").text
    assert re.search(r"<strong>(\d+)</strong> organisation", client.get("/").text).group(1) == "1"  # the admin's
    login(admin)
    client.post(f"/admin/members/{user.id}/approve")
    client.post("/logout")
    db.session.expire_all()
    assert published(organisation.uid)["data"]["name"] == "Kerlum Optics"
    assert published(person.uid) is None  # a profile goes out only with its owner's consent (PROTOCOL.md)
    assert "Kerlum Optics" in client.get("/organisations").text


def test_an_administrator_sees_a_pending_organisation_marked_and_adds_no_listing_to_it(client, make_user, login):
    admin = make_user(role="admin", email="admin@example.org")
    client.post("/signup", data=SIGNUP)
    organisation = db.session.scalars(select(User).where(User.status == "pending")).one().person.organisation
    client.post("/logout")
    login(admin)
    overview = client.get("/admin/organisations").text
    row = overview[overview.index("Kerlum Optics"):]
    assert "Awaiting approval" in row[:row.index("</tr>")]
    page = client.get(f"/organisations/{organisation.uid}").text
    assert "Awaiting approval" in page and "Add an offer or a need" not in page
    refused = client.get(f"/listings/new?organisation={organisation.uid}")
    assert refused.status_code == 409 and "approve the member first" in refused.text
    client.post(f"/admin/members/{db.session.scalars(select(User).where(User.status == 'pending')).one().id}/approve")
    page = client.get(f"/organisations/{organisation.uid}").text
    assert "Awaiting approval" not in page and "Add an offer or a need" in page
    assert client.get(f"/listings/new?organisation={organisation.uid}").status_code == 200


def test_refused_signup_leaves_no_trace_on_peers(client, make_user, login):
    admin = make_user(role="admin", email="admin@example.org")
    client.post("/signup", data=SIGNUP)
    user = db.session.scalars(select(User).where(User.status == "pending")).one()
    uids = {user.person.uid, user.person.organisation_uid}
    login(admin)
    client.post(f"/admin/members/{user.id}/disable")
    assert not uids & {c["uid"] for c in feed.changes("peer-x", 0, 1000)["changes"]}


def test_signup_joins_an_existing_organisation(client, make_organisation):
    organisation = make_organisation(name="Lumiwave")
    assert "Lumiwave" in client.get("/signup").text
    response = client.post("/signup", data=dict(SIGNUP, organisation_uid=organisation.uid, organisation_name=""))
    assert response.status_code == 303
    assert db.session.scalars(select(User)).one().person.organisation_uid == organisation.uid


def test_signup_names_the_organisation_once_and_sorts_lists_accents_aside(client, make_organisation):
    for name in ("Zephyr Optics", "Œnologie Sud", "École Centrale", "Optique Ouest"):
        make_organisation(name=name)
    page = client.get("/signup").text
    assert page.count("Your organisation") == 1
    organisations = re.findall(r'<option value="[0-9a-f-]{36}">([^<]*)</option>', page)
    assert organisations == ["École Centrale", "Œnologie Sud", "Optique Ouest", "Zephyr Optics"]
    countries = re.findall(r'<option (?:selected )?value="([A-Z]{2})"', page)
    assert countries.index("CR") < countries.index("CI") < countries.index("HR")  # Costa Rica, Côte d’Ivoire, Croatia
    french = re.findall(r'<option (?:selected )?value="([A-Z]{2})"', client.get(
        "/signup", headers={"Accept-Language": "fr"}).text)
    assert french.index("DK") < french.index("EG") < french.index("ES") < french.index("US")  # Égypte, États-Unis


@pytest.mark.parametrize("name", ["Laiteries Réunies de l'Ouest", "  laiteries réunies de l'ouest ",
                                  "LAITERIES REUNIES DE L'OUEST", "Laiteries  Réunies de l'Ouest"])
def test_signup_refuses_a_new_organisation_named_as_an_existing_one(client, make_organisation, name):
    from portal.directory.models import Organisation

    make_organisation(name="Laiteries Réunies de l'Ouest")
    response = client.post("/signup", data=dict(SIGNUP, organisation_name=name))
    assert response.status_code == 422
    error = error_beside(response.text, "organisation_name")
    assert error is not None and "exists already" in error and "choose it in the list" in error
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == 1


def error_beside(page, field_id):
    match = re.search(rf'<small id="{field_id}-error" class="field-error" role="alert">([^<]*)</small>', page)
    return match.group(1) if match else None


@pytest.mark.parametrize("changes, field, message", [
    ({"email": "not-an-address"}, "email", "e-mail address"),
    ({"password": "short", "confirm": "short"}, "password", "at least 10"),
    ({"password": "azertyuiop123", "confirm": "azertyuiop123"}, "password", "too common"),
    ({"confirm": "something else entirely"}, "confirm", "differ"),
    ({"display_name": ""}, "display_name", "required"),
    ({"display_name": "x" * 121}, "display_name", "120"),
    ({"job_title": "x" * 201}, "job_title", "200"),
    ({"organisation_name": ""}, "organisation_name", "organisation"),
    ({"organisation_name": "x" * 201}, "organisation_name", "200"),
    ({"organisation_kind": "pirate"}, "organisation_kind", "choice"),
    ({"organisation_country": "Brittany"}, "organisation_country", "choice"),
    ({"organisation_uid": "no-such-org"}, "organisation_uid", "choice"),
])
def test_signup_errors_beside_the_field_keep_the_values(client, changes, field, message):
    response = client.post("/signup", data=dict(SIGNUP, **changes))
    assert response.status_code == 422
    error = error_beside(response.text, field)
    assert error is not None and message.lower() in error.lower()
    assert 'aria-invalid="true"' in response.text
    if field != "display_name":
        assert 'value="Nolwenn Tanguy"' in response.text
    assert 'value="a sturdy passphrase"' not in response.text  # passwords are never echoed
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 0


def test_signup_duplicate_address_error_beside_the_field(client, people):
    response = client.post("/signup", data=dict(SIGNUP, email="MEMBER@example.org"))
    assert response.status_code == 422
    assert "exists already" in error_beside(response.text, "email")


def test_signup_escapes_markup(client):
    evil = "<script>alert(1)</script>"
    response = client.post("/signup", data=dict(SIGNUP, display_name=evil, organisation_name=evil, email="x"))
    assert response.status_code == 422
    assert evil not in response.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    client.post("/signup", data=dict(SIGNUP, display_name=evil, job_title=evil))
    page = client.get("/account").text
    assert evil not in page and "&lt;script&gt;" in page


def test_signup_htmx_answers_the_fragment_or_a_redirect_header(client):
    failed = client.post("/signup", data=dict(SIGNUP, email="nope"), headers=HTMX)
    assert failed.status_code == 422 and failed.text.lstrip().startswith(("{%", "<form")) is True
    assert "<html" not in failed.text and "HX-Request" in failed.headers["Vary"]
    done = client.post("/signup", data=SIGNUP, headers=HTMX)
    assert done.status_code == 204 and done.headers["HX-Redirect"] == "/account"


# Log-in and out.

def test_login_and_next(client, people):
    response = client.post("/login?next=/people/x", data={"email": "member@example.org",
                                                           "password": "correct horse battery", "next": "/people/x"})
    assert response.status_code == 303 and response.headers["Location"] == "/people/x"


def test_login_refuses_open_redirects(client, people):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example",
                   "https:evil.example", "evil.example"):
        response = client.post("/login", data={"email": "member@example.org", "password": "correct horse battery",
                                               "next": target})
        assert response.headers["Location"] == "/"  # home, with what is coming for them
        client.post("/logout")


def test_login_from_a_members_page_comes_back_to_it(client, people):
    person_page = f"/people/{people['member'].person_uid}"
    login_page = client.get(person_page).headers["Location"]
    assert login_page == f"/login?next=%2Fpeople%2F{people['member'].person_uid}"
    hidden = re.search(r'name="next" type="hidden" value="([^"]*)"', client.get(login_page).text).group(1)
    response = client.post(login_page, data={"email": "member@example.org", "password": "correct horse battery",
                                             "next": hidden}, headers=HTMX)
    assert response.headers["HX-Redirect"] == person_page
    assert client.get("/login?next=/directory").headers["Location"] == "/directory"  # already logged in
    assert client.get("/login?next=//evil.example").headers["Location"] == "/"


def test_the_log_in_link_comes_back_to_the_page(client, make_listing):
    listing = make_listing()
    assert f'href="/login?next=/listings/{listing.uid}"' in client.get(f"/listings/{listing.uid}").text
    assert 'href="/login?next=/directory?q%3Dlaser"' in client.get("/directory?q=laser").text
    assert 'href="/login"' in client.get("/signup").text


def test_login_wrong_password_error_beside_the_field(client, people):
    response = client.post("/login", data={"email": "member@example.org", "password": "wrong password"})
    assert response.status_code == 422
    assert "Wrong e-mail address or password" in error_beside(response.text, "password")
    assert 'value="member@example.org"' in response.text
    db.session.expire_all()
    assert people["member"].failed_logins == 1



def test_a_throttled_log_in_says_how_long_to_wait(client, make_user, proposed_french):
    """It said "wait a few minutes" when the first wait is 2 seconds."""
    make_user(email="anne@example.org")
    for _ in range(throttle.FREE_FAILURES + 1):
        client.post("/login", data={"email": "anne@example.org", "password": "wrong password"})
    response = client.post("/login", data={"email": "anne@example.org", "password": "correct horse battery"})
    assert response.status_code == 422
    assert re.search(r"wait (1 second|2 seconds), then try again", error_beside(response.text, "password"))
    proposed_french((("Too many failed attempts: wait %(num)d second, then try again.",
                      "Too many failed attempts: wait %(num)d seconds, then try again."),
                     ("Trop de tentatives échouées\u00a0: patientez %(num)d seconde, puis réessayez.",
                      "Trop de tentatives échouées\u00a0: patientez %(num)d secondes, puis réessayez.",
                      "Trop de tentatives échouées\u00a0: patientez %(num)d secondes, puis réessayez."), None))
    french = client.post("/login", data={"email": "anne@example.org", "password": "correct horse battery"},
                         headers={"Accept-Language": "fr"})
    assert re.search(r"patientez (1 seconde|2 secondes), puis", error_beside(french.text, "password"))


def test_disabled_account_cannot_log_in(client, make_user):
    make_user(email="gone@example.org", status="disabled")
    response = client.post("/login", data={"email": "gone@example.org", "password": "correct horse battery"})
    assert response.status_code == 422 and "disabled" in response.text


def test_pending_member_logs_in_and_is_told(client, people):
    client.post("/login", data={"email": "pending@example.org", "password": "correct horse battery"})
    assert "waiting for an administrator" in client.get("/account").text


def test_logout_everywhere_invalidates_an_old_session_cookie(app, people):
    thief, client = app.test_client(), app.test_client()
    client.post("/login", data={"email": "member@example.org", "password": "correct horse battery"})
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief.set_cookie(cookie.key, cookie.value)
    assert thief.get("/account").status_code == 200
    assert client.post("/account/logout-everywhere").status_code == 303
    g.pop("_login_user", None)  # the fixture's app context outlives requests: no cached user
    assert thief.get("/account").status_code == 302  # the copied cookie is dead
    g.pop("_login_user", None)
    assert client.get("/account").status_code == 200
    assert client.post("/logout").status_code == 303
    assert client.get("/account").status_code == 302


# Password reset.

def test_reset_flow_through_the_pages(client, people, caplog):
    from portal.mail.services import deliver_due

    response = client.post("/password/reset", data={"email": "member@example.org"}, follow_redirects=True)
    assert "If an account uses this address" in response.text
    assert "mail server" not in response.text  # operator information, not for visitors
    caplog.set_level("INFO", logger="portal.mail")
    deliver_due()
    link = re.search(r"http://test-cluster\.example(/password/reset/\S+)", caplog.text).group(1)
    assert client.get(link).status_code == 200
    weak = client.post(link, data={"password": "short", "confirm": "short"})
    assert weak.status_code == 422 and "at least 10" in error_beside(weak.text, "password")
    done = client.post(link, data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"})
    assert done.status_code == 303
    again = client.get(link)
    assert again.status_code == 400 and "already used" in again.text
    login = client.post("/login", data={"email": "member@example.org", "password": "a brand new passphrase"})
    assert login.status_code == 303


def test_reset_request_answers_the_same_for_unknown_addresses(client, people):
    known = client.post("/password/reset", data={"email": "member@example.org"}, follow_redirects=True)
    unknown = client.post("/password/reset", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert ("If an account uses this address" in known.text) and ("If an account uses this address" in unknown.text)
    assert [m.to for m in db.session.scalars(select(OutboxMessage))] == ["member@example.org"]


def test_reset_request_tells_only_an_administrator_that_mail_went_to_the_log(client, people, login):
    login(people["admin"])
    response = client.post("/password/reset", data={"email": "member@example.org"}, follow_redirects=True)
    assert "If an account uses this address" in response.text
    assert "No mail server is configured: the message was written to the server log." in response.text


def test_reset_request_with_mail_server_says_nothing_about_the_log(client, people, smtp_server):
    response = client.post("/password/reset", data={"email": "member@example.org"}, follow_redirects=True)
    assert "no mail server is configured" not in response.text


def test_tampered_reset_link(client, people):
    response = client.get("/password/reset/not-a-token")
    assert response.status_code == 400 and "not valid" in response.text


def test_reset_link_ignores_the_host_header(client, people):
    client.post("/password/reset", data={"email": "member@example.org"}, headers={"Host": "evil.example"})
    message = db.session.scalars(select(OutboxMessage)).one()
    assert "evil.example" not in message.body and "http://test-cluster.example/password/reset/" in message.body


# Profile, consent, people.

def test_profile_edit_keeps_values_and_shows_errors(client, people, login):
    login(people["member"])
    bad = client.post("/account", data={"display_name": "Mona", "bio": "x" * 2001, "topics": "optics",
                                        "phone": "call me"})
    assert bad.status_code == 422
    assert "2000" in error_beside(bad.text, "bio") and error_beside(bad.text, "phone")
    assert 'value="optics"' in bad.text
    good = client.post("/account", data={"display_name": "Mona M.", "job_title": "CTO", "bio": "Lasers",
                                         "topics": "optics, lidar, optics", "phone": "+33 6 00"}, headers=HTMX)
    assert good.status_code == 200 and "Your profile is saved" in good.text and "<html" not in good.text
    person = people["member"].person
    db.session.refresh(person)
    assert (person.display_name, person.topics, person.phone) == ("Mona M.", ["optics", "lidar"], "+33 6 00")


def test_the_phone_field_says_who_sees_the_number(client, people, login):
    """The administrators' export of the members holds it: "shown only to you" promised too much."""
    login(people["member"])
    page = client.get("/account").text
    assert re.search(r"Seen only by you and the cluster(&#39;|&#x27;|')s team \(in its exports of the members\)", page)
    assert "Shown only to you" not in page


def test_saving_the_profile_renames_the_header_menu_in_the_same_response(client, people, login):
    login(people["member"])
    assert '<summary id="nav-name">Mona Member</summary>' in client.get("/account").text
    saved = client.post("/account", data={"display_name": "Mona <M.>"}, headers=HTMX)
    assert saved.status_code == 200 and "<html" not in saved.text
    assert '<summary id="nav-name" hx-swap-oob="true">Mona &lt;M.&gt;</summary>' in saved.text
    refused = client.post("/account", data={"display_name": ""}, headers=HTMX)
    assert refused.status_code == 422 and "nav-name" not in refused.text


def test_too_many_topics(client, people, login):
    login(people["member"])
    response = client.post("/account", data={"display_name": "Mona",
                                             "topics": ", ".join(f"t{i}" for i in range(21))})
    assert response.status_code == 422 and "20" in error_beside(response.text, "topics")


def test_contact_details_only_for_the_person_themself(client, people, login):
    login(people["member"])
    own = client.get(f"/people/{people['member'].person_uid}").text
    assert "member@example.org" in own and "+33 2 98 00 11 22" in own
    login(people["admin"])
    other = client.get(f"/people/{people['member'].person_uid}").text
    assert "Mona Member" in other
    assert "member@example.org" not in other and "+33 2 98 00 11 22" not in other


def test_a_profile_shows_the_open_offers_and_needs_its_person_is_the_contact_of(client, people, login,
                                                                                 make_listing):
    mona = people["member"]
    make_listing(organisation_uid=mona.organisation_uid, person_uid=mona.person_uid, title="Laser welding cells")
    make_listing(organisation_uid=mona.organisation_uid, person_uid=mona.person_uid, title="Old offer",
                 status="closed")
    make_listing(organisation_uid=mona.organisation_uid, title="Soil probes wanted")
    login(people["admin"])
    page = client.get(f"/people/{mona.person_uid}").text
    assert "<h2>Open offers and needs</h2>" in page and "Laser welding cells" in page
    assert "Old offer" not in page and "Soil probes wanted" not in page
    assert "Open offers and needs" not in client.get(f"/people/{people['admin'].person_uid}").text


def test_remote_person_has_a_badge_and_a_link_home(client, people, login):
    from portal.directory.models import Person
    from portal.federation.models import Peer

    db.session.add(Peer(cluster_id="agrifood-ouest", name="Agrifood Ouest", base_url="https://agri.example/",
                        public_key="k", fingerprint="SHA256:x", state="confirmed"))
    remote = Person(uid="5d7c1a4e-0000-4000-8000-00000000abcd", origin="agrifood-ouest", version=3,
                    display_name="Yann Remote", job_title="Buyer")
    db.session.add(remote)
    db.session.commit()
    login(people["member"])
    page = client.get(f"/people/{remote.uid}").text
    assert "from Agrifood Ouest" in page
    assert f'href="https://agri.example/people/{remote.uid}"' in page
    assert "This profile on its home portal (Agrifood Ouest)" in page  # no "of %(cluster)s": French elides


def test_consent_page_names_confirmed_peers_only(client, people, login):
    from portal.federation.models import Peer

    for cluster, state in (("agrifood", "confirmed"), ("healthy", "pending")):
        db.session.add(Peer(cluster_id=cluster, name=cluster.title() + " Cluster", base_url="https://x.example",
                            public_key="k", fingerprint="f", state=state))
    db.session.commit()
    login(people["member"])
    page = client.get("/account").text
    assert "Agrifood Cluster" in page and "Healthy Cluster" not in page
    assert "never shared" in page.lower()
    # What not sharing does to the B2B meetings with their members, said before the choice:
    assert "they then see you as \"a participant\", without your name" in page


def test_consent_form_shares_and_withdraws(client, people, login):
    from portal.federation import feed

    login(people["member"])
    person_uid = people["member"].person_uid
    assert client.post("/account/consent", data={"share_profile": "no"}, headers=HTMX).status_code == 200
    seen = lambda: {c["uid"]: c for c in feed.changes("peer", 0, 1000)["changes"]}.get(person_uid)
    assert seen()["deleted"] is True  # the factory's profile was shared: "no" withdrew it
    response = client.post("/account/consent", data={"share_profile": "yes"}, headers=HTMX)
    assert response.status_code == 200 and "Your choice is saved" in response.text
    assert seen()["deleted"] is False
    assert client.post("/account/consent", data={"share_profile": "maybe"}).status_code == 422


def test_pending_member_cannot_share(client, people, login):
    login(people["pending"])
    response = client.post("/account/consent", data={"share_profile": "yes"})
    assert response.status_code == 422 and "once an administrator" in error_beside(response.text, "share_profile")
    assert response.text.count("once an administrator has approved") == 1


def test_a_pending_members_sharing_choice_is_disabled_and_says_why(client, people, login):
    login(people["pending"])
    page = client.get("/account").text
    choice = re.search(r'<fieldset class="consent-choice"([^>]*)>(.*?)</fieldset>\s*</form>', page, re.S)
    assert choice and " disabled" in choice.group(1) and 'aria-describedby="consent-waiting"' in choice.group(1)
    assert "Save my choice" in choice.group(2) and 'name="share_profile"' in choice.group(2)
    assert page.count("once an administrator has approved your account") == 1
    login(people["member"])
    choice = re.search(r'<fieldset class="consent-choice"([^>]*)>', client.get("/account").text)
    assert choice and "disabled" not in choice.group(1)


# Members administration.

def test_admin_filters_members(client, people, login):
    login(people["admin"])
    page = client.get("/admin/members?status=pending", headers=HTMX)
    assert "<html" not in page.text and "pending@example.org" in page.text
    assert "member@example.org" not in page.text
    assert "member@example.org" in client.get("/admin/members").text


def test_admin_members_are_paged_and_filters_keep_their_counts(app, client, people, login, make_user):
    app.config["PAGE_SIZE"] = 5
    for n in range(8):
        make_user(email=f"extra{n}@example.org", status="pending")
    login(people["admin"])
    first = client.get("/admin/members?status=pending", headers=HTMX).text
    assert first.count("<tr id=\"member-") == 5 and "Page 1 of 2" in first
    assert "Waiting for approval (9)" in first and 'rel="next"' in first
    assert "/admin/members?status=pending&amp;page=2" in first
    second = client.get("/admin/members?status=pending&page=2").text
    assert second.count("<tr id=\"member-") == 4 and "Page 2 of 2" in second
    past_the_end = client.get("/admin/members?status=pending&page=999").text  # an old link: the last page
    assert past_the_end.count("<tr id=\"member-") == 4 and "Page 2 of 2" in past_the_end


def test_admin_approves_with_htmx_and_gets_the_row(client, people, login):
    login(people["admin"])
    response = client.post(f"/admin/members/{people['pending'].id}/approve", headers=HTMX)
    assert response.status_code == 200 and response.text.lstrip().startswith("<tr")
    # The status filters come along out of band, their counts up to date.
    assert '<nav id="member-filters" class="filters" hx-swap-oob="true"' in response.text
    assert "Waiting for approval (0)" in response.text
    db.session.expire_all()
    assert people["pending"].status == "active"
    assert db.session.scalars(select(OutboxMessage.to)).all() == ["pending@example.org"]


def test_admin_refuses_a_sign_up_and_its_organisation_goes(client, make_user, login):
    admin = make_user(role="admin", email="admin@example.org")
    client.post("/signup", data=SIGNUP)
    client.post("/logout")
    user = db.session.scalars(select(User).where(User.status == "pending")).one()
    user_id, uids = user.id, {user.person.uid, user.person.organisation_uid}
    login(admin)
    page = client.get("/admin/members?status=pending").text
    row = page[page.index(f'id="member-{user_id}"'):]
    row = row[:row.index("</tr>")]
    assert f'hx-post="/admin/members/{user_id}/refuse?status=pending"' in row and "Refuse the sign-up of" in row
    assert "Make administrator" not in row  # no role for an account nobody approved
    response = client.post(f"/admin/members/{user_id}/refuse?status=pending", headers=HTMX)
    assert response.status_code == 200
    assert f'<tr id="member-{user_id}">' in response.text and "is refused" in response.text
    assert "Waiting for approval (0)" in response.text
    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    assert "Kerlum Optics" not in client.get("/admin/organisations").text
    assert not uids & {c["uid"] for c in feed.changes("peer-x", 0, 1000)["changes"]}
    again = client.post(f"/admin/members/{admin.id}/refuse", headers=HTMX)
    assert again.status_code == 422 and "your own account" in again.text


def test_only_pending_accounts_are_refused_and_active_ones_change_role(client, people, login):
    login(people["admin"])
    member = people["member"]
    page = client.get("/admin/members?status=active").text
    row = page[page.index(f'id="member-{member.id}"'):]
    assert "Make administrator" in row[:row.index("</tr>")] and "Refuse" not in row[:row.index("</tr>")]
    refused = client.post(f"/admin/members/{member.id}/refuse", headers=HTMX)
    assert refused.status_code == 422 and "waiting for approval" in refused.text
    pending = people["pending"]
    role = client.post(f"/admin/members/{pending.id}/role", data={"role": "admin"}, headers=HTMX)
    assert role.status_code == 422 and "Only an active account" in role.text
    db.session.expire_all()
    assert member.status == "active" and pending.role == "member"


def test_a_member_action_that_worked_says_so_in_its_row(client, people, login):
    """The row came back changed but silent: a screen reader heard nothing of the approval."""
    login(people["admin"])
    pending, member = people["pending"], people["member"]
    approved = client.post(f"/admin/members/{pending.id}/approve", headers=HTMX).text
    assert f'<small class="row-done" role="status">{pending.email} is approved.</small>' in approved
    role = client.post(f"/admin/members/{member.id}/role", data={"role": "admin"}, headers=HTMX).text
    assert f'<small class="row-done" role="status">{member.email} is now an administrator.</small>' in role
    refused = client.post(f"/admin/members/{member.id}/refuse", headers=HTMX).text
    assert "row-done" not in refused


def test_member_actions_keep_the_status_filter(client, people, login):
    login(people["admin"])
    page = client.get("/admin/members?status=pending", headers=HTMX).text
    approve = f"/admin/members/{people['pending'].id}/approve?status=pending"
    assert f'hx-post="{approve}"' in page.replace("&amp;", "&")
    response = client.post(approve, headers=HTMX)
    # The refreshed filters still mark "Waiting for approval" as the current one.
    current = response.text.split('aria-current="true"')[1].split("</a>")[0]
    assert "Waiting for approval (0)" in current
    plain = client.post(f"/admin/members/{people['member'].id}/disable?status=nonsense")
    assert plain.headers["Location"].endswith("/admin/members")


def test_admin_cannot_demote_themself(client, people, login):
    login(people["admin"])
    response = client.post(f"/admin/members/{people['admin'].id}/role", data={"role": "member"}, headers=HTMX)
    assert response.status_code == 422 and "your own account" in response.text
    db.session.expire_all()
    assert people["admin"].is_admin


def test_admin_makes_admin_and_disables(client, people, login):
    login(people["admin"])
    member = people["member"]
    assert client.post(f"/admin/members/{member.id}/role", data={"role": "admin"}).status_code == 302
    assert client.post(f"/admin/members/{member.id}/role", data={"role": "king"}).status_code == 400
    assert client.post(f"/admin/members/{member.id}/disable?status=active").headers["Location"].endswith(
        "/admin/members?status=active")
    db.session.expire_all()
    assert member.status == "disabled" and member.role == "admin" and not member.is_admin
    assert client.get(f"/people/{member.person_uid}").status_code == 404


def test_admin_sees_organisations(client, people, login, make_organisation, make_peer, make_replica):
    from portal.directory.models import Organisation

    make_organisation(name="Kerlum Optics")
    make_peer("agrifood-ouest", name="Agrifood Ouest")
    make_replica(Organisation, "agrifood-ouest", name="Laiteries de l'Ouest", kind="end_user", country="BE")
    login(people["admin"])
    page = client.get("/admin/organisations").text
    assert "Kerlum Optics" in page and "Lumiwave Photonics" in page
    row = page[page.index("Laiteries de l&#39;Ouest"):]
    row = row[:row.index("</tr>")]
    assert ">Belgium</td>" in row and ">Agrifood Ouest</span>" in row  # names, not codes


def test_admin_organisations_are_in_alphabetical_order_accents_and_case_aside(client, people, login,
                                                                            make_organisation):
    for name in ("Vigie Optronique", "Éoliennes du Ponant", "Ultrafast Ouest", "UVenta"):
        make_organisation(name=name)
    login(people["admin"])
    page = client.get("/admin/organisations").text
    names = re.findall(r'<td class="row-title"><a href="[^"]+">([^<]*)</a>', page)
    assert names.index("Éoliennes du Ponant") < names.index("Lumiwave Photonics")
    assert names.index("Ultrafast Ouest") < names.index("UVenta") < names.index("Vigie Optronique")


# CSRF, on for real.

def test_csrf_is_required_on_state_changes(app, people):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    refused = client.post("/login", data={"email": "member@example.org", "password": "correct horse battery"})
    assert refused.status_code == 400
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post("/login", data={"email": "member@example.org", "password": "correct horse battery",
                                           "csrf_token": token})
    assert accepted.status_code == 303
    assert client.post("/logout").status_code == 400
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', client.get("/account").text).group(1)
    assert client.post("/logout", headers={"X-CSRFToken": header_token, **HTMX}).status_code == 204


def test_login_redirect_says_why(client):
    response = client.get("/account", follow_redirects=True)
    assert "Please log in to see this page." in response.text
    assert 'name="next" type="hidden" value="/account"' in response.text


def test_member_filter_tabs_name_groups_of_members(client, people, login, proposed_french):
    login(people["admin"])
    proposed_french(("Active", "Actifs", "members"), ("Disabled", "Désactivés", "members"))
    html = client.get("/admin/members", headers={"Accept-Language": "fr"}).text
    tabs = html.split('id="member-filters"', 1)[1].split("</nav>", 1)[0]
    assert "Actifs (" in tabs and "Désactivés (" in tabs  # not one member's "Actif"
