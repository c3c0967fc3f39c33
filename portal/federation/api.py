"""The federation API (JSON only): PROTOCOL.md section 3."""
import json
import re
from functools import wraps

from flask import Blueprint, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge, default_exceptions

from portal.errors import json_error
from portal.extensions import csrf, db, limiter
from portal.federation import feed, queries, services, signing
from portal.federation.client import JSON_TYPE
from portal.federation.models import MAX_SEQ, PAGE_LIMIT
from portal.federation.openapi import openapi_document
from portal.privacy.audit import record_share
from portal.security import access

bp = Blueprint("federation", __name__, url_prefix="/federation/v1")
csrf.exempt(bp)

#: PROTOCOL.md section 3: the statuses its error codes use, one status per code.
PROTOCOL_STATUSES = {400, 401, 403, 404, 413, 429, 500}
CURSOR = re.compile(r"^[0-9]{1,19}\Z")  # ASCII digits only (int() takes " 1", "+5", "１")


class ApiError(HTTPException):
    """A protocol error; rendered as {"error": {"code", "message"}} with the code's own status."""

    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.code, self.error_code, self.headers = status, code, headers


# Registered on the app: an address the blueprint's rules do not route is refused before
# the blueprint is known (see refuse_unrouted).
@bp.app_errorhandler(ApiError)
def api_error(error):
    db.session.rollback()
    return json_error(error.code, error.error_code, error.description, error.headers)


@bp.before_app_request
def refuse_unrouted():
    """An address under the API that routing refused gets a protocol code, never Werkzeug's status.

    PROTOCOL.md pairs each code with one status: a wrong method is `bad_request` (400, with
    Allow), and a path that is no endpoint (slashes that Werkzeug would redirect included) is
    `not_found`. Refused here, before the app's checks for pages (a JSON body is 415 there).
    OPTIONS is a wrong method too: Flask would answer it with an empty 200 that is no JSON.
    """
    if not (re.sub("/{2,}", "/", request.path) + "/").startswith(bp.url_prefix + "/"):  # "/federation//v1" too
        return
    error = request.routing_exception
    if error is None and request.method == "OPTIONS":
        error = MethodNotAllowed(request.url_rule.methods - {"OPTIONS"})
    if error is None:
        return
    if isinstance(error, MethodNotAllowed):
        allowed = ", ".join(sorted(set(error.valid_methods or ()) - {"OPTIONS"}))
        raise ApiError(400, "bad_request", f"{request.method} is not allowed here (allowed: {allowed})",
                       {"Allow": allowed})
    raise ApiError(404, "not_found", "no such endpoint in the federation API")  # 404, or a 308 redirect


def unlisted_error(error):
    """A status PROTOCOL.md does not list (409, 415, 503...) raised on the way: its closest code."""
    status, code = (500, "internal") if error.code >= 500 else (400, "bad_request")
    return api_error(ApiError(status, code, error.description))


for _status in set(default_exceptions) - PROTOCOL_STATUSES:
    bp.register_error_handler(_status, unlisted_error)


def rate_limit_key():
    """Per caller: the claimed keyid of a known peer together with the address, so nobody
    spends another's quota. Any other keyid counts as none: inventing keyids gets no fresh quota
    (the limit runs before the signature is verified)."""
    keyid = signing.signature_keyid()
    if keyid is not None and queries.get_peer(keyid) is None:
        keyid = None
    return f"{keyid or '-'}@{request.remote_addr}"


# One quota per caller for the whole API (a limit on the blueprint would count each endpoint apart).
limiter.shared_limit(lambda: current_app.config["FEDERATION_RATE_LIMIT"], scope="federation",
                     key_func=rate_limit_key)(bp)


@bp.before_request
def cap_body():
    request.max_content_length = current_app.config["FEDERATION_MAX_BODY"]


@bp.after_app_request
def json_charset(response):
    """Every federation answer, errors included, says its charset."""
    if request.path.startswith("/federation/") and response.mimetype == "application/json":
        response.headers["Content-Type"] = JSON_TYPE
    return response


#: PROTOCOL.md section 4: the publisher signs the responses of these, errors included (a
#: caller that checks every answer of `changes` against the pinned key sees ours verify).
SIGNED_ANSWERS = {f"{bp.url_prefix}/changes", f"{bp.url_prefix}/digest"}


@bp.after_app_request
def sign_answer(response):
    """By address, not endpoint: a wrong method there is refused while routing, no endpoint known."""
    if request.path in SIGNED_ANSWERS:
        signing.sign_response(response)
    return response


def as_json(payload, status=200):
    return json_text(json.dumps(payload, separators=(",", ":"), ensure_ascii=False), status)


def json_text(text, status=200):
    return current_app.response_class(text.encode("utf-8"), status=status, content_type=JSON_TYPE)


def signed(view):
    """Authenticate the caller (see signing.py for the order of checks); `g.peer` is it."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        read_body()
        try:
            g.peer, g.caller = signing.verify_request(queries.get_peer, services.remember_nonce)
        except signing.SignatureError as error:
            db.session.commit()  # a nonce seen stays seen even when the caller is refused
            raise ApiError(error.status, error.code, error.message) from error
        try:
            response = view(*args, **kwargs)
        except Exception:
            keep_nonce()
            raise
        db.session.commit()  # the nonce, with whatever the view wrote: one commit
        return response
    return wrapped


def read_body():
    """Read the body, within FEDERATION_MAX_BODY, before any work (413 `too_large` past it).

    Werkzeug refuses a Content-Length over the cap, but cuts a body sent without one (chunked)
    at the cap without a word: its digest would then fail as a `bad_signature`. One more byte
    read from the server's stream, which ends the body itself then, tells a body over the cap."""
    data = request.get_data(cache=True)
    environ = request.environ
    if (len(data) >= request.max_content_length and not environ.get("CONTENT_LENGTH")
            and environ.get("wsgi.input_terminated") and environ["wsgi.input"].read(1)):
        raise RequestEntityTooLarge()


def keep_nonce():
    """The nonce of a request its view refused (a bad parameter, a failure of ours) stays seen:
    PROTOCOL.md section 4 answers `replayed` to any nonce seen in the last 600 s, whatever the
    first answer was. The view's writes are rolled back, the nonce is written again on its own."""
    db.session.rollback()
    try:
        services.remember_nonce(g.peer, g.caller.nonce)
        db.session.commit()
    except SQLAlchemyError:  # our database failing: that error is the answer
        db.session.rollback()


@bp.get("/info")
@access("public")
def info():
    return as_json(queries.info())


@bp.get("/changes")
@access("peer-signed")
@signed
def changes():
    since = cursor_param("since", 0, 0, MAX_SEQ)
    # Any limit the protocol allows is taken; pages stay within our own cap (has_more says so).
    limit = min(cursor_param("limit", current_app.config["FEDERATION_PAGE_DEFAULT"], 1, PAGE_LIMIT),
                current_app.config["FEDERATION_PAGE_MAX"])
    page = feed.changes(g.peer.cluster_id, since, limit, raw=True)
    record_share(g.peer.cluster_id, page)
    head = {"cluster_id": current_app.config["CLUSTER_ID"], "epoch": queries.epoch()}
    return json_text(feed.page_json(head, page))


@bp.get("/digest")
@access("peer-signed")
@signed
def digest():
    caller = g.peer.cluster_id
    return as_json({"cluster_id": current_app.config["CLUSTER_ID"],
                    "published": feed.published_digest(caller),
                    "replica": feed.replica_digest(caller)})


@bp.post("/notify")
@access("peer-signed")
@signed
def notify():
    body = request.get_json(silent=True)
    if (not isinstance(body, dict) or not isinstance(body.get("cluster_id"), str)
            or type(body.get("seq")) is not int or not 0 <= body["seq"] <= MAX_SEQ):
        raise ApiError(400, "bad_request", f'the body must be {{"cluster_id": str, "seq": int 0..{MAX_SEQ}}}')
    if body["cluster_id"] != g.peer.cluster_id:
        raise ApiError(400, "bad_request", "cluster_id is not the signer's")
    services.note_notify(g.peer, body["seq"])
    return as_json({"accepted": True}, status=202)


@bp.get("/openapi.json")
@access("public")
def openapi():
    return as_json(openapi_document())


def cursor_param(name, default, low, high):
    raw = request.args.get(name)
    if raw is None:
        return default
    if not CURSOR.match(raw) or not low <= int(raw) <= high:
        raise ApiError(400, "bad_request", f"{name} must be an integer {low}..{high}")
    return int(raw)
