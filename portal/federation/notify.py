"""Telling peers we have new changes, in the background, after our ledger changed.

The ledger hook marks the session (`fed_changed`); once that transaction commits (the
outermost: a SAVEPOINT's release fires the same event, before the change is visible), a
daemon thread (one per process, started lazily) POSTs a signed `notify` to every
confirmed peer with a short timeout. Bursts of commits coalesce into one round. A peer
that is down or slow costs the member's request nothing: periodic pulls still happen.
A process that ends (a command: `import`, `surveys send-due`...) first lets a round under
way finish, within about two notify timeouts.
"""
import atexit
import threading
from types import SimpleNamespace

from flask import current_app, has_app_context

from portal.extensions import on_outer_commit
from portal.federation import client

_lock = threading.Lock()


def _notify_after_commit(session):
    if has_app_context() and current_app.config.get("NOTIFY_PEERS"):
        notifier(current_app._get_current_object()).poke()


on_outer_commit("fed_changed", _notify_after_commit)


def notifier(app):
    with _lock:
        found = app.extensions.get("portal_notifier")
        if found is None:
            found = app.extensions["portal_notifier"] = Notifier(app)
        return found


class Notifier:
    """A sleeping thread woken by `poke()`; each wake-up notifies every confirmed peer once."""

    def __init__(self, app):
        self.app = app
        self.wake = threading.Event()
        self.thread = None
        self.rounds = 0
        self.idle = threading.Event()  # no round under way nor asked for
        self.idle.set()
        atexit.register(self.wait_idle, 2 * app.config["NOTIFY_TIMEOUT"] + 1)

    def poke(self):
        with _lock:
            self.idle.clear()
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="notify-peers", daemon=True)
                self.thread.start()
            self.wake.set()

    def wait_idle(self, timeout):
        """Whether the rounds asked for are done, waiting up to `timeout` seconds."""
        return self.idle.wait(timeout)

    def run(self):
        while True:
            self.wake.wait()
            self.wake.clear()
            try:
                self.notify_all()
            except Exception:  # never let the thread die: the next commit pokes it again
                self.app.logger.exception("notifying peers failed")
            self.rounds += 1
            with _lock:
                if not self.wake.is_set():
                    self.idle.set()

    def notify_all(self):
        from portal.extensions import db
        from portal.federation import feed, queries

        with self.app.app_context():
            targets = [SimpleNamespace(cluster_id=p.cluster_id, base_url=p.base_url)
                       for p in queries.confirmed_peers() if not p.new_public_key]
            seq = feed.head()
            db.session.remove()
        # A thread per peer, not a pool: a pool takes no work once the interpreter is exiting,
        # which is when a command's last round runs (see wait_idle).
        threads = [threading.Thread(target=self.notify_one, args=(peer, seq), name=f"notify-{peer.cluster_id}",
                                    daemon=True) for peer in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def notify_one(self, peer, seq):
        with self.app.app_context():
            send(peer, seq)


def send(peer, seq=None):
    """POST a signed `notify` to `peer` now, with our feed's head unless `seq` is given (in an app
    context); whether the peer took it. A failure is logged, never raised: notifying is best effort."""
    if seq is None:
        from portal.federation import feed

        seq = feed.head()
    try:
        client.post_notify(peer, seq, current_app.config["NOTIFY_TIMEOUT"])
    except client.PeerError as error:
        current_app.logger.info("notify %s failed: %s", peer.cluster_id, error)
        return False
    return True
