"""Reading for the privacy pages: consents, the sharing audit, and the rows of their CSV files."""
from flask_babel import gettext as _
from sqlalchemy import select

from portal.directory.models import Organisation, Person
from portal.events.models import Event
from portal.events.registration_models import Registration, RegistrationDecision
from portal.extensions import db
from portal.meetings.models import Meeting, MeetingReply, MeetingRequest
from portal.federation.records import local_cluster
from portal.privacy.models import SharePull, ShareRecord
from portal.spreadsheet import defused
from portal.text import sort_key
from portal.timeutil import iso_z

AUDIT_LIMIT = 500


def consents():
    """Our own people with their consent and when they gave or withdrew it, by name."""
    query = (select(Person, Organisation.name)
             .outerjoin(Organisation, Organisation.uid == Person.organisation_uid)
             .where(Person.origin == local_cluster()))
    # Sorted here: SQL orders by code point, "Aïcha" after "Audrey" and "Élodie" after "Zoé".
    return sorted(db.session.execute(query).all(), key=lambda row: (sort_key(row[0].display_name), row[0].uid))


def consents_csv(rows):
    """The consents page as spreadsheet rows, headed as on the page."""
    yield [_("Person ID"), _("Person"), _("Organisation"), _("Shares their profile with partner clusters"),
           _("Since")]
    for p, org in rows:
        yield [p.uid, defused(p.display_name), defused(org), _("yes") if p.share_profile else _("no"),
               iso_z(p.consent_changed_at)]


def pulls(peer):
    """The latest pulls by `peer`, newest first."""
    return db.session.scalars(select(SharePull).where(SharePull.peer == peer)
                              .order_by(SharePull.pulled_at.desc(), SharePull.id.desc())
                              .limit(AUDIT_LIMIT)).all()


def type_totals(pull_rows):
    """Records of each type over the listed pulls."""
    totals = {}
    for pull in pull_rows:
        for kind, count in (pull.counts or {}).items():
            totals[kind] = totals.get(kind, 0) + count
    return dict(sorted(totals.items()))


def personal_records(peer, limit=AUDIT_LIMIT):
    """Personal records sent to `peer`, newest first."""
    query = (select(ShareRecord).where(ShareRecord.peer == peer)
             .order_by(ShareRecord.pulled_at.desc(), ShareRecord.id.desc()))
    if limit:
        query = query.limit(limit)
    return db.session.scalars(query).all()


def personal_csv(records, type_label=str):
    """The personal records sent, as spreadsheet rows headed as on the page; `type_label` names a record type."""
    people, events = named(records)
    yield [_("Pulled at"), _("Type"), _("Record"), _("About"), _("Version"), _("Sent as"), _("Consent given at"),
           _("Event")]
    for r in records:
        yield [iso_z(r.pulled_at), defused(type_label(r.type)), defused(r.uid),
               defused(", ".join(people.get((r.type, r.uid), ()))), r.version,
               _("deletion") if r.deleted else _("data"), iso_z(r.consent_at), defused(events.get(r.event_uid, r.event_uid))]


def named(records):
    """Whom each personal record is about, and each event's title, as this portal knows them now:
    ({(type, uid): [display names]}, {event uid: title}). A survey response names nobody (its
    respondent is a pseudonym), nor does a record deleted since (a member's erasure)."""
    uids = {}
    for record in records:
        uids.setdefault(record.type, set()).add(record.uid)
    about = {("person", uid): [uid] for uid in uids.get("person", ())}
    for kind, statement in _people_of(uids).items():
        for uid, *person_uids in db.session.execute(statement):
            about[(kind, uid)] = [u for value in person_uids for u in (value if isinstance(value, list) else [value])]
    wanted = {u for person_uids in about.values() for u in person_uids}
    names = dict(db.session.execute(select(Person.uid, Person.display_name).where(Person.uid.in_(wanted))).all()) \
        if wanted else {}
    people = {key: [names[u] for u in person_uids if u in names] for key, person_uids in about.items()}
    event_uids = {record.event_uid for record in records if record.event_uid}
    events = dict(db.session.execute(select(Event.uid, Event.title).where(Event.uid.in_(event_uids))).all()) \
        if event_uids else {}
    return people, events


def _people_of(uids):
    """For each record type that names people, the statement giving (record uid, person uid or uids...)."""
    statements = {
        "registration": select(Registration.uid, Registration.person_uid),
        "registration_decision": select(RegistrationDecision.uid, Registration.person_uid).join(
            Registration, Registration.uid == RegistrationDecision.registration_uid),
        "meeting_request": select(MeetingRequest.uid, MeetingRequest.from_person_uid, MeetingRequest.to_person_uid),
        "meeting_reply": select(MeetingReply.uid, MeetingRequest.from_person_uid, MeetingRequest.to_person_uid).join(
            MeetingRequest, MeetingRequest.uid == MeetingReply.request_uid),
        "meeting": select(Meeting.uid, Meeting.person_uids),
    }
    return {kind: statement.where(statement.selected_columns[0].in_(uids[kind]))
            for kind, statement in statements.items() if uids.get(kind)}
