"""Event data that stays on this portal; none of it is federated.

Templates, pitch proposals, pinned challenges, budget lines, invitations and messages to
registrants.
"""
from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow


class EventTemplate(db.Model):
    """An organiser's day template: agenda items as offsets (minutes) from the day's start.

    `items` is a list of {"offset", "minutes", "kind", "title"}.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    items: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PitchProposal(db.Model):
    """A local member proposes one of their listings for a pitch at an event led here.

    Proposals stay on the lead's portal: the protocol has no record type for them, so
    members of co-host clusters ask their own organisers, who add the pitch to the agenda.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    listing_uid: Mapped[str] = mapped_column(String(36))
    person_uid: Mapped[str | None] = mapped_column(String(36))
    pitch: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    answer: Mapped[str] = mapped_column(Text, default="")
    agenda_item_uid: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("event_uid", "listing_uid"),)

    listing = relationship("Listing", primaryjoin="foreign(PitchProposal.listing_uid) == Listing.uid",
                           viewonly=True)
    person = relationship("Person", primaryjoin="foreign(PitchProposal.person_uid) == Person.uid",
                          viewonly=True)


class EventChallenge(db.Model):
    """A special guest's need pinned to an event as one of its challenges."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    listing_uid: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("event_uid", "listing_uid"),)

    listing = relationship("Listing", primaryjoin="foreign(EventChallenge.listing_uid) == Listing.uid",
                           viewonly=True)


class EventCost(db.Model):
    """One budget line of an event and the host cluster that pays it (amount in cents)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    category: Mapped[str] = mapped_column(String(16), default="other")
    label: Mapped[str] = mapped_column(String(200), default="")
    amount_cents: Mapped[int] = mapped_column(Integer, default=0)
    paid_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EventInvitation(db.Model):
    """An invitation e-mail this portal sent one of its members for an event."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    person_uid: Mapped[str] = mapped_column(String(36))
    segment: Mapped[str] = mapped_column(String(300), default="")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("event_uid", "person_uid"),)


class RegistrantMessage(db.Model):
    """A message this portal's organisers mailed their own members registered for an event: the
    record of what went out, to how many (the mails themselves are in the outbox)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(16), default="confirmed")  # or "waiting": promotion_forms.AUDIENCE_LABELS
    b2b_only: Mapped[bool] = mapped_column(Boolean, default=False)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    # No foreign key: the record outlives the sender's account (it then reads "an organiser").
    sent_by_user_id: Mapped[int | None] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
