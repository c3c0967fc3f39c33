"""A new event starts as a draft: our organisers' alone (no member page, no peer) until published."""
from sqlalchemy import select

from portal.events.models import AgendaItem, Event
from portal.extensions import db
from portal.federation import feed

NEW_EVENT = {"title": "Light in the fields", "timezone": "Europe/Paris", "starts_at": "2049-03-18T09:00",
             "ends_at": "2049-03-18T17:00", "capacity": "50", "registration_open": "y", "b2b_slot_minutes": "20",
             "b2b_tables": "10", "template": "formula"}


def fed_uids():
    return {c["uid"] for c in feed.changes("peer-b", 0, 1000)["changes"]}


def create(client, login, make_user):
    login(make_user(role="admin"))
    client.post("/admin/events/new", data=NEW_EVENT)
    return db.session.scalars(select(Event).where(Event.title == "Light in the fields")).one()


def test_a_draft_is_seen_by_our_organisers_only_until_it_is_published(client, login, make_user):
    event = create(client, login, make_user)
    items = {i.uid for i in db.session.scalars(select(AgendaItem).where(AgendaItem.event_uid == event.uid))}
    assert event.draft and items
    assert not ({event.uid} | items) & fed_uids()  # no peer has any of it
    overview = client.get(f"/admin/events/{event.uid}").text
    assert "only this portal's organisers see this event" in overview and "Publish the event" in overview
    assert "Registration opens when the event is published." in overview and "Registration is open" not in overview
    assert "Draft" in client.get("/admin/events/").text

    login(make_user())  # a member
    assert client.get(f"/events/{event.uid}").status_code == 404
    assert client.get(f"/events/{event.uid}/register").status_code == 404
    assert "Light in the fields" not in client.get("/events").text and "Light in the fields" not in client.get("/").text

    login(make_user(role="admin"))
    assert "only this portal's organisers see this page" in client.get(f"/events/{event.uid}").text
    invite = client.get(f"/admin/events/{event.uid}/invite").text
    assert "This event is a draft: publish it from its overview before inviting members" in invite
    client.post(f"/admin/events/{event.uid}/publish")
    db.session.expire_all()
    assert db.session.get(Event, event.uid).status == "scheduled"
    published = {c["uid"]: c for c in feed.changes("peer-b", 0, 1000)["changes"]}
    assert {event.uid} | items <= set(published) and not any(published[u]["deleted"] for u in items)
    login(make_user())
    assert client.get(f"/events/{event.uid}").status_code == 200
    assert "Light in the fields" in client.get("/events").text


def test_a_drafts_overview_says_what_in_its_agenda_needs_a_look_before_it_goes_out(client, login, make_user):
    event = create(client, login, make_user)
    overview = client.get(f"/admin/events/{event.uid}").text
    assert "needs a look" not in overview and 'name="confirm_question"' not in overview.split("Publish the event")[0][-300:]
    first = db.session.scalars(select(AgendaItem).where(AgendaItem.event_uid == event.uid)
                               .order_by(AgendaItem.starts_at)).first()
    first.starts_at = event.starts_at.replace(hour=6)  # before the event opens
    db.session.commit()
    overview = client.get(f"/admin/events/{event.uid}").text
    assert "1 agenda item needs a look (an overlap, or a time outside the event's)." in overview
    assert 'name="confirm_question" value="1 agenda item needs a look. Publish the event anyway?">Publish the event' in overview


def test_deleting_a_draft_leaves_nothing_behind_for_peers(client, login, make_user):
    event = create(client, login, make_user)
    uid = event.uid
    response = client.post(f"/admin/events/{uid}/cancel")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/events/")
    db.session.expire_all()
    assert db.session.get(Event, uid) is None
    assert db.session.scalars(select(AgendaItem).where(AgendaItem.event_uid == uid)).all() == []
    assert uid not in fed_uids()  # not even a tombstone: no peer ever had it


def test_the_b2b_pages_of_a_draft_are_hidden_from_members_too(client, login, make_user):
    login(make_user(role="admin"))
    client.post("/admin/events/new", data=dict(NEW_EVENT, b2b_enabled="y", b2b_starts_at="2049-03-18T14:00",
                                               b2b_ends_at="2049-03-18T16:00"))
    event = db.session.scalars(select(Event).where(Event.title == "Light in the fields")).one()
    assert event.draft and event.b2b_enabled
    assert client.get(f"/events/{event.uid}/b2b/participants").status_code == 200  # our organisers see it
    login(make_user())
    assert client.get(f"/events/{event.uid}/b2b/participants").status_code == 404
