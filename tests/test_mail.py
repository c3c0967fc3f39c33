"""The mail outbox against a real SMTP server: once, retried, failed, and crash-safe."""
import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.federation.records import utcnow
from portal.mail import services
from portal.mail.models import OutboxMessage
from portal.mail.services import deliver_due, queue_mail


class Crash(BaseException):
    """The worker process dying (not an error the outbox catches)."""


def queue(count, **extra):
    for i in range(count):
        queue_mail(f"person{i}@example.org", f"Hello {i}", f"Body {i}", **extra)
    db.session.commit()


def recipients(smtp_server):
    return [m["To"] for m in smtp_server.messages]


def statuses():
    return dict(db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())


def test_message_is_sent_once(smtp_server):
    queue_mail("anne@example.org", "Welcome", "Hello Anne\nhttps://x.example/a", html="<p>Hello</p>")
    db.session.commit()
    assert deliver_due() == {"sent": 1, "retry": 0, "failed": 0}
    assert deliver_due() == {"sent": 0, "retry": 0, "failed": 0}
    [message] = smtp_server.messages
    assert message["To"] == "anne@example.org" and message["Subject"] == "Welcome"
    assert message["From"] == "noreply@passerelle.example"
    assert "Hello Anne" in message.get_body(("plain",)).get_content()
    assert "<p>Hello</p>" in message.get_body(("html",)).get_content()
    row = db.session.scalars(select(OutboxMessage)).one()
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1


def test_dedupe_key_queues_one_logical_message_once(smtp_server):
    first = queue_mail("anne@example.org", "Invitation", "Come", dedupe_key="invite:e1:p1")
    db.session.commit()
    again = queue_mail("anne@example.org", "Invitation", "Come", dedupe_key="invite:e1:p1")
    db.session.commit()
    assert again.id == first.id
    deliver_due()
    queue_mail("anne@example.org", "Invitation", "Come", dedupe_key="invite:e1:p1")
    db.session.commit()
    deliver_due()
    assert len(smtp_server.messages) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_rolled_back_transaction_queues_nothing(app):
    queue_mail("anne@example.org", "Never", "sent")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_temporary_failure_is_retried_with_backoff(smtp_server):
    queue(1)
    smtp_server.fail_next(2, code=451)
    now = utcnow()
    assert deliver_due(now=now) == {"sent": 0, "retry": 1, "failed": 0}
    row = db.session.scalars(select(OutboxMessage)).one()
    first_wait = row.next_attempt_at
    assert row.status == "queued" and row.attempts == 1 and "451" in row.last_error
    assert deliver_due(now=now + timedelta(seconds=30))["retry"] == 0  # not due yet
    assert deliver_due(now=now + timedelta(seconds=61))["retry"] == 1
    db.session.refresh(row)
    # The second wait is twice the first.
    assert (row.next_attempt_at - first_wait) >= timedelta(seconds=119)
    assert deliver_due(now=now + timedelta(hours=1))["sent"] == 1
    assert recipients(smtp_server) == ["person0@example.org"]
    db.session.refresh(row)
    assert row.status == "sent" and row.attempts == 3 and row.last_error is None


def test_permanent_failure_is_marked_failed(smtp_server):
    queue(2)
    smtp_server.fail_next(1, code=550)
    assert deliver_due() == {"sent": 1, "retry": 0, "failed": 1}
    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")).one()
    assert failed.to == "person0@example.org" and "550" in failed.last_error
    assert deliver_due(now=utcnow() + timedelta(days=2))["sent"] == 0
    assert recipients(smtp_server) == ["person1@example.org"]


def test_gives_up_after_max_attempts(app, smtp_server):
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    queue(1)
    smtp_server.fail_next(5, code=421)
    assert deliver_due()["retry"] == 1
    assert deliver_due(now=utcnow() + timedelta(days=1))["failed"] == 1
    assert statuses() == {"failed": 1}


def test_unreachable_server_is_a_temporary_failure(app, smtp_server):
    app.config["MAIL_PORT"] = 1  # nothing listens there
    queue(1)
    assert deliver_due() == {"sent": 0, "retry": 1, "failed": 0}
    app.config["MAIL_PORT"] = smtp_server.port
    assert deliver_due(now=utcnow() + timedelta(minutes=5))["sent"] == 1


def test_crash_between_messages_repeats_nobody(smtp_server, monkeypatch):
    queue(5)
    real_claim, calls = services._claim, []

    def dying_claim(ident, now):
        calls.append(ident)
        if len(calls) == 3:  # the worker dies after the 2nd message was sent
            raise Crash()
        return real_claim(ident, now)

    monkeypatch.setattr(services, "_claim", dying_claim)
    with pytest.raises(Crash):
        deliver_due()
    db.session.rollback()
    assert recipients(smtp_server) == ["person0@example.org", "person1@example.org"]
    monkeypatch.setattr(services, "_claim", real_claim)
    assert deliver_due()["sent"] == 3
    assert sorted(recipients(smtp_server)) == [f"person{i}@example.org" for i in range(5)]


def test_crash_during_a_send_neither_repeats_at_once_nor_loses_it(app, smtp_server, monkeypatch):
    queue(4)
    from portal.mail.transport import SmtpTransport

    real_send, sends = SmtpTransport.send, []

    def dying_send(self, email):
        sends.append(email["To"])
        if len(sends) == 3:
            raise Crash()
        real_send(self, email)

    monkeypatch.setattr(SmtpTransport, "send", dying_send)
    with pytest.raises(Crash):
        deliver_due()
    db.session.rollback()
    monkeypatch.setattr(SmtpTransport, "send", real_send)
    # The message claimed by the dead worker waits for its lease; the others go now.
    assert deliver_due()["sent"] == 1
    assert statuses() == {"sent": 3, "sending": 1}
    lease = app.config["MAIL_SENDING_LEASE"]
    assert deliver_due(now=utcnow() + timedelta(seconds=lease + 1))["sent"] == 1
    assert sorted(recipients(smtp_server)) == [f"person{i}@example.org" for i in range(4)]


def test_without_mail_server_the_message_goes_to_the_log(app, caplog):
    caplog.set_level(logging.INFO, logger="portal.mail")
    assert services.mail_configured() is False
    queue_mail("anne@example.org", "Reset your password", "Open https://portal.example/password/reset/abc")
    db.session.commit()
    assert deliver_due()["sent"] == 1
    assert "anne@example.org" in caplog.text and "Reset your password" in caplog.text
    assert "https://portal.example/password/reset/abc" in caplog.text
    assert statuses() == {"sent": 1}


def test_the_log_names_an_attachment_without_writing_it_out(app, caplog):
    caplog.set_level(logging.INFO, logger="portal.mail")
    queue_mail("anne@example.org", "Your place is confirmed", "See you there.",
               calendar="BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    db.session.commit()
    assert deliver_due()["sent"] == 1
    assert "See you there.\n\n[attached: event.ics (text/calendar)]" in caplog.text
    assert "VCALENDAR" not in caplog.text


def test_subject_cannot_inject_headers(smtp_server):
    queue_mail("anne@example.org", "Hi\r\nBcc: evil@example.org", "Body")
    db.session.commit()
    deliver_due()
    [message] = smtp_server.messages
    assert message["Bcc"] is None and message["Subject"] == "Hi Bcc: evil@example.org"


def test_background_delivery_after_commit(app, smtp_server):
    import threading
    import time

    app.config["MAIL_BACKGROUND"] = True
    queue_mail("anne@example.org", "Soon", "Body")
    db.session.commit()
    for thread in threading.enumerate():
        if thread.name == "portal-mail":
            thread.join(timeout=20)
    deadline = time.monotonic() + 20  # the thread may not have started when we looked
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert recipients(smtp_server) == ["anne@example.org"]


def test_delivery_waits_for_the_outer_commit_not_a_savepoint(app, monkeypatch):
    """The federation receiver applies each record in a savepoint: releasing one is no commit, and
    rolling one back (a refused record) does not forget the mail queued beside it."""
    started = []
    monkeypatch.setattr(services, "start_background_delivery", started.append)
    app.config["MAIL_BACKGROUND"] = True
    with db.session.begin_nested():
        queue_mail("anne@example.org", "Applied", "Body")
    assert started == []  # released, not committed: the mail is not visible to a delivery yet
    with pytest.raises(ValueError), db.session.begin_nested():
        queue_mail("bruno@example.org", "Refused", "Body")
        raise ValueError("a hook refused the record")
    db.session.commit()
    assert len(started) == 1
    assert db.session.scalars(select(OutboxMessage.to)).all() == ["anne@example.org"]


def test_cli_send(app, runner, smtp_server):
    queue(2)
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output
    assert len(smtp_server.messages) == 2


def test_the_background_delivery_thread_is_waited_for_when_the_process_ends(app, monkeypatch):
    from portal.mail import services

    monkeypatch.setattr(services, "deliver_due", lambda: None)
    thread = services.start_background_delivery(app)
    assert thread is not None and not thread.daemon  # a one-shot command exits only once it has delivered
    thread.join(timeout=10)
    assert not thread.is_alive()
