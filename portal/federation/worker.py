"""The sync worker (`flask sync --watch`): pulls notified peers within 2 s, others every SYNC_INTERVAL.

Four times a second: find the peers that are due and pull each in a thread of a small pool
(one pull per peer at a time), notifying a peer after its first good pull and after one that
ends failures (it may have backed off from us meanwhile); every few seconds write the heartbeat;
every minute close the registration of events we lead whose deadline passed; stop cleanly on
SIGTERM.
Our own database being unavailable for a while (locked by another writer, restarting) is
waited out, never the end of the worker.
"""
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from flask import current_app
from sqlalchemy import exc, or_, select

from portal.extensions import db
from portal.federation import notify, sync
from portal.federation.models import HEARTBEAT_KEY, Peer, Setting
from portal.federation.records import utcnow

TICK = 0.25  # notified peers are looked for four times a second (a notified peer is pulled within 2 s)
HEARTBEAT_EVERY = 5.0
CLOSE_EVERY = 60.0  # registration deadlines are kept to the minute


def due_peers(interval):
    """Confirmed peers whose key is trusted, not backing off, and notified, not pulled lately, or
    due to retry a failed pull (at its backoff or Retry-After, not at the next periodic pull)."""
    now = utcnow()
    query = select(Peer.cluster_id).where(
        Peer.state == "confirmed", Peer.new_public_key.is_(None),
        or_(Peer.retry_after.is_(None), Peer.retry_after <= now),
        or_(Peer.notified_at.is_not(None), Peer.retry_after.is_not(None), Peer.last_pull_at.is_(None),
            Peer.last_pull_at <= now - timedelta(seconds=interval)))
    return list(db.session.scalars(query))


def heartbeat():
    row = db.session.get(Setting, HEARTBEAT_KEY)
    if row is None:
        db.session.add(Setting(key=HEARTBEAT_KEY, value=utcnow().isoformat()))
    else:
        row.value = utcnow().isoformat()
    db.session.commit()


def close_registrations():
    """Close, and so publish to the co-hosts, the events whose registration deadline passed (as
    `flask events close-registrations` does). Its failure is logged, not the worker's end: the
    pages refuse registrations past the deadline anyway, and the next round tries again."""
    from portal.events.services import close_due_registrations  # events build on this package

    try:
        close_due_registrations()
        db.session.commit()
    except exc.OperationalError:
        raise
    except Exception:
        current_app.logger.exception("sync worker: closing registrations failed")
        db.session.rollback()


class Worker:
    def __init__(self, app, tick=TICK):
        self.app = app
        self.tick = tick
        self.stop = threading.Event()
        self.running = {}
        self.greeted = set()  # peers told we are here since this worker started
        self.pool = ThreadPoolExecutor(max_workers=app.config["SYNC_THREADS"], thread_name_prefix="pull")

    def install_signals(self):
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.stop.set())

    def run(self, on_result=None):
        last_beat = last_close = None
        while not self.stop.is_set():
            with self.app.app_context():
                try:
                    if last_beat is None or time.monotonic() - last_beat >= HEARTBEAT_EVERY:
                        heartbeat()
                        last_beat = time.monotonic()
                    if last_close is None or time.monotonic() - last_close >= CLOSE_EVERY:
                        close_registrations()
                        last_close = time.monotonic()
                    due = due_peers(self.app.config["SYNC_INTERVAL"])
                except exc.OperationalError as error:  # our database busy (SQLite locked by a long import) or down
                    current_app.logger.warning("sync worker: database unavailable, trying again: %s", error)
                    due = []
                finally:
                    db.session.remove()
            for peer_id in due:
                if peer_id not in self.running:
                    self.running[peer_id] = self.pool.submit(self.pull, peer_id)
            for peer_id, future in list(self.running.items()):
                if future.done():
                    del self.running[peer_id]
                    if on_result:
                        on_result(future.result())
            self.stop.wait(self.tick)
        self.pool.shutdown(wait=True)

    def pull(self, peer_id):
        with self.app.app_context():
            try:
                result = sync.pull_peer(peer_id, stop=self.stop.is_set)
                if self.should_greet(result):
                    notify.send(db.session.get(Peer, peer_id))
                return result
            finally:
                db.session.remove()

    def should_greet(self, result):
        """Whether to notify a peer after this pull: its first good one since the worker started,
        or one after failed pulls. While we could not be reached (or could not reach it), its
        pulls of us failed as well and back off up to SYNC_BACKOFF_MAX; the notify, "I have
        changes for you" with our feed's head, has it pull now (PROTOCOL.md: it pulls within
        seconds, and stops backing off). A pull that did not happen (busy) or failed says nothing."""
        if result.busy or not result.ok or self.stop.is_set() or not self.app.config["NOTIFY_PEERS"]:
            return False
        first = result.peer_id not in self.greeted
        self.greeted.add(result.peer_id)
        return first or result.recovered
