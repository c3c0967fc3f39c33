"""Applying changes is idempotent and order-free (hypothesis), and late commits are never skipped."""
import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, text

from portal.directory.models import Organisation
from portal.directory.search import SearchQuery, search_listings
from portal.extensions import db
from portal.federation import apply, feed
from portal.federation.client import nul_free
from portal.federation.models import Record
from tests.dbs import ON_POSTGRES
from tests.portals import change, listing_data, organisation_data


@st.composite
def histories(draw):
    """Every change a publisher made to a few organisations, in seq order."""
    changes, seq = [], 0
    for i in range(draw(st.integers(1, 4))):
        uid = f"00000000-0000-4000-8000-{i:012d}"
        versions = draw(st.integers(1, 4))
        for version in range(1, versions + 1):
            seq += 1
            deleted = version == versions and draw(st.booleans())
            changes.append(change(seq, uid, "organisation", version=version, deleted=deleted,
                                  data=organisation_data(name=f"Org {i} v{version}")))
    return changes


def reset():
    db.session.execute(delete(Organisation).where(Organisation.origin == "peer-b"))
    db.session.execute(delete(Record).where(Record.origin == "peer-b"))
    db.session.commit()


def apply_pages(pages):
    for page in pages:
        outcome = apply.apply_changes(db.session, "peer-b", page, "epoch-1")
        assert outcome.quarantined == 0
        db.session.commit()


def state():
    names = dict(db.session.execute(select(Organisation.uid, Organisation.name)
                                    .where(Organisation.origin == "peer-b")).all())
    return feed.replica_digest("peer-b"), names


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_interleaving_duplication_and_paging_ends_in_the_same_state(app, data):
    history = data.draw(histories())
    reset()
    apply_pages([history])
    expected = state()
    extra = data.draw(st.lists(st.sampled_from(history), max_size=len(history)))
    shuffled = data.draw(st.permutations(history + extra))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(shuffled)), max_size=4)))
    pages = [shuffled[a:b] for a, b in zip([0] + cuts, cuts + [len(shuffled)])]
    reset()
    apply_pages(pages)
    assert state() == expected
    apply_pages([history])  # and everything once more changes nothing
    assert state() == expected


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs concurrent writers: PostgreSQL only (SQLite serialises them)")
def test_a_late_committing_change_is_not_skipped(app, make_organisation):
    """T1 takes a seq and commits late, T2 waits on the counter; a reader in between must not skip T1."""
    org = make_organisation(name="Org")
    flushed, release, t2_started = threading.Event(), threading.Event(), threading.Event()
    uids = {}

    def writer(name, before_commit):
        from portal.directory.models import Listing

        with app.app_context():
            listing = Listing(kind="offer", title=name, organisation_uid=org.uid)
            db.session.add(listing)
            db.session.flush()
            uids[name] = listing.uid
            before_commit()
            db.session.commit()
            db.session.remove()

    t1 = threading.Thread(target=writer, args=("late", lambda: (flushed.set(), release.wait(30))))
    t1.start()
    assert flushed.wait(30)
    t2 = threading.Thread(target=lambda: (t2_started.set(), writer("queued", lambda: None)))
    t2.start()
    t2_started.wait(30)
    page = feed.changes("peer-x", 0, 1000)
    db.session.rollback()
    seen = {c["uid"] for c in page["changes"]}
    assert uids["late"] not in seen and page["has_more"] is False
    release.set()
    t1.join(30), t2.join(30)
    later = feed.changes("peer-x", page["next"], 1000)
    assert {uids["late"], uids["queued"]} <= {c["uid"] for c in later["changes"]}


def test_applied_listings_are_searchable_at_once_with_their_organisation(app, make_listing):
    org, laser, torch = (f"00000000-0000-4000-8000-00000000010{i}" for i in range(3))
    apply_pages([[change(1, org, "organisation", data=organisation_data(name="Brightfield")),
                  change(2, laser, data=listing_data(org, title="Laser scanner")),
                  change(3, torch, data=listing_data(org, title="Laser torch"))]])
    make_listing(title="Laser welding")  # a local listing after them: indexed by the trigger
    apply_pages([[change(4, torch, version=2, data=listing_data(org, title="Plasma torch")),
                  change(5, "00000000-0000-4000-8000-000000000104", data=listing_data(org, title="Laser lens"))],
                 [change(6, laser, deleted=True, version=2)]])

    def found(text):
        return sorted(listing.title for listing in search_listings(SearchQuery(text=text)).items)

    assert found("laser") == ["Laser lens", "Laser welding"]
    assert found("brightfield") == ["Laser lens", "Plasma torch"]
    assert found("plasma") == ["Plasma torch"]
    if db.engine.dialect.name == "sqlite":  # the FTS index agrees with its content, row for row
        db.session.execute(text("INSERT INTO listing_fts(listing_fts, rank) VALUES ('integrity-check', 1)"))


@given(text=st.text(), key=st.text(), ascii_only=st.booleans(), encoding=st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_a_page_said_nul_free_holds_no_nul_in_any_string(text, key, ascii_only, encoding):
    body = json.dumps({"changes": [{"data": {key: [text]}}]}, ensure_ascii=ascii_only).encode(encoding)
    if nul_free(body):
        assert "\x00" not in text + key


def test_an_updated_at_with_an_offset_is_stored_as_its_utc_time(app):
    from datetime import datetime, timezone

    org = "00000000-0000-4000-8000-000000000201"
    sent = dict(change(1, org, "organisation", data=organisation_data()), updated_at="2026-11-28T21:30:00+01:00")
    apply_pages([[sent]])
    stored = db.session.execute(select(Organisation.updated_at).where(Organisation.uid == org)).scalar_one()
    ledger = db.session.execute(select(Record.updated_at).where(Record.uid == org)).scalar_one()
    for moment in (stored, ledger):
        utc = moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        assert utc == datetime(2026, 11, 28, 20, 30, tzinfo=timezone.utc)
    reset()


def test_texts_without_a_protocol_limit_are_stored_whole(app):
    """A city, website, ipr or job title longer than our forms take comes in as it is, on
    SQLite and on PostgreSQL (whose columns are TEXT), and the replica's digest follows."""
    from portal.directory.models import Listing

    org, offer = "6f1c2a4e-1b2c-4d3e-8f00-0000000000a1", "6f1c2a4e-1b2c-4d3e-8f00-0000000000a2"
    ipr = "Patent pending in Europe and the United States; licences available on request"
    apply_pages([[change(1, org, "organisation", data=organisation_data(city="C" * 150, website="www.long.example")),
                  change(2, offer, data=listing_data(org, ipr=ipr, cooperation=["c" * 150]))]])
    db.session.expire_all()
    assert (db.session.get(Organisation, org).city, db.session.get(Listing, offer).ipr) == ("C" * 150, ipr)
    assert db.session.get(Listing, offer).cooperation == ["c" * 150]
