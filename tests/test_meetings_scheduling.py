"""The scheduler in the portal: instance from the database, runs, publishing, re-runs that keep places."""
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, select

from portal.events.models import Event
from portal.events.registrations import decide_registrations, register
from portal.extensions import db
from portal.federation.models import Record
from portal.mail.models import OutboxMessage
from portal.meetings import queries, scheduling, services
from portal.meetings.models import ScheduleRun
from portal.meetings.services import MeetingError
from portal.meetings.times import event_time

AT_THE_EVENT = datetime(2100, 1, 1, tzinfo=timezone.utc)  # meetings are marked once begun


@pytest.fixture
def event(app, make_b2b_event):
    app.config.update(SCHEDULER_BACKGROUND=False, SCHEDULER_TIME_LIMIT=5)
    return make_b2b_event()


@pytest.fixture
def people(event, make_participant):
    return [make_participant(event, name, email=f"{name.lower()}@example.org")
            for name in ("Anne", "Bruno", "Carla", "Dan")]


def accepted(event, a, b, starred=False):
    request = services.request_meeting(event, a.person_uid, b.person_uid, starred=starred)
    services.reply_to_request(request, b.person_uid, "accepted")
    db.session.commit()
    return request


def run_and_publish(event):
    run = scheduling.start_run(event)
    assert run.status == "done", run.error
    changes = scheduling.publish_run(run)
    db.session.commit()
    return run, changes


def placed(event):
    return {m.request_uid: (m.starts_at, m.table, m.status) for m in queries.event_meetings(event.uid)}


def test_instance_holds_accepted_confirmed_requests_with_windows_and_stars(event, people):
    anne, bruno, carla, dan = people
    first = accepted(event, anne, bruno, starred=True)
    second = accepted(event, carla, dan)
    declined = services.request_meeting(event, anne.person_uid, carla.person_uid)
    services.reply_to_request(declined, carla.person_uid, "declined")
    services.request_meeting(event, bruno.person_uid, dan.person_uid)  # pending
    register(event, anne.person_uid, b2b=True, available_from=event.b2b_starts_at + timedelta(minutes=40))
    db.session.commit()
    data = scheduling.build_instance(event)
    assert (data["slots"], data["tables"]) == (6, 2)
    assert {m["id"] for m in data["meetings"]} == {first.uid, second.uid}
    assert next(m for m in data["meetings"] if m["id"] == first.uid)["priority"] == 1
    windows = {p["id"]: p["unavailable"] for p in data["participants"]}
    assert windows[anne.person_uid] == [0, 1] and windows[bruno.person_uid] == []


def test_waitlisted_participants_are_not_scheduled(event, people, make_participant, make_b2b_event):
    small = make_b2b_event(capacity=2, title="Small")
    a = make_participant(small, "First")
    b = make_participant(small, "Second")
    c = make_participant(small, "Waiting")
    accepted(small, a, b)
    with pytest.raises(MeetingError, match="waiting list"):  # not a participant until confirmed
        services.request_meeting(small, a.person_uid, c.person_uid)
    with pytest.raises(MeetingError, match="You are on the waiting list"):
        services.request_meeting(small, c.person_uid, a.person_uid)
    assert c.person_uid not in queries.active_registrations(small.uid)
    small.capacity = 3
    db.session.commit()
    decide_registrations(small.uid)  # a place frees: the first waiting takes it, and takes part
    accepted(small, a, c)
    assert len(scheduling.eligible_requests(small).requests) == 2


def test_run_publish_writes_meeting_records_and_mails_both(event, people):
    anne, bruno, carla, dan = people
    requests = [accepted(event, anne, bruno), accepted(event, anne, carla), accepted(event, carla, dan)]
    run, changes = run_and_publish(event)
    assert (run.status, run.scheduled, run.meetings) == ("published", 3, 3)
    assert {c["kind"] for c in changes} == {"new"}
    meetings = placed(event)
    assert set(meetings) == {r.uid for r in requests}
    for starts_at, table, status in meetings.values():
        assert table in ("T1", "T2") and status == "scheduled"
        assert event.b2b_starts_at <= starts_at < event.b2b_ends_at
    record = db.session.scalars(select(Record).where(Record.type == "meeting")).first()
    assert record.event_uid == event.uid and record.data["table"] in ("T1", "T2")
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to == "anne@example.org"))]
    assert sum(s.startswith("Meeting with") for s in subjects) == 2


def test_rerun_keeps_published_meetings_and_lists_what_moved(event, people, make_participant):
    anne, bruno, carla, dan = people
    first, second, third = accepted(event, anne, bruno), accepted(event, carla, dan), accepted(event, anne, carla)
    run_and_publish(event)
    before = placed(event)
    # Late changes: Bruno can only come for the last slot; a new pair has accepted.
    register(event, bruno.person_uid, b2b=True, available_from=event.b2b_ends_at - timedelta(minutes=20))
    eve = make_participant(event, "Eve", email="eve@example.org")
    late = accepted(event, dan, eve)
    db.session.commit()
    run = scheduling.start_run(event)
    preview = {c["request_uid"]: c["kind"] for c in run.changes}
    assert preview == {first.uid: "moved", late.uid: "new"}
    changes = scheduling.publish_run(run)
    db.session.commit()
    after = placed(event)
    assert after[second.uid] == before[second.uid] and after[third.uid] == before[third.uid]
    assert after[first.uid][0] == event.b2b_ends_at - timedelta(minutes=20)
    assert {c["request_uid"] for c in changes} == {first.uid, late.uid}
    moved = next(m for m in queries.event_meetings(event.uid) if m.request_uid == first.uid)
    assert moved.version == 2
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == "bruno@example.org")
                               .order_by(OutboxMessage.id)).all()
    assert len([m for m in mails if m.subject.startswith("Meeting with Anne")]) == 2
    # The second says that it moved, and from where: not a second meeting.
    assert mails[-1].subject.startswith("Meeting with Anne moved: ")
    old_time = event_time(before[first.uid][0], event)
    assert f"moves from {old_time} at table {before[first.uid][1]} to " in mails[-1].body


def test_withdrawn_and_cancelled_meetings_free_their_slot(event, people):
    anne, bruno, carla, dan = people
    first, second = accepted(event, anne, bruno), accepted(event, carla, dan)
    run_and_publish(event)
    services.withdraw_request(first, anne.person_uid)
    meeting = services.meeting_for_request(second.uid)
    services.cancel_meeting(meeting)
    db.session.commit()
    assert {status for _, _, status in placed(event).values()} == {"cancelled"}
    run = scheduling.start_run(event)
    assert run.meetings == 0 and run.changes == []  # an organiser's cancellation is not undone


def test_a_withdrawn_scheduled_meeting_is_one_mail_to_the_other_side_only(event, people):
    """The meeting's cancellation tells Bruno; Anne, who withdrew, is told nothing more."""
    anne, bruno = people[:2]
    request = accepted(event, anne, bruno)
    run_and_publish(event)
    db.session.execute(delete(OutboxMessage))
    services.withdraw_request(request, anne.person_uid)
    db.session.commit()
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert [(m.to, m.subject) for m in mails] == [("bruno@example.org", "Meeting with Anne cancelled – Photonics meets agrifood")]


def test_the_organisers_see_why_a_meeting_was_cancelled(client, login, event, people, make_user):
    anne, bruno, carla, dan = people
    withdrawn, cancelled = accepted(event, anne, bruno), accepted(event, carla, dan)
    run_and_publish(event)
    services.withdraw_request(withdrawn, anne.person_uid)
    services.cancel_meeting(services.meeting_for_request(cancelled.uid))
    db.session.commit()
    login(make_user(role="admin"))
    page = client.get(f"/admin/b2b/events/{event.uid}/").text
    assert "(the request was withdrawn)" in page and "(by an organiser)" in page


def test_withdrawing_a_scheduled_meeting_says_what_it_cancels(client, login, event, people):
    anne, bruno = people[:2]
    request = accepted(event, anne, bruno)
    run_and_publish(event)
    meeting = services.meeting_for_request(request.uid)
    login(anne)
    page = client.get(f"/events/{event.uid}/b2b/").text
    assert (f"Your meeting of {event_time(meeting.starts_at, event)} at table {meeting.table} is cancelled, "
            "and Bruno is told.") in page


def test_held_meetings_stay_fixed(event, people):
    anne, bruno, carla, dan = people
    first = accepted(event, anne, bruno)
    run_and_publish(event)
    held = services.meeting_for_request(first.uid)
    services.mark_meeting(held, "held", now=AT_THE_EVENT)
    db.session.commit()
    where = (held.starts_at, held.table)
    accepted(event, anne, carla)
    data = scheduling.build_instance(event)
    assert next(m for m in data["meetings"] if m["id"] == first.uid)["fixed_slot"] is not None
    run_and_publish(event)
    assert (services.meeting_for_request(first.uid).starts_at, services.meeting_for_request(first.uid).table) == where


def test_a_meeting_that_has_begun_is_neither_moved_nor_cancelled_by_what_follows(event, people, monkeypatch):
    """Once begun, a meeting is marked held or no-show: a withdrawal, the event's cancellation or a
    re-run late in the day leave it where it is (it may well be taking place)."""
    anne, bruno, carla, dan = people
    first, second = accepted(event, anne, bruno), accepted(event, carla, dan)
    run_and_publish(event)
    where = placed(event)
    monkeypatch.setattr("portal.meetings.models.utcnow", lambda: event.b2b_ends_at)  # both have begun
    first.status = "withdrawn"  # as a withdrawal from another portal arrives (ours refuses one now)
    services.on_request_withdrawn(first)
    db.session.commit()
    assert services.cancel_event_meetings(event) == []
    data = scheduling.build_instance(event)
    assert [m["fixed_slot"] for m in data["meetings"]] == [scheduling.slot_of(event, where[second.uid][0])]
    run_and_publish(event)
    assert placed(event) == where
    with pytest.raises(MeetingError, match="has begun"):
        services.cancel_meeting(services.meeting_for_request(second.uid), reason="left")


def test_a_request_whose_meeting_has_begun_is_not_withdrawn(event, people, monkeypatch):
    anne, bruno, carla, dan = people
    first = accepted(event, anne, bruno)
    run_and_publish(event)
    meeting = services.meeting_for_request(first.uid)
    monkeypatch.setattr("portal.meetings.models.utcnow", lambda: meeting.starts_at)
    with pytest.raises(MeetingError, match="has begun"):
        services.withdraw_request(first, anne.person_uid)
    register(event, anne.person_uid, b2b=False)  # taking the B2B part out at the event: it happened
    db.session.commit()
    assert (first.status, first.state, meeting.status) == ("open", "accepted", "scheduled")


def test_a_run_on_the_day_places_nothing_in_a_slot_that_has_begun(event, people, monkeypatch):
    anne, bruno, carla, dan = people
    first = accepted(event, anne, bruno)
    third_slot = event.b2b_starts_at + timedelta(minutes=40)
    monkeypatch.setattr("portal.meetings.scheduling.utcnow", lambda: third_slot)  # slots 0 to 2 have begun
    run_and_publish(event)
    assert placed(event)[first.uid][0] > third_slot
    assert all(set(p["unavailable"]) >= {0, 1, 2} for p in scheduling.build_instance(event)["participants"])


def test_only_the_lead_schedules(event, people, make_replica):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    theirs = make_replica(Event, "peer-b", title="Their event", starts_at=datetime(2049, 4, 1, 9, tzinfo=paris),
                          ends_at=datetime(2049, 4, 1, 17, tzinfo=paris), timezone="Europe/Paris",
                          co_hosts=["test-cluster"], b2b_enabled=True,
                          b2b_starts_at=datetime(2049, 4, 1, 14, tzinfo=paris),
                          b2b_ends_at=datetime(2049, 4, 1, 16, tzinfo=paris), b2b_slot_minutes=20, b2b_tables=3)
    with pytest.raises(MeetingError, match="lead"):
        scheduling.start_run(theirs)


def test_publishing_an_older_run_is_refused(event, people):
    anne, bruno, _, _ = people
    accepted(event, anne, bruno)
    old = scheduling.start_run(event)
    scheduling.start_run(event)
    with pytest.raises(MeetingError, match="newer"):
        scheduling.publish_run(old)


def test_background_run_reports_progress_until_done(app, event, people):
    anne, bruno, carla, dan = people
    accepted(event, anne, bruno)
    accepted(event, carla, dan)
    app.config["SCHEDULER_BACKGROUND"] = True
    run_id = scheduling.start_run(event, time_limit=2).id
    for _ in range(300):  # waits for the thread; asserts nothing about how long it took
        db.session.expire_all()
        run = db.session.get(ScheduleRun, run_id)
        if run.status != "running":
            break
        time.sleep(0.1)
    assert run.status == "done", run.error
    assert run.scheduled == 2 and run.log and run.log[0]["phase"] == "greedy"


def test_one_run_at_a_time_and_a_stalled_run_does_not_block(event, people):
    from portal.federation.records import utcnow

    anne, bruno, _, _ = people
    accepted(event, anne, bruno)
    stuck = ScheduleRun(event_uid=event.uid, status="running", time_limit=5)
    db.session.add(stuck)
    db.session.commit()
    with pytest.raises(MeetingError, match="already running"):
        scheduling.start_run(event)
    stuck.started_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    assert stuck.stalled and not stuck.running
    assert scheduling.start_run(event).status == "done"


def test_a_run_older_than_the_organisers_changes_is_not_published(event, people):
    """Publishing must not undo a meeting marked held or cancelled, nor use tables that went away."""
    anne, bruno, carla, dan = people
    first, second = accepted(event, anne, bruno), accepted(event, carla, dan)
    run_and_publish(event)
    run = scheduling.start_run(event)
    services.mark_meeting(services.meeting_for_request(first.uid), "held", now=AT_THE_EVENT)
    db.session.commit()
    with pytest.raises(MeetingError, match="held"):
        scheduling.publish_run(run)
    run = scheduling.start_run(event)
    services.cancel_meeting(services.meeting_for_request(second.uid))
    db.session.commit()
    with pytest.raises(MeetingError, match="cancelled"):
        scheduling.publish_run(run)
    assert placed(event)[first.uid][2] == "held" and placed(event)[second.uid][2] == "cancelled"
    run = scheduling.start_run(event)
    event.b2b_tables = 1
    db.session.commit()
    with pytest.raises(MeetingError, match="tables"):
        scheduling.publish_run(run)
    run = scheduling.start_run(event)
    register(event, anne.person_uid, b2b=True, available_from=event.b2b_ends_at - timedelta(minutes=20))
    db.session.commit()
    with pytest.raises(MeetingError, match="availability"):
        scheduling.publish_run(run)
    scheduling.publish_run(scheduling.start_run(event))  # a fresh run is published
    assert placed(event)[first.uid][2] == "held" and placed(event)[second.uid][2] == "cancelled"
