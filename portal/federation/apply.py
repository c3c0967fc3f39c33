"""Applying a peer's changes to our replicas: receiver rules 1-3 of PROTOCOL.md section 6.

One call handles one feed page with a few bulk statements per record type (stored
versions in one query, inserts and updates as executemany); the caller stores the cursor
and commits, so a page and its cursor land together (rule 4).
"""
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone

from marshmallow import ValidationError
from sqlalchemy import delete, inspect, or_, select, update
from sqlalchemy import exc

from portal.federation import answers, bulk, services
from portal.federation.fields import is_uuid
from portal.federation.loaders import loader
from portal.federation.models import TYPE_WIDTH, Record, is_seq
from portal.federation.records import REGISTRY, Federated

CHUNK = 500  # uids per IN (...) list

#: Failures of the database rather than of a record (locked, serialization, deadlock,
#: connection lost): they fail the whole page, which is retried later with backoff.
DATABASE_TROUBLE = (exc.OperationalError, exc.InterfaceError, exc.InternalError, exc.DisconnectionError,
                    exc.TimeoutError, exc.PendingRollbackError)


#: What another writer of our own database answers, on SQLite and PostgreSQL: it passes.
CONTENTION = re.compile(r"database is locked|database table is locked|deadlock detected|could not obtain lock"
                        r"|could not serialize access", re.IGNORECASE)


def database_contention(error):
    """True when our own database was busy with another writer (a lock, a deadlock): the peer
    is not at fault, and trying again in a moment works."""
    return isinstance(error, exc.DBAPIError) and bool(CONTENTION.search(str(error.orig)))


def database_trouble(error):
    """True when `error` says the database failed, not that the record is invalid."""
    return isinstance(error, DATABASE_TROUBLE) or getattr(error, "connection_invalidated", False)


@dataclass
class Outcome:
    applied: int = 0
    skipped: int = 0  # not newer than what we hold
    unknown: int = 0  # a type this portal does not know: the ledger row is kept, nothing else
    quarantined: int = 0
    removed: int = 0  # the end of a resync: records the peer no longer has
    reasons: list = field(default_factory=list)


def apply_changes(session, peer_id, changes, epoch, resyncing=False, refuse=None, nul_free=False):
    """Apply `changes` pulled from `peer_id`; refused ones go to `refuse(change, reason)`.

    During a resync (the publisher's epoch changed) a stored row from the old epoch is
    replaced whatever its version: versions compare only within one incarnation. With
    `nul_free` the caller has seen that no string of the page holds a NUL character.
    """
    outcome = Outcome()
    refuse = refuse or (lambda change, reason: services.quarantine(peer_id, change, change.get("seq")
                                                                    if isinstance(change, dict) else None, reason))

    def refused(change, reason):
        outcome.quarantined += 1
        outcome.reasons.append(reason)
        refuse(change, reason)

    latest = {}
    for change in changes:
        problem = envelope_problem(change, nul_free)
        if problem:
            refused(change, problem)
        elif change["origin"] != peer_id:
            refused(change, f"origin {change['origin']!r} is not the peer {peer_id!r} (rule 1)")
        elif len(change["type"]) > TYPE_WIDTH:  # unknown, and past what the ledger's key holds
            outcome.unknown += 1
        else:
            key = (change["type"], change["uid"])
            if key in latest:
                outcome.skipped += 1  # the same record twice in a page: only the newest counts
                if latest[key]["version"] >= change["version"]:
                    continue
            latest[key] = change
    by_type = defaultdict(list)
    for (fed_type, _), change in latest.items():
        by_type[fed_type].append(change)
    for fed_type, items in by_type.items():
        _TypeBatch(session, peer_id, fed_type, epoch, resyncing, outcome, refused).run(items)
    return outcome


def envelope_problem(change, nul_free=False):
    """Why a change's envelope is unusable, or None."""
    if not isinstance(change, dict):
        return "a change must be a JSON object"
    checks = (
        (isinstance(change.get("type"), str) and change["type"] != "", "type"),
        (is_uuid(change.get("uid")), "uid"),
        (isinstance(change.get("origin"), str) and 0 < len(change["origin"]) <= 40, "origin"),
        (type(change.get("version")) is int and 0 < change["version"] < 2**31, "version"),
        (is_seq(change.get("seq")), "seq"),
        (isinstance(change.get("deleted"), bool), "deleted"),
        (change.get("deleted") is True or isinstance(change.get("data"), dict), "data"),
        (parse_time(change.get("updated_at")) is not None, "updated_at"),
    )
    bad = [name for ok, name in checks if not ok]
    if bad:
        return f"malformed envelope: {', '.join(bad)}"
    if not nul_free and holds_nul(change.get("data")):
        return "text holds a NUL character"  # no database stores it as text (PostgreSQL refuses it)
    return None


def holds_nul(value):
    """A NUL character in any string of `value` (walked without recursion: peers may nest deep)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def parse_time(value):
    """A peer's ISO 8601 time as an aware UTC datetime (None when it is not one). Converted to
    UTC, not only marked: SQLite stores a datetime without its offset."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
        return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError):  # 9999-12-31T23:00-05:00 is past the last UTC datetime
        return None


def bulk_capable(model):
    """A model that takes the default load and after-apply hooks is written with bulk statements."""
    return (model.fed_load is Federated.fed_load and model.fed_after_apply is Federated.fed_after_apply
            and model.fed_after_remove is Federated.fed_after_remove)


def chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _TypeBatch:
    """The changes of one type in one page."""

    def __init__(self, session, peer_id, fed_type, epoch, resyncing, outcome, refused):
        self.session, self.peer_id, self.fed_type = session, peer_id, fed_type
        self.epoch, self.resyncing, self.outcome, self.refused = epoch, resyncing, outcome, refused
        self.model = REGISTRY.get(fed_type)

    def run(self, items):
        uids = {c["uid"] for c in items}
        stored, self.typed = self.stored(uids), self.typed_origins(uids)
        fixed = self.fixed_values(set(stored))
        kept = self.kept_values(set(stored) - set(fixed))
        upserts, tombstones, ledger, marks = {}, [], {}, []
        load = loader(self.model.fed_receiving_schema()) if self.model and self.model.fed_schema else None
        for change in items:
            row = stored.get(change["uid"])
            owner = row.origin if row is not None else self.typed.get(change["uid"], self.peer_id)
            if owner != self.peer_id:
                self.refused(change, f"{self.fed_type} {change['uid']} belongs to {owner!r}")
                continue
            stale = row is not None and self.resyncing and row.epoch != self.epoch
            if row is not None and change["version"] <= row.version and not stale:
                self.outcome.skipped += 1
                marks.append(change["uid"])
                continue
            if self.model is None:
                self.outcome.unknown += 1
            elif change["deleted"]:
                tombstones.append(change["uid"])
            elif load is None:
                self.refused(change, f"this portal cannot validate {self.fed_type} records")
                marks.append(change["uid"])
                continue
            else:
                try:
                    clean = load(change["data"])
                except ValidationError as error:
                    self.refused(change, f"invalid {self.fed_type} (rule 3): {error.messages}")
                    marks.append(change["uid"])
                    continue
                # Checked when a record first arrives: its writer's later versions follow (a
                # co-host taken off an event's hosts still cancels its members' registrations),
                # unless one names another event or person than the record here.
                checked = row is None or self.moved(change["uid"], clean, fixed)
                problem = (self.final_changed(clean, self.final_values(change["uid"], fixed, kept))
                           or self.model.fed_writer_problem(self.session, self.peer_id, clean)) if checked else None
                if problem:
                    self.refused(change, f"{self.fed_type} {change['uid']}: {problem}{services.WRITER_REFUSAL}")
                    marks.append(change["uid"])
                    continue
                upserts[change["uid"]] = (change, clean)
            # A tombstone keeps the `fed_final` values: the typed row that held them is removed.
            final = self.final_values(change["uid"], fixed, kept) if change["deleted"] else None
            ledger[change["uid"]] = (row is not None, self.ledger_values(change, final or None))
        failed = self.write_typed(upserts, tombstones) if self.model is not None else set()
        for uid in failed:
            del ledger[uid]
            marks.append(uid)
        if self.model is not None:
            self.outcome.applied += len(ledger)
        self.write_ledger([v for old, v in ledger.values() if not old], [v for old, v in ledger.values() if old],
                          marks if self.resyncing else [], stored)

    def stored(self, uids):
        found = {}
        for part in chunks(uids):
            rows = bulk.select_in(self.session, Record.__table__, ("uid", "origin", "version", "epoch"), "uid", part,
                                  type=self.fed_type)
            found.update((row.uid, row) for row in rows)
        return found

    def typed_origins(self, uids):
        """uid -> origin of the typed rows already here."""
        found = {}
        if self.model is not None:
            for part in chunks(uids):
                found.update(bulk.select_in(self.session, self.model.__table__, ("uid", "origin"), "uid", part))
        return found

    def fixed_values(self, uids):
        """uid -> the values of the model's `fed_fixed` fields in the typed rows already here."""
        names, found = self.model.fed_fixed if self.model is not None else (), {}
        for part in chunks(uids) if names else ():
            rows = bulk.select_in(self.session, self.model.__table__, ("uid", *names), "uid", part)
            found.update((row[0], tuple(row[1:])) for row in rows)
        return found

    def kept_values(self, uids):
        """uid -> the `fed_final` values that a tombstone kept in the ledger (no typed row left)."""
        found = {}
        for part in chunks(uids) if self.model is not None and self.model.fed_final else ():
            rows = self.session.execute(select(Record.uid, Record.data).where(
                Record.type == self.fed_type, Record.uid.in_(part))).all()
            found.update((uid, data) for uid, data in rows if data)
        return found

    def final_values(self, uid, fixed, kept):
        """{field: value} of the model's `fed_final` fields as we hold them: in the typed row, or,
        once a tombstone removed it, in its ledger row."""
        if uid not in fixed:
            return kept.get(uid, {})
        before = dict(zip(self.model.fed_fixed, fixed[uid]))
        return {name: before[name] for name in self.model.fed_final}

    def moved(self, uid, clean, fixed):
        """A later version naming another event or person (a `fed_fixed` field) than the typed
        row here, or bringing back a record its tombstone removed."""
        names = self.model.fed_fixed
        return bool(names) and fixed.get(uid) != tuple(clean.get(name) for name in names)

    def final_changed(self, clean, before):
        """Why a later version may not be applied: it changes a `fed_final` field of the record
        here, `before` (a check of another type relied on it), even one its tombstone removed.
        None for a first version."""
        changed = [name for name in self.model.fed_final if name in before and clean.get(name) != before[name]]
        return f"{', '.join(changed)} may not change" if changed else None

    def ledger_values(self, change, final=None):
        """A replica's ledger row: what rules 1-2, resyncs and the digest read. Not its `data`:
        the typed row holds the record and only our own records are published, so storing
        the peer's JSON again cost a third of the ledger insert for nothing. A tombstone's
        `data` is `final`, the `fed_final` values of the record it removed (or None)."""
        return {"type": self.fed_type, "uid": change["uid"], "origin": self.peer_id,
                "version": change["version"], "deleted": change["deleted"],
                "updated_at": parse_time(change["updated_at"]), "data": final, "epoch": self.epoch}

    def write_ledger(self, new, old, marks, stored):
        if new:
            bulk.insert_rows(self.session, Record.__table__, new)
        for rows in _same_keys(old):
            self.session.execute(update(Record), rows)
        for part in chunks(uid for uid in marks if uid in stored):
            self.session.execute(update(Record).where(Record.type == self.fed_type, Record.uid.in_(part))
                                 .values(epoch=self.epoch).execution_options(synchronize_session=False))

    def write_typed(self, upserts, tombstones):
        """Write the typed rows; the uids that could not be applied (already refused) come back."""
        if bulk_capable(self.model):
            self.bulk_write(upserts, tombstones)
            return set()
        return self.orm_write(upserts, tombstones)

    def bulk_write(self, upserts, tombstones):
        model = self.model
        columns, renamed = _columns(model)
        for part in chunks(tombstones):
            self.session.execute(delete(model).where(model.uid.in_(part), model.origin == self.peer_id)
                                 .execution_options(synchronize_session=False))
        existing = self.typed
        new, old = [], []
        for uid, (change, clean) in upserts.items():
            # The loaded dict is ours: it is written as it is unless it holds a non-column field.
            values = clean if columns.issuperset(clean) else {k: v for k, v in clean.items() if k in columns}
            values.update(uid=uid, origin=self.peer_id, version=change["version"],
                          updated_at=parse_time(change["updated_at"]))
            (old if uid in existing else new).append(values)
        if renamed:
            new = [{renamed.get(k, k): v for k, v in row.items()} for row in new]
        for rows in _same_keys(new):
            model.fed_insert(self.session, rows)
        for rows in _same_keys(old):
            self.session.execute(update(model), rows)
        for uid in answers.relied_on(self.session, self.fed_type, set(upserts) - set(existing)):
            answers.check_again(self.session, self.fed_type, uid)

    def orm_write(self, upserts, tombstones):
        session, model = self.session, self.model
        for uid in tombstones:
            obj = session.get(model, uid)
            if obj is not None and obj.origin == self.peer_id:
                session.delete(obj)
                session.flush()
                obj.fed_after_remove(session)
        failed = set()
        relied_on = answers.relied_on(session, self.fed_type, set(upserts) - set(self.typed))
        for uid, (change, clean) in upserts.items():
            # A model's own hooks may still refuse what its schema accepted: one savepoint each.
            try:
                with session.begin_nested():
                    obj = session.get(model, uid)
                    if obj is None:
                        obj = model(uid=uid)
                        session.add(obj)
                    obj.origin, obj.version = self.peer_id, change["version"]
                    obj.updated_at = parse_time(change["updated_at"])
                    obj.fed_load(clean)
                    session.flush()
                    if uid in relied_on:  # before its hooks, which read its answers and its scope
                        answers.check_again(session, self.fed_type, uid)
                    obj.fed_after_apply(session)
                    session.flush()
            except Exception as error:  # noqa: BLE001 (a hook's failure quarantines the change...)
                if database_trouble(error):  # ...but the database's fails the page: nothing is the record's fault
                    raise
                self.refused(change, f"{self.fed_type} could not be applied: {type(error).__name__}: {error}")
                failed.add(uid)
        return failed


def _columns(model):
    """The model's attribute names, and those whose column is named otherwise (for a Core insert)."""
    if model not in _COLUMNS:
        attrs = inspect(model).column_attrs
        _COLUMNS[model] = ({attr.key for attr in attrs},
                           {attr.key: attr.columns[0].key for attr in attrs if attr.columns[0].key != attr.key})
    return _COLUMNS[model]


_COLUMNS = {}


def _same_keys(rows):
    """Group dicts by their key set, for executemany."""
    groups = defaultdict(list)
    for row in rows:
        groups[tuple(sorted(row))].append(row)
    return groups.values()


def remove_undelivered(session, peer_id, epoch):
    """After a full pull in a new epoch: drop the replicas of `peer_id` it did not deliver."""
    rows = session.execute(select(Record.type, Record.uid).where(
        Record.origin == peer_id, or_(Record.epoch != epoch, Record.epoch.is_(None)))).all()
    by_type = defaultdict(list)
    for fed_type, uid in rows:
        by_type[fed_type].append(uid)
    for fed_type, uids in by_type.items():
        model = REGISTRY.get(fed_type)
        for part in chunks(uids):
            if model is not None:
                session.execute(delete(model).where(model.uid.in_(part), model.origin == peer_id)
                                .execution_options(synchronize_session=False))
            session.execute(delete(Record).where(Record.type == fed_type, Record.uid.in_(part))
                            .execution_options(synchronize_session=False))
    return len(rows)
