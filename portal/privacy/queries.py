"""Reading for the privacy pages: consents, the sharing audit, and CSV renderings of both."""
import csv
import io
from datetime import timezone

from sqlalchemy import select

from portal.directory.models import Organisation, Person
from portal.extensions import db
from portal.federation.records import local_cluster
from portal.privacy.models import SharePull, ShareRecord

AUDIT_LIMIT = 500


def consents():
    """Our own people with their consent and when they gave or withdrew it, by name."""
    query = (select(Person, Organisation.name)
             .outerjoin(Organisation, Organisation.uid == Person.organisation_uid)
             .where(Person.origin == local_cluster())
             .order_by(Person.display_name, Person.uid))
    return db.session.execute(query).all()


def consents_csv(rows):
    return to_csv(["person_uid", "display_name", "organisation", "share_profile", "consent_changed_at"],
                  ([p.uid, p.display_name, org or "", "yes" if p.share_profile else "no",
                    iso(p.consent_changed_at)] for p, org in rows))


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


def personal_csv(records):
    return to_csv(["pulled_at", "type", "uid", "version", "deleted", "consent_at", "event_uid"],
                  ([iso(r.pulled_at), r.type, r.uid, r.version, "yes" if r.deleted else "no",
                    iso(r.consent_at), r.event_uid or ""] for r in records))


def to_csv(header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _cell(value):
    """Neutralise spreadsheet formulas in text cells."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def iso(moment):
    """RFC 3339 in UTC with a Z (naive means UTC, as SQLite hands them back), or empty."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
