"""Every route, tried by every kind of visitor, answers as its `@access(...)` declaration says.

Each view declares who may use it, next to its route, with `portal.security.access`:
`@access("public" | "member" | "publisher" | "owner" | "admin" | "peer-signed")`. This test
walks the URL map, fails for an endpoint without a declaration, builds each URL with
records that exist (an organisation, its member's person and listing, an event...) and
checks the outcome class for six visitors:

- anonymous: no session;
- peer organiser: an organiser of a partner cluster has no account here; their browser is
  an anonymous visitor, and a request carrying a signature that is not a confirmed peer's
  is no better (same expectations as anonymous, and 401 on the signed federation API);
- pending: a member of organisation A whose account is not approved yet;
- other: an active member of another organisation;
- member: an active member of organisation A, which owns the records in the URL;
- admin: an administrator of this portal (administrators moderate: they may act as owners).

"owner" routes whose URL names no record (e.g. "new listing") behave as "publisher".
"""
import flask_migrate
import pytest
from flask import g, url_for

from portal import create_app
from portal.federation.records import REGISTRY
from portal.ops import health

ROLES = ("anonymous", "peer", "pending", "other", "member", "admin")
OK = {"ok", "missing"}  # served, or a legitimate 404 / 4xx about the input
LOGIN = {"login"}
DENIED = {"denied"}

#: access level -> role -> acceptable outcome classes.
EXPECTED = {
    "public": dict.fromkeys(ROLES, OK),
    "member": {"anonymous": LOGIN, "peer": LOGIN, "pending": OK, "other": OK, "member": OK, "admin": OK},
    "publisher": {"anonymous": LOGIN, "peer": LOGIN, "pending": DENIED, "other": OK, "member": OK, "admin": OK},
    "owner": {"anonymous": LOGIN, "peer": LOGIN, "pending": DENIED, "other": DENIED | {"missing"},
              "member": OK, "admin": OK},
    "admin": {"anonymous": LOGIN, "peer": LOGIN, "pending": DENIED, "other": DENIED, "member": DENIED,
              "admin": OK},
    "peer-signed": dict.fromkeys(ROLES, {"unsigned"}),
}

#: URL variable names that do not say the record type they hold.
ALIASES = {"request": "meeting_request", "reply": "meeting_reply", "decision": "registration_decision",
           "item": "agenda_item", "response": "survey_response"}
DUMMY_UID = "00000000-0000-4000-8000-000000000000"

#: A signature from a key this portal never pinned (the "peer" visitor sends it everywhere).
FOREIGN_SIGNATURE = {
    "Signature-Input": 'sig1=("@method" "@target-uri" "content-digest");created=1700000000;'
                       'keyid="health-cluster";alg="ed25519";nonce="matrix"',
    "Signature": "sig1=:" + "A" * 86 + "==:",
    "Content-Digest": "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:",
}


def routes():
    """(endpoint, rule, methods) for every route of a fully built app (no database needed)."""
    app = create_app({"TESTING": True, "SECRET_KEY": "routes", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint != "static":
            # GET first: a POST may change what the next visitor finds (404 is then fine).
            methods = sorted(rule.methods - {"HEAD", "OPTIONS"}, key=lambda m: (m != "GET", m))
            found.append((rule.endpoint, rule.rule, tuple(methods)))
    return app, found


APP, ROUTES = routes()


def test_every_endpoint_declares_its_access():
    undeclared = sorted({endpoint for endpoint, _, _ in ROUTES
                         if getattr(APP.view_functions[endpoint], "access", None) is None})
    assert not undeclared, ("declare @access(...) next to these routes: " + ", ".join(undeclared))


@pytest.fixture
def world(app, request):
    """Organisation A with an active member, a pending one and a listing; another member; an admin.

    Built with one commit (the factories commit each object; this runs for every route).
    """
    from portal.accounts.models import User
    from portal.directory.models import Listing, Organisation, Person
    from portal.extensions import db

    def account(name, organisation, **fields):
        person = Person(display_name=name, organisation_uid=organisation.uid, share_profile=True)
        db.session.add(person)
        db.session.flush()
        user = User(email=f"{name.lower().replace(' ', '.')}@example.org", person_uid=person.uid,
                    password_hash="!", session_token=name.lower().replace(" ", "-"), **fields)
        db.session.add(user)
        return user

    if health.script_heads():  # the schema came from create_all: tell Alembic it is current
        flask_migrate.stamp()
    org_a, org_b, org_c = (Organisation(name=f"Organisation {x}", country="FR") for x in "ABC")
    db.session.add_all([org_a, org_b, org_c])
    db.session.flush()
    users = {"pending": account("Pending of A", org_a, status="pending"),
             "member": account("Member of A", org_a, status="active"),
             "other": account("Member of B", org_b, status="active"),
             "admin": account("Administrator", org_c, status="active", role="admin")}
    subject = account("Subject of A", org_a, status="pending")
    listing = Listing(kind="offer", organisation_uid=org_a.uid, person_uid=users["member"].person_uid,
                      title="Fibre Bragg grating sensors", status="open")
    db.session.add(listing)
    db.session.commit()
    records = {"organisation": org_a.uid, "person": users["member"].person_uid, "listing": listing.uid}
    for fed_type in sorted(REGISTRY):
        if fed_type not in records:
            records[fed_type] = sample_record(request, fed_type)
    return {"users": users, "subject_id": subject.id, "records": records}


def sample_record(request, fed_type):
    """One record made by the suite's `make_<type>` factory when there is one, else a dummy uid."""
    from portal.extensions import db

    try:
        factory = request.getfixturevalue(f"make_{fed_type}")
        return factory().uid
    except Exception:  # no factory, or one that needs arguments: 404 is then an acceptable outcome
        db.session.rollback()
        return DUMMY_UID


def arguments(app, endpoint, rule):
    return next(r for r in app.url_map.iter_rules(endpoint) if r.rule == rule).arguments


def url_values(endpoint, names, world):
    """A value for each URL variable, naming records that exist when possible."""
    records = world["records"]
    values = {}
    for name in names:
        if name.endswith("_id") or name == "id":
            values[name] = world["subject_id"]
        elif name == "uid":
            values[name] = records.get(record_type(endpoint), DUMMY_UID)
        elif name.endswith("_uid"):
            kind = name[:-4]
            values[name] = records.get(ALIASES.get(kind, kind), DUMMY_UID)
        else:
            values[name] = "not-a-real-" + name
    return values


def record_type(endpoint):
    """The type an endpoint's bare `uid` holds: the longest type name found in the endpoint."""
    blueprint, _, name = endpoint.partition(".")
    for candidate in (name, blueprint):
        matches = [t for t in REGISTRY if t in candidate]
        matches += [t for alias, t in ALIASES.items() if alias in candidate]
        if matches:
            return max(matches, key=len)
    return {"events": "event", "accounts": "person", "directory": "organisation"}.get(blueprint)


def outcome(response, login_path):
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status in (301, 302, 303, 307) and response.location.split("?")[0].endswith(login_path):
        return "login"
    return {401: "unsigned", 403: "denied", 404: "missing"}.get(status, "ok")


def attempt(app, role, method, url, world):
    client = app.test_client()
    g.pop("_login_user", None)  # the fixture's app context outlives requests: no cached user
    if role in world["users"]:
        with client.session_transaction() as session:
            session["_user_id"] = world["users"][role].get_id()
            session["_fresh"] = True
    headers = FOREIGN_SIGNATURE if role == "peer" else {}
    return client.open(url, method=method, headers=headers, data={} if method != "GET" else None)


@pytest.mark.parametrize("endpoint,rule,methods", ROUTES, ids=[f"{'+'.join(m)} {r}" for _, r, m in ROUTES])
def test_route_answers_as_declared(app, world, endpoint, rule, methods):
    level = getattr(app.view_functions[endpoint], "access", None)
    assert level is not None, f"{endpoint} declares no @access(...)"
    names = arguments(app, endpoint, rule)
    with app.test_request_context():
        url = url_for(endpoint, **url_values(endpoint, names, world))
        login_path = url_for("accounts.login")
    expected = EXPECTED[level]
    if level == "owner" and not names - {"token"}:
        expected = EXPECTED["publisher"]  # nothing in the URL to own: any active member may
    wrong = {}
    for method in methods:
        for role in ROLES:
            seen = outcome(attempt(app, role, method, url, world), login_path)
            if seen not in expected[role]:
                wrong[f"{method} as {role}"] = f"{seen} (expected {' or '.join(sorted(expected[role]))})"
    assert not wrong, f"{url} declared {level!r}: {wrong}"


def test_every_post_form_an_administrator_sees_carries_its_csrf_token(app, client, login, make_user, make_b2b_event):
    """With CSRF on, as in production: a form that posts without htmx (no JavaScript, or a
    plain submit beside an htmx preview) must hold its token, or the server answers 400."""
    import re

    event = make_b2b_event()
    login(make_user(role="admin", email="admin@example.org"))
    app.config["WTF_CSRF_ENABLED"] = True
    values = {"uid": event.uid, "event_uid": event.uid}
    pages, missing = 0, []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not set(rule.arguments) <= set(values) or rule.endpoint == "static":
            continue
        path = rule.build({name: values[name] for name in rule.arguments})[1]
        response = client.get(path)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        pages += 1
        for form in re.findall(r"<form\b[^>]*>.*?</form>", response.text, re.S):
            # A prefixed form's token (name="post_event-csrf_token") is found by Flask-WTF too.
            if re.search(r'method="post"', form[:form.index(">")], re.I) and not re.search(r'name="[\w-]*csrf_token"', form):
                missing.append((path, form[:160]))
    assert pages > 40 and missing == []
