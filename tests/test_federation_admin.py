"""Federation administration pages: peering by URL, status, sync now, convergence, quarantine."""
import re
import time

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.federation.models import Peer, Quarantine
from tests.portals import FakePublisher, change, organisation_data

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def admin(make_user, login):
    return login(make_user(role="admin", email="admin@example.org"))


@pytest.fixture
def publisher(app):
    fake = FakePublisher("peer-b").start()
    yield fake
    fake.stop()


def peer_digests(monkeypatch, published, replica):
    """peer-b's answer to `digest`: what it publishes for us, and what it holds of ours."""
    from portal.federation import sync

    monkeypatch.setattr(sync.client, "get_digest", lambda peer: {"cluster_id": "peer-b", "published": published,
                                                                 "replica": replica})


def test_pages_need_an_administrator(client, make_user, login):
    assert client.get("/admin/federation").status_code in (302, 401)
    login(make_user(role="member"))
    assert client.get("/admin/federation").status_code == 403
    assert client.get("/admin/federation/quarantine").status_code == 403
    assert client.post("/admin/federation/peers", data={"url": "http://x.example"}).status_code == 403


def test_add_shows_the_identity_then_confirm_pins_the_key(client, admin, publisher):
    page = client.post("/admin/federation/peers", data={"url": publisher.base_url + "/"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert publisher.fingerprint in html and "peer-b" in html
    peer = db.session.get(Peer, "peer-b")
    assert peer.state == "pending" and peer.base_url == publisher.base_url
    confirmed = client.post("/admin/federation/peers/peer-b/confirm", data={"fingerprint": publisher.fingerprint})
    assert confirmed.status_code == 302
    db.session.refresh(peer)
    assert peer.state == "confirmed" and peer.fingerprint == publisher.fingerprint
    again = client.get("/admin/federation/peers")  # the address a refused form leaves, reloaded
    assert again.status_code == 302 and again.headers["Location"].endswith("/admin/federation")
    twice = client.post("/admin/federation/peers", data={"url": publisher.base_url}, headers={"HX-Request": "true"})
    assert twice.status_code == 422 and "is already a partner of this portal." in twice.text
    assert db.session.get(Peer, "peer-b").state == "confirmed"


def test_confirm_refuses_a_key_swapped_since_it_was_shown(client, admin, publisher):
    client.post("/admin/federation/peers", data={"url": publisher.base_url})
    client.post("/admin/federation/peers/peer-b/confirm", data={"fingerprint": "SHA256:" + "A" * 43})
    assert db.session.get(Peer, "peer-b").state == "pending"


def test_unreachable_url_answers_422_with_the_error_beside_the_field(client, admin):
    response = client.post("/admin/federation/peers", data={"url": "http://127.0.0.1:9/"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="field-error"' in html and 'value="http://127.0.0.1:9/"' in html
    assert "No portal answered at http://127.0.0.1:9: check the address" in html
    assert "Errno" not in html and "HTTPConnectionPool" not in html  # no Python error text
    not_url = client.post("/admin/federation/peers", data={"url": "ftp://example.org"}, headers={"HX-Request": "true"})
    assert "starting with https://" in not_url.get_data(as_text=True)
    # The browser leaves the address to us, as every form does: its bubble said less, elsewhere.
    page = client.get("/admin/federation").get_data(as_text=True)
    assert re.search(r'<form method="post" action="/admin/federation/peers" novalidate>', page)


def test_status_page_shows_peer_health_and_escapes_peer_text(client, admin, publisher):
    publisher.pin(db.session, base_url=publisher.base_url)
    peer = db.session.get(Peer, "peer-b")
    peer.name, peer.last_error, peer.failures, peer.cursor, peer.head = XSS, XSS, 2, 5, 9
    db.session.commit()
    html = client.get("/admin/federation").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "Error" in html and "Lag: 4<" in html  # lag = head - cursor
    assert "2 failures" in html
    assert 'Last error: <span lang="en">&lt;script&gt;' in html  # English text, marked so in a French page
    peer.failures = 1
    db.session.commit()
    assert "1 failure<" in client.get("/admin/federation").get_data(as_text=True)  # not "1 failures"


def test_status_page_says_a_peer_answered_a_page_that_is_no_json(client, admin, publisher):
    from portal.federation import sync

    publisher.pin(db.session, base_url=publisher.base_url)
    publisher.behaviour = ["proxy"]
    assert not sync.pull_peer("peer-b").ok
    html = client.get("/admin/federation").get_data(as_text=True)
    assert '<span lang="en">the answer is not JSON (HTTP 200, text/html): something other than a portal' in html


def test_an_info_that_is_no_json_object_is_refused_in_words(client, admin, publisher, monkeypatch):
    monkeypatch.setattr(publisher, "info", lambda: ["photonics"])
    response = client.post("/admin/federation/peers", data={"url": publisher.base_url},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422 and "it is no JSON object" in response.get_data(as_text=True)


def test_a_peer_in_backoff_shows_its_next_try_in_the_readers_language(client, admin, publisher, monkeypatch):
    from datetime import datetime, timedelta, timezone

    from flask_babel import refresh

    from portal.federation import queries

    now = datetime(2026, 11, 28, 20, 0, 10, tzinfo=timezone.utc)
    monkeypatch.setattr(queries, "utcnow", lambda: now)
    publisher.pin(db.session, base_url=publisher.base_url)
    peer = db.session.get(Peer, "peer-b")
    peer.failures, peer.last_error, peer.last_error_at = 3, "HTTP 502", now
    peer.retry_after = now + timedelta(seconds=1234.5)
    db.session.commit()
    assert "Next try at 20:20 UTC (in 21 minutes)" in client.get("/admin/federation").get_data(as_text=True)
    refresh()
    french = client.get("/admin/federation", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Prochain essai à 20:20 UTC (dans 21 minutes)" in french
    peer.retry_after = now + timedelta(seconds=40)
    db.session.commit()
    refresh()
    assert "Next try at 20:00 UTC (in 40 seconds)" in client.get("/admin/federation").get_data(as_text=True)
    peer.retry_after = now  # due: the worker takes it at its next round
    db.session.commit()
    refresh()
    assert "Next try" not in client.get("/admin/federation").get_data(as_text=True)


def test_key_change_alert_and_acceptance(client, admin, publisher):
    publisher.pin(db.session, base_url=publisher.base_url)
    peer = db.session.get(Peer, "peer-b")
    peer.new_public_key, peer.new_fingerprint = publisher.public_key, "SHA256:" + "B" * 43
    db.session.commit()
    html = client.get("/admin/federation").get_data(as_text=True)
    assert "new key" in html and "SHA256:" + "B" * 43 in html
    wrong = client.post("/admin/federation/peers/peer-b/key", data={"peer-b-fingerprint": "SHA256:" + "C" * 43})
    assert wrong.status_code == 422 and 'class="field-error"' in wrong.get_data(as_text=True)
    right = client.post("/admin/federation/peers/peer-b/key", data={"peer-b-fingerprint": "SHA256:" + "B" * 43})
    assert right.status_code == 302
    db.session.refresh(peer)
    assert peer.fingerprint == "SHA256:" + "B" * 43 and peer.new_fingerprint is None


def test_sync_now_pulls_in_the_background_and_progress_polls(client, admin, publisher):
    publisher.pin(db.session, base_url=publisher.base_url)
    publisher.changes = [change(i, f"00000000-0000-4000-8000-{i:012d}", "organisation",
                                data=organisation_data(name=f"Org {i}")) for i in range(1, 6)]
    response = client.post("/admin/federation/peers/peer-b/sync", headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'hx-trigger="every 1s"' in response.get_data(as_text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        fragment = client.get("/admin/federation/peers/peer-b/progress", headers={"HX-Request": "true"})
        if "every 1s" not in fragment.get_data(as_text=True):
            break
        time.sleep(0.2)
    html = fragment.get_data(as_text=True)
    assert "every 1s" not in html
    peer = db.session.get(Peer, "peer-b")
    db.session.refresh(peer)
    assert peer.cursor == 5 and peer.received == 5
    # The ended pull answers with the peer's whole row, its figures fresh, in place of the progress.
    assert fragment.headers["HX-Retarget"] == "#peer-peer-b" and fragment.headers["HX-Reswap"] == "outerHTML"
    assert html.lstrip().startswith('<tr id="peer-peer-b">') and "Changes received: 5" in html and "Feed position: 5" in html


def test_convergence_check(client, admin, publisher, monkeypatch):
    from portal.federation import feed, sync

    publisher.pin(db.session, base_url=publisher.base_url)
    empty = feed.replica_digest("peer-b")
    peer_digests(monkeypatch, published=empty, replica=feed.published_digest("peer-b"))
    html = client.post("/admin/federation/peers/peer-b/convergence", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "In sync" in html
    peer_digests(monkeypatch, published={"count": 3, "sha256": "0" * 64}, replica=empty)
    html = client.post("/admin/federation/peers/peer-b/convergence", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Not in sync" in html

    def unreachable(peer):
        raise sync.client.PeerError("connection refused")
    monkeypatch.setattr(sync.client, "get_digest", unreachable)
    html = client.post("/admin/federation/peers/peer-b/convergence", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert '<span lang="en">connection refused</span>' in html


def test_a_peer_answering_slowly_is_cut_off_before_the_page_times_out(client, admin, publisher, app):
    """While an administrator waits on a page, a peer's answer gets FEDERATION_PAGE_TIMEOUT, not
    the 120 s a pull in the background allows: gunicorn would end the request first (60 s)."""
    publisher.pin(db.session, base_url=publisher.base_url)
    app.config["FEDERATION_PAGE_TIMEOUT"] = 1
    with publisher.trickling():
        html = client.post("/admin/federation/peers/peer-b/convergence",
                           headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "the answer took longer than 1 s to arrive" in html


def test_quarantine_page_escapes_raw_changes_and_retry_discard(client, admin, app):
    from portal.federation import services

    bad = change(3, "00000000-0000-4000-8000-000000000001", "organisation", origin="peer-b",
                 data=organisation_data(name="", description=XSS))
    services.quarantine("peer-b", bad, 3, "invalid organisation: name " + XSS)
    other = services.quarantine("peer-b", change(4, "00000000-0000-4000-8000-000000000002", "organisation",
                                                  data=organisation_data()), 4, "reason")
    db.session.commit()
    html = client.get("/admin/federation/quarantine").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "peer-b" in html
    assert '<p class="fed-error" lang="en">invalid organisation: name &lt;script&gt;' in html
    entry = db.session.scalars(select(Quarantine).where(Quarantine.seq == 3)).one()
    client.post(f"/admin/federation/quarantine/{entry.id}/retry")
    db.session.refresh(entry)
    assert entry.resolved_at is None  # still invalid
    client.post(f"/admin/federation/quarantine/{other.id}/retry")
    db.session.refresh(other)
    assert other.resolved_at is not None
    client.post(f"/admin/federation/quarantine/{entry.id}/discard")
    db.session.refresh(entry)
    assert entry.resolved_at is not None
    assert "Nothing is quarantined" in client.get("/admin/federation/quarantine").get_data(as_text=True)


def test_buttons_need_the_csrf_token(app, client, admin, publisher):
    publisher.pin(db.session, base_url=publisher.base_url)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/admin/federation/peers/peer-b/remove").status_code == 400
    assert db.session.get(Peer, "peer-b").state == "confirmed"


def test_worker_heartbeat_reads_as_a_date_with_its_age(client, admin):
    from datetime import datetime, timezone

    from portal.federation.models import Setting
    beat = datetime(2026, 11, 29, 4, 22, 15, 89837, tzinfo=timezone.utc)
    db.session.add(Setting(key="worker_heartbeat", value=beat.isoformat()))
    db.session.commit()
    html = client.get("/admin/federation").get_data(as_text=True)
    assert "2026-11-29T04:22" not in html
    assert "29 Nov 2026, 04:22 UTC" in html and " ago)" in html


def test_without_a_worker_the_status_page_shows_the_command_to_start_one(client, admin):
    html = client.get("/admin/federation").get_data(as_text=True)
    assert "<code>flask --app portal sync --watch</code>" in html and "`" not in html


def test_peers_table_keeps_to_four_columns(client, admin):
    db.session.add(Peer(cluster_id="peer-b", name="B", base_url="http://b.example", public_key="k",
                        fingerprint="SHA256:b", state="confirmed"))
    db.session.commit()
    html = client.get("/admin/federation").get_data(as_text=True)
    assert html.count('<th scope="col">') == 4


def test_status_page_shows_this_portals_fingerprint_and_a_peer_that_has_not_added_us(client, admin, publisher):
    from portal.federation import keys

    publisher.pin(db.session, base_url=publisher.base_url)
    peer = db.session.get(Peer, "peer-b")
    peer.failures, peer.last_error = 1, "HTTP 401 (unknown_peer: 'test-cluster' is not a peer of this portal)"
    db.session.commit()
    html = client.get("/admin/federation").get_data(as_text=True)
    assert f'<code class="fed-fingerprint">{keys.fingerprint(keys.public_key_b64())}</code>' in html
    assert "Waiting for its side" in html and "has not added this portal yet" in html
    assert "unknown_peer" not in html  # the protocol's code, not shown to the administrator
    peer.last_error = "HTTP 500 (internal: boom)"
    db.session.commit()
    html = client.get("/admin/federation").get_data(as_text=True)
    assert "Waiting for its side" not in html and 'Last error: <span lang="en">HTTP 500 (internal: boom)</span>' in html


def test_a_peer_answering_notify_with_a_bare_202_answers_us(client, admin, publisher):
    """PROTOCOL.md gives `notify` an answer's status, 202, and no body: one without a body is a
    peer that has added us, not a failure."""
    client.post("/admin/federation/peers", data={"url": publisher.base_url})
    confirmed = client.post("/admin/federation/peers/peer-b/confirm", data={"fingerprint": publisher.fingerprint},
                            follow_redirects=True)
    assert [body["cluster_id"] for body in publisher.notified] == ["test-cluster"]
    assert "it has added this portal too" in confirmed.text


def test_our_notify_says_its_json_is_utf_8(client, admin, publisher):
    """PROTOCOL.md section 3: JSON in and out, `application/json; charset=utf-8`."""
    client.post("/admin/federation/peers", data={"url": publisher.base_url})
    client.post("/admin/federation/peers/peer-b/confirm", data={"fingerprint": publisher.fingerprint})
    assert publisher.notify_types == ["application/json; charset=utf-8"]


def test_convergence_compares_the_digests_not_how_they_are_written(client, admin, publisher, monkeypatch):
    """PROTOCOL.md gives the hash as hex, in either case: a peer writing it in upper case (with a field
    of its own beside it) holds what we hold."""
    from portal.federation import feed

    publisher.pin(db.session, base_url=publisher.base_url)

    def written_otherwise(digest):
        return {"count": digest["count"], "sha256": digest["sha256"].upper(), "lines": digest["count"]}
    peer_digests(monkeypatch, published=written_otherwise(feed.replica_digest("peer-b")),
                 replica=written_otherwise(feed.published_digest("peer-b")))
    html = client.post("/admin/federation/peers/peer-b/convergence", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "In sync" in html and "Not in sync" not in html


def test_convergence_check_without_javascript_shows_its_result_on_the_status_page(client, admin, publisher,
                                                                                  monkeypatch):
    """A plain form post (no htmx) got a redirect to the status page, and the result was lost."""
    from portal.federation import feed

    publisher.pin(db.session, base_url=publisher.base_url)
    peer_digests(monkeypatch, published=feed.replica_digest("peer-b"), replica=feed.published_digest("peer-b"))
    response = client.post("/admin/federation/peers/peer-b/convergence")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html and 'id="peer-peer-b"' in html
    assert "In sync: we hold the" in html
    assert 'id="convergence-peer-b" class="fed-convergence"' in html


def test_without_javascript_a_running_pull_offers_to_reload_its_progress(client, admin, publisher, monkeypatch):
    """The progress refreshed only through htmx: a page without JavaScript showed 'Pulling' for good."""
    from portal.federation import admin_views

    publisher.pin(db.session, base_url=publisher.base_url)
    monkeypatch.setattr(admin_views.queries, "is_pulling", lambda peer: True)
    page = client.get("/admin/federation").get_data(as_text=True)
    assert '<noscript><a href="/admin/federation">Reload the page to follow the sync</a></noscript>' in page



def test_convergence_links_the_peers_quarantined_changes_to_their_entries(client, admin, publisher, monkeypatch):
    from flask_babel import refresh

    from portal.federation import admin_views, feed, services

    publisher.pin(db.session, base_url=publisher.base_url)
    FakePublisher("peer-c").pin(db.session, base_url="http://peer-c.example")
    uids = [f"00000000-0000-4000-8000-{i:012d}" for i in range(1, 4)]
    entries = [services.quarantine("peer-b", change(i, uid, "organisation", data=organisation_data(name="")), i,
                                   "invalid organisation: name") for i, uid in enumerate(uids, 1)]
    services.quarantine("peer-c", change(9, uids[0], "organisation", origin="peer-c"), 9, "another peer's")
    db.session.commit()
    peer_digests(monkeypatch, published={"count": 3, "sha256": "0" * 64}, replica=feed.published_digest("peer-b"))
    monkeypatch.setattr(admin_views, "QUARANTINE_LINKS", 2)
    html = client.post("/admin/federation/peers/peer-b/convergence", headers={"HX-Request": "true"}).text
    assert "3 changes from Peer-B are in quarantine, not applied here:" in html
    for entry in entries[:2]:
        assert f'<a href="/admin/federation/quarantine#quarantined-{entry.id}">organisation {entry.uid}</a>' in html
    assert f"quarantined-{entries[2].id}" not in html  # past the links, counted in
    assert '<a href="/admin/federation/quarantine">and 1 more</a>' in html
    refresh()
    french = client.post("/admin/federation/peers/peer-b/convergence", headers={"HX-Request": "true", **{
        "Accept-Language": "fr"}}).text
    assert "3 changements envoyés par Peer-B sont en quarantaine, non appliqués ici\u00a0:" in french
    assert '<a href="/admin/federation/quarantine">et 1 autre</a>' in french
    refresh()
    page = client.post("/admin/federation/peers/peer-b/convergence").text  # without JavaScript: in its row
    assert f'href="/admin/federation/quarantine#quarantined-{entries[0].id}"' in page


def test_convergence_mentions_no_quarantine_when_the_peer_has_none_there(client, admin, publisher, monkeypatch):
    from portal.federation import feed, services

    publisher.pin(db.session, base_url=publisher.base_url)
    services.quarantine("peer-c", change(9, "00000000-0000-4000-8000-000000000009", "organisation",
                                         origin="peer-c"), 9, "another peer's")
    db.session.commit()
    peer_digests(monkeypatch, published=feed.replica_digest("peer-b"), replica=feed.published_digest("peer-b"))
    html = client.post("/admin/federation/peers/peer-b/convergence", headers={"HX-Request": "true"}).text
    assert "In sync" in html and "quarantine" not in html
