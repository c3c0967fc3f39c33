"""Property tests of the federation API from its OpenAPI document (schemathesis), and of the feed's privacy."""
import json
import re

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

from portal.extensions import db
from tests.portals import FakePeer

ERROR_CODES = {"bad_request", "bad_signature", "stale_signature", "replayed", "unknown_peer", "not_peered",
               "not_found", "too_large", "rate_limited", "internal"}
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+?\d(?:[ .()-]?\d){7,}")


@pytest.fixture
def operations(app, make_listing):
    """Every operation of the served OpenAPI document (schemathesis reads it through WSGI)."""
    make_listing(title="Seed listing")
    schema = schemathesis.openapi.from_wsgi("/federation/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def check_shape(response_status, payload):
    assert response_status < 500, payload
    if response_status >= 400:
        assert set(payload) == {"error"}, payload
        assert set(payload["error"]) == {"code", "message"}, payload
        assert payload["error"]["code"] in ERROR_CODES, payload


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def test_unsigned_calls_never_fail_and_errors_have_the_protocol_shape(operations):
    assert {op.label for op in operations} >= {"GET /info", "GET /changes", "GET /digest", "POST /notify"}
    for operation in operations:
        @SETTINGS
        @given(case=operation.as_strategy())
        def call(case):
            response = case.call()
            check_shape(response.status_code, response.json())
        call()


def test_signed_calls_never_fail_and_errors_have_the_protocol_shape(operations, app):
    """Generated requests, signed by a confirmed peer, through the test client."""
    peer = FakePeer("peer-b")
    peer.pin(db.session)
    client = app.test_client()
    for operation in operations:
        @SETTINGS
        @given(case=operation.as_strategy())
        def call(case):
            url = "http://test-cluster.example/federation/v1" + case.formatted_path
            body = case.body if case.method.upper() == "POST" else None
            try:
                prepared = requests.Request(case.method.upper(), url, params=case.query or None,
                                            json=body).prepare()
            except (requests.RequestException, ValueError, TypeError):
                return  # not a request a client could send
            peer.auth()(prepared)
            response = client.open(prepared.url, method=prepared.method, headers=dict(prepared.headers),
                                   data=prepared.body)
            check_shape(response.status_code, response.get_json())
        call()


def test_feed_payloads_hold_no_email_or_phone(client, make_user, make_person, make_listing):
    from tests.portals import signed_open

    peer = FakePeer("peer-b")
    peer.pin(db.session)
    user = make_user(email="anne.legoff@lumiwave.example", display_name="Anne", bio="Call me")
    person = db.session.get(type(user.person), user.person_uid)
    person.phone = "+33 2 96 48 12 34"
    db.session.commit()
    make_person(phone="02 96 00 11 22", share_profile=True)
    make_listing(person_uid=user.person_uid)
    base = "http://test-cluster.example/federation/v1"
    since, bodies = 0, []
    while True:
        response = signed_open(client, peer, "GET", f"{base}/changes?since={since}&limit=2")
        bodies.append(response.get_data(as_text=True))
        page = response.get_json()
        since = page["next"]
        if not page["has_more"]:
            break
    bodies.append(signed_open(client, peer, "GET", f"{base}/digest").get_data(as_text=True))
    bodies.append(client.get(f"{base}/info").get_data(as_text=True))
    text = "\n".join(bodies)
    assert "Anne" in text  # the scan reads real payloads
    assert not EMAIL.findall(text), EMAIL.findall(text)
    assert "96 48 12 34" not in text and "02 96 00 11 22" not in text
    values = [value for body in bodies[:-2] for change in json.loads(body)["changes"]
              for value in text_values(change["data"])]
    assert values and not [v for v in values if PHONE.search(v)]


def text_values(data, key=""):
    """Free-text values of a record's data (uids and dates are not text)."""
    if isinstance(data, dict):
        return [v for k, item in data.items() for v in text_values(item, k)]
    if isinstance(data, list):
        return [v for item in data for v in text_values(item, key)]
    if isinstance(data, str) and not key.endswith(("uid", "uids", "_at", "_until")):
        return [data]
    return []
