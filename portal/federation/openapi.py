"""The OpenAPI 3.1 description of the federation API (served at /federation/v1/openapi.json)."""
from flask import current_app

from portal.federation.models import PAGE_LIMIT

ERROR_CODES = ["bad_request", "bad_signature", "stale_signature", "replayed", "unknown_peer",
               "not_peered", "not_found", "too_large", "rate_limited", "internal"]

SIGNATURE_HEADERS = [
    {"name": "Signature-Input", "in": "header", "required": True, "schema": {"type": "string"},
     "description": 'RFC 9421: alg="ed25519", keyid = the caller\'s cluster_id, covering at least '
                    '"@method" "@target-uri" "content-digest", with created and nonce.'},
    {"name": "Signature", "in": "header", "required": True, "schema": {"type": "string"}},
    {"name": "Content-Digest", "in": "header", "required": True, "schema": {"type": "string"},
     "description": "RFC 9530 sha-256 of the body (of the empty body for GET)."},
]

SIGNED_RESPONSE_HEADERS = {
    "Signature-Input": {"schema": {"type": "string"},
                        "description": 'keyid = the publisher\'s cluster_id, covering "@status" "content-digest".'},
    "Signature": {"schema": {"type": "string"}},
    "Content-Digest": {"schema": {"type": "string"}},
}


def _error(description):
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(description, schema, signed=False):
    answer = {"description": description,
              "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}
    if signed:
        answer["headers"] = SIGNED_RESPONSE_HEADERS
    return answer


SIGNED_ERRORS = {
    "400": _error("bad_request"),
    "401": _error("bad_signature, stale_signature, replayed or unknown_peer"),
    "403": _error("not_peered"),
    "413": _error("too_large"),
    "429": dict(_error("rate_limited"), headers={"Retry-After": {"schema": {"type": "integer"}}}),
    "500": _error("internal"),
}

DIGEST = {"type": "object", "required": ["count", "sha256"],
          "properties": {"count": {"type": "integer", "minimum": 0},
                         "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}}

SCHEMAS = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string", "enum": ERROR_CODES}, "message": {"type": "string"}}}}},
    "Info": {"type": "object",
             "required": ["protocol", "cluster_id", "name", "base_url", "sector", "public_key",
                          "fingerprint", "epoch", "record_types", "software"],
             "properties": {
                 "protocol": {"const": "fp1"},
                 "cluster_id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,39}$"},
                 "name": {"type": "string"}, "base_url": {"type": "string"},
                 "sector": {"enum": ["technology", "application", "mixed"]},
                 "public_key": {"type": "string", "description": "padded base64 of the raw 32-byte key"},
                 "fingerprint": {"type": "string", "pattern": "^SHA256:"},
                 "epoch": {"type": "string"},
                 "record_types": {"type": "array", "items": {"type": "string"}},
                 "software": {"type": "object", "properties": {"name": {"type": "string"},
                                                               "version": {"type": "string"}}}}},
    "Change": {"type": "object",
               "required": ["seq", "type", "uid", "origin", "version", "updated_at", "deleted", "data"],
               "properties": {
                   "seq": {"type": "integer"}, "type": {"type": "string"}, "uid": {"type": "string"},
                   "origin": {"type": "string"}, "version": {"type": "integer", "minimum": 1},
                   "updated_at": {"type": "string", "format": "date-time"},
                   "deleted": {"type": "boolean"},
                   "data": {"type": ["object", "null"], "description": "null for a tombstone"}}},
    "Changes": {"type": "object",
                "required": ["cluster_id", "epoch", "since", "next", "has_more", "changes"],
                "properties": {
                    "cluster_id": {"type": "string"}, "epoch": {"type": "string"},
                    "since": {"type": "integer"}, "next": {"type": "integer"},
                    "has_more": {"type": "boolean"},
                    "changes": {"type": "array", "items": {"$ref": "#/components/schemas/Change"}}}},
    "Digest": {"type": "object", "required": ["cluster_id", "published", "replica"],
               "properties": {"cluster_id": {"type": "string"}, "published": DIGEST, "replica": DIGEST}},
    "Notify": {"type": "object", "required": ["cluster_id", "seq"],
               "properties": {"cluster_id": {"type": "string"}, "seq": {"type": "integer", "minimum": 0}}},
    "Accepted": {"type": "object", "properties": {"accepted": {"type": "boolean"}}},
}


def openapi_document():
    """The document, with this portal's base URL as its server."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Passerelle federation API (fp1)", "version": "1",
                 "description": "Cluster Federation Protocol v1: a signed pull of each portal's records."},
        "servers": [{"url": current_app.config["BASE_URL"].rstrip("/") + "/federation/v1"}],
        "paths": {
            "/info": {"get": {"operationId": "info", "summary": "Who this portal is (unsigned).",
                              "responses": {"200": _ok("identity", "Info"), "429": SIGNED_ERRORS["429"],
                                            "500": SIGNED_ERRORS["500"]}}},
            "/changes": {"get": {
                "operationId": "changes", "summary": "The compacted feed from cursor `since`.",
                "parameters": SIGNATURE_HEADERS + [
                    {"name": "since", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
                    {"name": "limit", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_LIMIT,
                                "default": current_app.config["FEDERATION_PAGE_DEFAULT"]}}],
                "responses": dict(SIGNED_ERRORS, **{"200": _ok("a feed page", "Changes", signed=True)})}},
            "/digest": {"get": {
                "operationId": "digest", "summary": "What each side holds, to prove convergence.",
                "parameters": SIGNATURE_HEADERS,
                "responses": dict(SIGNED_ERRORS, **{"200": _ok("digests", "Digest", signed=True)})}},
            "/notify": {"post": {
                "operationId": "notify", "summary": "The caller has new changes: pull it soon.",
                "parameters": SIGNATURE_HEADERS,
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Notify"}}}},
                "responses": dict(SIGNED_ERRORS, **{"202": _ok("accepted", "Accepted")})}},
            "/openapi.json": {"get": {"operationId": "openapi", "summary": "This document.",
                                      "responses": {"200": {"description": "OpenAPI 3.1",
                                                            "content": {"application/json": {}}}}}},
        },
        "components": {"schemas": SCHEMAS},
    }
