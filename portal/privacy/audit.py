"""Writing the sharing audit when a peer pulls a feed page (one pull row, one bulk insert)."""
import json
from collections import Counter

from sqlalchemy import insert, select

from portal.directory.models import Person
from portal.extensions import db
from portal.federation.records import utcnow
from portal.privacy.models import PERSONAL_TYPES, SharePull, ShareRecord


def record_share(caller, page):
    """Log what `page` (feed.changes' answer, raw or not) sent to `caller`; nothing for an empty page."""
    items = page["changes"]
    if not items:
        return None
    now = utcnow()
    pull = SharePull(peer=caller, pulled_at=now, counts=dict(Counter(item["type"] for item in items)))
    db.session.add(pull)
    db.session.flush()
    personal = [item for item in items if item["type"] in PERSONAL_TYPES]
    if personal:
        consents = _consents([item["uid"] for item in personal if item["type"] == "person"])
        db.session.execute(insert(ShareRecord), [_row(pull, item, consents) for item in personal])
    return pull


def _consents(person_uids):
    if not person_uids:
        return {}
    rows = db.session.execute(
        select(Person.uid, Person.consent_changed_at).where(Person.uid.in_(person_uids)))
    return dict(rows.all())


def _row(pull, item, consents):
    data = item.get("data") or {}
    if isinstance(data, str):  # the stored JSON text of a raw feed page
        data = json.loads(data) or {}
    return {"pull_id": pull.id, "peer": pull.peer, "pulled_at": pull.pulled_at, "type": item["type"],
            "uid": item["uid"], "version": item["version"], "deleted": bool(item["deleted"]),
            "consent_at": consents.get(item["uid"]), "event_uid": data.get("event_uid")}
