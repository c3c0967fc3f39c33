"""Flask-Login wiring and the guards every view uses."""
import secrets
from functools import wraps

from flask import abort, current_app, flash, make_response, redirect, render_template, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_url, user_logged_in, user_logged_out
from sqlalchemy import delete

from portal.extensions import db, login_manager
from portal.federation.records import utcnow
from portal.htmx import is_htmx

login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"
login_manager.localize_callback = str  # the lazy message, in the visitor's language


@login_manager.unauthorized_handler
def log_in_first():
    """The login page, and back after it. A fragment asked for by a page whose session has ended
    (htmx) tells the browser to load the login page in the whole window, with that page to come
    back to: following a redirect, htmx would swap a login form into the fragment's place."""
    flash(str(login_manager.login_message), login_manager.login_message_category)
    if is_htmx():
        response = make_response("", 401)
        response.headers["HX-Redirect"] = login_url(login_manager.login_view,
                                                    request.headers.get("HX-Current-URL") or request.url)
        return response
    return redirect(login_url(login_manager.login_view, request.url))


@login_manager.user_loader
def load_user(user_id):
    """Session ids are "<id>:<session token>": a new token ("log out everywhere") invalidates
    every session of the account; a session logged out of is refused on its own (a copy of its
    cookie, which would otherwise go on working until it expires)."""
    from portal.accounts.models import LoggedOutSession, User

    ident, _, token = user_id.partition(":")
    user = db.session.get(User, int(ident)) if ident.isdigit() else None
    if user is None or (user.session_token or "") != token or user.status == "disabled":
        return None
    if session.get("sid") and db.session.get(LoggedOutSession, session["sid"]) is not None:
        session.clear()  # refreshed, the copy would carry the log-in past the record's expiry
        return None
    return user


@user_logged_in.connect
def name_the_session(_app, **_extra):
    """Each log-in is a session of its own, which logging out ends (`forget_the_session`)."""
    session["sid"] = secrets.token_urlsafe(24)


@user_logged_out.connect
def forget_the_session(_app, **_extra):
    """Record the session logged out of until it would have expired; forget the expired ones."""
    from portal.accounts.models import LoggedOutSession

    sid = session.pop("sid", None)
    if sid:
        now = utcnow()
        db.session.execute(delete(LoggedOutSession).where(LoggedOutSession.expires_at < now))
        db.session.add(LoggedOutSession(session_id=sid,
                                        expires_at=now + current_app.permanent_session_lifetime))
        db.session.commit()


def admin_required(view):
    """Only active administrators of this portal."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def publisher_required(view):
    """Logged-in members whose account an administrator approved; a pending one is told why not."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.status == "pending":
            return render_template("accounts/awaiting_approval.html"), 403
        if not current_user.can_publish:
            abort(403)
        return view(*args, **kwargs)
    return wrapped
