"""The outbox: queue in the caller's transaction; deliver one message per commit, with retries.

Delivery marks a message `sending` (committed), sends it, then marks it `sent` (committed):
a worker that dies between two messages repeats nothing and loses nothing. One that dies
in the middle of a send leaves the message `sending`; it is retried once its claim is
older than MAIL_SENDING_LEASE, since a lost invitation is worse than a rare duplicate.
"""
import logging
import re
import smtplib
import threading
from collections import Counter
from datetime import timedelta

from flask import current_app, flash, has_app_context
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, or_, select, update

from portal.extensions import db, on_outer_commit
from portal.federation.records import utcnow
from portal.mail.models import OutboxMessage
from portal.mail.transport import build_message, is_permanent, transport_for

log = logging.getLogger("portal.mail")

#: What a send can fail with, short of the process dying.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def mail_configured():
    """False when mail only goes to the log (the UI then says so)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def flash_mail_note():
    """Tell an administrator trying the portal where a message went; a visitor is told nothing
    about the server."""
    if not mail_configured() and getattr(current_user, "is_admin", False):
        flash(_("No mail server is configured: the message was written to the server log."), "info")


def one_line(text):
    """`text` on one line, runs of spaces as one; French's no-break spaces ("Annulé : …") are kept."""
    return re.sub(r"[^\S\u00a0]+", " ", text).strip()


def queue_mail(to, subject, body, dedupe_key=None, html=None, calendar=None):
    """Add a message to the outbox in the caller's transaction; it goes out after commit.

    With a `dedupe_key`, a message already queued (or sent) under that key is returned
    instead of queueing a second one. `calendar`: iCalendar text, attached as event.ics.
    """
    values = {"to": to.strip(), "subject": one_line(subject)[:300], "body": body,
              "html": html, "calendar": calendar, "dedupe_key": dedupe_key, "status": "queued", "attempts": 0,
              "next_attempt_at": utcnow(), "created_at": utcnow()}
    if dedupe_key is None:
        message = OutboxMessage(**values)
        db.session.add(message)
        db.session.flush()
    else:
        db.session.execute(_insert_once(values))
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)).one()
    db.session.info["mail_queued"] = True
    return message


def _insert_once(values):
    """INSERT that does nothing when the dedupe key exists (even one committed meanwhile)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the portal runs on SQLite and PostgreSQL
        raise RuntimeError(f"queue_mail: unsupported database {dialect}")
    return insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])


def _due(now):
    lease = timedelta(seconds=current_app.config["MAIL_SENDING_LEASE"])
    return or_(
        and_(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at <= now - lease),
    )


def deliver_due(limit=None, now=None):
    """Send what is due, committing after each message; returns counts by outcome.

    It commits: call it from the CLI, a worker or a thread, not inside a request's work.
    """
    now = now or utcnow()
    ids = db.session.scalars(select(OutboxMessage.id).where(_due(now))
                             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)).all()
    db.session.commit()
    outcomes = Counter()
    transport = transport_for(current_app.config)
    try:
        for ident in ids:
            if _claim(ident, now):
                outcomes[_deliver_one(ident, transport, now)] += 1
    finally:
        transport.close()
    return {"sent": outcomes["sent"], "retry": outcomes["retry"], "failed": outcomes["failed"]}


def _claim(ident, now):
    """Mark one message `sending` unless another worker took it first; commit."""
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == ident, _due(now))
        .values(status="sending", attempts=OutboxMessage.attempts + 1, claimed_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def _deliver_one(ident, transport, now):
    message = db.session.get(OutboxMessage, ident)
    try:
        transport.send(build_message(message, current_app.config["MAIL_FROM"]))
    except SEND_ERRORS as error:
        outcome = _record_failure(message, error, now)
    else:
        message.status, message.sent_at, message.last_error = "sent", utcnow(), None
        outcome = "sent"
    db.session.commit()
    return outcome


def _record_failure(message, error, now):
    config = current_app.config
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if is_permanent(error) or message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
        message.status = "failed"
        log.warning("mail to %s failed for good after %d attempt(s): %s",
                    message.to, message.attempts, message.last_error)
        return "failed"
    delay = min(config["MAIL_RETRY_DELAY"] * 2 ** (message.attempts - 1), config["MAIL_RETRY_MAX_DELAY"])
    message.status, message.next_attempt_at = "queued", now + timedelta(seconds=delay)
    log.info("mail to %s will be retried in %d s: %s", message.to, delay, message.last_error)
    return "retry"


# Best-effort delivery right after a commit that queued mail; `flask mail send` is the guarantee.
_running = threading.Lock()
_wanted = threading.Event()


def _deliver_after_commit(session):
    if has_app_context() and current_app.config.get("MAIL_BACKGROUND"):
        start_background_delivery(current_app._get_current_object())


on_outer_commit("mail_queued", _deliver_after_commit)


def start_background_delivery(app):
    """Wake the delivery thread, starting one if none runs. Not a daemon: a process that ends
    (a one-shot command) waits for the delivery under way instead of cutting it off with the
    message claimed, which would then wait out MAIL_SENDING_LEASE before anyone retried it."""
    _wanted.set()
    if not _running.locked():
        thread = threading.Thread(target=_deliver_in_background, args=(app,), name="portal-mail")
        thread.start()
        return thread
    return None


def _deliver_in_background(app):
    while _wanted.is_set():
        if not _running.acquire(blocking=False):
            return
        try:
            while _wanted.is_set():
                _wanted.clear()
                with app.app_context():
                    try:
                        deliver_due()
                    except Exception:  # best effort: the CLI or the worker retries
                        log.exception("background mail delivery failed")
                        db.session.rollback()
        finally:
            _running.release()
