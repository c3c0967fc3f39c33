"""The ledger: every local change gets a version and a feed position in its transaction."""
from sqlalchemy import select

from portal.extensions import db
from portal.federation import feed
from portal.federation.models import Record
from portal.federation.records import set_event_hosts


def ledger(uid):
    return db.session.scalars(select(Record).where(Record.uid == uid)).one()


def test_create_edit_delete_walks_versions_and_seqs(make_listing):
    listing = make_listing(title="Laser welding cell")
    first = ledger(listing.uid)
    assert (first.version, first.deleted, first.data["title"]) == (1, False, "Laser welding cell")
    first_seq = first.seq
    assert listing.version == 1 and listing.origin == "test-cluster"

    listing.title = "Laser welding cell, 6 kW"
    db.session.commit()
    second = ledger(listing.uid)
    assert second.version == 2 and second.seq > first_seq

    db.session.delete(listing)
    db.session.commit()
    gone = ledger(listing.uid)
    assert (gone.version, gone.deleted, gone.data) == (3, True, None)


def test_unchanged_object_keeps_its_version(make_listing):
    listing = make_listing()
    listing.title = listing.title
    db.session.commit()
    assert ledger(listing.uid).version == 1


def test_feed_is_compacted_and_ordered(make_listing):
    a = make_listing(title="A")
    b = make_listing(title="B")
    a.title = "A2"
    db.session.commit()
    page = feed.changes("peer-x", since=0, limit=100)
    uids = [c["uid"] for c in page["changes"] if c["type"] == "listing"]
    assert uids == [b.uid, a.uid]
    assert page["next"] == page["changes"][-1]["seq"] and page["has_more"] is False
    seqs = [c["seq"] for c in page["changes"]]
    assert seqs == sorted(seqs)


def test_feed_pages_resume_from_next(make_listing):
    made = [make_listing(title=f"L{i}").uid for i in range(5)]
    seen, since = [], 0
    while True:
        page = feed.changes("peer-x", since=since, limit=3)
        seen += [c["uid"] for c in page["changes"] if c["type"] == "listing"]
        since = page["next"]
        if not page["has_more"]:
            break
    assert seen == made


def test_person_withheld_until_consent_then_tombstone_on_withdrawal(make_person):
    person = make_person(share_profile=False)
    types = lambda: {(c["type"], c["uid"]): c for c in feed.changes("p", 0, 1000)["changes"]}
    assert ("person", person.uid) not in types()
    person.share_profile = True
    db.session.commit()
    assert types()[("person", person.uid)]["data"]["display_name"] == person.display_name
    person.share_profile = False
    db.session.commit()
    withdrawn = types()[("person", person.uid)]
    assert withdrawn["deleted"] is True and withdrawn["data"] is None


def test_feed_data_never_holds_contact_details(make_person):
    person = make_person(phone="+33 2 96 00 00 00")
    page = feed.changes("p", 0, 1000)
    assert "+33 2 96" not in repr(page)
    assert ledger(person.uid).data.keys() == {"organisation_uid", "display_name", "job_title", "bio", "topics"}


def test_event_hosts_change_republishes_scope(app):
    from portal.federation.records import take_seqs, write_ledger

    conn = db.session.connection()
    write_ledger(conn, "registration", "r-1", take_seqs(conn, 1)[0],
                 {"data": {"event_uid": "e-1"}, "event_uid": "e-1", "shared": True})
    set_event_hosts(db.session, "e-1", ["test-cluster", "host-b"])
    db.session.commit()
    seen = lambda caller: {c["uid"]: c for c in feed.changes(caller, 0, 100)["changes"]}
    assert "r-1" in seen("host-b") and "r-1" not in seen("outsider")
    before = ledger("r-1").version
    set_event_hosts(db.session, "e-1", ["test-cluster"])
    db.session.commit()
    tomb = seen("host-b")["r-1"]
    assert tomb["deleted"] is True and tomb["version"] == before + 1
    assert "r-1" not in seen("outsider")


def test_digest_of_published_matches_replica_view(make_listing):
    make_listing()
    published = feed.published_digest("peer-x")
    assert published["count"] == 2  # the listing and its organisation
    assert len(published["sha256"]) == 64


def test_a_profile_without_an_organisation_waits_for_one(make_person, make_organisation):
    """PROTOCOL.md gives a person's `organisation_uid` no null (its table says "nullable" where a field
    may be): a consenting person with no organisation (an administrator made without one, an import)
    is published once they have one, not with a null a strict peer quarantines."""
    person = make_person(organisation_uid=None, share_profile=True)
    assert [c["uid"] for c in feed.changes("peer-b", 0, 500)["changes"]] == []
    person.organisation_uid = make_organisation().uid
    db.session.commit()
    shown = {c["uid"]: c for c in feed.changes("peer-b", 0, 500)["changes"]}[person.uid]
    assert not shown["deleted"] and shown["data"]["organisation_uid"] == person.organisation_uid
