"""Who writes what, for event-scoped records (PROTOCOL.md section 5), as a receiver checks it.

Rule 1 of section 6 refuses a change whose origin is not the peer it came from; this also
refuses a peer writing a record that the protocol gives to another writer: the lead alone
writes agenda items, registration decisions and meetings; a person's home portal writes
their registration, the requests they send and the replies they give; only an event's
hosts write for it, on the lead and on every co-host alike. A record whose event has not
arrived yet is kept, as section 5 asks, and checked again when the event first arrives
(`not_its_writers`, `portal/federation/answers.py`); so is a person's registration, request or
reply that came while their home was not known here, when their profile arrives, or, for a person
who shares none, their registration for the event (`not_at_home`).
A co-host's copy of the event may lag the lead's (a new co-host's members register before the
lead's update reaches us): a record refused because its writer is not a host is applied again
when the event comes anew (`services.retry_writer_refusals`, after the page of a pull that
brought it). A record is checked when it first arrives; its later versions come from the same
writer (rule 1), so a co-host taken off the hosts still sends its members' cancellations. A later version that
names another event or person (the type's `fed_fixed` fields) is checked again. A record that
answers another (`fed_answers`: a decision, a meeting, a reply) is checked against it when it
is here, and again when it arrives later (`portal/federation/answers.py`).
"""
from sqlalchemy import func, select
from sqlalchemy.orm import aliased


def writer_problem(session, peer_id, fed_type, event_uid, lead_only=False, person_uid=None):
    """Why `peer_id` may not write this `fed_type` record of the event, or None.

    `lead_only`: the event's lead is the one writer; `person_uid`: the person whose home
    portal is the writer."""
    from portal.events.models import Event

    event = session.get(Event, event_uid)
    if event is not None:
        if lead_only and event.origin != peer_id:
            return f"only the event's lead {event.origin!r} writes {fed_type} records"
        if peer_id not in event.hosts:
            return f"{peer_id!r} is not a host of event {event_uid}"
    return home_problem(session, peer_id, fed_type, event_uid, person_uid) if person_uid else None


def home_problem(session, peer_id, fed_type, event_uid, person_uid):
    """Why `peer_id` may not write this `fed_type` record of a person, or None: their home
    portal, when known here, is another."""
    home = person_home(session, event_uid, person_uid)
    if home is not None and home != peer_id:
        return f"person {person_uid} belongs to {home!r}: only their home portal writes their {fed_type} records"
    return None


class LeadWrites:
    """Mixin of the event-scoped types that the event's lead alone writes (agenda items,
    registration decisions, meetings); it comes before `Federated` among the bases."""

    fed_fixed = ("event_uid",)

    @classmethod
    def fed_writer_problem(cls, session, peer_id, data):
        return (writer_problem(session, peer_id, cls.fed_type, data["event_uid"], lead_only=True)
                or cls.fed_answer_problem(session, peer_id, data))

    @classmethod
    def fed_answer_problem(cls, session, peer_id, data):
        """The registration or request it answers (`fed_answers`) is one of its own event."""
        from portal.federation.records import REGISTRY

        if cls.fed_answers is None:
            return None
        fed_type, name = cls.fed_answers
        return of_another_event(session, REGISTRY[fed_type], data[name], data["event_uid"])


def not_its_writers(session, model, event_uid):
    """An SQL condition on the `model` records of the event `event_uid`, here: those whose writer
    `writer_problem()` refuses for the event alone (not its lead for a type the lead alone writes,
    not one of its hosts for the others). The rest pass that part of their check as they did when
    the event was not here; their person and what they answer were checked then."""
    from portal.events.models import Event

    event = session.get(Event, event_uid)
    if issubclass(model, LeadWrites):
        return model.origin != event.origin
    return model.origin.notin_(event.hosts)


def not_at_home(session, model, person_uid):
    """An SQL condition on the `model` records naming the person `person_uid` (in their `fed_home`
    field), whose profile, or registration, has just arrived: those another portal than their home
    (`person_home()`, for the record's event) wrote, which `home_problem()` refuses now. When they
    came, the person's home may have been unknown here."""
    from portal.directory.models import Person
    from portal.events.registration_models import Registration

    registered = aliased(Registration)
    return model.origin != func.coalesce(
        select(Person.origin).where(Person.uid == person_uid).scalar_subquery(),
        select(registered.origin).where(registered.event_uid == model.event_uid,
                                        registered.person_uid == person_uid).limit(1).scalar_subquery())


def of_another_event(session, model, uid, event_uid):
    """Why a record of event `event_uid` may not answer the `model` record `uid`, or None: that
    record is known here, or was until its tombstone, and is one of another event (a lead
    answers its own event's alone)."""
    held = final_values(session, model, uid)
    if "event_uid" in held and held["event_uid"] != event_uid:
        return f"{model.fed_type} {uid} is not one of event {event_uid}"
    return None


def final_values(session, model, uid):
    """{field: value} of the `fed_final` fields of the `model` record `uid` as known here: its
    row's, or, once its tombstone removed the row, those the tombstone kept in the ledger."""
    from portal.federation.models import Record

    found = session.get(model, uid)
    if found is not None:
        return {name: getattr(found, name) for name in model.fed_final}
    # Read, not got: the ledger is written with bulk statements, which leave the session's copies as they were.
    record = session.execute(select(Record.deleted, Record.data).where(
        Record.type == model.fed_type, Record.uid == uid)).first()
    return dict(record.data or {}) if record is not None and record.deleted else {}


def person_home(session, event_uid, person_uid):
    """The portal a person belongs to, when known here: their profile's origin, else their
    registration's (a person who shares no profile still registers)."""
    from portal.directory.models import Person
    from portal.events.registration_models import Registration

    return (session.scalar(select(Person.origin).where(Person.uid == person_uid))
            or session.scalar(select(Registration.origin).where(
                Registration.event_uid == event_uid, Registration.person_uid == person_uid).limit(1)))
