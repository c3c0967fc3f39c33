"""Pulling a peer's feed: pages from the stored cursor, verified, applied with the cursor.

Pages are applied in transactions together with the new cursor (receiver rule 4), so a
pull killed at any moment resumes where the last commit left it. A long pull groups its
pages into a transaction of about `SYNC_COMMIT_SECONDS`. Failures (network, 5xx, 429,
garbage, bad signatures) move nothing past the pages applied before them and are recorded
on the peer, which is retried later with exponential backoff and jitter (or when its Retry-After says).
"""
import contextlib
import fcntl
import gc
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from portal.extensions import db
from portal.federation import apply, client, services
from portal.federation.models import PAGE_LIMIT, Peer
from portal.federation.records import utcnow


class PullRefused(Exception):
    """This peer cannot be pulled now (not confirmed, key changed)."""


#: After our own database was busy with another writer: the next try, whatever the failures so far.
CONTENTION_RETRY_SECONDS = 1


class PullBusy(Exception):
    """Another process or thread is pulling this peer right now."""


@dataclass
class PullResult:
    peer_id: str
    ok: bool = True
    pages: int = 0
    applied: int = 0
    skipped: int = 0
    unknown: int = 0
    quarantined: int = 0
    removed: int = 0
    busy: bool = False
    error: str | None = None
    recovered: bool = False  # the peer had failed pulls before this one

    @property
    def changed(self):
        """Whether this pull changed anything here (applied, quarantined or removed records)."""
        return bool(self.applied or self.quarantined or self.removed)

    def add(self, outcome):
        """Count a committed page's outcome."""
        self.pages += 1
        self.applied += outcome.applied
        self.skipped += outcome.skipped
        self.unknown += outcome.unknown
        self.quarantined += outcome.quarantined
        self.removed += outcome.removed


def pull_peer(peer_id, progress=None, stop=None, page_size=None):
    """Pull everything `peer_id` has for us; returns a PullResult (never raises PeerError).

    `progress(result, peer)` is called after each commit; `stop()` returning True
    ends the pull between pages.
    """
    result = PullResult(peer_id)
    try:
        with pull_lock(peer_id):
            peer = start(peer_id)
            result.recovered = bool(peer.failures)
            check_identity(peer)
            if not pull_pages(peer, result, progress, stop, page_size):  # stopped before the end
                peer.pull_ended_at = utcnow()
                db.session.commit()
    except client.PeerError as error:
        fail(peer_id, str(error), error.retry_after)
        result.ok, result.error = False, str(error)
    except PullRefused as error:
        db.session.rollback()
        end(peer_id, str(error))
        result.ok, result.error = False, str(error)
        current_app.logger.warning("pull from %s refused: %s", peer_id, error)
    except PullBusy as error:
        db.session.rollback()
        result.busy, result.error = True, str(error)
    except Exception as error:  # a bug or a database failure: nothing since the last commit is kept
        kind = "database error" if apply.database_trouble(error) else "internal error"
        result.ok, result.error = False, f"{kind}: {error}"
        # Another writer of our database (the mail thread, a web request) is not the peer's
        # fault: try again in a moment instead of backing off as from a failing peer.
        soon = CONTENTION_RETRY_SECONDS if apply.database_contention(error) else None
        try:
            fail(peer_id, f"{kind}: {type(error).__name__}: {error}", soon, traceback=True)
        except Exception as again:  # the database is still unusable: the next pass tries again
            if not apply.database_trouble(again):
                raise
            db.session.rollback()
            current_app.logger.exception("pull from %s failed (%s), and recording the failure failed too: %s",
                                         peer_id, kind, again)
    return result


@contextlib.contextmanager
def pull_lock(peer_id):
    """One pull per peer at a time across threads and processes of this instance.

    An exclusive lock on a file of the instance folder: the kernel releases it when the
    holder dies, so a killed puller never blocks the next one.
    """
    folder = os.path.join(current_app.instance_path, "locks")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fd = os.open(os.path.join(folder, f"pull-{peer_id}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise PullBusy(f"{peer_id} is being pulled already") from None
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def start(peer_id):
    """Check the peer may be pulled and mark the pull as started (for the status page)."""
    peer = db.session.get(Peer, peer_id)
    if peer is None or peer.state != "confirmed":
        raise PullRefused(f"{peer_id} is not a confirmed peer")
    if peer.new_public_key:
        raise PullRefused(f"{peer_id} presented a new key ({peer.new_fingerprint}); an administrator "
                          "must confirm it before sync resumes")
    peer.pull_started_at, peer.notified_at = utcnow(), None
    db.session.commit()
    return peer


def pull_pages(peer, result, progress, stop, page_size):
    """Fetch and apply pages until caught up (True) or stopped (False); the next page is
    fetched while one is applied.

    Pages are committed, with the cursor, about every `SYNC_COMMIT_SECONDS` and when the pull
    ends: at 100,000 listings a commit per page of 1,000 wrote most pages of the indexes keyed
    by random uids again each time. A page that cannot be fetched leaves the pages applied
    before it committed.
    """
    limit = min(page_size or current_app.config["FEDERATION_PAGE_MAX"], PAGE_LIMIT)
    every = current_app.config["SYNC_COMMIT_SECONDS"]
    app = current_app._get_current_object()
    target = SimpleNamespace(cluster_id=peer.cluster_id, base_url=peer.base_url, public_key=peer.public_key)
    staged, opened = [], 0.0  # outcomes of the pages applied since the last commit; when the first began
    resynced = False

    def fetch(since, epoch):
        with app.app_context():
            return client.get_changes(target, since, limit, epoch)

    def commit():
        db.session.commit()
        for outcome in staged:
            result.add(outcome)
        staged.clear()
        if progress:
            progress(result, peer)

    prefetch = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prefetch")
    with prefetch as pool, sqlite_pull_settings(db.session) as settle:
        pending = pool.submit(fetch, peer.cursor, peer.epoch)
        while pending is not None:
            try:
                page, nul_free = pending.result()
            except client.PeerError:
                if staged:
                    commit()
                raise
            if page["epoch"] != peer.epoch and (peer.epoch is not None or peer.cursor):
                if staged:
                    commit()
                if resynced:  # two databases answering in turn (behind one address?) would loop for ever
                    raise client.PeerError(f"the feed's epoch changed again during one pull ({peer.epoch} -> "
                                           f"{page['epoch']}): its publisher answers from more than one database")
                resynced = True
                begin_resync(peer, page["epoch"])
                pending = pool.submit(fetch, 0, page["epoch"])
                continue
            more = page["has_more"] and not (stop and stop())
            pending = pool.submit(fetch, page["next"], page["epoch"]) if more else None
            if not staged:
                opened = time.monotonic()
            settle()
            with collector_paused():
                done, outcome = apply_page(peer, page, nul_free)
            staged.append(outcome)
            if pending is None or time.monotonic() - opened >= every:
                commit()
    return done


#: SQLite settings of the connection that applies a pull's pages, restored at the end. A first
#: pull inserts into indexes keyed by random uids: with the default 2 MB cache their pages were
#: read from the file again at every page of changes (at 100,000 listings, over a quarter of the
#: pull's system CPU), and with a checkpoint every 1,000 WAL pages (4 MB, about every page of
#: changes) the same index pages were copied into the database again and again.
PULL_SQLITE_PRAGMAS = {"cache_size": -65536, "wal_autocheckpoint": 10000}


@contextlib.contextmanager
def sqlite_pull_settings(session):
    """SQLite: yields `settle()`, which gives the session's connection a larger page cache and
    a rarer automatic checkpoint; both are back to what they were at the end.

    Called as each page begins (after a commit the pool may hand the session another
    connection); the cache outlives the page's commit, which is where it pays off. They are
    restored on the connection the session holds at the end, the one a pull uses unless
    another thread took it from the pool meanwhile. Durability is untouched: a page and its
    cursor still commit together, and a checkpoint only copies committed pages from the WAL
    into the database file.
    """
    if session.get_bind().dialect.name != "sqlite":
        yield lambda: None
        return
    connection = session.connection()
    before = {name: int(connection.exec_driver_sql(f"PRAGMA {name}").scalar()) for name in PULL_SQLITE_PRAGMAS}

    def set_all(values):
        for name, value in values.items():
            session.connection().exec_driver_sql(f"PRAGMA {name} = {int(value)}")

    try:
        yield lambda: set_all(PULL_SQLITE_PRAGMAS)
    finally:
        with contextlib.suppress(Exception):  # after a failed page the session must be rolled back first
            set_all(before)


@contextlib.contextmanager
def collector_paused():
    """No cyclic garbage collection while a page is applied.

    A page makes tens of thousands of short-lived objects that reference counting frees;
    each collection they trigger would also walk every long-lived object of the app
    (a full collection took a tenth of a pull's CPU). Cycles wait for the next page.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def check_identity(peer):
    """Fetch `info` at every pull: a key change stops sync until an administrator confirms it."""
    info = client.fetch_info(peer.base_url)
    if info["cluster_id"] != peer.cluster_id:
        raise client.PeerError(f"{peer.base_url} now answers as {info['cluster_id']!r}")
    if info["fingerprint"] != peer.fingerprint:
        services.note_key_change(peer, info)
        db.session.commit()
        raise PullRefused(f"{peer.cluster_id} presented a new key ({info['fingerprint']}); an "
                          "administrator must confirm it before sync resumes")


def begin_resync(peer, epoch):
    """The publisher's database is another incarnation: pull again from 0, clean up at the end."""
    current_app.logger.warning("peer %s changed epoch %s -> %s: full resync", peer.cluster_id, peer.epoch, epoch)
    peer.cursor, peer.epoch, peer.resyncing, peer.head = 0, epoch, True, None
    peer.skipped = 0  # the full pull counts the records of unknown types it delivers anew
    db.session.commit()


def apply_page(peer, page, nul_free=False):
    """Apply one verified page and move the cursor, uncommitted; (caught up, Outcome)."""
    if peer.epoch is None:
        peer.epoch = page["epoch"]
    outcome = apply.apply_changes(db.session, peer.cluster_id, page["changes"], peer.epoch, peer.resyncing,
                                  nul_free=nul_free)
    events = {c["uid"] for c in page["changes"] if isinstance(c, dict) and c.get("type") == "event"}
    if events:  # its hosts may have changed: what a new host wrote comes in
        services.retry_writer_refusals(events)
    peer.cursor = page["next"]
    peer.pull_started_at = utcnow()  # still running (the status page shows a pull silent for an hour as dead)
    peer.received = (peer.received or 0) + outcome.applied
    peer.skipped = (peer.skipped or 0) + outcome.unknown
    done = not page["has_more"]
    if done:
        peer.head = page["next"]
        if peer.resyncing:
            outcome.removed = apply.remove_undelivered(db.session, peer.cluster_id, peer.epoch)
            peer.resyncing = False
        succeed(peer)  # the pull's success lands with its last page
    elif peer.head is None or peer.head < peer.cursor:
        peer.head = peer.cursor
    return done, outcome


def succeed(peer):
    """Caught up: clear the failures (the caller commits, with the last page)."""
    now = utcnow()
    peer.last_pull_at = peer.pull_ended_at = now
    peer.failures, peer.last_error, peer.retry_after = 0, None, None


def fail(peer_id, message, retry_after=None, traceback=False):
    """Record a failure: nothing moved; the next try waits (Retry-After, else backoff).

    Logs the failed pull's one line, with the exception being handled when `traceback` (a bug
    of ours or our database, not the peer's)."""
    db.session.rollback()
    peer = db.session.get(Peer, peer_id)
    peer.failures = (peer.failures or 0) + 1
    delay = max(1, retry_after if retry_after is not None else backoff(peer.failures))
    now = utcnow()
    peer.last_error, peer.last_error_at = message[:2000], now
    peer.retry_after = now + timedelta(seconds=delay)
    peer.pull_ended_at = now
    db.session.commit()
    current_app.logger.warning("pull from %s failed (%d in a row, next try in %d s): %s", peer_id, peer.failures,
                               round(delay), message, exc_info=traceback)


def end(peer_id, message):
    peer = db.session.get(Peer, peer_id)
    if peer is not None:
        now = utcnow()
        peer.last_error, peer.last_error_at, peer.pull_ended_at = message[:2000], now, now
        db.session.commit()


def backoff(failures):
    """Exponential, capped, with jitter below it (half to all of the delay) so that failing
    peers do not retry in step and none waits past SYNC_BACKOFF_MAX."""
    config = current_app.config
    base = min(config["SYNC_BACKOFF_MAX"], config["SYNC_BACKOFF_BASE"] * 2 ** min(failures - 1, 20))
    return base * random.uniform(0.5, 1.0)


def pull_all(progress=None, peer_ids=None):
    """One pass over every confirmed peer (or those named); a list of PullResult."""
    from portal.federation import queries

    ids = peer_ids or [p.cluster_id for p in queries.confirmed_peers()]
    results = []
    for peer_id in ids:
        results.append(pull_peer(peer_id))
        if progress:
            progress(results[-1])
    return results


def start_background_pull(app, peer_id):
    """The admin page's "Sync now": pull in a daemon thread; progress is read from the Peer row."""
    import threading

    def run():
        with app.app_context():
            try:
                pull_peer(peer_id)
            finally:
                db.session.remove()

    thread = threading.Thread(target=run, name=f"pull-{peer_id}", daemon=True)
    thread.start()
    return thread


def check_convergence(peer):
    """Compare digests both ways: its published-for-us with our replica of it, and back."""
    from portal.federation import feed

    theirs = client.get_digest(peer)
    ours = {"published": feed.published_digest(peer.cluster_id), "replica": feed.replica_digest(peer.cluster_id)}
    pulled, pushed = same_digest(theirs["published"], ours["replica"]), same_digest(ours["published"], theirs["replica"])
    return {"theirs": theirs, "ours": ours, "pulled": pulled, "pushed": pushed, "in_sync": pulled and pushed}


def same_digest(one, other):
    """The same count and hash: the hex may be in either case (PROTOCOL.md says hex, not which)."""
    return one["count"] == other["count"] and one["sha256"].lower() == other["sha256"].lower()
