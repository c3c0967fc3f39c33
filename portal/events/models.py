"""Events and their agenda: federated records written by the lead cluster.

Times are stored as timezone-aware UTC; the event's IANA `timezone` says how to show them
and how to write them in the protocol (ISO 8601 with that zone's offset at that instant).
Both `event` and `agenda_item` carry one field the protocol table does not list, `status`
(`scheduled` or `cancelled`): receivers ignore unknown fields (PROTOCOL.md section 5), and
our own portals use it to show a cancellation (and STATUS:CANCELLED in iCalendar).
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import JSON, Boolean, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from portal.events.agenda import agenda_order
from portal.events.constants import DRAFT
from portal.events.schemas import AgendaItemSchema, EventSchema
from portal.events.writers import LeadWrites
from portal.extensions import db
from portal.federation.fields import open_length
from portal.federation.records import Federated, local_cluster, set_event_hosts
from portal.timeutil import UTCDateTime, utcnow


def zone(name):
    """The ZoneInfo of an IANA name; UTC when the name is unknown (data from a peer)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder of tzdata; a long name, ENAMETOOLONG
        return ZoneInfo("UTC")


def iso_in(moment, tz_name):
    """ISO 8601 with the offset of `tz_name` at that instant (None stays None)."""
    if moment is None:
        return None
    return moment.astimezone(zone(tz_name)).isoformat(timespec="seconds")


def as_utc(value):
    """A protocol datetime (ISO string with offset, or an aware datetime) as aware UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError("datetime without offset")
    return value.astimezone(timezone.utc)


def event_zone_name(obj, event_uid):
    """The time zone of the event `obj` belongs to, looked up in obj's session."""
    session = object_session(obj)
    event = session.get(Event, event_uid) if session is not None and event_uid else None
    return event.timezone if event is not None else "UTC"


class Event(Federated, db.Model):
    """A co-hosted event; its origin is the lead cluster, `co_hosts` the others."""

    fed_type = "event"
    fed_schema = EventSchema

    title: Mapped[str] = mapped_column(open_length(200))
    topic: Mapped[str] = mapped_column(open_length(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(open_length(64), default="Europe/Paris")
    venue_name: Mapped[str] = mapped_column(open_length(200), default="")
    venue_address: Mapped[str] = mapped_column(open_length(300), default="")
    venue_city: Mapped[str] = mapped_column(open_length(120), default="")
    venue_country: Mapped[str] = mapped_column(open_length(2), default="")
    co_hosts: Mapped[list] = mapped_column(JSON, default=list)
    registration_open: Mapped[bool] = mapped_column(Boolean, default=True)
    # The lead's own deadline, not a protocol field: once it passes, the lead closes registration
    # (`registration_open` false, which is what its co-hosts receive). None on a replica.
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the lead's organisers closed registration by hand (None while it is open): a co-host's
    # member who registered before their portal heard of it reaches us late. Local, like the deadline.
    registration_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer, default=100)
    # The B2B block: the lead's scheduler (meetings/scheduling.py) places slots of
    # `b2b_slot_minutes` on `b2b_tables` tables between `b2b_starts_at` and `b2b_ends_at`.
    b2b_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    b2b_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    b2b_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    b2b_slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    b2b_tables: Mapped[int] = mapped_column(Integer, default=10)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agenda_rows = relationship("AgendaItem", primaryjoin="foreign(AgendaItem.event_uid) == Event.uid",
                               viewonly=True)

    @property
    def items(self):
        """The agenda items, in the agenda's order (`agenda.agenda_order`)."""
        return sorted(self.agenda_rows, key=agenda_order)

    @property
    def hosts(self):
        """The lead first, then the co-hosts, without repeats."""
        return list(dict.fromkeys([self.origin, *(self.co_hosts or [])]))

    @property
    def cancelled(self):
        return self.status == "cancelled"

    @property
    def draft(self):
        """Created here and not published yet: only this portal's organisers see it, no peer has it."""
        return self.status == DRAFT

    def fed_shared(self):
        return not self.draft

    @property
    def begun(self):
        """Once begun, its registrations, check-ins and answers are on record: nothing cancels them."""
        return self.starts_at <= utcnow()

    def past_deadline(self, now=None):
        """Its registration deadline has come (`registration_open` may not say so yet: the lead
        closes it at the next round of `close_due_registrations`)."""
        return self.registration_closes_at is not None and self.registration_closes_at <= (now or utcnow())

    @property
    def registration_cutoff(self):
        """From when a co-host's registration reaching us is late: the deadline, or when the
        organisers closed registration by hand if that came first. None: no cutoff."""
        return min(filter(None, (self.registration_closes_at, self.registration_closed_at)), default=None)

    @property
    def accepting_registrations(self):
        """Registration is open and its deadline, if any, still to come."""
        return bool(self.registration_open) and not self.past_deadline()

    @property
    def over(self):
        return self.over_at(utcnow())

    def over_at(self, now):
        return self.ends_at <= now

    def door_open(self, now=None):
        """Check-in opens on the event's first day on its own calendar: an arrival recorded
        earlier would decide who is asked the surveys, for a day that has not come."""
        return (now or utcnow()).astimezone(self.zone).date() >= self.starts_at.astimezone(self.zone).date()

    @property
    def zone(self):
        return zone(self.timezone)

    def fed_data(self):
        tz = self.timezone
        # PROTOCOL.md gives the B2B block's times no null: an event without a block sends its own
        # times, which `enabled: false` says nobody meets in.
        block = (self.b2b_starts_at, self.b2b_ends_at) if self.b2b_starts_at and self.b2b_ends_at \
            else (self.starts_at, self.ends_at)
        return {
            "title": self.title, "topic": self.topic, "description": self.description,
            "starts_at": iso_in(self.starts_at, tz), "ends_at": iso_in(self.ends_at, tz),
            "timezone": tz,
            "venue": {"name": self.venue_name, "address": self.venue_address,
                      "city": self.venue_city, "country": self.venue_country},
            "co_hosts": list(self.co_hosts or []),
            "registration_open": bool(self.registration_open), "capacity": self.capacity,
            "b2b": {"enabled": bool(self.b2b_enabled), "starts_at": iso_in(block[0], tz),
                    "ends_at": iso_in(block[1], tz), "slot_minutes": self.b2b_slot_minutes,
                    "tables": self.b2b_tables},
            "status": self.status,
        }

    def fed_load(self, data):
        from portal.events.moves import Times  # moves reads registrations, whose module imports this one

        self.moved_from = Times.of(self) if self.starts_at is not None else None  # a replica seen before
        co_hosted = local_cluster() in (self.co_hosts or [])
        was_cancelled = self.status == "cancelled"
        venue, b2b = data.get("venue") or {}, data.get("b2b") or {}
        self.title, self.topic = data["title"], data.get("topic") or ""
        self.description = data.get("description") or ""
        self.starts_at, self.ends_at = as_utc(data["starts_at"]), as_utc(data["ends_at"])
        self.timezone = data["timezone"]
        self.venue_name, self.venue_address = venue.get("name") or "", venue.get("address") or ""
        self.venue_city, self.venue_country = venue.get("city") or "", venue.get("country") or ""
        self.co_hosts = list(data.get("co_hosts") or [])
        self.registration_open, self.capacity = bool(data["registration_open"]), data["capacity"]
        self.b2b_enabled = bool(b2b.get("enabled"))
        self.b2b_starts_at, self.b2b_ends_at = as_utc(b2b.get("starts_at")), as_utc(b2b.get("ends_at"))
        self.b2b_slot_minutes = b2b.get("slot_minutes") or 20
        self.b2b_tables = b2b.get("tables") or 1
        self.status = data.get("status") or "scheduled"
        self.newly_co_hosted = not co_hosted and local_cluster() in self.co_hosts
        # Cancelled while we co-hosted it (a cancelled event first seen so was never ours to promote).
        self.newly_cancelled = co_hosted and not was_cancelled and self.status == "cancelled" \
            and local_cluster() in self.co_hosts

    def fed_after_apply(self, session):
        """The hosts known for the event's records; a cancellation or a move from the lead is
        mailed by this portal to its own registered members, whose B2B availability it fits to
        a moved B2B block (it writes their registrations); our administrators hear that the lead
        made us a co-host, or cancelled an event we co-host."""
        from portal.events import moves
        # notify imports this module
        from portal.events.notify import tell_cancellation, tell_co_host_cancelled, tell_co_hosting

        set_event_hosts(session, self.uid, self.hosts)
        tell_cancellation(session, self)
        if getattr(self, "newly_co_hosted", False):
            tell_co_hosting(session, self)
        if getattr(self, "newly_cancelled", False):
            tell_co_host_cancelled(session, self)
        if getattr(self, "moved_from", None) is not None:
            moves.follow(session, self, self.moved_from)


class AgendaItem(LeadWrites, Federated, db.Model):
    """One slot of an event's programme (audience: all peers, like the event)."""

    fed_type = "agenda_item"
    fed_schema = AgendaItemSchema

    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16), default="other")
    title: Mapped[str] = mapped_column(open_length(200))
    speaker_person_uids: Mapped[list] = mapped_column(JSON, default=list)
    listing_uid: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(16), default="scheduled")

    event = relationship("Event", primaryjoin="foreign(AgendaItem.event_uid) == Event.uid",
                         viewonly=True)
    listing = relationship("Listing", primaryjoin="foreign(AgendaItem.listing_uid) == Listing.uid",
                           viewonly=True)

    def fed_shared(self):
        """Withheld with its event while that is a draft (published with it)."""
        session = object_session(self)
        event = session.get(Event, self.event_uid) if session is not None and self.event_uid else None
        return not (event is not None and event.draft)

    @property
    def cancelled(self):
        return self.status == "cancelled"

    @property
    def minutes(self):
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def slot(self):
        """When it is and whether it is on: a change of it is mailed to its speakers."""
        return self.starts_at, self.ends_at, self.status

    def fed_data(self):
        tz = event_zone_name(self, self.event_uid)
        return {"event_uid": self.event_uid, "starts_at": iso_in(self.starts_at, tz),
                "ends_at": iso_in(self.ends_at, tz), "kind": self.kind, "title": self.title,
                "speaker_person_uids": self._shared_speakers(),
                "listing_uid": self.listing_uid, "status": self.status}

    def _shared_speakers(self):
        """The speakers peers get: all but our members who do not share their profile (a uid
        without consent would tie their talks together, as `Listing._names_its_person` says)."""
        from portal.directory.models import Person

        uids, session = list(self.speaker_person_uids or []), object_session(self)
        if not uids or session is None:
            return uids
        unshared = set(session.scalars(select(Person.uid).where(
            Person.uid.in_(uids), Person.origin == local_cluster(), Person.share_profile.isnot(True))))
        return [uid for uid in uids if uid not in unshared]

    def fed_load(self, data):
        self.slot_before = self.slot if self.starts_at is not None else None  # a replica seen before
        self.event_uid, self.kind, self.title = data["event_uid"], data["kind"], data["title"]
        self.starts_at, self.ends_at = as_utc(data["starts_at"]), as_utc(data["ends_at"])
        self.speaker_person_uids = list(data.get("speaker_person_uids") or [])
        self.listing_uid = data.get("listing_uid")
        self.status = data.get("status") or "scheduled"

    def fed_after_apply(self, session):
        """Our members who speak in it are told when the lead cancels it or gives it new times."""
        from portal.events.notify import tell_speakers  # notify imports this module

        tell_speakers(session, self, getattr(self, "slot_before", None))
