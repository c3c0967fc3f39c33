"""Passwords: hashing (Werkzeug; scrypt unless configured), strength rules, reset tokens."""
import hashlib
import os
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 200
RESET_SALT = "portal.accounts.password-reset"


def hash_password(password):
    return generate_password_hash(password, method=current_app.config["PASSWORD_METHOD"])


def verify_password(password_hash, password):
    return bool(password_hash) and check_password_hash(password_hash, password)


@lru_cache(maxsize=1)
def common_passwords():
    path = os.path.join(os.path.dirname(__file__), "common_passwords.txt")
    with open(path, encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password, email=None):
    """Why `password` is refused (a message for the form), or None when it is acceptable.

    With the account's `email`, also refuses that address and its part before the @, in any case.
    """
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(count)d characters.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(count)d characters.", count=MAX_LENGTH)
    if password.lower() in common_passwords() or len(set(password)) < 3:
        return _l("This password is too common: choose another one.")
    if email and password.strip().lower() in {email.strip().lower(), email.strip().lower().partition("@")[0]}:
        return _l("This password is too close to your e-mail address: choose another one.")
    return None


class ResetTokenError(Exception):
    """A reset link that cannot be used; `reason` is expired, invalid or used."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _hash_fingerprint(password_hash):
    """Binds a token to the password it replaces: once changed, the token is spent."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:20]


def make_reset_token(user):
    return _serializer().dumps({"u": user.id, "p": _hash_fingerprint(user.password_hash)})


def read_reset_token(token, load_user):
    """The user a reset token was made for; raises ResetTokenError. `load_user(id)` finds users."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except SignatureExpired as error:
        raise ResetTokenError("expired") from error
    except BadSignature as error:
        raise ResetTokenError("invalid") from error
    user = load_user(payload.get("u")) if isinstance(payload, dict) and isinstance(payload.get("u"), int) else None
    if user is None or user.status == "disabled":
        raise ResetTokenError("invalid")
    if payload.get("p") != _hash_fingerprint(user.password_hash):
        raise ResetTokenError("used")
    return user
