"""The sync worker and notifications: a notified peer is pulled, a dead peer never hurts a request."""
import signal
import time

import pytest

from portal.extensions import db
from tests.portals import peer

pytestmark = pytest.mark.slow


def wait_for(predicate, timeout=60, step=0.2):
    """Poll until `predicate()` is true (the timeout only bounds a broken run)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def test_worker_pulls_a_peer_that_notifies_and_stops_on_sigterm(portals):
    from portal.directory.models import Listing, Organisation
    from portal.federation.models import Peer, Setting

    a, b = portals("photonics", "agrifood", config={"SYNC_INTERVAL": 3600})
    peer(a, b)
    worker = b.popen_flask("sync", "--watch")
    try:
        def first_pull_done():
            with b.context() as session:
                row = session.get(Peer, "photonics")
                return row.last_pull_at is not None and session.get(Setting, "worker_heartbeat") is not None
        assert wait_for(first_pull_done)
        # Only a notification can make the worker pull again within the hour.
        with a.context(notify=True) as session:
            org = Organisation(name="Lumiwave", kind="research", country="FR")
            session.add(org)
            session.flush()
            listing = Listing(kind="offer", title="Notified listing", organisation_uid=org.uid)
            session.add(listing)
            session.commit()
            uid = listing.uid

        def arrived():
            with b.context() as session:
                return session.get(Listing, uid) is not None
        assert wait_for(arrived)
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0 and "sync worker stopped" in out, err


def test_notify_to_a_dead_peer_does_not_break_the_commit(app, make_listing):
    from portal.federation import notify
    from tests.portals import FakePeer, free_port

    FakePeer("peer-down").pin(db.session, base_url=f"http://127.0.0.1:{free_port()}")
    app.config["NOTIFY_PEERS"] = True
    listing = make_listing(title="Committed anyway")
    assert listing.version == 1
    notifier = notify.notifier(app)
    assert wait_for(lambda: notifier.rounds >= 1, timeout=30)


def test_no_notification_without_a_federated_change(app, make_user):
    from portal.federation import notify

    app.config["NOTIFY_PEERS"] = True
    from portal.federation.models import Setting

    db.session.add(Setting(key="unrelated", value="x"))
    db.session.commit()
    assert "portal_notifier" not in app.extensions
    assert notify  # the module's listeners are installed by the API blueprint


def test_peers_are_told_when_the_outer_transaction_commits_not_a_savepoint(app, monkeypatch, make_organisation):
    """Releasing a SAVEPOINT fires after_commit too, before the change is visible to anyone."""
    from types import SimpleNamespace

    from portal.directory.models import Listing
    from portal.federation import notify

    pokes = []
    monkeypatch.setattr(notify, "notifier", lambda app: SimpleNamespace(poke=lambda: pokes.append(1)))
    app.config["NOTIFY_PEERS"] = True
    org = make_organisation()
    pokes.clear()  # the organisation's own commit
    with db.session.begin_nested():
        db.session.add(Listing(kind="offer", title="In a savepoint", organisation_uid=org.uid))
    assert pokes == []
    db.session.commit()
    assert pokes == [1]


def test_the_worker_waits_out_a_locked_database_instead_of_exiting(app, monkeypatch, caplog):
    """Another writer holding SQLite's lock past the busy timeout made the heartbeat raise, and the worker exit."""
    from sqlalchemy.exc import OperationalError

    from portal.federation import worker as workers

    beats = []

    def heartbeat():
        beats.append(1)
        if len(beats) == 1:
            raise OperationalError("UPDATE setting", {}, Exception("database is locked"))
        runner.stop.set()

    monkeypatch.setattr(workers, "heartbeat", heartbeat)
    monkeypatch.setattr(workers, "HEARTBEAT_EVERY", 0)
    runner = workers.Worker(app, tick=0.01)
    runner.run()
    assert len(beats) == 2 and "database unavailable, trying again" in caplog.text


def test_the_worker_notifies_a_peer_after_its_first_good_pull_and_after_failures(app):
    """A peer that could not reach us backs off for up to an hour: told we are back, it pulls now."""
    from portal.federation import feed
    from portal.federation.worker import Worker
    from tests.portals import FakePublisher

    publisher = FakePublisher("peer-b").start()
    try:
        publisher.pin(db.session, base_url=publisher.base_url)
        app.config["NOTIFY_PEERS"] = True
        hello = {"cluster_id": "test-cluster", "seq": feed.head()}
        worker = Worker(app)
        assert worker.pull("peer-b").ok and publisher.notified == [hello]  # the first good pull
        assert worker.pull("peer-b").ok and publisher.notified == [hello]  # a quiet one says nothing
        publisher.behaviour = ["500"]
        assert not worker.pull("peer-b").ok and publisher.notified == [hello]
        result = worker.pull("peer-b")
        assert result.ok and result.recovered and publisher.notified == [hello, hello]  # back after a failure
        assert Worker(app).pull("peer-b").ok and len(publisher.notified) == 3  # a restarted worker
        app.config["NOTIFY_PEERS"] = False
        assert Worker(app).pull("peer-b").ok and len(publisher.notified) == 3  # notifications turned off
    finally:
        publisher.stop()
