"""Moving a published meeting by hand: the free places, the move and its mail, the page and its guards."""
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.events.models import Event
from portal.events.registrations import register
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.meetings import moves, queries, scheduling, services
from portal.meetings.services import MeetingError
from portal.meetings.models import Meeting
from portal.meetings.times import slot_start
from tests.dbs import ON_POSTGRES


@pytest.fixture
def event(app, make_b2b_event):
    """14:00-16:00 Paris: six slots of 20 minutes (0 to 5), tables T1 and T2."""
    app.config.update(SCHEDULER_BACKGROUND=False, SCHEDULER_TIME_LIMIT=3)
    return make_b2b_event()


@pytest.fixture
def admin(make_user):
    return make_user(role="admin", display_name="Organiser")


@pytest.fixture
def people(event, make_participant):
    """Anne meets Bruno and Carla; Dora meets Emil: four published meetings."""
    anne, bruno, carla, dora, emil = (make_participant(event, name, email=f"{name.lower()}@example.org")
                                      for name in ("Anne", "Bruno", "Carla", "Dora", "Emil"))
    for x, y in ((anne, bruno), (anne, carla), (dora, emil)):
        services.reply_to_request(services.request_meeting(event, x.person_uid, y.person_uid), y.person_uid, "accepted")
    scheduling.publish_run(scheduling.start_run(event))
    db.session.commit()
    return anne, bruno, carla, dora, emil


def meeting_of(event, *participants):
    uids = {p.person_uid for p in participants}
    return next(m for m in queries.event_meetings(event.uid) if set(m.person_uids) == uids)


def place(event, meeting):
    return (meeting.starts_at - slot_start(event, 0)) // timedelta(minutes=20), meeting.table


def test_free_places_leave_out_the_participants_other_meetings_taken_tables_and_their_windows(event, people):
    anne, bruno, carla, dora, emil = people
    moving, other = meeting_of(event, anne, bruno), meeting_of(event, anne, carla)
    everywhere = {(slot, table) for slot in range(6) for table in ("T1", "T2")}
    anne_busy = {(place(event, other)[0], table) for table in ("T1", "T2")}
    expected = everywhere - {place(event, moving), place(event, meeting_of(event, dora, emil))} - anne_busy
    places = moves.free_places(event, moving)
    assert set(places) == expected and places == sorted(places)
    register(event, bruno.person_uid, b2b=True, available_until=slot_start(event, 3))  # leaves at 15:00
    db.session.commit()
    assert set(moves.free_places(event, moving)) == {(slot, table) for slot, table in expected if slot < 3}
    assert moves.free_places(event, moving, now=slot_start(event, 2)) == []  # and slots 0 to 2 have begun


def test_a_move_tells_both_participants_from_where_to_where_and_the_feed_carries_it(event, people):
    anne, bruno = people[:2]
    meeting = meeting_of(event, anne, bruno)
    version = meeting.version
    slot, table = next(p for p in moves.free_places(event, meeting) if p[1] != meeting.table)
    moves.move_meeting(event, meeting, slot, table)
    db.session.commit()
    assert place(event, meeting) == (slot, table) and meeting.version == version + 1
    assert meeting.status == "scheduled" and meeting.ends_at - meeting.starts_at == timedelta(minutes=20)
    for who in ("anne", "bruno"):
        [mail] = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.to == f"{who}@example.org", OutboxMessage.subject.contains("moved"))).all()
        assert f"table {table}" in mail.subject and "moves from" in mail.body


def test_a_move_to_a_place_taken_or_begun_is_refused_and_changes_nothing(event, people):
    anne, bruno, carla = people[:3]
    meeting, other = meeting_of(event, anne, bruno), meeting_of(event, anne, carla)
    before = (meeting.starts_at, meeting.table, meeting.version)
    with pytest.raises(MeetingError, match="no longer free"):
        moves.move_meeting(event, meeting, place(event, other)[0], "T2" if other.table == "T1" else "T1")
    with pytest.raises(MeetingError, match="no longer free"):
        moves.move_meeting(event, meeting, 99, "T1")
    with pytest.raises(MeetingError, match="has not begun"):
        moves.move_meeting(event, meeting, 5, "T1", now=meeting.starts_at)
    assert (meeting.starts_at, meeting.table, meeting.version) == before


def test_a_cancelled_meeting_does_not_move(event, people):
    meeting = meeting_of(event, *people[:2])
    services.cancel_meeting(meeting)
    with pytest.raises(MeetingError, match="has not begun"):
        moves.move_meeting(event, meeting, *moves.free_places(event, meeting)[0])


def test_the_organiser_moves_a_meeting_through_its_page(client, login, event, admin, people):
    anne, bruno, carla = people[:3]
    meeting, other = meeting_of(event, anne, bruno), meeting_of(event, anne, carla)
    login(admin)
    overview = client.get(f"/admin/b2b/events/{event.uid}/").text
    url = f"/admin/b2b/events/{event.uid}/meetings/{meeting.uid}/move"
    assert f'href="{url}"' in overview
    page = client.get(url).text
    assert "Anne – Bruno: " in page and "<optgroup" in page
    slot, table = moves.free_places(event, meeting)[-1]
    assert f'value="{slot}:{table}"' in page
    taken = f"{place(event, other)[0]}:T1"
    assert f'value="{taken}"' not in page  # Anne meets Carla then
    refused = client.post(url, data={"place": taken})
    assert refused.status_code == 422 and re.search(r'class="field-error" role="alert">This place is no longer free',
                                                     refused.text)
    moved = client.post(url, data={"place": f"{slot}:{table}"})
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"#meeting-{meeting.uid}")
    db.session.expire_all()
    assert place(event, meeting_of(event, anne, bruno)) == (slot, table)
    after = client.get(f"/admin/b2b/events/{event.uid}/").text
    assert "The meeting Anne – Bruno is now at" in after and f"table {table}; both participants are told." in after


def test_a_meeting_under_way_offers_no_move(client, login, event, admin, people, monkeypatch):
    meeting = meeting_of(event, *people[:2])
    monkeypatch.setattr("portal.meetings.models.utcnow", lambda: meeting.starts_at)
    login(admin)
    url = f"/admin/b2b/events/{event.uid}/meetings/{meeting.uid}/move"
    assert f'href="{url}"' not in client.get(f"/admin/b2b/events/{event.uid}/").text
    page = client.get(url).text
    assert "Only a scheduled meeting that has not begun can move." in page and "<select" not in page


def test_only_the_leads_organisers_move_and_a_get_changes_nothing(client, login, event, admin, people, make_user,
                                                                  make_b2b_event):
    meeting = meeting_of(event, *people[:2])
    url = f"/admin/b2b/events/{event.uid}/meetings/{meeting.uid}/move"
    slot, table = moves.free_places(event, meeting)[0]
    assert client.get(url).status_code == 302  # to the log-in page
    login(make_user())
    assert client.get(url).status_code == 403
    assert client.post(url, data={"place": f"{slot}:{table}"}).status_code == 403
    login(admin)
    other = make_b2b_event()
    assert client.get(f"/admin/b2b/events/{other.uid}/meetings/{meeting.uid}/move").status_code == 404
    before = (meeting.starts_at, meeting.table, meeting.version)
    client.get(url, query_string={"place": f"{slot}:{table}"})
    db.session.expire_all()
    assert (meeting.starts_at, meeting.table, meeting.version) == before


def test_a_run_made_before_a_move_is_out_of_date(client, login, event, admin, people):
    meeting = meeting_of(event, *people[:2])
    run = scheduling.start_run(event)
    db.session.commit()
    moves.move_meeting(event, meeting, *moves.free_places(event, meeting)[0])
    db.session.commit()
    assert scheduling.out_of_date(event, run) == "Meetings were moved since this run: run the scheduler again."
    with pytest.raises(MeetingError, match="moved since this run"):
        scheduling.publish_run(run)


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent writers need PostgreSQL (SQLite serialises them)")
def test_two_organisers_moving_meetings_to_one_place_take_turns(app, event, people):
    anne, bruno, carla, dora, emil = people
    ours, theirs = meeting_of(event, anne, bruno), meeting_of(event, dora, emil)
    target = sorted(set(moves.free_places(event, ours)) & set(moves.free_places(event, theirs)))[-1]
    event_uid, uids = event.uid, [ours.uid, theirs.uid]
    db.session.remove()
    barrier, outcomes = threading.Barrier(2), []

    def organiser(meeting_uid):
        with app.app_context():
            try:
                meeting = db.session.get(Meeting, meeting_uid)
                event = db.session.get(Event, event_uid)
                moves.free_places(event, meeting)  # both read the place as free
                barrier.wait()
                moves.move_meeting(event, meeting, *target)
                db.session.commit()
                outcomes.append("moved")
            except MeetingError as refused:
                outcomes.append(str(refused))
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=organiser, args=(uid,)) for uid in uids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["This place is no longer free for both participants: choose another.", "moved"]
    event = db.session.get(Event, event_uid)
    at_target = [m for m in queries.event_meetings(event_uid, active_only=True) if place(event, m) == target]
    assert len(at_target) == 1
