"""Local user accounts; never federated (a person's public profile is `Person`)."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

ROLES = ("member", "admin")
STATUSES = ("pending", "active", "disabled")


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="member")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    person_uid: Mapped[str | None] = mapped_column(String(36), unique=True)
    # Bumped by "log out everywhere", a password change and disabling: older sessions stop being valid.
    session_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language of the member's mail and calendar feed: the page's at sign-up or first log-in,
    # then their pick in the footer; None (imported, not logged in since): the portal's default.
    language: Mapped[str | None] = mapped_column(String(8))

    person = relationship("Person", primaryjoin="foreign(User.person_uid) == Person.uid",
                          viewonly=True, lazy="joined")

    @property
    def is_admin(self):
        return self.role == "admin" and self.status == "active"

    @property
    def can_publish(self):
        """Pending accounts can log in but not publish."""
        return self.status == "active"

    @property
    def organisation_uid(self):
        return self.person.organisation_uid if self.person else None

    def get_id(self):
        return f"{self.id}:{self.session_token or ''}"


class UnknownAddress(db.Model):
    """The log-in throttle's count for an e-mail address without an account here: it slows down
    exactly as an account does (throttle.py), so that "too many attempts" tells nobody which
    addresses have one. Only a digest of the address, keyed with the secret key, is kept."""

    address_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Forgotten 30 days after the last failure (queries.unknown_address).
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class LoggedOutSession(db.Model):
    """A session logged out of, kept until it would have expired anyway: sessions are signed
    cookies, and a copy of one taken before "Log out" must not go on working (auth.load_user)."""

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
