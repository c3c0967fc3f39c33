"""Registrations (written by the participant's home portal), decisions (by the lead), check-ins.

A `registration` and its `registration_decision` are event-scoped: they go only to the
event's hosts. Arrival order at the lead (`received_at`) decides who gets the last place.
"""
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.events.models import Event, as_utc, event_zone_name, iso_in
from portal.events.schemas import RegistrationDecisionSchema, RegistrationSchema
from portal.events.writers import LeadWrites, writer_problem
from portal.extensions import db
from portal.federation.records import Federated, local_cluster
from portal.timeutil import UTCDateTime, utcnow



class Registration(Federated, db.Model):
    """A person's registration for an event, written by their home portal (its origin)."""

    fed_type = "registration"
    fed_schema = RegistrationSchema
    fed_fixed = ("event_uid", "person_uid")
    fed_final = ("event_uid",)  # its decision was checked against it
    fed_home = "person_uid"

    @classmethod
    def fed_writer_problem(cls, session, peer_id, data):
        return writer_problem(session, peer_id, cls.fed_type, data["event_uid"], person_uid=data["person_uid"])

    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    person_uid: Mapped[str] = mapped_column(String(36), index=True)
    role: Mapped[str] = mapped_column(String(16), default="attendee")
    b2b: Mapped[bool] = mapped_column(Boolean, default=False)
    # The B2B availability window, inside the event's B2B block (None: the whole block).
    available_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    available_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="registered")
    checked_in: Mapped[bool] = mapped_column(Boolean, default=False)
    # Local: when this portal first stored it (the lead decides in this order).
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Local: an organiser of this portal registered the person (their decision mail says so).
    by_organiser: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    event = relationship("Event", primaryjoin="foreign(Registration.event_uid) == Event.uid",
                         viewonly=True)
    person = relationship("Person", primaryjoin="foreign(Registration.person_uid) == Person.uid",
                          viewonly=True)
    decision = relationship(
        "RegistrationDecision", uselist=False, viewonly=True,
        primaryjoin="foreign(RegistrationDecision.registration_uid) == Registration.uid")

    @property
    def active(self):
        return self.status == "registered"

    def fed_event_uid(self):
        return self.event_uid

    def fed_data(self):
        tz = event_zone_name(self, self.event_uid)
        return {"event_uid": self.event_uid, "person_uid": self.person_uid, "role": self.role,
                "b2b": bool(self.b2b), "available_from": iso_in(self.available_from, tz),
                "available_until": iso_in(self.available_until, tz), "status": self.status,
                "checked_in": bool(self.checked_in)}

    def fed_load(self, data):
        if self.status == "cancelled" and data["status"] == "registered":
            self.received_at = utcnow()  # registering again queues at the end
        self.event_uid, self.person_uid = data["event_uid"], data["person_uid"]
        self.role, self.b2b, self.status = data["role"], bool(data["b2b"]), data["status"]
        self.available_from = as_utc(data.get("available_from"))
        self.available_until = as_utc(data.get("available_until"))
        self.checked_in = bool(data.get("checked_in"))

    def fed_after_apply(self, session):
        """On the lead's portal, a registration from a co-host is decided at once."""
        from portal.events.registrations import decide_registrations  # the service imports this module

        event = session.get(Event, self.event_uid)
        if event is not None and event.origin == local_cluster():
            decide_registrations(event.uid, session)

    def fed_after_remove(self, session):
        """On the lead's portal, an erased registration gives its place and meetings up."""
        self.fed_after_apply(session)


class RegistrationDecision(LeadWrites, Federated, db.Model):
    """The lead's answer to one registration; it alone enforces capacity."""

    fed_type = "registration_decision"
    fed_schema = RegistrationDecisionSchema
    fed_fixed = ("event_uid", "registration_uid")
    # The lead of the decision's event, answering a registration for that event: the lead of
    # another event (a co-host of ours leading its own) would otherwise answer, through it, the
    # registrations it receives as a host, mailing our members and setting their check-in.
    fed_answers = ("registration", "registration_uid")

    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    registration_uid: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")
    # Extra protocol field (see schemas.py): the lead's door checked the person in.
    checked_in: Mapped[bool] = mapped_column(Boolean, default=False)
    # Local to the lead, not published: refused because it arrived once registration had closed
    # (`registrations.late`), so that registration opening again lifts the refusal.
    refused_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    def fed_event_uid(self):
        return self.event_uid

    def fed_data(self):
        return {"event_uid": self.event_uid, "registration_uid": self.registration_uid,
                "status": self.status, "message": self.message, "checked_in": bool(self.checked_in)}

    def fed_load(self, data):
        self._checked_in_before = bool(self.checked_in)
        self.event_uid, self.registration_uid = data["event_uid"], data["registration_uid"]
        self.status, self.message = data["status"], data.get("message") or ""
        self.checked_in = bool(data.get("checked_in"))

    def fed_after_apply(self, session):
        """On the member's home portal, the decision is mailed to them, and a check-in at the
        lead's door (or its undoing) goes into the registration, which only this portal writes:
        so every host counts it."""
        from portal.events.notify import tell_decision  # notify imports this module

        tell_decision(session, self)
        registration = session.get(Registration, self.registration_uid)
        if (registration is not None and registration.is_local
                and bool(self.checked_in) != getattr(self, "_checked_in_before", False)):
            registration.checked_in = bool(self.checked_in)


class CheckIn(db.Model):
    """A check-in at the door, kept by the host portal that saw the person arrive.

    The protocol's `registration.checked_in` has one writer, the participant's home
    portal. So the door page writes it only for registrations of its own members; for a
    co-host's members it keeps this local row and, at the lead, says so in the decision it
    writes (`RegistrationDecision.checked_in`, an extra field), from which their home portal
    sets their registration's `checked_in`: every host then counts them. A co-host's own
    door, which writes no decision, counts its check-ins of others' members alone.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    registration_uid: Mapped[str] = mapped_column(String(36), unique=True)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(Integer)
