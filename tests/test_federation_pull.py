"""Pulling from a peer (a fake publisher in a thread): receiver rules, failures, epochs."""
import uuid

import pytest
from sqlalchemy import func, select

from portal.directory.models import Listing, Organisation
from portal.extensions import db
from portal.federation import sync
from portal.federation.models import Peer, Quarantine, Record
from tests.dbs import ON_POSTGRES
from tests.portals import FakePublisher, change, listing_data, organisation_data


def uid():
    return str(uuid.uuid4())


@pytest.fixture
def publisher(app):
    fake = FakePublisher("peer-b").start()
    fake.pin(db.session, base_url=fake.base_url)
    yield fake
    fake.stop()


def peer():
    row = db.session.get(Peer, "peer-b")
    db.session.refresh(row)
    return row


def feed_of(n_orgs):
    orgs = [uid() for _ in range(n_orgs)]
    return orgs, [change(i + 1, o, "organisation", data=organisation_data(name=f"Org {i}"))
                  for i, o in enumerate(orgs)]


def test_first_pull_applies_everything_over_pages(publisher):
    orgs, publisher.changes = feed_of(7)
    lid = uid()
    publisher.changes.append(change(8, lid, data=listing_data(orgs[0], title="Drone imaging")))
    result = sync.pull_peer("peer-b", page_size=3)
    assert result.ok and result.pages == 3 and result.applied == 8
    assert db.session.get(Listing, lid).title == "Drone imaging"
    assert db.session.get(Listing, lid).origin == "peer-b"
    state = peer()
    assert (state.cursor, state.head, state.received, state.failures) == (8, 8, 8, 0)
    assert state.epoch == "epoch-1" and state.last_pull_at is not None
    assert publisher.calls == [0, 3, 6]
    record = db.session.get(Record, ("listing", lid))
    assert (record.origin, record.version, record.deleted, record.seq) == ("peer-b", 1, False, None)


def test_newer_versions_apply_older_and_equal_do_not(publisher):
    org = uid()
    publisher.changes = [change(1, org, "organisation", version=3, data=organisation_data(name="v3"))]
    sync.pull_peer("peer-b")
    publisher.changes = [change(2, org, "organisation", version=2, data=organisation_data(name="v2")),
                         change(3, org, "organisation", version=3, data=organisation_data(name="v3bis"))]
    result = sync.pull_peer("peer-b")
    assert result.skipped == 2 and db.session.get(Organisation, org).name == "v3"
    publisher.changes = [change(4, org, "organisation", version=4, data=organisation_data(name="v4"))]
    sync.pull_peer("peer-b")
    db.session.expire_all()
    assert db.session.get(Organisation, org).name == "v4"


def test_tombstone_removes_content_and_keeps_the_record(publisher):
    org = uid()
    publisher.changes = [change(1, org, "organisation", data=organisation_data())]
    sync.pull_peer("peer-b")
    publisher.changes = [change(2, org, "organisation", version=2, deleted=True)]
    sync.pull_peer("peer-b")
    db.session.expire_all()
    assert db.session.get(Organisation, org) is None
    tomb = db.session.get(Record, ("organisation", org))
    assert tomb.deleted and tomb.version == 2 and tomb.data is None
    publisher.changes = [change(3, org, "organisation", version=1, data=organisation_data())]
    sync.pull_peer("peer-b")
    assert db.session.get(Organisation, org) is None  # a late old version cannot resurrect it


def test_other_origin_and_invalid_records_are_quarantined_mid_page(publisher):
    good_before, good_after, foreign, invalid = uid(), uid(), uid(), uid()
    publisher.changes = [
        change(1, good_before, "organisation", data=organisation_data()),
        change(2, foreign, "organisation", origin="someone-else", data=organisation_data()),
        change(3, invalid, "organisation", data=organisation_data(name="x" * 201)),
        change(4, good_after, "organisation", data=organisation_data()),
    ]
    result = sync.pull_peer("peer-b")
    assert result.ok and result.applied == 2 and result.quarantined == 2
    assert peer().cursor == 4
    entries = {q.uid: q for q in db.session.scalars(select(Quarantine))}
    assert "rule 1" in entries[foreign].reason and entries[foreign].seq == 2
    assert "name" in entries[invalid].reason and entries[invalid].raw["data"]["name"] == "x" * 201
    assert db.session.get(Organisation, good_after) is not None
    assert db.session.get(Organisation, invalid) is None


def test_the_same_change_refused_again_keeps_one_entry(app):
    """A full pull after the peer's epoch changed sends every refused change again, at new seqs."""
    from portal.federation.services import quarantine

    bad = change(3, uid(), "organisation", data=organisation_data(name="x" * 201))
    first = quarantine("peer-b", bad, 3, "too long")
    db.session.commit()
    again = quarantine("peer-b", dict(bad, seq=17), 17, "too long")
    other = quarantine("peer-b", dict(bad, seq=18, version=2), 18, "too long")  # a newer version: its own entry
    db.session.commit()
    assert again is first and (first.seq, other.seq) == (17, 18)
    assert db.session.scalar(select(func.count()).select_from(Quarantine)) == 2


def test_unknown_types_are_skipped_and_counted(publisher):
    publisher.changes = [change(1, uid(), "hologram", data={"x": 1}),
                         change(2, uid(), "organisation", data=organisation_data())]
    result = sync.pull_peer("peer-b")
    assert result.unknown == 1 and result.applied == 1 and peer().skipped == 1


def test_an_unknown_type_with_a_long_name_is_skipped_counted_and_kept_for_the_digest(publisher):
    """PROTOCOL.md section 5: an unknown type is skipped and counted, however long its name (it
    was quarantined as a malformed envelope past 32 characters), and its version is kept, so
    that our replica digest matches the peer's published one (the ledger kept no row past 32
    characters, and the two digests never agreed again)."""
    from portal.federation import feed
    from portal.federation.digest import digest

    publisher.changes = [change(1, uid(), "industrial_partnership_opportunity_v2", data={"x": 1}),
                         change(2, uid(), "organisation", data=organisation_data()),
                         change(3, uid(), "x" * 600, data={"x": 1})]
    result = sync.pull_peer("peer-b")
    assert (result.unknown, result.applied, result.quarantined) == (2, 1, 0)
    assert db.session.scalar(select(func.count()).select_from(Quarantine)) == 0
    published = digest((c["type"], c["uid"], c["version"], c["deleted"]) for c in publisher.changes)
    assert feed.replica_digest("peer-b") == published


def test_a_peer_cannot_overwrite_our_records(publisher, make_organisation):
    ours = make_organisation(name="Ours")
    publisher.changes = [change(1, ours.uid, "organisation", version=99, data=organisation_data(name="Hijack"))]
    result = sync.pull_peer("peer-b")
    db.session.expire_all()
    assert result.quarantined == 1 and db.session.get(Organisation, ours.uid).name == "Ours"


@pytest.mark.parametrize("failure", ["500", "429", "garbage", "truncated", "badsig"])
def test_failures_move_nothing_and_are_recorded(publisher, failure):
    orgs, publisher.changes = feed_of(4)
    sync.pull_peer("peer-b", page_size=2)
    publisher.changes += [change(5, uid(), "organisation", data=organisation_data())]
    publisher.behaviour = [failure]
    result = sync.pull_peer("peer-b", page_size=2)
    state = peer()
    assert not result.ok and state.cursor == 4 and state.failures == 1
    assert state.last_error and state.retry_after is not None
    assert not state.last_error.startswith("internal error")  # the peer's failure, not ours
    assert db.session.scalar(select(Organisation.uid).where(Organisation.uid.not_in(orgs))) is None
    if failure == "429":
        wait = (state.retry_after.replace(tzinfo=None) - state.last_error_at.replace(tzinfo=None)).total_seconds()
        assert 6 <= wait <= 8
    retry = sync.pull_peer("peer-b", page_size=2)
    assert retry.ok and peer().cursor == 5 and peer().failures == 0 and peer().last_error is None


NOT_A_PORTAL = ("the answer is not JSON (HTTP 200, text/html): something other than a portal answered (a proxy, "
                "or a web server at the wrong address?): check the peer's address and its proxy")


@pytest.mark.parametrize("failure, error", [
    ("garbage", NOT_A_PORTAL),
    ("proxy", NOT_A_PORTAL),
    ("badjson", "the answer is not JSON (HTTP 200, application/json): its body does not parse as JSON"),
])
def test_an_answer_that_is_no_json_says_so_with_its_status_and_type(publisher, failure, error):
    """A proxy's page answered with 200 reads as such, not as a bad signature or a decoder's message."""
    publisher.behaviour = [failure]
    result = sync.pull_peer("peer-b")
    assert not result.ok and result.error == error and peer().last_error == error


def test_an_error_status_without_a_json_body_says_its_type(publisher):
    from portal.federation import client
    from requests import Response

    answer = Response()
    answer.status_code, answer._content, answer.headers["Content-Type"] = 502, b"<h1>Bad Gateway</h1>", "text/html"
    with pytest.raises(client.PeerError, match=r"^HTTP 502 \(no error body, text/html\)$"):
        client._json(answer)


def broken_apply(*args, **kwargs):
    raise RuntimeError("a bug of ours")


@pytest.mark.parametrize("failure, reason", [
    ("500", "HTTP 500 (internal: boom)"),
    ("bug", "internal error: RuntimeError: a bug of ours"),
    ("key", "peer-b presented a new key"),
])
def test_a_failed_pull_logs_one_line_with_the_peer_and_the_reason(publisher, monkeypatch, caplog, failure, reason):
    import logging

    _orgs, publisher.changes = feed_of(2)
    if failure == "bug":
        monkeypatch.setattr(sync.apply, "apply_changes", broken_apply)
    elif failure == "key":
        publisher.new_key()
    else:
        publisher.behaviour = [failure]
    caplog.set_level(logging.INFO)
    assert not sync.pull_peer("peer-b").ok
    lines = [record for record in caplog.records if record.name.startswith("portal")]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING
    assert "pull from peer-b" in lines[0].getMessage() and reason in lines[0].getMessage()
    assert bool(lines[0].exc_info) is (failure == "bug")  # our bug's traceback, not a peer's failure


def test_a_good_pull_logs_nothing(publisher, caplog):
    import logging

    _orgs, publisher.changes = feed_of(2)
    caplog.set_level(logging.INFO)
    assert sync.pull_peer("peer-b").ok and sync.pull_peer("peer-b").ok
    assert [record.getMessage() for record in caplog.records if record.name.startswith("portal")] == []


def test_a_failed_pull_is_retried_at_its_backoff_not_at_the_next_periodic_pull(publisher):
    from datetime import timedelta

    from portal.federation.records import utcnow
    from portal.federation.worker import due_peers

    _orgs, publisher.changes = feed_of(2)
    assert sync.pull_peer("peer-b").ok and due_peers(interval=60) == []  # pulled a moment ago
    publisher.behaviour = ["429"]
    assert not sync.pull_peer("peer-b").ok
    assert due_peers(interval=60) == []  # Retry-After: 7 s not over yet
    peer().retry_after = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert due_peers(interval=60) == ["peer-b"]  # though the last good pull is under 60 s old


def test_backoff_grows_with_failures(app):
    delays = [sync.backoff(n) for n in (1, 2, 3, 4)]
    assert 2.5 <= delays[0] <= 5 and 20 <= delays[3] <= 40
    # Never past the cap the docs give ("up to an hour"), whatever the jitter draws.
    assert max(sync.backoff(50) for _ in range(200)) <= app.config["SYNC_BACKOFF_MAX"]


@pytest.mark.parametrize("seconds, kept", [(0, 3), (3600, 0)])
def test_crash_while_applying_page_two_keeps_what_was_committed_and_resumes(publisher, monkeypatch, app,
                                                                           seconds, kept):
    app.config["SYNC_COMMIT_SECONDS"] = seconds  # 0: page one committed alone; 3600: with page two
    orgs, publisher.changes = feed_of(6)
    real = sync.apply.apply_changes
    calls = []

    def flaky(session, peer_id, changes, *args, **kwargs):
        calls.append(len(changes))
        outcome = real(session, peer_id, changes, *args, **kwargs)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return outcome

    monkeypatch.setattr(sync.apply, "apply_changes", flaky)
    result = sync.pull_peer("peer-b", page_size=3)
    assert not result.ok and peer().cursor == kept and (result.pages, result.applied) == (kept // 3, kept)
    held = set(db.session.scalars(select(Organisation.uid)))
    assert held == set(orgs[:kept])
    monkeypatch.setattr(sync.apply, "apply_changes", real)
    assert sync.pull_peer("peer-b", page_size=3).ok
    assert set(db.session.scalars(select(Organisation.uid))) == set(orgs)
    assert peer().received == 6


@pytest.mark.parametrize("seconds, commits", [(0, [1, 2, 3]), (3600, [3])])
def test_pages_are_committed_with_the_cursor_about_every_sync_commit_seconds(publisher, app, seconds, commits):
    app.config["SYNC_COMMIT_SECONDS"] = seconds
    orgs, publisher.changes = feed_of(6)
    seen = []
    result = sync.pull_peer("peer-b", page_size=2, progress=lambda result, row: seen.append((result.pages, row.cursor)))
    assert result.ok and (result.pages, result.applied) == (3, 6)
    assert seen == [(pages, 2 * pages) for pages in commits]


def test_a_page_that_cannot_be_fetched_keeps_the_pages_applied_before_it(publisher, app):
    app.config["SYNC_COMMIT_SECONDS"] = 3600
    orgs, publisher.changes = feed_of(6)
    publisher.behaviour = [None, None, "500"]
    result = sync.pull_peer("peer-b", page_size=2)
    assert not result.ok and (result.pages, result.applied) == (2, 4)
    state = peer()
    assert (state.cursor, state.received, state.failures) == (4, 4, 1) and "500" in state.last_error
    assert set(db.session.scalars(select(Organisation.uid))) == set(orgs[:4])
    assert sync.pull_peer("peer-b", page_size=2).ok and peer().cursor == 6


def test_new_epoch_resyncs_and_removes_what_the_publisher_lost(publisher):
    orgs, publisher.changes = feed_of(5)
    hologram = change(6, uid(), "hologram", data={"x": 1})  # a type this portal does not know
    publisher.changes.append(hologram)
    sync.pull_peer("peer-b")
    assert peer().skipped == 1
    # Restored from an older backup: org 3 and 4 never existed there, org 0 is at version 1 again.
    publisher.epoch = "epoch-2"
    publisher.changes = [change(1, orgs[0], "organisation", data=organisation_data(name="restored")),
                         change(2, orgs[1], "organisation", data=organisation_data(name="Org 1")),
                         change(3, orgs[2], "organisation", data=organisation_data(name="Org 2")),
                         dict(hologram, seq=4)]
    result = sync.pull_peer("peer-b", page_size=2)
    assert result.ok and result.removed == 2
    assert peer().skipped == 1  # the one record of an unknown type, counted once again, not twice
    db.session.expire_all()
    assert set(db.session.scalars(select(Organisation.uid))) == set(orgs[:3])
    assert db.session.get(Organisation, orgs[0]).name == "restored"
    state = peer()
    assert state.epoch == "epoch-2" and state.cursor == 4 and not state.resyncing
    assert db.session.scalar(select(Record).where(Record.uid == orgs[4])) is None


def test_a_restored_publisher_whose_head_is_below_the_cursor_is_pulled_again_from_0(publisher):
    """PROTOCOL.md does not hold `next` to `since` across epochs: a publisher restored from a
    backup may answer the old cursor with its own, lower head. Only the new epoch counts then."""
    orgs, publisher.changes = feed_of(5)
    assert sync.pull_peer("peer-b").ok and peer().cursor == 5
    publisher.epoch = "epoch-2"
    publisher.changes = [change(1, orgs[0], "organisation", data=organisation_data(name="restored"))]
    publisher.behaviour = [lambda since, limit: dict(publisher.page(since, limit), next=1)]
    result = sync.pull_peer("peer-b")
    assert result.ok and result.removed == 4
    assert publisher.calls[-2:] == [5, 0]
    state = peer()
    assert (state.epoch, state.cursor, state.last_error) == ("epoch-2", 1, None)
    db.session.expire_all()
    assert db.session.get(Organisation, orgs[0]).name == "restored"


def test_key_change_stops_sync_until_confirmed(publisher):
    from portal.federation import services

    publisher.changes = feed_of(1)[1]
    old = publisher.fingerprint
    new = publisher.new_key()
    result = sync.pull_peer("peer-b")
    state = peer()
    assert not result.ok and state.new_fingerprint == new.fingerprint and state.fingerprint == old
    assert not sync.pull_peer("peer-b").ok and peer().cursor == 0
    services.confirm_key(peer(), new.fingerprint)
    db.session.commit()
    assert sync.pull_peer("peer-b").ok and peer().cursor == 1


def test_one_pull_per_peer_at_a_time(publisher):
    publisher.changes = feed_of(1)[1]
    with sync.pull_lock("peer-b"):
        result = sync.pull_peer("peer-b")
    assert result.busy and peer().cursor == 0
    assert sync.pull_peer("peer-b").ok and peer().cursor == 1


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_peer_text_is_escaped_on_every_page(publisher, client):
    org, person, listing = uid(), uid(), uid()
    publisher.changes = [
        change(1, org, "organisation", data=organisation_data(name="Org " + XSS, city=XSS, description=XSS,
                                                              sectors=[XSS])),
        change(2, person, "person", data={"organisation_uid": org, "display_name": "P " + XSS,
                                          "job_title": XSS, "bio": XSS, "topics": [XSS]}),
        change(3, listing, data=listing_data(org, person_uid=person, title="L " + XSS, summary=XSS,
                                             description=XSS, keywords=["k" + XSS[:50]], cooperation=[XSS])),
    ]
    result = sync.pull_peer("peer-b")
    assert result.ok and result.applied == 3
    pages = [f"/listings/{listing}", f"/organisations/{org}", "/directory", "/directory?q=alert", "/organisations"]
    for path in pages:
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert "<script>alert" not in html and "<img src=x" not in html, path
    assert "&lt;script&gt;" in client.get(f"/listings/{listing}").get_data(as_text=True)


def event_data(**overrides):
    data = {"title": "Photonics meets agrifood", "topic": "sensing", "description": "",
            "starts_at": "2049-03-18T09:00:00+01:00", "ends_at": "2049-03-18T18:00:00+01:00",
            "timezone": "Europe/Paris", "venue": {"name": "Palais", "address": "", "city": "Rennes", "country": "FR"},
            "co_hosts": ["test-cluster"], "registration_open": True, "capacity": 100,
            "b2b": {"enabled": False, "starts_at": None, "ends_at": None, "slot_minutes": 20, "tables": 1}}
    data.update(overrides)
    return data


def without(data, name):
    return {key: value for key, value in data.items() if key != name}


def test_a_change_missing_a_protocol_field_or_with_a_mistyped_one_is_quarantined(publisher):
    """Receiver rule 3, field by field: our imports may leave fields out, a peer's change may not."""
    from portal.events.models import Event

    org = uid()
    listing = listing_data(org)
    bad = [without(listing, name) for name in listing if name not in ("kind", "organisation_uid", "title")]
    event = event_data()
    bad_events = [dict(event, capacity="100"), dict(event, capacity=100.5), dict(event, timezone="Europe Paris"),
                  dict(event, b2b=dict(event["b2b"], tables="10")), dict(event, b2b=without(event["b2b"], "tables")),
                  dict(event, venue=without(event["venue"], "city")), without(event, "co_hosts")]
    good_event = dict(event, timezone="Mars/Olympus")  # well formed, unknown here: kept, shown in UTC
    publisher.changes = (
        [change(1, org, "organisation", data=organisation_data()),
         change(2, uid(), "organisation", data=without(organisation_data(), "special_guest"))]
        + [change(3 + i, uid(), data=data) for i, data in enumerate(bad)]
        + [change(20 + i, uid(), "event", data=data) for i, data in enumerate(bad_events)]
        + [change(30, good_uid := uid(), "event", data=good_event)])  # without our extra `status`
    result = sync.pull_peer("peer-b")
    assert result.ok and result.applied == 2 and result.quarantined == 1 + len(bad) + len(bad_events)
    reasons = " ".join(db.session.scalars(select(Quarantine.reason)))
    assert "special_guest" in reasons and "Missing data for required field" in reasons
    assert "Not a valid integer" in reasons and "Not an IANA time zone name" in reasons
    assert db.session.scalar(select(func.count()).select_from(Listing)) == 0
    assert db.session.get(Event, good_uid).status == "scheduled"


def test_event_replicas_go_through_the_model_hooks(publisher, monkeypatch):
    from portal.events.models import Event
    from portal.federation.models import EventHost

    event, broken = uid(), uid()
    publisher.changes = [change(1, event, "event", data=event_data()),
                         change(2, broken, "event", data=event_data(title="Hook fails"))]
    real = Event.fed_after_apply

    def after_apply(self, session):
        if self.title == "Hook fails":
            raise ValueError("cannot host this")
        return real(self, session)

    monkeypatch.setattr(Event, "fed_after_apply", after_apply)
    result = sync.pull_peer("peer-b")
    assert result.ok and result.applied == 1 and result.quarantined == 1
    assert db.session.get(Event, event).title == "Photonics meets agrifood"
    assert db.session.get(Event, broken) is None and db.session.get(Record, ("event", broken)) is None
    hosts = set(db.session.scalars(select(EventHost.cluster_id).where(EventHost.event_uid == event)))
    assert hosts == {"peer-b", "test-cluster"}
    assert peer().cursor == 2


def test_our_administrators_hear_once_that_a_lead_made_us_a_co_host(publisher, make_user):
    from portal.mail.models import OutboxMessage

    make_user(role="admin", email="admin@example.org", display_name="Olivia Organiser")
    make_user(role="admin", status="disabled", email="gone@example.org")
    make_user(email="member@example.org")
    ours, later = uid(), uid()
    publisher.changes = [
        change(1, ours, "event", data=event_data()),
        change(2, later, "event", data=event_data(title="Light in the vines", co_hosts=[])),
        change(3, uid(), "event", data=event_data(title="Cancelled day", status="cancelled")),
        change(4, uid(), "event", data=event_data(title="Long ago", starts_at="2020-03-18T09:00:00+01:00",
                                                  ends_at="2020-03-18T18:00:00+01:00"))]
    sync.pull_peer("peer-b")
    for seq, version, event, data in ((5, 2, ours, event_data(title="Photonics meets agrifood, again")),
                                      (6, 2, later, event_data(title="Light in the vines")),  # now with us
                                      (7, 3, ours, event_data(co_hosts=[])), (8, 4, ours, event_data())):
        publisher.changes.append(change(seq, event, "event", version=version, data=data))
        sync.pull_peer("peer-b")
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.to, m.subject) for m in mails] == [
        ("admin@example.org", "Peer-B added Test Cluster as co-host of Photonics meets agrifood"),
        ("admin@example.org", "Peer-B added Test Cluster as co-host of Light in the vines")]
    assert mails[0].body.startswith("Hello Olivia Organiser,\n\nPeer-B added Test Cluster as co-host of "
                                    "Photonics meets agrifood.\n")
    assert f"\nhttp://test-cluster.example/admin/events/{ours}\n" in mails[0].body


def database_locked():
    import sqlite3

    from sqlalchemy.exc import OperationalError

    return OperationalError("INSERT INTO ...", {}, sqlite3.OperationalError("database is locked"))


@pytest.mark.parametrize("where", ["model hook", "bulk write"])
def test_a_database_failure_fails_the_page_instead_of_quarantining(publisher, monkeypatch, where):
    """Locked, deadlocked, disconnected: the record is not at fault; nothing moves, backoff."""
    from portal.events.models import Event
    from portal.federation import apply

    org, listing, event, unlucky = uid(), uid(), uid(), uid()
    publisher.changes = [change(1, org, "organisation", data=organisation_data()),
                         change(2, listing, data=listing_data(org)),
                         change(3, event, "event", data=event_data()),
                         change(4, unlucky, "event", data=event_data(title="Unlucky"))]
    real, real_bulk = Event.fed_after_apply, apply._TypeBatch.bulk_write
    if where == "model hook":

        def after_apply(self, session):
            if self.title == "Unlucky":
                raise database_locked()
            return real(self, session)

        monkeypatch.setattr(Event, "fed_after_apply", after_apply)
    else:
        def bulk_write(self, upserts, tombstones):
            raise database_locked()

        monkeypatch.setattr(apply._TypeBatch, "bulk_write", bulk_write)
    result = sync.pull_peer("peer-b")
    state = peer()
    assert not result.ok and result.quarantined == 0 and "database is locked" in result.error
    assert db.session.scalar(select(Quarantine.id)) is None
    assert (state.cursor, state.received, state.failures) == (0, 0, 1)
    assert state.retry_after is not None and "database is locked" in state.last_error
    wait = (state.retry_after.replace(tzinfo=None) - state.last_error_at.replace(tzinfo=None)).total_seconds()
    assert wait == sync.CONTENTION_RETRY_SECONDS  # our own busy database: again in a moment, not a backoff
    assert db.session.scalar(select(Record.uid).where(Record.origin == "peer-b")) is None
    assert db.session.get(Organisation, org) is None and db.session.get(Event, event) is None
    monkeypatch.setattr(Event, "fed_after_apply", real)
    monkeypatch.setattr(apply._TypeBatch, "bulk_write", real_bulk)
    retry = sync.pull_peer("peer-b")
    assert retry.ok and retry.applied == 4 and peer().cursor == 4 and peer().failures == 0


@pytest.mark.parametrize("message,contention", [("database is locked", True), ("deadlock detected", True),
                                                ("could not serialize access due to concurrent update", True),
                                                ("disk I/O error", False), ("no such table: listing", False)])
def test_only_another_writers_lock_is_retried_at_once(message, contention):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from portal.federation import apply

    error = OperationalError("INSERT INTO ...", {}, sqlite3.OperationalError(message))
    assert apply.database_contention(error) is contention and apply.database_trouble(error)
    assert not apply.database_contention(ValueError(message))


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's settings")
def test_every_sqlite_connection_writes_ahead_and_keeps_temporary_data_in_memory(app):
    connection = db.session.connection()
    settings = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "temp_store")}
    assert settings == {"journal_mode": "wal", "synchronous": 1, "temp_store": 2}  # 1 NORMAL, 2 MEMORY


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's settings")
def test_pages_are_applied_with_a_larger_sqlite_cache_and_rarer_checkpoints_then_restored(publisher, monkeypatch):
    orgs, publisher.changes = feed_of(5)
    seen, apply_page = [], sync.apply_page

    def settings():
        connection = db.session.connection()
        return {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in sync.PULL_SQLITE_PRAGMAS}

    def spy(*args, **kwargs):
        seen.append(settings())
        return apply_page(*args, **kwargs)

    monkeypatch.setattr(sync, "apply_page", spy)
    before = settings()
    db.session.commit()
    assert sync.pull_peer("peer-b", page_size=2).applied == 5
    assert seen == [sync.PULL_SQLITE_PRAGMAS] * 3
    assert settings() == before and before["cache_size"] != sync.PULL_SQLITE_PRAGMAS["cache_size"]
    assert before["wal_autocheckpoint"] != sync.PULL_SQLITE_PRAGMAS["wal_autocheckpoint"]


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's write lock")
def test_a_page_holds_sqlite_write_lock_before_it_reads(publisher, monkeypatch):
    """A page whose first write comes after a read (the hooks' savepoints read each record first)
    used to take a read snapshot, then fail at once with "database is locked" when another
    writer (the mail thread) committed in between: SQLite cannot upgrade a stale snapshot,
    and no busy timeout helps. The page takes the write lock first, so the other writer waits."""
    import sqlite3

    from sqlalchemy import event

    from portal.federation import apply

    monkeypatch.setattr(apply, "bulk_capable", lambda model: False)  # every type through the hooks' path
    first, publisher.changes = feed_of(1)
    assert sync.pull_peer("peer-b").applied == 1  # the peer's epoch is known: a page then starts by reading
    orgs = [uid(), uid()]
    publisher.changes += [change(2 + i, o, "organisation", data=organisation_data(name=f"Later {i}"))
                          for i, o in enumerate(orgs)]
    engine, other = db.engine, []

    def another_writer(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO organisation") and not other:
            with sqlite3.connect(engine.url.database, timeout=0.2) as competitor:
                try:
                    competitor.execute("PRAGMA user_version = 7")
                    other.append("wrote in the middle of the page")
                except sqlite3.OperationalError as error:
                    other.append(str(error))
            competitor.close()

    event.listen(engine, "before_cursor_execute", another_writer)
    try:
        result = sync.pull_peer("peer-b")
    finally:
        event.remove(engine, "before_cursor_execute", another_writer)
    assert result.ok and result.applied == 2, result
    assert other == ["database is locked"]
    assert len(db.session.scalars(select(Organisation.uid).where(Organisation.uid.in_(orgs))).all()) == 2


def test_a_feed_that_has_more_but_never_moves_fails_the_pull_instead_of_looping(publisher):
    orgs, publisher.changes = feed_of(2)
    stuck = {"cluster_id": "peer-b", "epoch": "epoch-1", "since": 0, "next": 0, "has_more": True, "changes": []}
    publisher.behaviour = [lambda since, limit: stuck]
    result = sync.pull_peer("peer-b")
    assert not result.ok and "moved no further than 0" in peer().last_error
    assert publisher.calls == [0] and peer().cursor == 0
    assert sync.pull_peer("peer-b").applied == 2  # a sound page later: nothing was lost


@pytest.mark.parametrize("value,seconds", [("7", 7), (" 120 ", 120), ("99999999999999999999", 86400),
                                          ("Fri, 31 Dec 9999 23:59:59 GMT", 86400), ("Wed, 21 Oct 2015 07:28:00 GMT", 0),
                                          ("soon", None), ("", None), ("\u0663", None)])
def test_retry_after_is_read_and_capped_at_a_day(value, seconds):
    from portal.federation.client import retry_after

    assert retry_after(value) == seconds


def test_seqs_past_64_bits_neither_break_the_pull_nor_move_the_cursor(publisher):
    """A seq or a cursor past 2**63 - 1 cannot be stored: a refused change keeps no seq, and a
    page whose `next` is past it is malformed (the cursor stays)."""
    orgs, publisher.changes = feed_of(1)
    huge = 2 ** 63 + 5  # JSON readers give an int up to 2**64 - 1 (orjson reads larger ones as floats)
    bad = change(huge, uid(), "organisation", data=organisation_data(name="x" * 300))
    publisher.changes.append(bad)
    publisher.behaviour = [lambda since, limit: {"cluster_id": "peer-b", "epoch": "epoch-1", "since": since,
                                                 "next": huge, "has_more": False, "changes": publisher.changes}]
    result = sync.pull_peer("peer-b")
    assert not result.ok and "malformed" in peer().last_error and peer().cursor == 0
    publisher.behaviour = [lambda since, limit: {"cluster_id": "peer-b", "epoch": "epoch-1", "since": since,
                                                 "next": 2, "has_more": False, "changes": publisher.changes}]
    result = sync.pull_peer("peer-b")
    assert result.ok and result.applied == 1 and peer().cursor == 2
    [entry] = db.session.scalars(select(Quarantine)).all()
    assert entry.uid == bad["uid"] and entry.seq is None


def test_an_answer_past_the_size_cap_is_refused_before_it_fills_memory(app, publisher):
    orgs, publisher.changes = feed_of(30)
    app.config["FEDERATION_MAX_ANSWER"] = 4000  # a page of 30 organisations is about 8 KB
    result = sync.pull_peer("peer-b")
    assert not result.ok and "larger than 4,000 bytes" in peer().last_error and peer().cursor == 0
    app.config["FEDERATION_MAX_ANSWER"] = 64 * 1024 * 1024
    assert sync.pull_peer("peer-b").applied == 30


@pytest.mark.parametrize("moment", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00"])
def test_an_updated_at_past_the_calendar_is_quarantined_and_the_page_goes_on(publisher, moment):
    bad, good = change(1, uid(), "organisation", data=organisation_data()), uid()
    bad["updated_at"] = moment
    publisher.changes = [bad, change(2, good, "organisation", data=organisation_data())]
    result = sync.pull_peer("peer-b")
    assert result.ok and result.applied == 1 and peer().cursor == 2
    assert db.session.get(Organisation, good) is not None
    assert db.session.scalars(select(Quarantine.uid)).all() == [bad["uid"]]


def test_a_redirect_or_a_compressed_answer_is_refused_and_no_other_host_is_called(publisher):
    import gzip

    from werkzeug.wrappers import Response

    orgs, publisher.changes = feed_of(1)
    elsewhere = FakePublisher("peer-b").start()  # the same key: only the address differs
    elsewhere.changes = publisher.changes
    try:
        served = publisher.wsgi

        def redirecting(environ, start_response):
            if environ["PATH_INFO"].endswith("/changes"):
                return Response("", 302, {"Location": elsewhere.base_url + "/federation/v1/changes"})(
                    environ, start_response)
            return served(environ, start_response)
        publisher.wsgi = redirecting
        publisher.server.app = redirecting
        result = sync.pull_peer("peer-b")
        assert not result.ok and "redirect (HTTP 302)" in peer().last_error and elsewhere.calls == []

        def compressing(environ, start_response):
            captured = {}
            body = b"".join(served(environ, lambda status, headers, exc=None: captured.update(s=status, h=headers)))
            if not environ["PATH_INFO"].endswith("/changes"):
                start_response(captured["s"], captured["h"])
                return [body]
            headers = [(k, v) for k, v in captured["h"] if k.lower() != "content-length"]
            start_response(captured["s"], headers + [("Content-Encoding", "gzip")])
            return [gzip.compress(body)]
        publisher.server.app = compressing
        result = sync.pull_peer("peer-b")
        assert not result.ok and "compressed (gzip)" in peer().last_error and peer().cursor == 0
    finally:
        elsewhere.stop()


def test_an_epoch_of_any_length_is_kept(publisher):
    """PROTOCOL.md gives an epoch no length: a SHA-512 in hex is 128 characters (on PostgreSQL a
    column of 64 failed every pull of that peer)."""
    publisher.epoch = "e" * 128
    orgs, publisher.changes = feed_of(2)
    assert sync.pull_peer("peer-b").applied == 2
    assert peer().epoch == "e" * 128
    assert set(db.session.scalars(select(Record.epoch).where(Record.origin == "peer-b"))) == {"e" * 128}


def test_a_feed_whose_epoch_flips_fails_the_pull_instead_of_looping(publisher):
    orgs, publisher.changes = feed_of(1)
    assert sync.pull_peer("peer-b").applied == 1

    def answer_from(epoch):
        return lambda since, limit: dict(publisher.page(since, limit), epoch=epoch)
    publisher.behaviour = [answer_from("A" if n % 2 else "B") for n in range(20)]
    calls = len(publisher.calls)
    result = sync.pull_peer("peer-b")
    assert not result.ok and "changed again during one pull" in peer().last_error
    assert len(publisher.calls) - calls <= 3


def test_an_answer_that_trickles_in_is_cut_off_at_its_deadline(app, publisher):
    """FEDERATION_TIMEOUT bounds each socket read: a byte every 0.2 s never trips it."""
    orgs, publisher.changes = feed_of(3)
    app.config["FEDERATION_ANSWER_TIMEOUT"] = 1
    with publisher.trickling("/changes"):
        result = sync.pull_peer("peer-b")
    assert not result.ok and "took longer than 1 s" in peer().last_error and peer().cursor == 0
    assert sync.pull_peer("peer-b").applied == 3


def test_a_peer_that_does_not_answer_is_said_in_plain_words(app):
    """The status page shows "cannot connect to host:port (connection refused)", not urllib3's chain."""
    from types import SimpleNamespace

    from portal.federation import client
    from tests.portals import free_port

    port = free_port()  # nothing listens there
    with pytest.raises(client.PeerError) as refused:
        client.signed_call(SimpleNamespace(cluster_id="peer-b", base_url=f"http://127.0.0.1:{port}"), "GET", "changes")
    assert str(refused.value) == f"peer-b: cannot connect to 127.0.0.1:{port} (connection refused)"
    with pytest.raises(client.Unreachable) as unreachable:
        client.fetch_info(f"http://127.0.0.1:{port}")
    assert str(unreachable.value) == (f"cannot reach http://127.0.0.1:{port}: cannot connect to 127.0.0.1:{port} "
                                      "(connection refused)")


def test_we_never_ask_a_peer_for_more_than_the_protocols_1000_changes(app, publisher):
    """PROTOCOL.md: `limit` is 1..1000, whatever our own page size is set to."""
    orgs, publisher.changes = feed_of(2)
    asked = []
    publisher.behaviour = [lambda since, limit: asked.append(limit) or publisher.page(since, limit)]
    app.config["FEDERATION_PAGE_MAX"] = 5000
    assert sync.pull_peer("peer-b").applied == 2
    assert asked == [1000]


def test_our_administrators_hear_once_that_the_lead_cancelled_an_event_we_co_host(publisher, make_user):
    """They heard it was co-hosted, and may have promoted it: its cancellation reached only the
    members registered, and the organisers learnt it from the event's page, if they looked."""
    from portal.mail.models import OutboxMessage

    make_user(role="admin", email="admin@example.org", display_name="Olivia Organiser")
    ours, theirs = uid(), uid()
    publisher.changes = [change(1, ours, "event", data=event_data()),
                         change(2, theirs, "event", data=event_data(title="Light in the vines", co_hosts=[]))]
    sync.pull_peer("peer-b")
    for seq, version, event, data in ((3, 2, ours, event_data(status="cancelled")),
                                      (4, 2, theirs, event_data(title="Light in the vines", co_hosts=[],
                                                                status="cancelled")),
                                      (5, 3, ours, event_data(status="cancelled", description="Sorry."))):
        publisher.changes.append(change(seq, event, "event", version=version, data=data))
        sync.pull_peer("peer-b")
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert subjects == ["Peer-B added Test Cluster as co-host of Photonics meets agrifood",
                        "Peer-B cancelled Photonics meets agrifood, which Test Cluster co-hosts"]
