"""Federation commands: peers add/list/remove/confirm-key, sync, new-key."""
import os

import pytest

from portal.extensions import db
from portal.federation.models import Peer
from tests.portals import FakePublisher, change, organisation_data


@pytest.fixture
def publisher(app):
    fake = FakePublisher("peer-b").start()
    yield fake
    fake.stop()


def stored():
    peer = db.session.get(Peer, "peer-b")
    if peer is not None:
        db.session.refresh(peer)
    return peer


def test_add_with_the_right_fingerprint_confirms(runner, publisher):
    result = runner.invoke(args=["peers", "add", publisher.base_url, "--fingerprint", publisher.fingerprint])
    assert result.exit_code == 0, result.output
    assert publisher.fingerprint in result.output and "peer-b" in result.output
    assert stored().state == "confirmed"
    assert "It has added this portal too: sync can start." in result.output  # its feed answered


def test_add_says_what_the_other_side_must_do_while_it_does_not_answer(runner, publisher):
    publisher.behaviour = ["500"]  # the feed call after the pinning fails, as an unpeered portal's would
    result = runner.invoke(args=["peers", "add", publisher.base_url, "--fingerprint", publisher.fingerprint])
    assert result.exit_code == 0, result.output
    assert ("It answers once its administrator adds this portal too "
            "(flask --app portal peers add http://test-cluster.example).") in result.output


def test_add_with_a_wrong_fingerprint_stores_nothing(runner, publisher):
    result = runner.invoke(args=["peers", "add", publisher.base_url, "--fingerprint", "SHA256:" + "x" * 43])
    assert result.exit_code != 0 and "nothing was stored" in result.output
    assert stored() is None


def test_add_asks_and_a_no_leaves_it_pending(runner, publisher):
    result = runner.invoke(args=["peers", "add", publisher.base_url], input="n\n")
    assert "fingerprint" in result.output and stored().state == "pending"
    result = runner.invoke(args=["peers", "add", publisher.base_url], input="y\n")
    assert result.exit_code == 0 and stored().state == "confirmed"


def test_add_an_unreachable_url_fails_cleanly(runner):
    result = runner.invoke(args=["peers", "add", "http://127.0.0.1:9"])
    assert result.exit_code != 0 and "No portal answered at http://127.0.0.1:9" in result.output


def test_a_french_portals_refusals_are_in_english_like_the_rest_of_the_command(app, runner, monkeypatch):
    """They came out in French ("Aucun portail n'a répondu à ...") between English lines."""
    monkeypatch.setattr(app.extensions["babel"], "default_locale", "fr")  # a French cluster's portal
    result = runner.invoke(args=["peers", "add", "http://127.0.0.1:9"])
    assert result.exit_code != 0 and "No portal answered at http://127.0.0.1:9" in result.output
    result = runner.invoke(args=["peers", "add", "localhost"])
    assert "Enter the portal's address, starting with https://" in result.output


def test_list_remove_and_sync(runner, publisher):
    alone = runner.invoke(args=["sync"])
    assert alone.exit_code == 0 and "no confirmed peer to pull" in alone.output
    publisher.pin(db.session, base_url=publisher.base_url)
    publisher.changes = [change(1, "00000000-0000-4000-8000-000000000001", "organisation",
                                data=organisation_data())]
    result = runner.invoke(args=["sync"])
    assert result.exit_code == 0 and "peer-b: ok" in result.output and "1 applied" in result.output
    listed = runner.invoke(args=["peers", "list"])
    assert "peer-b" in listed.output and "cursor=1" in listed.output
    publisher.behaviour = ["500"]
    failed = runner.invoke(args=["sync", "--peer", "peer-b"])
    assert failed.exit_code == 1 and "FAILED" in failed.output
    assert runner.invoke(args=["peers", "remove", "peer-b"]).exit_code == 0
    assert stored().state == "removed"


def test_the_worker_prints_a_pull_that_changed_something_not_quiet_polls_nor_logged_failures(runner, monkeypatch):
    from portal.federation.sync import PullResult
    from portal.federation.worker import Worker

    pulls = [PullResult("quiet", pages=1), PullResult("busy", busy=True, error="busy"),
             PullResult("failing", ok=False, error="HTTP 500"), PullResult("news", pages=1, applied=3),
             PullResult("refused", pages=1, quarantined=1)]
    monkeypatch.setattr(Worker, "install_signals", lambda self: None)
    monkeypatch.setattr(Worker, "run", lambda self, on_result: [on_result(pull) for pull in pulls])
    result = runner.invoke(args=["sync", "--watch"])
    lines = result.output.splitlines()
    assert lines[0] == "sync worker running; SIGTERM stops it" and lines[-1] == "sync worker stopped"
    assert [line.split(":")[0] for line in lines[1:-1]] == ["news", "refused"]
    assert "3 applied" in lines[1] and "1 quarantined" in lines[2]


def test_confirm_key_accepts_the_new_key_seen_in_info(runner, publisher):
    publisher.pin(db.session, base_url=publisher.base_url)
    new = publisher.new_key()
    wrong = runner.invoke(args=["peers", "confirm-key", "peer-b", "--fingerprint", "SHA256:" + "y" * 43])
    assert wrong.exit_code != 0 and stored().new_fingerprint == new.fingerprint
    # Compared with what the other administrator reads, not copied from this error.
    assert "does not match" in wrong.output and new.fingerprint not in wrong.output
    right = runner.invoke(args=["peers", "confirm-key", "peer-b", "--fingerprint", new.fingerprint])
    assert right.exit_code == 0, right.output
    assert stored().fingerprint == new.fingerprint and stored().new_fingerprint is None


def our_fingerprint(app):
    from portal.federation import keys

    app.extensions.pop("portal_keys", None)  # read once per process, as a restart reads it again
    return keys.fingerprint(keys.public_key_b64())


def test_new_key_replaces_ours_and_keeps_the_old_one_aside(app, runner):
    """A key feared stolen, or lost: there was no way to make a new one (init refuses an instance)."""
    before = our_fingerprint(app)
    result = runner.invoke(args=["new-key"], input="y\n")
    assert result.exit_code == 0, result.output
    after = our_fingerprint(app)
    assert after != before and f"New fingerprint: {after}" in result.output
    assert f"peers confirm-key test-cluster --fingerprint {after}" in result.output
    folder = os.path.join(app.instance_path, "keys")
    [kept] = [name for name in os.listdir(folder) if name.startswith("ed25519.pem.replaced-")]
    assert os.stat(os.path.join(folder, "ed25519.pem")).st_mode & 0o777 == 0o600


def test_new_key_asks_first_and_a_no_keeps_the_key(app, runner):
    before = our_fingerprint(app)
    result = runner.invoke(args=["new-key"], input="n\n")
    assert result.exit_code != 0 and "stops syncing" in result.output
    assert our_fingerprint(app) == before


def test_new_key_writes_a_lost_key_without_asking(app, runner):
    os.remove(os.path.join(app.instance_path, "keys", "ed25519.pem"))
    result = runner.invoke(args=["new-key"])
    assert result.exit_code == 0, result.output
    assert our_fingerprint(app) in result.output
