"""Running safely: security headers, session cookies, the proxy, abuse limits, access declarations."""
from datetime import timedelta

from flask import abort, current_app, g, request, session
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from portal.extensions import limiter

#: Who may use a route, declared beside it with `@access(...)` (tests/test_authorization_matrix.py).
#: public: anyone, logged in or not; member: any logged-in account, pending included;
#: publisher: active accounts; owner: active members of the record's organisation (and
#: administrators, who moderate); admin: this portal's administrators; peer-signed: only
#: requests signed by a confirmed peer portal (the federation API), never a browser session.
ACCESS_LEVELS = ("public", "member", "publisher", "owner", "admin", "peer-signed")

#: Headers on every response; the CSP comes from the configuration (CONTENT_SECURITY_POLICY).
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

#: One RouteLimit per endpoint for the whole process: the limiter is a module-level
#: extension, so building a new one per app would count every request once per app.
_ROUTE_LIMITS = {}


def access(level):
    """Declare who may use a view; records the declaration only, the guards enforce it."""
    if level not in ACCESS_LEVELS:
        raise ValueError(f"unknown access level {level!r}; one of {', '.join(ACCESS_LEVELS)}")

    def declare(view):
        view.access = level
        return view
    return declare


def admitted(level):
    """Whether the current user is among those an `@access(level)` declaration admits (None: no
    such view); "owner" asks for a record, so it reads as "publisher"."""
    if level == "public":
        return True
    if level == "member":
        return current_user.is_authenticated
    if level in ("publisher", "owner"):
        return current_user.is_authenticated and current_user.can_publish
    if level == "admin":
        return getattr(current_user, "is_admin", False)
    return False


def init_app(app):
    """The security named step of the factory; runs after the blueprints are registered."""
    from portal.ops import logs

    configure_cookies(app)
    app.session_interface = SessionInterface()
    app.json = JSONProvider(app)
    app.before_request(refuse_unreadable_input)
    app.after_request(add_security_headers)
    app.after_request(keep_session_alive)
    apply_abuse_limits(app)
    app.wsgi_app = RetryAfterOnlyOn429(app.wsgi_app)
    logs.init_app(app)
    apply_proxy_fix(app)


class DatabaseIntConverter(IntegerConverter):
    """`<int:...>` in URLs: only numbers a database integer column holds (others are 404, not a crash)."""

    def __init__(self, map, fixed_digits=0, min=None, max=2 ** 31 - 1, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, where a body nested too deeply to parse is invalid JSON (400), not a crash."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error


def refuse_unreadable_input():
    """Refuse plainly what no form sends: a JSON body to a page (415), a NUL character (400).

    Web forms send form data; Flask-WTF would otherwise read a JSON body as the form. NUL is
    in no text, and PostgreSQL cannot store it: refused wherever it appears, before any view.
    """
    values = [request.path, *(v for _k, vs in request.args.lists() for v in vs)]
    if request.blueprint != "federation":  # its bodies are JSON, checked by the protocol's rules
        if request.method != "GET" and request.is_json:
            abort(415)
        values += [v for _k, vs in request.form.lists() for v in vs]
    if any("\x00" in value for value in values):
        if request.path.startswith("/federation/"):  # the API answers in English, as in all its errors
            abort(400, "the request holds a NUL character, which no text may contain")
        abort(400, _("The request holds a NUL character, which no text may contain."))


def configure_cookies(app):
    """Cookies named after the portal's cluster, HTTPS-only when the portal is published over HTTPS;
    the remember-me cookie follows the session cookie.

    Browsers keep cookies per host name, not per port: two portals on one host (the demo, on
    127.0.0.1:5001 to 5003) sharing Flask's default name, "session", logged each other's users out.
    """
    config = app.config
    if config["SESSION_COOKIE_SECURE"] is None:  # not set: a portal published over HTTPS sends them only so
        config["SESSION_COOKIE_SECURE"] = config["BASE_URL"].startswith("https://")
    if not config["SESSION_COOKIE_NAME"]:  # not set in the instance
        config["SESSION_COOKIE_NAME"] = f"passerelle-{config['CLUSTER_ID']}"
    config.setdefault("REMEMBER_COOKIE_NAME", config["SESSION_COOKIE_NAME"] + "-remember")
    config.setdefault("REMEMBER_COOKIE_SECURE", config["SESSION_COOKIE_SECURE"])
    config.setdefault("REMEMBER_COOKIE_SAMESITE", config["SESSION_COOKIE_SAMESITE"])
    config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=14))


def add_security_headers(response):
    """Set the policy headers unless a view chose its own (setdefault)."""
    policy = current_app.config.get("CONTENT_SECURITY_POLICY")
    if policy:
        response.headers.setdefault("Content-Security-Policy", policy)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    hsts = current_app.config.get("HSTS_SECONDS")
    if hsts and current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={int(hsts)}")
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions, refreshed (their expiry pushed back) only by a page the browser
    navigates to, never by htmx requests, static files or other requests that left the session
    as it was: those run beside others, and one answered just after a form changed the session
    (the language switch, a log-in) would set the session it was asked with, the older one,
    back in the browser. A navigation follows the answer that led to it, so it is never older."""

    def should_set_cookie(self, app, session):
        if session.modified:
            return True
        navigation = request.method == "GET" and "HX-Request" not in request.headers and request.endpoint != "static"
        return navigation and super().should_set_cookie(app, session)


def keep_session_alive(response):
    """Permanent sessions expire PERMANENT_SESSION_LIFETIME after the last page load or change
    (see SessionInterface)."""
    if session and not session.permanent:
        session.permanent = True
    return response


def apply_abuse_limits(app):
    """Wrap the endpoints named in ABUSE_LIMITS with Flask-Limiter (POST only)."""
    for endpoint in app.config.get("ABUSE_LIMITS") or {}:
        view = app.view_functions.get(endpoint)
        if view is None:
            app.logger.debug("ABUSE_LIMITS names %s, which this build does not have", endpoint)
            continue
        app.view_functions[endpoint] = route_limit(endpoint)(view)


#: What a limit counts where not every POST: failed log-ins (a venue's successful ones are many
#: people), and sign-ups that created an account or found its address taken (a form sent back
#: with a typo is not one; an address found taken is what someone listing accounts asks).
COUNTED = {"accounts.login": lambda response: response.status_code >= 400,
           "accounts.change_password": lambda response: response.status_code >= 400,
           "privacy.delete": lambda response: response.status_code >= 400,
           "accounts.signup": lambda response: response.status_code < 400 or g.get("signup_address_taken", False)}


def route_limit(endpoint):
    if endpoint not in _ROUTE_LIMITS:
        _ROUTE_LIMITS[endpoint] = limiter.limit(
            lambda: current_app.config["ABUSE_LIMITS"][endpoint], methods=["POST"], deduct_when=COUNTED.get(endpoint))
    return _ROUTE_LIMITS[endpoint]


class RetryAfterOnlyOn429:
    """WSGI middleware: Retry-After leaves only with a 429 (PROTOCOL.md: `rate_limited`, with Retry-After).

    With RATELIMIT_HEADERS_ENABLED, Flask-Limiter adds Retry-After beside its X-RateLimit-*
    headers to every answer of a limited route, and has no setting to keep it to refusals; on a
    200 or a 302 it would tell the client to wait (RFC 9110). Its hook runs after every other
    after_request hook (it is registered first), hence a middleware.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            if not status.startswith("429"):
                headers = [(name, value) for name, value in headers if name.lower() != "retry-after"]
            return start_response(status, headers, exc_info)
        return self.wsgi_app(environ, start)


def apply_proxy_fix(app):
    """Trust X-Forwarded-* from exactly the proxies PROXY_FIX counts (e.g. {"x_for": 1, "x_proto": 1})."""
    settings = app.config.get("PROXY_FIX")
    if settings:
        app.wsgi_app = ProxyFix(app.wsgi_app, **settings)
