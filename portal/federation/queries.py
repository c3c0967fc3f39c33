"""Federation reads: our identity, peers and their status, quarantine."""
import math
import re
from datetime import datetime, timedelta, timezone
from importlib import metadata

from flask import abort, current_app
from sqlalchemy import func, select

from portal.extensions import db
from portal.federation import keys
from portal.federation.models import HEARTBEAT_KEY, Peer, Quarantine, Setting
from portal.federation.records import REGISTRY, utcnow

SOFTWARE = "passerelle"


class SetupError(RuntimeError):
    """The database lacks what initialisation writes (the epoch)."""


def epoch():
    """This database's incarnation; written once by the first migration, never here."""
    value = db.session.get(Setting, "epoch")
    if value is None:
        raise SetupError("no federation epoch in this database: run `flask --app portal init`")
    return value.value


def software_version():
    try:
        return metadata.version(SOFTWARE)
    except metadata.PackageNotFoundError:
        return "0.1.0"


def info():
    """The `GET info` document."""
    config = current_app.config
    public = keys.public_key_b64()
    return {
        "protocol": "fp1", "cluster_id": config["CLUSTER_ID"], "name": config["CLUSTER_NAME"],
        "base_url": config["BASE_URL"], "sector": config["SECTOR"], "public_key": public,
        "fingerprint": keys.fingerprint(public), "epoch": epoch(),
        "record_types": sorted(REGISTRY), "software": {"name": SOFTWARE, "version": software_version()},
    }


def get_peer(cluster_id):
    return db.session.get(Peer, cluster_id)


def get_peer_or_404(cluster_id):
    peer = get_peer(cluster_id)
    if peer is None:
        abort(404)
    return peer


def peers(states=None, by_name=False):
    """Peers (in these states) by cluster id, or by name for a list people read."""
    query = select(Peer).order_by(Peer.name if by_name else Peer.cluster_id)
    if states:
        query = query.where(Peer.state.in_(states))
    return list(db.session.scalars(query))


def confirmed_peers(by_name=False):
    return peers(["confirmed"], by_name)


def quarantined_counts():
    """Open quarantine entries per peer."""
    rows = db.session.execute(select(Quarantine.peer_id, func.count()).where(
        Quarantine.resolved_at.is_(None)).group_by(Quarantine.peer_id))
    return dict(rows.all())


def quarantine(peer_id=None):
    query = select(Quarantine).where(Quarantine.resolved_at.is_(None)).order_by(Quarantine.id)
    if peer_id:
        query = query.where(Quarantine.peer_id == peer_id)
    return list(db.session.scalars(query))


def get_quarantined(entry_id):
    entry = db.session.get(Quarantine, entry_id)
    return entry if entry is not None and entry.resolved_at is None else None


def is_pulling(peer, now=None):
    """A pull started and has not ended (a pull silent for an hour is considered dead)."""
    now = now or utcnow()
    started = peer.pull_started_at
    if started is None or now - started > timedelta(hours=1):
        return False
    ended = peer.pull_ended_at
    return ended is None or ended < started


def lag(peer):
    """The publisher's head minus our cursor, when the head is known."""
    if peer.head is None:
        return None
    return max(0, peer.head - (peer.cursor or 0))


def peer_state(peer):
    """One word for the status page: ok, behind, error, waiting (it refuses us: it has not added
    this portal yet, or no longer has it), key_changed, not_peered."""
    if peer.state != "confirmed":
        return "not_peered"
    if peer.new_public_key:
        return "key_changed"
    if peer.failures:
        return "waiting" if re.search(r"\b(unknown_peer|not_peered)\b", peer.last_error or "") else "error"
    if peer.last_pull_at is None or (lag(peer) or 0) > 0 or peer.resyncing:
        return "behind"
    return "ok"


def worker_heartbeat():
    """When the sync worker last wrote its heartbeat, or None (also when the setting reads as no time)."""
    value = db.session.get(Setting, HEARTBEAT_KEY)
    if value is None:
        return None
    try:
        beat = datetime.fromisoformat(value.value)
    except ValueError:
        return None
    return beat if beat.tzinfo else beat.replace(tzinfo=timezone.utc)  # a text setting, not a UTCDateTime


def status_rows():
    """What the status page shows for each peer."""
    counts = quarantined_counts()
    return [status_row(peer, counts.get(peer.cluster_id, 0)) for peer in peers()]


def status_row(peer, quarantined=None):
    """What the status page shows for one peer (its quarantined records counted if not given)."""
    if quarantined is None:
        quarantined = quarantined_counts().get(peer.cluster_id, 0)
    return {"peer": peer, "state": peer_state(peer), "lag": lag(peer), "pulling": is_pulling(peer),
            "quarantined": quarantined, "retry_in": retry_in(peer)}


def retry_in(peer, now=None):
    """Whole seconds until a peer backing off after failed pulls is tried again, or None when
    it is not waiting (the worker's own pace applies)."""
    now = now or utcnow()
    if peer.retry_after is None or peer.retry_after <= now:
        return None
    return math.ceil((peer.retry_after - now).total_seconds())
