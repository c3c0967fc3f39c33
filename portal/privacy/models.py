"""The sharing audit: what each peer pulled, counted per type, with personal records one by one."""
from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

#: Record types about a person: each one sent is logged with the consent it went under.
PERSONAL_TYPES = ("person", "registration", "registration_decision", "meeting_request",
                  "meeting_reply", "meeting", "survey_response")


class SharePull(db.Model):
    """One feed page a peer pulled: when, and how many records of each type it carried."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peer: Mapped[str] = mapped_column(String(40), index=True)
    pulled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)


class ShareRecord(db.Model):
    """A personal record sent to a peer, with the person's consent time when it is a `person`."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pull_id: Mapped[int] = mapped_column(Integer, index=True)
    peer: Mapped[str] = mapped_column(String(40), index=True)
    pulled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    type: Mapped[str] = mapped_column(String(32))
    uid: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    event_uid: Mapped[str | None] = mapped_column(String(36))
