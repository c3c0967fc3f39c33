"""The publisher's side: what one peer may see of our ledger, as feed pages and digests."""
import json
from json.encoder import encode_basestring

from sqlalchemy import Text, and_, cast, func, select

from portal.extensions import db
from portal.federation.digest import digest
from portal.federation.models import EventHost, Record
from portal.federation.records import local_cluster
from portal.timeutil import iso_z


def _visible(caller, *columns):
    """Our records (or these columns of them) that `caller` may see, with the host flag of event-scoped ones."""
    host = and_(EventHost.event_uid == Record.event_uid, EventHost.cluster_id == caller)
    return (
        select(*(columns or (Record,)), EventHost.active)
        .outerjoin(EventHost, host)
        .where(Record.origin == local_cluster())
        .where((Record.event_uid.is_(None) & Record.ever_shared) | EventHost.cluster_id.is_not(None))
    )


def _as_seen(record, host_active):
    """A record as `caller` sees it: withheld or no longer hosted means a tombstone."""
    hidden = record.deleted or not record.shared or host_active is False
    return hidden, None if hidden else record.data


def head():
    """The highest sequence number of our feed (0 when empty)."""
    return db.session.scalar(
        select(func.coalesce(func.max(Record.seq), 0)).where(Record.origin == local_cluster()))


def changes(caller, since, limit, raw=False):
    """One page of the compacted feed for `caller`, with the cursor to use next.

    The head is read first: every seq at or below it belongs to a committed transaction
    (seqs are taken under the counter's lock in commit order), so no later commit can
    land below the `next` we hand out. With `raw`, each change's `data` is the JSON text
    the ledger stores (None for a tombstone), for `page_json` to splice.
    """
    top = head()
    columns = _PAGE_COLUMNS[:-1] + (cast(Record.data, Text).label("data"),) if raw else _PAGE_COLUMNS
    rows = db.session.execute(
        _visible(caller, *columns).where(Record.seq > since, Record.seq <= top)
        .order_by(Record.seq).limit(limit)
    ).all()  # columns, not Record objects: a page of plain rows costs a fraction of a page of ORM objects
    has_more = len(rows) == limit and rows[-1].seq < top
    next_cursor = rows[-1].seq if has_more else max(since, top)
    items = []
    for row in rows:
        deleted, data = _as_seen(row, row.active)
        items.append({
            "seq": row.seq, "type": row.type, "uid": row.uid, "origin": row.origin,
            "version": row.version, "updated_at": iso_z(row.updated_at),
            "deleted": deleted, "data": data,
        })
    return {"since": since, "next": next_cursor, "has_more": has_more, "changes": items}


_PAGE_COLUMNS = (Record.seq, Record.type, Record.uid, Record.origin, Record.version, Record.updated_at,
                 Record.deleted, Record.shared, Record.data)


def page_json(head, page):
    """`head` then a page of `changes(..., raw=True)` as JSON text, each stored `data` spliced in
    as it is: decoding and re-encoding every record cost the publisher most of a page."""
    envelope = ('{"seq":%d,"type":%s,"uid":%s,"origin":%s,"version":%d,"updated_at":%s,'
                '"deleted":%s,"data":%s}')
    items = ",".join(envelope % (c["seq"], encode_basestring(c["type"]), encode_basestring(c["uid"]),
                                 encode_basestring(c["origin"]), c["version"], encode_basestring(c["updated_at"]),
                                 "true" if c["deleted"] else "false", c["data"] or "null")
                     for c in page["changes"])
    fields = dict(head, **{key: value for key, value in page.items() if key != "changes"})
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=False)[:-1] + ',"changes":[' + items + "]}"


def published_digest(caller):
    """What a full pull from 0 would deliver to `caller` now (columns only: no data is loaded)."""
    rows = db.session.execute(_visible(
        caller, Record.type, Record.uid, Record.version, Record.deleted, Record.shared)).all()
    return digest((r.type, r.uid, r.version, r.deleted or not r.shared or r.active is False) for r in rows)


def replica_digest(caller):
    """The records we hold whose origin is `caller`, tombstones included."""
    rows = db.session.execute(
        select(Record.type, Record.uid, Record.version, Record.deleted).where(Record.origin == caller))
    return digest(rows)
