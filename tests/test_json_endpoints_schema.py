"""schemathesis over the JSON endpoints outside the federation API (/healthz, the member's data download).

The federation API is exercised from its served OpenAPI document (test_federation_schema.py);
the other JSON endpoints are described here, with free-form query strings and headers so
that generated input reaches them. The first test keeps this list whole: a new JSON route
that neither document describes fails it.
"""
import json

import flask_migrate
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from portal.ops import health

ANYTHING = [{"name": "params", "in": "query", "style": "form", "explode": True,
             "schema": {"type": "object", "additionalProperties": {"type": "string"}}},
            {"name": "X-Anything", "in": "header", "schema": {"type": "string"}},
            {"name": "Accept", "in": "header", "schema": {"type": "string"}}]


def operation(summary):
    return {"get": {"summary": summary, "parameters": ANYTHING,
                    "responses": {"200": {"description": "JSON", "content": {"application/json": {}}}}}}


DOCUMENT = {"openapi": "3.1.0", "info": {"title": "Passerelle JSON endpoints", "version": "1"},
            "paths": {"/healthz": operation("health"), "/account/data.json": operation("my data")}}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def test_every_json_endpoint_is_described(app, client):
    served = client.get("/federation/v1/openapi.json").get_json()["paths"]
    described = {"/federation/v1" + path for path in served} | set(DOCUMENT["paths"])
    json_rules = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/federation/")
                  or rule.rule.endswith(".json") or rule.endpoint == "ops.healthz"}
    assert json_rules and not json_rules - described, f"describe these JSON routes: {sorted(json_rules - described)}"


@pytest.fixture
def member_client(app, make_user):
    from flask import g

    user = make_user(email="anne@example.org", display_name="Anne")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    g.pop("_login_user", None)
    return client


@pytest.mark.parametrize("path", sorted(DOCUMENT["paths"]))
def test_generated_requests_never_fail(app, member_client, path):
    from flask import g

    if health.script_heads():  # the schema came from create_all: tell Alembic it is current
        flask_migrate.stamp()
    schema = schemathesis.openapi.from_dict(DOCUMENT)
    (found,) = [result.ok() for result in schema.get_all_operations() if result.ok().path == path]
    seen = []

    @SETTINGS
    @given(case=found.as_strategy())
    def call(case):
        g.pop("_login_user", None)  # requests share the test's app context
        headers = {k: v for k, v in (case.headers or {}).items() if v.isascii() and "\n" not in v}
        response = member_client.get(case.formatted_path, query_string=case.query, headers=headers)
        assert response.mimetype == "application/json"
        body = json.loads(response.get_data(as_text=True))
        if any("\x00" in str(value) for value in (case.query or {}).values()):  # no text holds a NUL
            assert response.status_code == 400 and body["error"]["code"] == "bad_request"
            return
        assert response.status_code == 200, (case.query, headers, body)
        seen.append(body)
    call()
    assert len(seen) > 10
    assert all(("database" in body) if path == "/healthz" else ("account" in body) for body in seen)


def test_json_endpoints_answer_errors_in_json(client):
    response = client.get("/healthz?probe=%00")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"
    response = client.get("/account/data.json")  # not logged in: the login page, not JSON
    assert response.status_code in (302, 401)
