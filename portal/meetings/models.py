"""B2B meetings: requests (requester's home), replies (recipient's home), meetings (the lead).

All three are event-scoped federated records. Stars, calendar tokens and scheduler runs
stay on this portal. Expiry is a local notion: the requester's home portal withdraws a
request nobody answered in time (status `withdrawn`, with `expired_at` set here only).
"""
from datetime import datetime, timedelta

from sqlalchemy import JSON, Boolean, Float, Integer, String, Text, select
from sqlalchemy.ext.hybrid import Comparator, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.events.models import as_utc, event_zone_name, iso_in
from portal.events.writers import LeadWrites, final_values, home_problem, of_another_event, writer_problem
from portal.extensions import db
from portal.federation.fields import open_length
from portal.federation.records import Federated
from portal.meetings.schemas import MeetingReplySchema, MeetingRequestSchema, MeetingSchema
from portal.timeutil import UTCDateTime, utcnow


def _link(target, column, **kwargs):
    """A read-only link by uid (the target may not have been received yet)."""
    return relationship(target, primaryjoin=f"foreign({column}) == {target}.uid", viewonly=True,
                        **kwargs)


class MeetingRequest(Federated, db.Model):
    """A participant asks another for a meeting; written by the requester's home portal."""

    fed_type = "meeting_request"
    fed_schema = MeetingRequestSchema
    fed_fixed = ("event_uid", "from_person_uid", "to_person_uid")
    # Its reply was checked against its recipient, a meeting on it against its event.
    fed_final = ("event_uid", "to_person_uid")
    fed_home = "from_person_uid"

    @classmethod
    def fed_writer_problem(cls, session, peer_id, data):
        """The requester's home portal writes the request."""
        return writer_problem(session, peer_id, cls.fed_type, data["event_uid"], person_uid=data["from_person_uid"])

    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    from_person_uid: Mapped[str] = mapped_column(String(36), index=True)
    to_person_uid: Mapped[str] = mapped_column(String(36), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    # Extra protocol field: the requester starred it (see schemas.py).
    starred: Mapped[bool] = mapped_column(Boolean, default=False)
    # Local: when this portal wrote (or first received) it, and when it expired here.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Local: withdrawn because the requester left the event's B2B; their coming back reopens it.
    closed_on_leaving: Mapped[bool] = mapped_column(Boolean, default=False)
    # Local: whose coming back to the B2B meetings reopened it, for the note on both sides' pages
    # (see services.tell_reopened: written without a new version, as nothing published changes).
    reopened_by: Mapped[str | None] = mapped_column(String(36))

    event = _link("Event", "MeetingRequest.event_uid")
    from_person = _link("Person", "MeetingRequest.from_person_uid")
    to_person = _link("Person", "MeetingRequest.to_person_uid")
    reply = relationship("MeetingReply", uselist=False, viewonly=True,
                         primaryjoin="foreign(MeetingReply.request_uid) == MeetingRequest.uid")
    meeting = relationship("Meeting", uselist=False, viewonly=True,
                           primaryjoin="foreign(Meeting.request_uid) == MeetingRequest.uid")

    @property
    def state(self):
        """pending, accepted, declined, withdrawn or expired: what the people see."""
        if self.status == "withdrawn":
            return "expired" if self.expired_at else "withdrawn"
        return self.reply.answer if self.reply is not None else "pending"

    @property
    def met(self):
        """Its meeting has begun, or is marked held or no-show: too late to withdraw or decline."""
        return self.meeting is not None and self.meeting.settled()

    @property
    def priority(self):
        """The scheduler's priority: one per side that starred it."""
        return int(bool(self.starred)) + int(bool(self.reply is not None and self.reply.starred))

    def other_person_uid(self, person_uid):
        return self.to_person_uid if person_uid == self.from_person_uid else self.from_person_uid

    def fed_event_uid(self):
        return self.event_uid

    def fed_data(self):
        return {"event_uid": self.event_uid, "from_person_uid": self.from_person_uid,
                "to_person_uid": self.to_person_uid, "message": self.message,
                "status": self.status, "starred": bool(self.starred)}

    def fed_load(self, data):
        # Only its requester's coming back to the B2B meetings opens a withdrawn request again.
        self._reopened = self.status == "withdrawn" and data["status"] == "open"
        super().fed_load(data)

    def fed_after_apply(self, session):
        from portal.meetings import notify, services

        if getattr(self, "_reopened", False):
            services.tell_reopened(self, self.from_person_uid, self)
        else:
            notify.request_received(self)
        if self.status == "withdrawn":
            services.on_request_withdrawn(self)

    def fed_after_remove(self, session):
        from portal.meetings import notify

        notify.request_gone(self)


class RecipientComparator(Comparator):
    """`MeetingReply.recipient_uid` in SQL: selected, its request's recipient (a correlated subquery);
    compared, "its request is one to them", which the indexes on the requests' recipients and the
    replies' requests answer (the subquery compared would be read for every reply)."""

    def __init__(self, reply):
        super().__init__(select(MeetingRequest.to_person_uid).where(MeetingRequest.uid == reply.request_uid)
                         .scalar_subquery())
        self.reply = reply

    def __eq__(self, person_uid):
        return self.in_([person_uid])

    def in_(self, person_uids):
        return self.reply.request_uid.in_(select(MeetingRequest.uid).where(MeetingRequest.to_person_uid.in_(person_uids)))


class MeetingReply(Federated, db.Model):
    """The recipient's answer; written by the recipient's home portal."""

    fed_type = "meeting_reply"
    fed_schema = MeetingReplySchema
    fed_fixed = ("event_uid", "request_uid")
    fed_answers = ("meeting_request", "request_uid")
    fed_home = "recipient_uid"

    @classmethod
    def fed_writer_problem(cls, session, peer_id, data):
        return (writer_problem(session, peer_id, cls.fed_type, data["event_uid"])
                or cls.fed_answer_problem(session, peer_id, data))

    @classmethod
    def fed_answer_problem(cls, session, peer_id, data):
        """The recipient's home portal writes the reply, to a request of the reply's event (both
        known once the request is here, and kept by its tombstone)."""
        recipient = final_values(session, MeetingRequest, data["request_uid"]).get("to_person_uid")
        return (of_another_event(session, MeetingRequest, data["request_uid"], data["event_uid"])
                or (home_problem(session, peer_id, cls.fed_type, data["event_uid"], recipient) if recipient else None))

    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    request_uid: Mapped[str] = mapped_column(String(36), index=True)
    answer: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")
    # Extra protocol field: the recipient starred the request (see schemas.py).
    starred: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Local: "declined" was written because the recipient left the event's B2B; this is the
    # answer it replaced ("" for none), which their coming back restores. None otherwise.
    answer_before_leaving: Mapped[str | None] = mapped_column(String(16))

    request = _link("MeetingRequest", "MeetingReply.request_uid")

    @hybrid_property
    def recipient_uid(self):
        """The person who answers: their request's recipient (None while the request is not here)."""
        return self.request.to_person_uid if self.request is not None else None

    @recipient_uid.inplace.comparator
    @classmethod
    def _recipient_uid_comparator(cls):
        return RecipientComparator(cls)

    def fed_event_uid(self):
        return self.event_uid

    def fed_data(self):
        return {"event_uid": self.event_uid, "request_uid": self.request_uid, "answer": self.answer,
                "message": self.message, "starred": bool(self.starred)}

    def fed_load(self, data):
        self._answer_before = self.answer
        super().fed_load(data)

    def fed_after_apply(self, session):
        from portal.meetings import notify, services

        request = session.get(MeetingRequest, self.request_uid)
        if getattr(self, "_answer_before", None) == "declined" and self.answer == "accepted" and request is not None:
            # An answer never changes but when its writer comes back to the B2B meetings.
            services.tell_reopened(request, request.to_person_uid, self)
        else:
            notify.reply_received(self)

    def fed_after_remove(self, session):
        """A "declined" withdrawn: its writer came back, and the request waits for their answer again
        (an erased person's reply goes too, but they no longer take part)."""
        from portal.meetings import queries, services

        request = session.get(MeetingRequest, self.request_uid)
        if (self.answer == "declined" and request is not None and request.status == "open"
                and request.to_person_uid in queries.active_registrations(self.event_uid, session)):
            services.tell_reopened(request, request.to_person_uid, self)


class Meeting(LeadWrites, Federated, db.Model):
    """A scheduled meeting at a table; written by the event's lead cluster."""

    fed_type = "meeting"
    fed_schema = MeetingSchema
    fed_fixed = ("event_uid", "request_uid")
    fed_answers = ("meeting_request", "request_uid")  # of the meeting's event (see RegistrationDecision)

    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    request_uid: Mapped[str] = mapped_column(String(36), index=True)
    person_uids: Mapped[list] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # "table" is an SQL keyword: the column has another name.
    table: Mapped[str] = mapped_column("table_label", open_length(20))
    status: Mapped[str] = mapped_column(String(16), default="scheduled", index=True)
    # Local (the lead): why it was cancelled, "organiser" (kept out of re-runs) or "schedule".
    cancel_reason: Mapped[str | None] = mapped_column(String(16))
    # Local (the lead): who last marked it held, no-show or back to scheduled, and when; the
    # funnel and the impact figures count these marks, so the organisers see whose they are.
    marked_by_user_id: Mapped[int | None] = mapped_column(Integer)
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event = _link("Event", "Meeting.event_uid")
    request = _link("MeetingRequest", "Meeting.request_uid")

    @property
    def active(self):
        return self.status != "cancelled"

    def begun(self, now=None):
        return self.starts_at is not None and as_utc(self.starts_at) <= (now or utcnow())

    def settled(self, now=None):
        """Held, missed or begun: it is marked, never moved nor cancelled (it happened, or not)."""
        return self.status in ("held", "no_show") or (self.status == "scheduled" and self.begun(now))

    def to_come(self, now=None):
        """Scheduled and not begun: it can still be cancelled or moved."""
        return self.status == "scheduled" and not self.begun(now)

    @property
    def cancellable(self):
        return self.to_come()

    def other_person_uid(self, person_uid):
        return next((p for p in self.person_uids if p != person_uid), None)

    def fed_event_uid(self):
        return self.event_uid

    def fed_data(self):
        tz = event_zone_name(self, self.event_uid)
        return {"event_uid": self.event_uid, "request_uid": self.request_uid,
                "person_uids": list(self.person_uids), "starts_at": iso_in(self.starts_at, tz),
                "ends_at": iso_in(self.ends_at, tz), "table": self.table, "status": self.status}

    def was_scheduled(self):
        """(starts_at, table) while it is scheduled, for saying what a change moves; else None."""
        return (self.starts_at, self.table) if self.status == "scheduled" and self.starts_at else None

    def fed_load(self, data):
        self._was = self.was_scheduled()  # the replica's place before this version, for the mail
        self.event_uid, self.request_uid = data["event_uid"], data["request_uid"]
        self.person_uids = list(data["person_uids"])
        self.starts_at, self.ends_at = as_utc(data["starts_at"]), as_utc(data["ends_at"])
        self.table, self.status = data["table"], data["status"]

    def fed_after_apply(self, session):
        """Its participants of ours are told once its request has come (it may since be gone, its
        author erased): until then nothing says it answers one of its event (see `fed_answers`),
        and they hear of it when the request arrives, if it does."""
        from portal.federation.models import Record
        from portal.meetings import notify

        if (session.get(MeetingRequest, self.request_uid) is not None or session.scalar(select(Record.uid).where(
                Record.type == "meeting_request", Record.uid == self.request_uid)) is not None):
            notify.meeting_changed(self, getattr(self, "_was", None))


class MeetingStar(db.Model):
    """A participant starred a request (local; copied into the record they author)."""

    request_uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarToken(db.Model):
    """A person's calendar feed secret is an HMAC of their uid and this generation.

    No row means generation 0; changing the address (a POST) bumps it, so the old URL stops
    working without the secret ever being stored.
    """

    person_uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScheduleRun(db.Model):
    """One run of the scheduler for an event on the lead's portal, and its progress.

    status: running, done, failed, published. `result` holds the solver's output and the
    slot times; `changes` what publishing it does (or did) to the published meetings.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(16), default="running")
    phase: Mapped[str] = mapped_column(String(16), default="")
    meetings: Mapped[int] = mapped_column(Integer, default=0)
    scheduled: Mapped[int] = mapped_column(Integer, default=0)
    breaks: Mapped[int | None] = mapped_column(Integer)
    bound: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    time_limit: Mapped[float] = mapped_column(Float, default=30.0)
    log: Mapped[list] = mapped_column(JSON, default=list)
    result: Mapped[dict | None] = mapped_column(JSON)
    changes: Mapped[list] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    started_by: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def running(self):
        return self.status == "running" and not self.stalled

    @property
    def stalled(self):
        """Still "running" long after its time limit: the process that ran it is gone."""
        return (self.status == "running" and self.started_at is not None
                and utcnow() - self.started_at > timedelta(seconds=self.time_limit + 120))
