"""Error pages for people, JSON errors for the federation API; both roll back."""
from flask import make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.extensions import db
from portal.htmx import is_htmx
from portal.ops.logs import loggable_path

#: HTTP status to the protocol's error code (PROTOCOL.md section 3).
JSON_CODES = {400: "bad_request", 401: "bad_signature", 403: "not_peered", 404: "not_found",
              405: "bad_request", 413: "too_large", 429: "rate_limited", 500: "internal"}

#: What people read for the usual statuses (Werkzeug's own names and descriptions are English only).
PAGE_TEXTS = {
    400: (_l("Bad request"),
          _l("The request could not be understood, or the form expired. Go back, reload the page and try again.")),
    403: (_l("Access refused"), _l("You do not have access to this page.")),
    404: (_l("Page not found"),
          _l("This page does not exist or no longer exists. Check the address or start again from the home page.")),
    405: (_l("Method not allowed"), _l("This address does not accept this kind of request.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    415: (_l("Unsupported content"), _l("This address accepts web forms only.")),
    429: (_l("Too many requests"), _l("Too many attempts in a short time. Wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("The error has been logged. Please try again in a moment.")),
}
#: Errors whose own description is technical (the CSRF reason, the rate limit): the page says it plainly.
TECHNICAL = (CSRFError, RateLimitExceeded)


def page_text(error):
    """(title, message) of an error page: a reason a view gave (`abort(403, _(...))`) is kept."""
    code = error.code if error else 500
    title, message = PAGE_TEXTS.get(code, (error.name if error else "", error.description if error else ""))
    if error is not None and error.description != type(error).description and not isinstance(error, TECHNICAL):
        message = error.description
    return title, message


def json_error(status, code, message, headers=None):
    body = {"error": {"code": code, "message": message}}
    return body, status, headers or {}


def wants_json():
    """The federation API and the JSON endpoints (`/healthz`, `*.json`) answer errors in JSON."""
    return request.path.startswith("/federation/") or request.path.endswith(".json") \
        or request.endpoint == "ops.healthz"


def error_page(error, status):
    """The error page; to htmx, the error as a message above the page, which stays as it was
    (swapped where the request aimed, a whole page would land inside a form or a table)."""
    if not is_htmx():
        return render_template("error.html", error=error, texts=page_text(error)), status
    response = make_response(render_template("components/_request_error.html", error=error, texts=page_text(error)),
                             status)
    response.headers.update({"HX-Retarget": "#flashes", "HX-Reswap": "innerHTML"})
    return response


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
        return error_page(error, error.code)

    @app.errorhandler(Exception)
    def internal_error(error):
        db.session.rollback()
        # The path as the request log writes it: a secret in it (a reset or calendar token) masked.
        app.logger.exception("unhandled error on %s %s", request.method, loggable_path(request.environ))
        if wants_json():
            return json_error(500, "internal", "internal error")
        return error_page(None, 500)
