"""One log line per request (logger `portal.request`): method, path, status, duration.

Only the path is logged: no query string (search terms are personal), no body, no
address, no user; a path segment that is a secret (a reset token) is masked.
"""
import json
import logging
import time

from flask import request

logger = logging.getLogger("portal.request")

#: URL variables whose values must not reach the logs.
SECRET_ARGS = frozenset({"token", "secret", "code", "key", "signature"})
SECRETS_KEY = "portal.log_secrets"


def init_app(app):
    app.url_value_preprocessor(note_secret_values)  # the error log masks them too
    if not app.config.get("LOG_REQUESTS", True):
        return
    logger.setLevel(logging.INFO)
    if not app.testing and not logger.handlers:
        handler = logging.StreamHandler()  # stderr: journald or the container's log
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.propagate = False  # Flask's handler on "portal" would print each line again
    app.wsgi_app = RequestLog(app.wsgi_app, json_lines=app.config.get("LOG_FORMAT") == "json")


def note_secret_values(endpoint, values):
    """Remember which path segments are secrets (runs before any before_request hook)."""
    secrets = [str(value) for name, value in (values or {}).items() if name in SECRET_ARGS]
    if secrets:
        request.environ[SECRETS_KEY] = secrets


class RequestLog:
    """WSGI middleware: times the application and logs the answer, whatever produced it."""

    def __init__(self, wsgi_app, json_lines=False):
        self.wsgi_app = wsgi_app
        self.json_lines = json_lines

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        seen = {}

        def recording_start_response(status, headers, exc_info=None):
            seen["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        try:
            return self.wsgi_app(environ, recording_start_response)
        finally:
            duration = (time.perf_counter() - started) * 1000
            logger.info(self.line(environ.get("REQUEST_METHOD", "-"), loggable_path(environ),
                                  seen.get("status", 500), duration))

    def line(self, method, path, status, duration):
        fields = {"method": method, "path": path, "status": status, "duration_ms": round(duration, 1)}
        if self.json_lines:
            return json.dumps(fields, separators=(",", ":"))
        return " ".join(f"{name}={value}" for name, value in fields.items())


def loggable_path(environ):
    """SCRIPT_NAME + PATH_INFO, each segment holding the value of a secret URL variable
    replaced by *** (the whole segment: a calendar feed's is `<token>.ics`)."""
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    secrets = [secret for secret in environ.get(SECRETS_KEY) or () if secret]
    if secrets:
        path = "/".join("***" if any(secret in part for secret in secrets) else part for part in path.split("/"))
    return path.replace(" ", "%20")
