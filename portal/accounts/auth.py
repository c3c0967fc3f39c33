"""Flask-Login wiring and the guards every view uses."""
from functools import wraps

from flask import abort, flash, make_response, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_url

from portal.extensions import db, login_manager
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
    """Session ids are "<id>:<session token>": a new token (logout) invalidates old sessions."""
    from portal.accounts.models import User

    ident, _, token = user_id.partition(":")
    user = db.session.get(User, int(ident)) if ident.isdigit() else None
    if user is None or (user.session_token or "") != token or user.status == "disabled":
        return None
    return user


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
