"""Federated records: the mixin, the type registry, and the ledger kept on every flush.

Every local change to a federated record bumps its version and takes the next feed
sequence number in the same transaction, so the feed can never disagree with the data.
"""
import uuid
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import Integer, String, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.federation import bulk
from portal.federation.fields import received
from portal.federation.models import Counter, EventHost, Record
from portal.timeutil import UTCDateTime, utcnow  # utcnow: many modules import it from here

#: Protocol type name to model class, filled by `Federated.__init_subclass__`.
REGISTRY = {}


def new_uid():
    return str(uuid.uuid4())


def local_cluster():
    return current_app.config["CLUSTER_ID"] if has_app_context() else None


class Federated:
    """Mixin for a model that is one of the protocol's record types.

    A subclass sets `fed_type`, `fed_schema` (a marshmallow schema class validating the
    protocol's `data`) and implements `fed_data()`; event-scoped types return their
    event's uid from `fed_event_uid()`; `fed_shared()` withholds a record. Receivers refuse what
    `fed_writer_problem()` names, call `fed_load(data)` with validated data, then
    `fed_after_apply()`; `fed_after_remove()` after a tombstone removed one.
    """

    fed_type = None
    fed_schema = None
    #: The fields `fed_writer_problem()` reads (the record's event, its people): a later version
    #: that changes one, or brings a removed record back, is checked again.
    fed_fixed = ()
    #: Fields (among `fed_fixed`) that a later version may not change at all: another type's check
    #: read them (a reply was checked against its request's recipient, a decision against its
    #: registration's event). Its tombstone keeps them in the ledger: a record deleted and sent
    #: again is held to them too.
    fed_final = ()
    #: (type, field): the record of another type that this one answers (a decision its registration,
    #: a meeting or a reply its request). `fed_answer_problem()` checks it when it arrives, and
    #: again when that record arrives after it (section 5 keeps a record whose reference is not
    #: here yet).
    fed_answers = None
    #: The field naming the person whose home portal writes the record (a registration's person, a
    #: request's sender, a reply's recipient through its request): kept while that home is not
    #: known here, it is checked again when the person's profile arrives.
    fed_home = None

    uid: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uid)
    origin: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.fed_type:
            REGISTRY[cls.fed_type] = cls

    @property
    def is_local(self):
        return self.origin == local_cluster()

    @classmethod
    def fed_receiving_schema(cls):
        """`fed_schema` with every protocol field required: how a peer's change is read."""
        return received(cls.fed_schema)

    def fed_data(self):
        """The protocol's data fields, as published to peers."""
        raise NotImplementedError

    def local_data(self):
        """The same fields as this portal holds them, for its exports (a record may publish less)."""
        return self.fed_data()

    def fed_load(self, data):
        """Set this replica's fields from validated protocol data."""
        for name, value in data.items():
            if hasattr(type(self), name):
                setattr(self, name, value)

    @classmethod
    def fed_insert(cls, session, rows):
        """Insert new replicas in bulk (one executemany); a table with more to keep overrides it."""
        bulk.insert_rows(session, cls.__table__, rows)

    @classmethod
    def fed_writer_problem(cls, session, peer_id, data):
        """Why `peer_id` may not write a record of this type with validated `data`, or None
        (PROTOCOL.md section 5's "who writes what", beyond the origin of rule 1)."""
        return None

    @classmethod
    def fed_answer_problem(cls, session, peer_id, data):
        """Why `peer_id` may not answer, with validated `data`, the record `fed_answers` names,
        when that one is here; None otherwise (part of `fed_writer_problem()`)."""
        return None

    def fed_after_apply(self, session):
        """Hook run after a replica was written (an event updates its hosts here)."""

    def fed_after_remove(self, session):
        """Hook run after a replica was removed by its origin's tombstone."""

    def fed_event_uid(self):
        return None

    def fed_shared(self):
        return True


def take_seqs(connection, count):
    """Reserve `count` feed sequence numbers; the counter's row lock orders commits."""
    value = connection.execute(
        update(Counter).where(Counter.name == "feed")
        .values(value=Counter.value + count).returning(Counter.value)
    ).scalar_one_or_none()
    if value is None:
        connection.execute(insert(Counter).values(name="feed", value=count))
        value = count
    return range(value - count + 1, value + 1)


@event.listens_for(Session, "before_flush")
def _stage_local_changes(session, flush_context, instances):
    """Bump versions of local federated objects about to be written."""
    cluster = local_cluster()
    if cluster is None:
        return
    staged = session.info.setdefault("fed_staged", {})
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Federated) and obj.fed_type and (obj.origin or cluster) == cluster:
            if obj in session.new or session.is_modified(obj, include_collections=False):
                obj.uid = obj.uid or new_uid()
                obj.origin = cluster
                obj.version = (obj.version or 0) + 1
                obj.updated_at = utcnow()
                staged[(obj.fed_type, obj.uid)] = obj
    for obj in session.deleted:
        if isinstance(obj, Federated) and obj.fed_type and obj.origin == cluster:
            staged[(obj.fed_type, obj.uid)] = None


@event.listens_for(Session, "after_flush")
def _write_ledger(session, flush_context):
    """Write the ledger rows (and feed positions) for what `before_flush` staged."""
    staged = session.info.pop("fed_staged", None)
    if not staged:
        return
    connection = session.connection()
    session.info["fed_changed"] = True  # notify peers once this commits (portal/federation/notify.py)
    seqs = iter(take_seqs(connection, len(staged)))
    for (fed_type, uid), obj in staged.items():
        if obj is None:
            values = {"deleted": True, "data": None}
        else:
            values = {"deleted": False, "data": obj.fed_data(), "version": obj.version,
                      "event_uid": obj.fed_event_uid(), "shared": obj.fed_shared()}
        write_ledger(connection, fed_type, uid, next(seqs), values)


def write_ledger(connection, fed_type, uid, seq, values):
    """Upsert the local ledger row of one record at feed position `seq`."""
    key = (Record.type == fed_type) & (Record.uid == uid)
    row = connection.execute(select(Record.version, Record.ever_shared).where(key)).first()
    values = dict(values, seq=seq, updated_at=utcnow())
    if values.get("shared"):
        values["ever_shared"] = True
    if row is None:
        values.setdefault("version", 1)
        values.setdefault("ever_shared", values.get("shared", True))
        connection.execute(insert(Record).values(
            type=fed_type, uid=uid, origin=local_cluster(), **values))
    else:
        values.setdefault("version", row.version + 1)
        connection.execute(update(Record).where(key).values(**values))


def republish_event_scope(session, event_uid):
    """Give every local record of an event a new version, so hosts old and new see it anew.

    Called when the event's hosts change: new hosts receive the records, removed hosts a
    tombstone (the feed shows them as deleted to an inactive host).
    """
    cluster = local_cluster()
    rows = session.execute(select(Record.type, Record.uid).where(
        Record.event_uid == event_uid, Record.origin == cluster, Record.deleted.is_(False))).all()
    if not rows:
        return 0
    connection = session.connection()
    session.info["fed_changed"] = True
    for (fed_type, uid), seq in zip(rows, take_seqs(connection, len(rows))):
        model = REGISTRY.get(fed_type)
        if model is not None:
            connection.execute(update(model).where(model.uid == uid).values(version=model.version + 1))
        connection.execute(update(Record).where(Record.type == fed_type, Record.uid == uid).values(
            version=Record.version + 1, seq=seq, updated_at=utcnow()))
    return len(rows)


def set_event_hosts(session, event_uid, hosts):
    """Record the hosts of an event; republish its scope when they changed."""
    current = {h.cluster_id: h for h in session.scalars(
        select(EventHost).where(EventHost.event_uid == event_uid))}
    wanted = set(hosts)
    changed = False
    for cluster_id, host in current.items():
        if host.active != (cluster_id in wanted):
            host.active = cluster_id in wanted
            changed = True
    for cluster_id in wanted - set(current):
        session.add(EventHost(event_uid=event_uid, cluster_id=cluster_id, active=True))
        changed = True
    if changed:
        session.flush()
        republish_event_scope(session, event_uid)
    return changed
