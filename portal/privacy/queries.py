"""Reading for the privacy pages: consents, the sharing audit, and the rows of their CSV files."""
from flask_babel import gettext as _
from sqlalchemy import select

from portal.directory.models import Organisation, Person
from portal.extensions import db
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
    yield [_("Pulled at"), _("Type"), _("Record"), _("Version"), _("Sent as"), _("Consent given at"), _("Event")]
    for r in records:
        yield [iso_z(r.pulled_at), defused(type_label(r.type)), defused(r.uid), r.version,
               _("deletion") if r.deleted else _("data"), iso_z(r.consent_at), defused(r.event_uid)]
