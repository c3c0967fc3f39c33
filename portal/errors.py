"""Error pages for people, JSON errors for the federation API; both roll back."""
from flask import render_template, request
from werkzeug.exceptions import HTTPException

from portal.extensions import db

#: HTTP status to the protocol's error code (PROTOCOL.md section 3).
JSON_CODES = {400: "bad_request", 401: "bad_signature", 403: "not_peered", 404: "not_found",
              405: "bad_request", 413: "too_large", 429: "rate_limited", 500: "internal"}


def json_error(status, code, message, headers=None):
    body = {"error": {"code": code, "message": message}}
    return body, status, headers or {}


def wants_json():
    return request.path.startswith(("/federation/", "/api/"))


def register(app):
    @app.errorhandler(HTTPException)
    def http_error(error):
        db.session.rollback()
        if wants_json():
            code = JSON_CODES.get(error.code, "bad_request" if error.code < 500 else "internal")
            headers = {"Retry-After": error.retry_after} if getattr(error, "retry_after", None) else None
            if error.code == 429 and headers is None:
                headers = {"Retry-After": "60"}
            return json_error(error.code, code, error.description or error.name, headers)
        return render_template("error.html", error=error), error.code

    @app.errorhandler(Exception)
    def internal_error(error):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        if wants_json():
            return json_error(500, "internal", "internal error")
        return render_template("error.html", error=None), 500
