"""Federation tables: the record ledger, the feed counter, peers, quarantine, event hosts."""
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.federation.fields import open_length
from portal.timeutil import UTCDateTime, utcnow

#: The longest record type name the ledger stores. PROTOCOL.md gives `type` no length, and a type this
#: portal does not know is kept in the ledger all the same, so that the replica digest matches the
#: peer's (migration 0018). A bound remains because `type` is in the primary key: a PostgreSQL index
#: entry holds 2,704 bytes at most, and 600 characters of up to 4 bytes each, with the uid, fit.
TYPE_WIDTH = 600


#: A seq and a cursor are 64-bit integers in the database (and in the protocol's feeds).
MAX_SEQ = 2 ** 63 - 1
#: The most changes a call may ask for (PROTOCOL.md: `limit` is 1..1000); a publisher may send fewer.
PAGE_LIMIT = 1000


def is_seq(value):
    """A feed position (or a count of records) as JSON may carry it: an int from 0 to MAX_SEQ."""
    return type(value) is int and 0 <= value <= MAX_SEQ


class Record(db.Model):
    """The protocol's view of every federated record, local or replicated.

    Local rows (origin = this cluster) carry the feed position `seq` and a snapshot of the
    published `data`; replicated rows carry the peer's version and epoch, not its data (the
    typed row holds it; only our own records are published). Tombstones stay here with
    `deleted` set, so that an older version arriving late cannot resurrect a record; a
    replica's tombstone keeps in `data` its type's `fed_final` values, which the record sent
    again may not change either.
    """

    # A feed page is a range of one origin's seqs: (origin, seq) reads it in order, without a
    # scan of every local row (the digests' lookups by origin use it too).
    __table_args__ = (Index("ix_record_origin_seq", "origin", "seq"),)

    type: Mapped[str] = mapped_column(String(TYPE_WIDTH), primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    origin: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seq: Mapped[int | None] = mapped_column(BigInteger, index=True, unique=True)
    # Event-scoped records go only to the event's hosts (PROTOCOL.md section 5).
    event_uid: Mapped[str | None] = mapped_column(String(36), index=True)
    # A person who does not consent is withheld; once shared, withholding publishes a tombstone.
    shared: Mapped[bool] = mapped_column(Boolean, default=True)
    ever_shared: Mapped[bool] = mapped_column(Boolean, default=True)
    data: Mapped[dict | None] = mapped_column(JSON)
    # Replicas: the publisher's epoch that last delivered this row (a resync removes the others).
    epoch: Mapped[str | None] = mapped_column(open_length(64))  # PROTOCOL.md gives an epoch no length


class Counter(db.Model):
    """Named counters; `feed` hands out sequence numbers in commit order (its row lock)."""

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


#: The `Setting` the sync worker keeps its last sign of life in (ISO 8601).
HEARTBEAT_KEY = "worker_heartbeat"


class Setting(db.Model):
    """Small key/value facts about this database, such as its federation `epoch`."""

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class EventHost(db.Model):
    """Which clusters host an event; a removed host stays, inactive, to receive tombstones."""

    event_uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    cluster_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Peer(db.Model):
    """A partner portal: its pinned key, our cursor into its feed, and its health."""

    cluster_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    base_url: Mapped[str] = mapped_column(String(500))
    sector: Mapped[str] = mapped_column(String(20), default="mixed")
    public_key: Mapped[str] = mapped_column(String(64))  # standard base64 of the raw key
    fingerprint: Mapped[str] = mapped_column(String(60))
    # pending: key known, not confirmed; confirmed: peered; removed: unpeered.
    state: Mapped[str] = mapped_column(String(16), default="pending")
    # A key seen in `info` that differs from the pinned one stops sync until confirmed.
    new_public_key: Mapped[str | None] = mapped_column(String(64))
    new_fingerprint: Mapped[str | None] = mapped_column(String(60))
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    epoch: Mapped[str | None] = mapped_column(open_length(64))  # PROTOCOL.md gives an epoch no length
    head: Mapped[int | None] = mapped_column(BigInteger)  # publisher's last known `next`
    received: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)  # changes of a type we do not know
    # Set when the peer's epoch changed: the pull restarted from 0 and must clean up at the end.
    resyncing: Mapped[bool] = mapped_column(Boolean, default=False)
    pull_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pull_ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_pull_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    retry_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Quarantine(db.Model):
    """A change refused on receipt, kept raw with its reason for an administrator."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peer_id: Mapped[str] = mapped_column(String(40), index=True)
    seq: Mapped[int | None] = mapped_column(BigInteger)
    type: Mapped[str | None] = mapped_column(String(64))
    uid: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Nonce(db.Model):
    """Signature nonces seen from each peer, kept long enough to refuse a replay."""

    __table_args__ = (UniqueConstraint("peer_id", "nonce"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peer_id: Mapped[str] = mapped_column(String(40))
    nonce: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
