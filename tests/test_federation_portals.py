"""Real portals over loopback HTTP: peering, convergence, restarts, restores."""
import pytest
from sqlalchemy import select

from tests.portals import converged, peer, sync

pytestmark = pytest.mark.slow


def add_org(portal, **values):
    from portal.directory.models import Organisation

    with portal.context() as session:
        org = Organisation(**dict({"name": "Org", "kind": "research", "country": "FR"}, **values))
        session.add(org)
        session.commit()
        return org.uid


def add_listing(portal, org_uid, **values):
    from portal.directory.models import Listing

    with portal.context() as session:
        listing = Listing(**dict({"kind": "offer", "title": "Listing", "organisation_uid": org_uid}, **values))
        session.add(listing)
        session.commit()
        return listing.uid


def edit(portal, model, uid, **values):
    with portal.context() as session:
        obj = session.get(model, uid)
        for name, value in values.items():
            setattr(obj, name, value)
        session.commit()


def remove(portal, model, uid):
    with portal.context() as session:
        session.delete(session.get(model, uid))
        session.commit()


def titles(portal, origin):
    from portal.directory.models import Listing

    with portal.context() as session:
        return sorted(session.scalars(select(Listing.title).where(Listing.origin == origin)))


def test_two_portals_peer_and_converge_after_creates_edits_deletes(portals):
    from portal.directory.models import Listing, Organisation

    a, b = portals("photonics", "agrifood")
    peer(a, b, cli=True)
    org_a, org_b = add_org(a, name="Lumiwave"), add_org(b, name="Agrilab")
    la = [add_listing(a, org_a, title=f"A{i}") for i in range(3)]
    lb = [add_listing(b, org_b, title=f"B{i}", kind="need") for i in range(2)]
    sync(a, cli=True), sync(b)
    assert converged(a, b)
    assert titles(b, "photonics") == ["A0", "A1", "A2"] and titles(a, "agrifood") == ["B0", "B1"]
    edit(a, Listing, la[0], title="A0 edited")
    remove(a, Listing, la[1])
    remove(b, Listing, lb[0])
    edit(b, Organisation, org_b, name="Agrilab SAS")
    assert not converged(a, b)
    sync(a), sync(b)
    assert converged(a, b)
    assert titles(b, "photonics") == ["A0 edited", "A2"] and titles(a, "agrifood") == ["B1"]


def test_three_portals_converge_pairwise(portals):
    a, b, c = portals("photonics", "agrifood", "health")
    for x, y in ((a, b), (b, c), (a, c)):
        peer(x, y)
    for portal in (a, b, c):
        org = add_org(portal, name=portal.cluster_id)
        add_listing(portal, org, title=f"{portal.cluster_id} offer")
    for portal in (a, b, c):
        sync(portal)
    for x, y in ((a, b), (b, c), (a, c)):
        assert converged(x, y)
    assert titles(c, "photonics") == ["photonics offer"]


def test_unconfirmed_peering_is_not_answered(portals):
    a, b = portals("photonics", "agrifood")
    a.flask("peers", "add", b.url, "--fingerprint", b.fingerprint)  # B has not added A
    done = sync(a, check=False, cli=True)
    assert done.returncode == 1 and "unknown_peer" in done.stderr
    done = b.flask("peers", "add", a.url, "--fingerprint", "SHA256:wrong", check=False)
    assert done.returncode != 0 and "nothing was stored" in done.stderr


def test_puller_killed_mid_pull_resumes_without_loss_or_duplicates(portals):
    a, b = portals("photonics", "agrifood", server="gunicorn",
                   config={"FEDERATION_PAGE_MAX": 100, "SYNC_COMMIT_SECONDS": 0})  # a commit per page
    peer(a, b)
    org = add_org(a, name="Bulk")
    with a.context() as session:
        from portal.directory.models import Listing

        session.add_all(Listing(kind="offer", title=f"L{i:04d}", organisation_uid=org) for i in range(3000))
        session.commit()
    worker = b.popen_flask("sync", "--peer", "photonics")
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with b.context() as session:
            from portal.federation.models import Peer

            cursor = session.get(Peer, "photonics").cursor
        if cursor > 0:
            break
        time.sleep(0.02)
    worker.kill()
    worker.wait()
    assert 0 < len(titles(b, "photonics")) < 3000  # killed in the middle
    sync(b)
    assert converged(a, b)
    got = titles(b, "photonics")
    assert len(got) == 3000 and len(set(got)) == 3000


def test_publisher_stopped_mid_way_then_back(portals):
    a, b = portals("photonics", "agrifood")
    peer(a, b)
    add_listing(a, add_org(a), title="first")
    sync(b)
    a.stop()
    add_listing(a, add_org(a), title="while down")
    assert not sync(b, check=False)[0].ok
    with b.context() as session:
        from portal.federation.models import Peer

        state = session.get(Peer, "photonics")
        assert state.failures == 1 and state.last_error and state.cursor > 0
    a.start()
    sync(b)
    assert converged(a, b) and titles(b, "photonics") == ["first", "while down"]


def test_publisher_restored_from_an_older_copy_is_resynced(portals, tmp_path):
    a, b = portals("photonics", "agrifood")
    peer(a, b)
    org = add_org(a, name="Kept")
    add_listing(a, org, title="kept")
    sync(b)
    snapshot = a.snapshot(tmp_path / "backup")
    add_listing(a, org, title="lost in the restore")
    sync(b)
    assert titles(b, "photonics") == ["kept", "lost in the restore"]
    a.stop()
    a.restore(snapshot)  # the copy gets a new epoch, as a restore does
    a.start()
    sync(b)
    assert titles(b, "photonics") == ["kept"]
    assert converged(a, b)


def test_the_second_side_to_peer_wakes_the_first_instead_of_leaving_it_in_backoff(portals):
    from portal.federation.models import Peer

    a, b = portals("photonics", "agrifood")
    first = a.flask("peers", "add", b.url, "--fingerprint", b.fingerprint).stdout
    assert "It answers once its administrator adds this portal too" in first
    failed = sync(a, check=False)  # B does not know A yet: refused, and A backs off
    assert not failed[0].ok and "unknown_peer" in failed[0].error
    with a.context() as session:
        assert session.get(Peer, b.cluster_id).retry_after is not None
    second = b.flask("peers", "add", a.url, "--fingerprint", a.fingerprint).stdout
    assert "It has added this portal too: sync can start." in second
    with a.context() as session:  # B's notify reached A: due now, not after its backoff
        woken = session.get(Peer, b.cluster_id)
        assert woken.retry_after is None and woken.notified_at is not None


def test_a_command_that_changes_records_tells_the_peers_before_it_exits(portals, tmp_path):
    """`flask import` is a process of its own: its notify round must not die with it."""
    import json

    from portal.federation.models import Peer

    a, b = portals("photonics", "agrifood", config={"NOTIFY_PEERS": True})
    peer(a, b)
    with b.context() as session:
        session.get(Peer, a.cluster_id).notified_at = None
        session.commit()
    members = tmp_path / "members.json"
    members.write_text(json.dumps({"organisations": [
        {"uid": "7d0c3f5e-6a57-4c55-9f3c-1b2a8e4d9f01", "name": "Imported Optics", "kind": "research",
         "country": "FR"}], "people": [], "listings": []}))
    a.flask("import", str(members))
    with b.context() as session:  # told while the command ran: B pulls within seconds, not at its next round
        assert session.get(Peer, a.cluster_id).notified_at is not None
