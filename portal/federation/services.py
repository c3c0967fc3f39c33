"""Federation writes: peering, key changes, nonces, notifications, quarantine decisions.

Services flush; the caller (a view, a command, the worker) commits.
"""
import hashlib
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.federation import client, keys, notify
from portal.federation.models import Nonce, Peer, Quarantine, is_seq
from portal.federation.records import utcnow


class PeeringError(Exception):
    """An administrator's peering action that cannot be done, with the reason."""


def fetch_identity(url):
    """Fetch `info` at `url` (normalised); PeeringError, in the administrator's words, when it cannot be used.

    The technical reason goes to the log; an invalid answer's reason is shown too (it names the field).
    """
    try:
        base_url = client.normalise_url(url)
    except client.PeerError as error:
        raise PeeringError(_("Enter the portal's address, starting with https:// (or http://).")) from error
    try:
        info = client.fetch_info(base_url)
    except client.Unreachable as error:
        current_app.logger.info("peering: %s", error)
        raise PeeringError(_("No portal answered at %(url)s: check the address, and that the portal runs "
                             "and this server can reach it.", url=base_url)) from error
    except client.PeerError as error:
        current_app.logger.info("peering: %s", error)
        raise PeeringError(_("%(url)s answered, but not as a Passerelle portal (%(reason)s).", url=base_url,
                             reason=error.__cause__ or error)) from error
    if info["cluster_id"] == current_app.config["CLUSTER_ID"]:
        raise PeeringError(_("This address is this portal itself."))
    return base_url, info


def propose_peer(base_url, info):
    """Pin the identity fetched from `info` as a pending peer (not yet answered or pulled)."""
    peer = db.session.get(Peer, info["cluster_id"])
    if peer is not None and peer.state == "confirmed":
        if peer.fingerprint != info["fingerprint"]:
            raise PeeringError(_("%(peer)s is peered with another key: review the key change.", peer=peer.cluster_id))
        return peer
    if peer is None:
        peer = Peer(cluster_id=info["cluster_id"])
        db.session.add(peer)
    peer.name = info["name"][:200]
    peer.base_url = base_url
    peer.sector = str(info.get("sector", "mixed"))[:20]
    peer.public_key = info["public_key"]
    peer.fingerprint = info["fingerprint"]
    peer.new_public_key = peer.new_fingerprint = None
    peer.state = "pending"
    db.session.flush()
    return peer


def confirm_peer(peer, fingerprint):
    """The administrator checked the fingerprint out of band: answer and pull this peer."""
    if fingerprint.strip() != peer.fingerprint:
        raise PeeringError(_("The fingerprint does not match: %(peer)s presented %(fingerprint)s.",
                              peer=peer.cluster_id, fingerprint=peer.fingerprint))
    if peer.state != "confirmed":
        peer.state = "confirmed"
        peer.confirmed_at = utcnow()
        peer.failures = 0
        peer.retry_after = None
        peer.notified_at = utcnow()  # the worker pulls a newly confirmed peer at once
    db.session.flush()
    return peer


def introduce(peer):
    """After confirming `peer` (committed): tell it we are here, and say whether it answers us.

    The notify makes a peer that had added us first pull now, instead of when its backoff
    after our refusals ends; a peer that has not added us yet refuses it, and answers nothing.
    """
    if not notify.send(peer):
        return False
    try:
        client.get_changes(peer, 0, 1)
    except client.PeerError:
        return False
    return True


def remove_peer(peer):
    """Stop answering and pulling; replicas stay, the cursor too (a re-peering resumes)."""
    peer.state = "removed"
    db.session.flush()


def note_key_change(peer, info):
    """`info` shows another key than the pinned one: sync stops until it is confirmed."""
    peer.new_public_key = info["public_key"]
    peer.new_fingerprint = info["fingerprint"]
    db.session.flush()


def confirm_key(peer, fingerprint):
    """Accept the changed key whose fingerprint the administrator checked."""
    if not peer.new_fingerprint:
        raise PeeringError(_("%(peer)s has no pending key change.", peer=peer.cluster_id))
    if fingerprint.strip() != peer.new_fingerprint:
        # Not the right one: shown here, it would be copied instead of checked with its administrator.
        raise PeeringError(_("The fingerprint does not match the new key of %(peer)s: compare it with the one "
                             "its administrator reads on their own portal.", peer=peer.cluster_id))
    keys.load_public(peer.new_public_key)
    peer.public_key, peer.fingerprint = peer.new_public_key, peer.new_fingerprint
    peer.new_public_key = peer.new_fingerprint = None
    peer.failures = 0
    peer.last_error = None
    peer.retry_after = None
    peer.notified_at = utcnow()
    db.session.flush()
    return peer


def remember_nonce(peer, nonce):
    """Record a signature nonce; True when the peer already used it within the TTL."""
    now = utcnow()
    ttl = timedelta(seconds=current_app.config["FEDERATION_NONCE_TTL"])
    if len(nonce) > 128:
        nonce = "sha256:" + hashlib.sha256(nonce.encode("utf-8")).hexdigest()
    db.session.execute(delete(Nonce).where(Nonce.peer_id == peer.cluster_id, Nonce.created_at < now - ttl))
    try:
        with db.session.begin_nested():
            db.session.add(Nonce(peer_id=peer.cluster_id, nonce=nonce, created_at=now))
    except IntegrityError:
        return True
    return False


def note_notify(peer, seq):
    """The peer says it has changes up to `seq`: the worker pulls it within two seconds."""
    peer.notified_at = utcnow()
    peer.retry_after = None  # it is up and asks to be pulled: skip the backoff
    if seq > (peer.head or 0):
        peer.head = seq
    db.session.flush()


def mark_pull_started(peer):
    """A pull is on its way (the status page polls its progress until it ends)."""
    peer.pull_started_at = utcnow()
    db.session.flush()


def discard_quarantined(entry):
    entry.resolved_at = utcnow()
    db.session.flush()


def quarantine(peer_id, change, seq, reason):
    """Keep a refused change, raw, with its reason, for an administrator. The same change
    refused again (a full pull after the peer's epoch changed) updates its entry, not a second."""
    fields = change if isinstance(change, dict) else {}
    seq = seq if is_seq(seq) else None
    entry = _same_change(peer_id, fields)
    if entry is not None:
        entry.seq, entry.reason, entry.received_at = seq, reason[:2000], utcnow()
        return entry
    entry = Quarantine(peer_id=peer_id, seq=seq, type=_short(fields.get("type")), uid=_short(fields.get("uid")),
                       reason=reason[:2000], raw=change if isinstance(change, dict) else {"raw": change})
    db.session.add(entry)
    return entry


def _same_change(peer_id, fields):
    """The unresolved entry holding this very change (its feed position aside), if any."""
    if not fields.get("type") or not fields.get("uid"):
        return None
    entry = db.session.scalar(select(Quarantine).where(
        Quarantine.peer_id == peer_id, Quarantine.type == _short(fields["type"]), Quarantine.uid == _short(fields["uid"]),
        Quarantine.resolved_at.is_(None)).order_by(Quarantine.id.desc()).limit(1))

    def content(raw):
        return {key: value for key, value in raw.items() if key != "seq"}
    return entry if entry is not None and content(entry.raw) == content(fields) else None


def _short(value):
    return str(value)[:64] if value is not None else None


#: How the reason of a change refused for its writer (PROTOCOL.md section 5) ends.
WRITER_REFUSAL = " (section 5)"


def retry_writer_refusals(event_uids):
    """Apply again the changes refused for their writer (section 5) that name one of these
    events, which just came anew: a new co-host's records arrive before the lead's event that
    names it a host. The number resolved."""
    waiting = db.session.scalars(select(Quarantine).where(
        Quarantine.resolved_at.is_(None), Quarantine.reason.endswith(WRITER_REFUSAL),
        or_(*(Quarantine.reason.contains(uid) for uid in event_uids))).order_by(Quarantine.id)).all()
    return sum(retry_quarantined(entry) for entry in waiting)


def retry_quarantined(entry):
    """Validate and apply a quarantined change again; True when it is resolved.

    Resolved means applied, or no longer needed because what we hold is as new.
    """
    from portal.federation import apply
    from portal.federation.models import Peer

    peer = db.session.get(Peer, entry.peer_id)
    reasons = []
    apply.apply_changes(db.session, entry.peer_id, [entry.raw], peer.epoch if peer else None,
                        refuse=lambda change, reason: reasons.append(reason))
    if reasons:
        entry.reason = reasons[-1][:2000]
        db.session.flush()
        return False
    entry.resolved_at = utcnow()
    db.session.flush()
    return True
