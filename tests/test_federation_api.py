"""The federation endpoints: shapes, parameters, errors, limits (PROTOCOL.md section 3)."""
import base64
import hashlib
import json
import re

import pytest
from werkzeug.exceptions import Conflict, ServiceUnavailable, UnsupportedMediaType

from portal.extensions import db
from portal.federation import feed, keys, signing
from portal.federation.models import Peer, Setting
from tests.portals import FakePeer, signed_open

BASE = "http://test-cluster.example/federation/v1"


@pytest.fixture
def peer(app):
    fake = FakePeer("peer-b")
    fake.pin(db.session)
    return fake


def test_info_describes_this_portal(client):
    info = client.get(f"{BASE}/info").get_json()
    assert info["protocol"] == "fp1" and info["cluster_id"] == "test-cluster"
    assert set(info) == {"protocol", "cluster_id", "name", "base_url", "sector", "public_key",
                         "fingerprint", "epoch", "record_types", "software"}
    raw = keys.load_public(info["public_key"]).public_bytes_raw()
    assert info["fingerprint"] == "SHA256:" + base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")
    assert re.fullmatch(r"SHA256:[A-Za-z0-9+/]{43}", info["fingerprint"])
    assert len(raw) == 32
    assert info["epoch"] == db.session.get(Setting, "epoch").value
    assert {"organisation", "person", "listing"} <= set(info["record_types"])


def test_info_without_epoch_is_a_setup_error(client):
    db.session.delete(db.session.get(Setting, "epoch"))
    db.session.commit()
    response = client.get(f"{BASE}/info")
    assert response.status_code == 500 and response.get_json()["error"]["code"] == "internal"


def test_changes_page_shape(client, peer, make_listing):
    listing = make_listing(title="Hyperspectral camera")
    page = signed_open(client, peer, "GET", f"{BASE}/changes?since=0&limit=1").get_json()
    assert set(page) == {"cluster_id", "epoch", "since", "next", "has_more", "changes"}
    assert page["has_more"] is True and page["since"] == 0 and len(page["changes"]) == 1
    rest = signed_open(client, peer, "GET", f"{BASE}/changes?since={page['next']}").get_json()
    change = rest["changes"][0]
    assert set(change) == {"seq", "type", "uid", "origin", "version", "updated_at", "deleted", "data"}
    assert change["uid"] == listing.uid and change["data"]["title"] == "Hyperspectral camera"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", change["updated_at"])
    assert rest["has_more"] is False and rest["next"] == change["seq"]


def test_changes_body_is_the_feed_page_with_the_stored_data_spliced_in(client, peer, make_listing):
    make_listing(title='Caméra "hyperspectrale" \\ 光', keywords=["a\tb", "</script>"])
    gone = make_listing(title="Withdrawn")
    db.session.delete(gone)
    db.session.commit()
    response = signed_open(client, peer, "GET", f"{BASE}/changes?since=0")
    page = json.loads(response.get_data(as_text=True))
    assert page == {"cluster_id": "test-cluster", "epoch": db.session.get(Setting, "epoch").value,
                    **feed.changes("peer-b", 0, 500)}
    assert [c["deleted"] for c in page["changes"]][-1] is True and page["changes"][-1]["data"] is None


def test_any_limit_the_protocol_allows_is_taken_and_capped_by_our_page_size(app, client, peer, make_listing):
    """PROTOCOL.md: `limit` is 1..1000. A portal serving smaller pages answers a larger limit with
    a page of its size and has_more, and never asks a peer for more than 1,000."""
    for title in ("One", "Two", "Three"):
        make_listing(title=title)
    app.config["FEDERATION_PAGE_MAX"] = 2
    response = signed_open(client, peer, "GET", f"{BASE}/changes?since=0&limit=1000")
    assert response.status_code == 200
    page = response.get_json()
    assert len(page["changes"]) == 2 and page["has_more"] is True
    parameters = client.get(f"{BASE}/openapi.json").get_json()["paths"]["/changes"]["get"]["parameters"]
    assert next(p for p in parameters if p["name"] == "limit")["schema"]["maximum"] == 1000


@pytest.mark.parametrize("query", ["since=-1", "since=x", "limit=0", "limit=1001", "limit=", "since=1.5",
                                   "since=9223372036854775808", "since=+5", "since=%201", "since=%EF%BC%91"])
def test_bad_parameters_are_bad_request(client, peer, query):
    response = signed_open(client, peer, "GET", f"{BASE}/changes?{query}")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"


def test_the_largest_cursor_is_a_cursor(client, peer):
    """A seq is a 64-bit integer: every cursor up to 2**63 - 1 is valid (19 digits), and past the feed's end."""
    response = signed_open(client, peer, "GET", f"{BASE}/changes?since=9223372036854775807")
    assert response.status_code == 200 and response.get_json()["changes"] == []


@pytest.mark.parametrize("path, signed, status", [
    ("changes?since=0", True, 200), ("changes?since=x", True, 400), ("digest", True, 200),
    ("digest", False, 401), ("changes", False, 401)])
def test_every_answer_of_changes_and_digest_is_signed_errors_included(client, peer, path, signed, status):
    """PROTOCOL.md section 4: the publisher signs the responses of changes and digest; a caller
    checking every answer against the pinned key saw our errors as forged."""
    import requests

    answer = signed_open(client, peer, "GET", f"{BASE}/{path}") if signed else client.get(f"{BASE}/{path}")
    assert answer.status_code == status
    response = requests.Response()
    response.status_code, response._content = answer.status_code, answer.get_data()
    response.headers.update(dict(answer.headers))
    verified = signing.verify_response(response, "test-cluster", keys.public_key_b64())
    assert verified.parameters["keyid"] == "test-cluster"


def test_a_wrong_method_at_changes_is_signed_too(client, peer):
    """Refused while routing (no endpoint known yet), it is still an answer of changes."""
    import requests

    answer = client.post(f"{BASE}/changes")
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "bad_request"
    response = requests.Response()
    response.status_code, response._content = answer.status_code, answer.get_data()
    response.headers.update(dict(answer.headers))
    assert signing.verify_response(response, "test-cluster", keys.public_key_b64()).parameters["keyid"] == "test-cluster"


def test_digest_shape(client, peer, make_listing):
    make_listing()
    gone = make_listing(title="Withdrawn")
    db.session.delete(gone)
    db.session.commit()
    answer = signed_open(client, peer, "GET", f"{BASE}/digest").get_json()
    assert answer["cluster_id"] == "test-cluster"
    assert answer["replica"] == {"count": 0,
                                 "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}
    # PROTOCOL.md's hash, computed here from what a full pull delivers, tombstone included.
    changes = signed_open(client, peer, "GET", f"{BASE}/changes?since=0").get_json()["changes"]
    lines = sorted((c["type"], c["uid"], f"{c['type']} {c['uid']} {c['version']} {int(c['deleted'])}\n")
                   for c in changes)
    assert any(c["deleted"] for c in changes)
    assert answer["published"] == {"count": len(changes),
                                   "sha256": hashlib.sha256("".join(line for *_, line in lines).encode()).hexdigest()}


def test_notify_is_accepted_and_marks_the_peer(client, peer):
    response = signed_open(client, peer, "POST", f"{BASE}/notify", json={"cluster_id": "peer-b", "seq": 7})
    assert response.status_code == 202
    stored = db.session.get(Peer, "peer-b")
    db.session.refresh(stored)
    assert stored.notified_at is not None and stored.head == 7


@pytest.mark.parametrize("body", [{"cluster_id": "peer-b"}, {"cluster_id": "peer-b", "seq": "7"},
                                  {"cluster_id": "someone-else", "seq": 1}, [1, 2]])
def test_notify_with_a_bad_body_is_bad_request(client, peer, body):
    response = signed_open(client, peer, "POST", f"{BASE}/notify", json=body)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"


def test_notify_body_over_the_cap_is_too_large(client, peer, app):
    app.config["FEDERATION_MAX_BODY"] = 100
    response = signed_open(client, peer, "POST", f"{BASE}/notify",
                           json={"cluster_id": "peer-b", "seq": 1, "pad": "x" * 200})
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_large"


def test_unknown_path_is_json_not_found(client):
    response = client.get(f"{BASE}/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


#: PROTOCOL.md section 3: each error code with its one status.
PROTOCOL_ERRORS = {"bad_request": 400, "bad_signature": 401, "stale_signature": 401, "replayed": 401,
                   "unknown_peer": 401, "not_peered": 403, "not_found": 404, "too_large": 413,
                   "rate_limited": 429, "internal": 500}


@pytest.mark.parametrize("method, path, allowed", [
    ("POST", "/info", "GET"), ("DELETE", "/info", "GET"), ("GET", "/notify", "POST"),
    ("PUT", "/notify", "POST"), ("POST", "/digest", "GET"), ("POST", "/changes", "GET"),
    ("OPTIONS", "/info", "GET"), ("OPTIONS", "/notify", "POST")])
def test_wrong_method_is_bad_request_with_allow(client, method, path, allowed):
    """OPTIONS included: Flask answers it by itself, with an empty 200 that is no JSON."""
    response = client.open(f"{BASE}{path}", method=method, json={"cluster_id": "peer-b", "seq": 1})
    assert (response.status_code, response.get_json()["error"]["code"]) == (400, "bad_request")
    assert allowed in {m.strip() for m in response.headers["Allow"].split(",")}
    assert "OPTIONS" not in response.headers["Allow"]


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/changes", {"json": {}}), ("POST", "/nothing-here", {"json": {}}),
    ("PATCH", "/openapi.json", {"data": b"x", "content_type": "text/plain"}),
    ("GET", "//info", {}), ("GET", "/info/", {}), ("BREW", "/info", {})])
def test_every_refusal_is_a_protocol_code_with_its_status(client, method, path, body):
    response = client.open(f"{BASE}{path}", method=method, **body)
    assert response.status_code >= 400
    assert PROTOCOL_ERRORS[response.get_json()["error"]["code"]] == response.status_code


@pytest.mark.parametrize("path", ["/federation//v1/info", "/federation//v1//changes", "/federation///v1/digest"])
def test_doubled_slashes_within_the_prefix_are_not_found_too(client, path):
    """Werkzeug redirects a path with doubled slashes (308, an HTML page) before any view runs:
    under the API, every non-2xx answer is a protocol error (PROTOCOL.md section 3)."""
    response = client.get(f"http://test-cluster.example{path}")
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "not_found")


@pytest.mark.parametrize("raised, expected", [
    (UnsupportedMediaType, (400, "bad_request")), (Conflict, (400, "bad_request")),
    (ServiceUnavailable, (500, "internal"))])
def test_an_unlisted_status_raised_in_a_view_becomes_its_closest_code(client, monkeypatch, raised, expected):
    def refuse():
        raise raised()
    monkeypatch.setattr("portal.federation.queries.info", refuse)
    response = client.get(f"{BASE}/info")
    assert (response.status_code, response.get_json()["error"]["code"]) == expected


def test_openapi_document(client):
    document = client.get(f"{BASE}/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert {"/info", "/changes", "/digest", "/notify", "/openapi.json"} == set(document["paths"])
    json.dumps(document)


def test_csrf_does_not_apply_to_the_federation_api(app, client, peer):
    app.config["WTF_CSRF_ENABLED"] = True
    response = signed_open(client, peer, "POST", f"{BASE}/notify", json={"cluster_id": "peer-b", "seq": 1})
    assert response.status_code == 202


def test_rate_limited_caller_gets_429_with_retry_after(app_config, monkeypatch, make_instance_env=None):
    from portal import create_app

    app_config = dict(app_config, RATELIMIT_ENABLED=True, FEDERATION_RATE_LIMIT="2/minute")
    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])
    limited = create_app(app_config)
    with limited.app_context():
        client = limited.test_client()
        statuses = [client.get(f"{BASE}/info").status_code for _ in range(3)]
        response = client.get(f"{BASE}/info")
        db.session.remove()
        db.engine.dispose()
    assert statuses == [200, 200, 429]
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0


@pytest.fixture
def limited(app_config, monkeypatch):
    """An app with rate limiting on, as in production, and these limits."""
    from portal import create_app

    monkeypatch.setenv("PORTAL_INSTANCE", app_config["INSTANCE_FOR_TESTS"])

    def build(**config):
        limited = create_app(dict(app_config, RATELIMIT_ENABLED=True, **config))
        with limited.app_context():
            FakePeer("peer-b").pin(db.session)
        return limited
    return build


def test_invented_keyids_share_one_quota(limited):
    """The limit counts before the signature is verified: a keyid that is no peer's gets no quota of its own."""
    client = limited(FEDERATION_RATE_LIMIT="2/minute").test_client()
    statuses = [client.get(f"{BASE}/changes", headers={"Signature-Input": f'sig1=("@method");keyid="made-up-{n}"',
                                                        "Signature": "sig1=:AAAA:"}).status_code
                for n in range(3)]
    assert statuses == [401, 401, 429]


def test_retry_after_only_on_429(limited):
    """Retry-After means "wait before the next request" (RFC 9110): not on answers that are no refusal."""
    client = limited(FEDERATION_RATE_LIMIT="2/minute").test_client()
    answers = [client.get(f"{BASE}/info"), client.get(f"{BASE}/changes"), client.get(f"{BASE}/digest")]
    assert [a.status_code for a in answers] == [200, 401, 429]  # one quota for every endpoint
    assert [a.headers.get("Retry-After") for a in answers[:2]] == [None] * 2
    assert all(a.headers["X-RateLimit-Limit"] == "2" for a in answers)
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_retry_after_only_on_429_on_pages_too(limited):
    client = limited(ABUSE_LIMITS={"main.set_language": "2 per minute"}).test_client()
    answers = [client.post("/language", data={"lang": "fr"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert [a.headers.get("Retry-After") for a in answers[:2]] == [None, None]
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_a_chunked_body_over_the_cap_is_too_large(client, peer, app):
    """A body sent without Content-Length (chunked) is cut at FEDERATION_MAX_BODY by Werkzeug,
    without an error: its digest then failed (401 bad_signature) where PROTOCOL.md says too_large."""
    import io

    app.config["FEDERATION_MAX_BODY"] = 100
    url = f"{BASE}/notify"

    def chunked(pad):
        headers, body = peer.headers("POST", url, json={"cluster_id": "peer-b", "seq": 1, "pad": pad})
        del headers["Content-Length"]
        return client.post(url, headers=headers, input_stream=io.BytesIO(body),
                           environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""})

    response = chunked("x" * 200)
    assert (response.status_code, response.get_json()["error"]["code"]) == (413, "too_large")
    assert chunked("x").status_code == 202


@pytest.mark.parametrize("path", ["/changes?since=%00", "/info?x=%00"])
def test_a_nul_character_is_refused_in_english_like_every_api_error(client, path):
    """The API's answers are for the machines and operators of other clusters, whatever this
    portal's language: the NUL refusal, made for pages, spoke the asking browser's language."""
    response = client.get(f"{BASE}{path}", headers={"Accept-Language": "fr"})
    assert (response.status_code, response.get_json()["error"]["code"]) == (400, "bad_request")
    assert response.get_json()["error"]["message"] == "the request holds a NUL character, which no text may contain"
