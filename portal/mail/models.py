"""The outbox table: one row per message, from queued to sent (or failed)."""
from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    """A message waiting for (or done with) delivery; committed with what caused it."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to: Mapped[str] = mapped_column(String(254), index=True)  # a person's calendar files (events.notify)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    # An iCalendar file sent along as event.ics (a confirmed place: the event, for the calendar).
    calendar: Mapped[str | None] = mapped_column(Text)
    # One logical message (e.g. "invitation of person P to event E") is queued once.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    # queued (due at next_attempt_at), sending (claimed by a worker), sent, failed.
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
