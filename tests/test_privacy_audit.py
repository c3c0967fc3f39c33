"""The sharing audit: a peer's pull writes what it received, and administrators see it."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.privacy.models import SharePull, ShareRecord
from tests.portals import FakePeer, signed_open

BASE = "http://test-cluster.example/federation/v1"
CONSENT = datetime(2026, 3, 4, 9, 30, tzinfo=timezone.utc)


@pytest.fixture
def peer(app):
    fake = FakePeer("peer-b")
    fake.pin(db.session)
    return fake


def test_changes_writes_counts_and_personal_records(client, peer, make_person, make_listing):
    person = make_person(display_name="Anne Le Goff", consent_changed_at=CONSENT)
    make_listing()
    response = signed_open(client, peer, "GET", f"{BASE}/changes?since=0")
    assert response.status_code == 200
    pull = db.session.scalars(select(SharePull)).one()
    assert pull.peer == "peer-b"
    assert pull.counts == {"organisation": 2, "person": 1, "listing": 1}
    record = db.session.scalars(select(ShareRecord)).one()
    assert (record.type, record.uid, record.peer, record.deleted) == ("person", person.uid, "peer-b", False)
    assert record.consent_at.replace(tzinfo=timezone.utc) == CONSENT
    assert record.pull_id == pull.id


def test_an_empty_page_writes_nothing(client, peer):
    signed_open(client, peer, "GET", f"{BASE}/changes?since=0")
    assert db.session.scalars(select(SharePull)).all() == []


def test_audit_page_and_csv(client, peer, login, make_user, make_person):
    person = make_person(consent_changed_at=CONSENT)
    signed_open(client, peer, "GET", f"{BASE}/changes?since=0")
    login(make_user(role="admin"))
    page = client.get("/admin/federation/peer-b/sharing")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert person.uid in html and "4 Mar 2026, 09:30 UTC" in html
    # Types in words, not the protocol's names: one row each in the totals, one line per pull.
    assert "<td>People</td>" in html and '<th scope="row">Organisations</th><td>1</td>' in html
    assert "<td>Organisations&nbsp;1, People&nbsp;1</td>" in html and ">person<" not in html
    csv = client.get("/admin/federation/peer-b/sharing.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    assert text.startswith("\ufeff")  # or Excel reads the accents wrong
    lines = text[1:].splitlines()
    assert lines[0] == "Pulled at,Type,Record,About,Version,Sent as,Consent given at,Event"
    assert person.uid in lines[1] and ",People," in lines[1] and ",data," in lines[1]
    assert client.get("/admin/federation/nobody/sharing").status_code == 404


def test_the_audit_names_whom_each_record_is_about_and_its_event(client, peer, login, make_user, make_event,
                                                                  make_participant):
    """Uids alone told an administrator nothing: each row names the people it is about (as this
    portal knows them now) and the event by its title."""
    from portal.meetings.services import request_meeting

    event = make_event(title="Light for food safety", co_hosts=["peer-b"], b2b_enabled=True,
                       b2b_starts_at=datetime(2049, 3, 18, 13, tzinfo=timezone.utc),
                       b2b_ends_at=datetime(2049, 3, 18, 16, tzinfo=timezone.utc))
    anne, bruno = make_participant(event, name="Anne Le Goff"), make_participant(event, name="Bruno Caradec")
    request_meeting(event, anne.person_uid, bruno.person_uid, "Let us talk")
    db.session.commit()
    signed_open(client, peer, "GET", f"{BASE}/changes?since=0")
    login(make_user(role="admin"))
    rows = {}
    for row in client.get("/admin/federation/peer-b/sharing").text.split("<tr>")[1:]:
        cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
        if len(cells) == 8:
            rows.setdefault(cells[1], []).append((cells[3], cells[7]))
    assert sorted(rows["Registrations"]) == [("Anne Le Goff", "Light for food safety"),
                                             ("Bruno Caradec", "Light for food safety")]
    assert rows["Meeting requests"] == [("Anne Le Goff, Bruno Caradec", "Light for food safety")]
    lines = client.get("/admin/federation/peer-b/sharing.csv").text.splitlines()
    assert any(",Meeting requests," in line and ",\"Anne Le Goff, Bruno Caradec\"," in line for line in lines)


def test_federation_status_links_the_audit(client, peer, login, make_user):
    login(make_user(role="admin"))
    html = client.get("/admin/federation").get_data(as_text=True)
    assert "/admin/federation/peer-b/sharing" in html


def test_members_may_not_see_the_audit(client, peer, login, make_user):
    login(make_user())
    assert client.get("/admin/federation/peer-b/sharing").status_code == 403
    assert client.get("/admin/federation/peer-b/sharing.csv").status_code == 403
