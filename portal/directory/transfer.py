"""Import and export of the directory (organisations, people, listings) as JSON or CSV.

`import_data(data)` validates every row first and writes nothing unless all are valid;
then it creates or updates records by uid in the caller's transaction (it flushes, the
caller commits). Re-importing the same data changes nothing: records whose values are
unchanged keep their version. The demo loader and the `import` command both use it; the
files themselves are read and written by `transfer_files`.
"""
from collections import Counter
from dataclasses import dataclass, field

from marshmallow import ValidationError
from sqlalchemy import select

from portal.accounts.models import User
from portal.cli import counted
from portal.directory import vocabulary
from portal.directory.models import Listing, Organisation, Person
from portal.directory.schemas import ImportListingSchema, ImportOrganisationSchema, ImportPersonSchema
from portal.directory.transfer_files import Problem, read_path, rows_from_data
from portal.extensions import consistent_reads, db
from portal.federation.models import Record
from portal.federation.records import local_cluster, new_uid, utcnow

#: Import order (references point backwards): model and schema of each kind of record; the
#: files' columns are `transfer_files.COLUMNS`.
TYPES = {
    "organisations": (Organisation, ImportOrganisationSchema),
    "people": (Person, ImportPersonSchema),
    "listings": (Listing, ImportListingSchema),
}
ACCOUNT_FIELDS = ("email",)  # people's import-only fields that are not Person columns


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    accounts_created: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        parts = [f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
                 f"{self.unchanged[kind]} unchanged" for kind in TYPES]
        summary = "; ".join(parts)
        if self.accounts_created:
            summary += (f"; {counted(self.accounts_created, 'member account')} created, without a password: "
                        "each member sets one with \"Forgotten password?\" on the log-in page")
        return summary


def import_data(data, source="data"):
    """Import a dict {"organisations": [...], "people": [...], "listings": [...]} (see module doc)."""
    rows, problems = rows_from_data(data, source)
    return import_rows(rows, problems)


def import_rows(rows, problems=()):
    """Validate all rows, then (only if every one is valid) write them; flushes, never commits."""
    report = ImportReport(problems=list(problems))
    loaded = _validate(rows, report)
    if report.ok:
        _write(loaded, report)
    return report


def _validate(rows, report):
    loaded, refused = [], {}  # refused: (kind, uid) of an invalid row -> where it is
    for row in rows:
        model, schema = TYPES[row.kind]
        if not isinstance(row.values, dict):
            report.problems.append(Problem(row.file, row.location, "expected an object"))
            continue
        if nul := _holding_nul(row.values):
            report.problems.append(Problem(row.file, row.location, f"{nul}: holds a NUL character"))
            continue
        try:
            values = schema().load(row.values)
        except ValidationError as error:  # every reason at once: the fields that loaded are checked too
            reasons = [_reason(error.messages)] + _unknown_terms(row.kind, error.valid_data or {})
            report.problems.append(Problem(row.file, row.location, "; ".join(reasons)))
            refused[row.kind, str(row.values.get("uid") or "").strip().lower()] = row.location
            continue
        if unknown := _unknown_terms(row.kind, values):
            report.problems.append(Problem(row.file, row.location, "; ".join(unknown)))
        values.setdefault("uid", None)
        values["uid"] = values["uid"] or new_uid()
        loaded.append((row, values))
    order = list(TYPES)
    loaded.sort(key=lambda item: order.index(item[0].kind))  # referenced records first
    _check_uids(loaded, report)
    _check_references(loaded, refused, report)
    _check_emails(loaded, report)
    return loaded


def _holding_nul(values, name=""):
    """The name of the first value (nested ones included) holding a NUL character, which no text may."""
    if isinstance(values, str):
        return (name or "value") if "\x00" in values else None
    items = values.items() if isinstance(values, dict) else enumerate(values) if isinstance(values, list) else ()
    for key, value in items:
        found = _holding_nul(value, f"{name}[{key}]" if isinstance(key, int) else str(key))
        if found:
            return found
    return None


def _reason(messages):
    """Marshmallow's nested messages as one line: "title: Shorter than minimum length 1."."""
    parts = []
    for name, value in sorted(messages.items(), key=lambda item: str(item[0])):
        if isinstance(value, dict):
            value = _reason(value)
        elif isinstance(value, list):
            value = " ".join(str(v) for v in value)
        parts.append(f"{name}: {value}")
    return "; ".join(parts)


#: The fields of each type whose values come from a vocabulary (docs/vocabulary.md).
VOCABULARY_FIELDS = {"organisations": {"sectors": "sectors"},
                     "listings": {"sectors": "sectors", "cooperation": "cooperation", "ipr": "ipr"}}


def _unknown_terms(kind, values):
    """Reasons for the values of `values` that no vocabulary knows, one per field."""
    reasons = []
    for name, vocab in VOCABULARY_FIELDS.get(kind, {}).items():
        known = vocabulary.vocabulary(vocab)
        given = values.get(name)
        unknown = [v for v in (given if isinstance(given, list) else [given]) if v and v not in known]
        if unknown:
            reasons.append(f"{name}: unknown value {', '.join(map(str, unknown))} (see docs/vocabulary.md)")
    return reasons


def _origins(uids, uid_column, origin_column, *where):
    """uid to origin among `uids`, read 500 at a time (a short list of bound parameters)."""
    found, uids = {}, list(uids)
    for start in range(0, len(uids), 500):
        found.update(db.session.execute(select(uid_column, origin_column).where(
            uid_column.in_(uids[start:start + 500]), *where)).all())
    return found


def _existing(model, uids):
    """uid to origin of the records of `model` among `uids`."""
    return _origins(uids, model.uid, model.origin)


def _owners(model, uids):
    """uid to origin of the records of `model` among `uids` that we hold or held: a peer's
    deleted record keeps its uid its own (its tombstone in the ledger), so that an import
    cannot take it over and publish, under that uid, what peers will never pull."""
    uids = list(uids)
    return {**_origins(uids, Record.uid, Record.origin, Record.type == model.fed_type), **_existing(model, uids)}


def _check_uids(loaded, report):
    seen = {}
    for kind, (model, _schema) in TYPES.items():
        rows = [(row, values) for row, values in loaded if row.kind == kind]
        existing = _owners(model, [values["uid"] for _, values in rows])
        for row, values in rows:
            uid = values["uid"]
            if (kind, uid) in seen:
                report.problems.append(Problem(row.file, row.location, f"uid {uid} also at {seen[kind, uid]}"))
            seen[kind, uid] = row.location
            if existing.get(uid, local_cluster()) != local_cluster():
                report.problems.append(Problem(
                    row.file, row.location, f"uid {uid} is a record of cluster {existing[uid]}: read-only here"))


def _check_references(loaded, refused, report):
    """Every organisation_uid and person_uid names a record of the file or of this portal; one
    that names an invalid row of the file says so (its own problem is reported there)."""
    known = {kind: {values["uid"] for row, values in loaded if row.kind == kind} for kind in TYPES}
    wanted = {"organisations": set(), "people": set()}
    for row, values in loaded:
        wanted["organisations"].add(values.get("organisation_uid"))
        wanted["people"].add(values.get("person_uid"))
    for kind in wanted:
        existing = _existing(TYPES[kind][0], [u for u in wanted[kind] if u])
        known[kind] |= {uid for uid, origin in existing.items() if origin == local_cluster()}
    for row, values in loaded:
        for name, kind in (("organisation_uid", "organisations"), ("person_uid", "people")):
            uid = values.get(name)
            if uid and uid not in known[kind]:
                where = refused.get((kind, uid))
                report.problems.append(Problem(row.file, row.location, f"{name}: {uid} is {where}, which is invalid"
                                               if where else f"{name}: no record {uid} of this portal"))


def _check_emails(loaded, report):
    seen = {}
    for row, values in loaded:
        email = (values.get("email") or "").lower()
        if row.kind != "people" or not email:
            continue
        if email in seen:
            report.problems.append(Problem(row.file, row.location, f"email: also at {seen[email]}"))
        seen[email] = row.location
        user = db.session.scalar(select(User).where(db.func.lower(User.email) == email))
        if user is not None and user.person_uid != values["uid"]:
            report.problems.append(Problem(row.file, row.location, "email: used by another account"))


def _write(loaded, report):
    existing, tombstones = _prefetch(loaded)
    for row, values in loaded:
        model = TYPES[row.kind][0]
        record = existing.get((row.kind, values["uid"]))
        created = record is None
        if created:
            # A uid deleted before comes back above its tombstone's version, or peers would ignore it.
            record = model(uid=values["uid"], version=tombstones.get((model.fed_type, values["uid"]), 0))
            db.session.add(record)
        if row.kind == "people" and bool(values.get("share_profile")) != bool(record.share_profile):
            record.set_sharing(values.get("share_profile"))
        for name, value in values.items():
            if name not in ("uid",) + ACCOUNT_FIELDS:
                setattr(record, name, value)
        # Counted before the account's lookup, whose autoflush would leave the record unmodified.
        tally = report.created if created else report.updated if db.session.is_modified(record) else report.unchanged
        tally[row.kind] += 1
        if row.kind == "people" and values.get("email"):
            report.accounts_created += _ensure_account(record.uid, values["email"])
    db.session.flush()


def _prefetch(loaded):
    """The records the rows update, and the ledger versions of the uids they create, in bulk."""
    existing, tombstones = {}, {}
    for kind, (model, _schema) in TYPES.items():
        uids = [values["uid"] for row, values in loaded if row.kind == kind]
        for start in range(0, len(uids), 500):
            chunk = uids[start:start + 500]
            existing.update(((kind, r.uid), r) for r in db.session.scalars(select(model).where(model.uid.in_(chunk))))
            tombstones.update(((model.fed_type, uid), version) for uid, version in db.session.execute(
                select(Record.uid, Record.version).where(Record.type == model.fed_type, Record.uid.in_(chunk))))
    return existing, tombstones


def _ensure_account(person_uid, email):
    """An active member account with no password (claimed by password reset); 1 if created."""
    if db.session.scalar(select(User.id).where(User.person_uid == person_uid)) is not None:
        return 0
    db.session.add(User(email=email.lower(), role="member", status="active", password_hash=None,
                        person_uid=person_uid, approved_at=utcnow()))
    return 1


# Files ---------------------------------------------------------------------------------------

def import_path(path):
    rows, problems = read_path(path)
    return import_rows(rows, problems)


def export_data():
    """This portal's own records (never replicas) as import-ready data, contact details included,
    as of one moment: an export taken while members write re-imports."""
    cluster = local_cluster()
    data = {}
    with consistent_reads():
        emails = dict(db.session.execute(select(User.person_uid, User.email).where(User.person_uid.is_not(None))).all())
        for kind, (model, _schema) in TYPES.items():
            records = db.session.scalars(select(model).where(model.origin == cluster).order_by(model.uid)).all()
            data[kind] = [{"uid": record.uid, **record.local_data()} for record in records]
            if kind == "people":
                for item, person in zip(data[kind], records):
                    item.update(email=emails.get(person.uid), phone=person.phone,
                                share_profile=bool(person.share_profile))
    return data
