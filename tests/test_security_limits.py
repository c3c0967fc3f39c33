"""Abuse limits: Flask-Limiter on the endpoints named in ABUSE_LIMITS, POST only."""
import pytest

from portal import create_app


@pytest.fixture
def limited(app_config, monkeypatch):
    """An app with rate limiting on, as in production."""
    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])

    def build(**limits):
        config = dict(app_config, RATELIMIT_ENABLED=True)
        if limits:
            config["ABUSE_LIMITS"] = limits
        return create_app(config)
    return build


def test_login_answers_429_after_its_limit(limited):
    app = limited()
    allowed = int(app.config["ABUSE_LIMITS"]["accounts.login"].split(" ")[0])
    client = app.test_client()
    form = {"email": "nobody@example.org", "password": "wrong password"}
    statuses = [client.post("/login", data=form).status_code for _ in range(allowed + 1)]
    assert 429 not in statuses[:allowed] and statuses[:allowed] != [405] * allowed
    assert statuses[-1] == 429
    assert client.get("/login").status_code != 429  # reading the form is not limited


def test_failed_password_changes_are_limited_like_log_ins(limited, make_user):
    app = limited(**{"accounts.change_password": "2 per minute"})
    client = app.test_client()
    with app.app_context():
        from portal.extensions import db

        make_user(email="anne@example.org")
        db.session.commit()
    client.post("/login", data={"email": "anne@example.org", "password": "correct horse battery"})
    wrong = {"current_password": "not it", "password": "a new long secret", "confirm": "a new long secret"}
    assert [client.post("/account/password", data=wrong).status_code for _ in range(3)] == [422, 422, 429]


#: The survey links need no login; a link that is not valid is refused (400) until the limit.
SURVEY_LINKS = {"surveys.answer": "/surveys/00000000-0000-4000-8000-000000000000/post_event/not-a-real-token",
                "surveys.opt_out": "/surveys/opt-out/not-a-real-token"}


@pytest.mark.parametrize("endpoint", sorted(SURVEY_LINKS))
def test_survey_links_are_limited_on_post(limited, endpoint):
    app = limited()
    allowed = int(app.config["ABUSE_LIMITS"][endpoint].split(" ")[0])
    client = app.test_client()
    url = SURVEY_LINKS[endpoint]
    statuses = [client.post(url, data={"satisfaction": "5"}).status_code for _ in range(allowed + 1)]
    assert statuses[:allowed] == [400] * allowed and statuses[-1] == 429
    assert client.get(url).status_code == 400  # reading the page is not limited


def test_survey_limit_is_configurable(limited):
    client = limited(**{"surveys.answer": "2 per minute"}).test_client()
    assert [client.post(SURVEY_LINKS["surveys.answer"]).status_code for _ in range(3)] == [400, 400, 429]


def test_limit_is_per_endpoint_and_configurable(limited):
    client = limited(**{"main.set_language": "2 per minute"}).test_client()
    statuses = [client.post("/language", data={"lang": "fr"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert client.get("/").status_code == 200
    page = client.post("/language", data={"lang": "fr"})
    assert page.status_code == 429 and "Retry-After" in page.headers


def test_another_app_does_not_count_twice(limited):
    """The limiter is process-wide: building apps again must not add a second counter."""
    for _ in range(3):
        limited(**{"main.set_language": "2 per minute"})
    client = limited(**{"main.set_language": "2 per minute"}).test_client()
    statuses = [client.post("/language", data={"lang": "en"}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_limits_are_off_when_disabled(app, client):
    assert app.config["RATELIMIT_ENABLED"] is False
    statuses = {client.post("/language", data={"lang": "fr"}).status_code for _ in range(15)}
    assert statuses == {302}


def test_log_ins_count_only_when_they_fail(limited, make_user):
    """A venue's wifi is one address: the audience logging in must not use up the limit."""
    make_user(email="ada@example.org", password="a sturdy passphrase")
    client = limited(**{"accounts.login": "2 per minute"}).test_client()
    good = {"email": "ada@example.org", "password": "a sturdy passphrase"}

    def log_in():
        status = client.post("/login", data=good).status_code
        client.post("/logout")
        return status

    assert [log_in() for _ in range(4)] == [303] * 4
    bad = {"email": "ada@example.org", "password": "not the passphrase"}
    assert [client.post("/login", data=bad).status_code for _ in range(3)] == [422, 422, 429]


def test_sign_ups_count_only_when_they_create_an_account(limited, make_organisation):
    organisation = make_organisation(name="Lumiwave")
    client = limited(**{"accounts.signup": "2 per hour"}).test_client()

    def sign_up(n, password="a sturdy passphrase"):
        client.post("/logout")
        return client.post("/signup", data={
            "email": f"member{n}@example.org", "password": password, "confirm": password,
            "display_name": f"Member {n}", "organisation_uid": organisation.uid}).status_code

    assert [sign_up(n, password="short") for n in range(3)] == [422] * 3  # typos do not count
    assert [sign_up(n) for n in range(3)] == [303, 303, 429]


def test_an_htmx_request_over_the_limit_gets_a_message_above_the_page(limited):
    client = limited(**{"main.set_language": "1 per minute"}).test_client()
    client.post("/language", data={"language": "fr"}, headers={"HX-Request": "true"})
    over = client.post("/language", data={"language": "fr"}, headers={"HX-Request": "true"})
    assert over.status_code == 429
    assert over.headers["HX-Retarget"] == "#flashes" and over.headers["HX-Reswap"] == "innerHTML"
    assert over.text.lstrip().startswith('<p class="flash flash-error" role="alert">') and "<header" not in over.text


def test_an_address_found_taken_at_sign_up_counts_like_an_account_created(limited, make_user, make_organisation):
    """Else "an account with this address exists already" would list accounts without limit."""
    organisation = make_organisation(name="Lumiwave")
    make_user(email="admin@example.org")
    client = limited(**{"accounts.signup": "2 per hour"}).test_client()

    def sign_up(email):
        return client.post("/signup", data={
            "email": email, "password": "a sturdy passphrase", "confirm": "a sturdy passphrase",
            "display_name": "Probe", "organisation_uid": organisation.uid}).status_code

    assert [sign_up("admin@example.org") for _ in range(3)] == [422, 422, 429]
