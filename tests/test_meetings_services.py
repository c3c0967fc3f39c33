"""Meeting services: request, reply, withdraw, stars, caps, expiry and reminders, permissions."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.directory.models import Person
from portal.events.registration_models import Registration
from portal.extensions import db
from portal.federation import feed
from portal.federation.records import utcnow
from portal.mail.models import OutboxMessage
from portal.meetings import funnels, scheduling, services
from portal.meetings.models import Meeting, MeetingRequest
from portal.meetings.services import MeetingError

AT_THE_EVENT = datetime(2100, 1, 1, tzinfo=timezone.utc)  # meetings are marked once begun


@pytest.fixture
def event(make_b2b_event):
    return make_b2b_event(co_hosts=["peer-b"])


@pytest.fixture
def anne(event, make_participant):
    return make_participant(event, "Anne", email="anne@example.org")


@pytest.fixture
def bruno(event, make_participant):
    return make_participant(event, "Bruno", email="bruno@example.org")


@pytest.fixture
def remote(event, make_replica, make_organisation):
    """Chloé, a member of peer-b's portal, registered there for our event."""
    org = make_replica(type(make_organisation()), "peer-b", name="Agri Co", kind="end_user", country="FR")
    person = make_replica(Person, "peer-b", display_name="Chloé", organisation_uid=org.uid)
    make_replica(Registration, "peer-b", event_uid=event.uid, person_uid=person.uid, b2b=True,
                 status="registered", role="attendee")
    return person


def outbox(to=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to:
        query = query.where(OutboxMessage.to == to)
    return db.session.scalars(query).all()


def test_request_reply_flow_writes_records_and_mails_the_other_side(event, anne, bruno):
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid, "  Let us talk sensors.  ")
    db.session.commit()
    assert (request.status, request.message, request.origin, request.version) == ("open", "Let us talk sensors.",
                                                                                  "test-cluster", 1)
    assert request.state == "pending"
    assert [m.subject for m in outbox("bruno@example.org")] == ["Meeting request from Anne – Photonics meets agrifood"]
    reply = services.reply_to_request(request, bruno.person_uid, "accepted", "Gladly")
    db.session.commit()
    assert request.state == "accepted" and reply.fed_data()["answer"] == "accepted"
    assert [m.subject for m in outbox("anne@example.org")] == ["Bruno accepted your meeting request – Photonics meets agrifood"]
    assert "Gladly" in outbox("anne@example.org")[0].body


def test_the_request_mail_says_when_it_expires_without_an_answer(app, event, anne, bruno):
    app.config["MEETING_REQUEST_TTL_HOURS"] = 48
    services.request_meeting(event, anne.person_uid, bruno.person_uid, "Hello")
    db.session.commit()
    [mail] = outbox("bruno@example.org")
    assert "Hello\n\nPlease answer on your B2B page: without an answer, the request expires in 2 days." in mail.body


def test_records_are_event_scoped(event, anne, bruno):
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    db.session.commit()
    seen = lambda caller: {c["uid"]: c for c in feed.changes(caller, 0, 1000)["changes"]}
    assert seen("peer-b")[request.uid]["data"]["starred"] is False
    assert request.uid not in seen("outsider")


def test_nobody_answers_for_someone_else(event, anne, bruno, make_participant):
    carla = make_participant(event, "Carla")
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    with pytest.raises(MeetingError):
        services.reply_to_request(request, carla.person_uid, "accepted")
    with pytest.raises(MeetingError):
        services.reply_to_request(request, anne.person_uid, "accepted")


def test_only_the_recipients_home_portal_replies(event, anne, remote):
    request = services.request_meeting(event, anne.person_uid, remote.uid)
    db.session.commit()
    with pytest.raises(MeetingError, match="member of this portal"):
        services.reply_to_request(request, remote.uid, "accepted")


def test_a_peers_request_is_answered_here_and_never_edited_here(event, bruno, remote, make_replica):
    request = make_replica(MeetingRequest, "peer-b", event_uid=event.uid, from_person_uid=remote.uid,
                           to_person_uid=bruno.person_uid, message="Hello", status="open", starred=True)
    assert [m.subject for m in outbox("bruno@example.org")] == ["Meeting request from Chloé – Photonics meets agrifood"]
    with pytest.raises(MeetingError, match="another portal"):
        services.withdraw_request(request, remote.uid)
    reply = services.reply_to_request(request, bruno.person_uid, "declined")
    db.session.commit()
    assert reply.origin == "test-cluster" and request.version == 1


def test_no_second_request_between_the_same_two_and_none_to_oneself(event, anne, bruno):
    services.request_meeting(event, anne.person_uid, bruno.person_uid)
    with pytest.raises(MeetingError, match="already"):
        services.request_meeting(event, bruno.person_uid, anne.person_uid)
    with pytest.raises(MeetingError):
        services.request_meeting(event, anne.person_uid, anne.person_uid)


def test_no_request_within_ones_own_organisation(event, anne, make_participant, make_organisation):
    from portal.accounts.models import User

    org_uid = db.session.get(Person, anne.person_uid).organisation_uid
    colleague = make_participant(event, "Colleague", organisation=db.session.get(type(make_organisation()), org_uid))
    assert isinstance(colleague, User)
    with pytest.raises(MeetingError, match="own organisation"):
        services.request_meeting(event, anne.person_uid, colleague.person_uid)


def test_only_b2b_participants_request(event, anne, make_user):
    outsider = make_user(display_name="Not registered")
    with pytest.raises(MeetingError, match="Register"):
        services.request_meeting(event, outsider.person_uid, anne.person_uid)
    with pytest.raises(MeetingError, match="does not take part"):
        services.request_meeting(event, anne.person_uid, outsider.person_uid)


def test_caps_on_requests_and_meetings(app, event, anne, bruno, make_participant):
    app.config.update(MEETING_MAX_REQUESTS=1, MEETING_MAX_MEETINGS=1)
    carla, dan = make_participant(event, "Carla"), make_participant(event, "Dan")
    first = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    with pytest.raises(MeetingError, match="number of requests"):
        services.request_meeting(event, anne.person_uid, carla.person_uid)
    second = services.request_meeting(event, carla.person_uid, bruno.person_uid)
    services.reply_to_request(first, bruno.person_uid, "accepted")
    with pytest.raises(MeetingError, match="You have reached"):
        services.reply_to_request(second, bruno.person_uid, "accepted")
    third = services.request_meeting(event, dan.person_uid, anne.person_uid)
    with pytest.raises(MeetingError, match="You have reached"):
        services.reply_to_request(third, anne.person_uid, "accepted")
    services.reply_to_request(second, bruno.person_uid, "declined")  # declining is always possible


def test_withdraw_only_by_the_requester_and_then_a_new_request_is_possible(event, anne, bruno):
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    db.session.commit()
    with pytest.raises(MeetingError):
        services.withdraw_request(request, bruno.person_uid)
    services.withdraw_request(request, anne.person_uid)
    db.session.commit()
    assert (request.status, request.state, request.version) == ("withdrawn", "withdrawn", 2)
    assert "withdrew" in outbox("bruno@example.org")[-1].subject
    with pytest.raises(MeetingError):
        services.reply_to_request(request, bruno.person_uid, "accepted")
    assert services.request_meeting(event, anne.person_uid, bruno.person_uid).uid != request.uid


def test_stars_travel_in_the_record_each_side_writes(event, anne, bruno):
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid, starred=True)
    assert request.starred and request.priority == 1
    assert services.toggle_star(request, bruno.person_uid) is True  # before the reply: kept locally
    reply = services.reply_to_request(request, bruno.person_uid, "accepted")
    db.session.commit()
    assert reply.starred is True and request.priority == 2
    assert services.toggle_star(request, anne.person_uid) is False
    db.session.commit()
    assert request.starred is False and request.version == 2 and request.priority == 1


def test_expiry_withdraws_unanswered_requests_after_a_reminder(app, event, anne, bruno, remote):
    start = utcnow()
    waiting = services.request_meeting(event, anne.person_uid, bruno.person_uid, now=start)
    answered = services.request_meeting(event, bruno.person_uid, remote.uid, now=start)
    db.session.commit()
    assert services.expire_requests(now=start + timedelta(hours=47)) == {"expired": 0, "reminded": 0}
    assert services.expire_requests(now=start + timedelta(hours=49)) == {"expired": 0, "reminded": 1}
    assert services.expire_requests(now=start + timedelta(hours=50)) == {"expired": 0, "reminded": 0}
    assert "waiting for your answer" in outbox("bruno@example.org")[-1].subject
    done = services.expire_requests(now=start + timedelta(hours=73))
    db.session.commit()
    assert done == {"expired": 2, "reminded": 0}
    assert waiting.state == "expired" and waiting.status == "withdrawn" and answered.state == "expired"
    assert "expired" in outbox("anne@example.org")[-1].subject
    # Bruno, reminded that it would expire, is told it did, not that Anne withdrew it.
    [told] = [m for m in outbox("bruno@example.org") if m.dedupe_key.endswith(f"{waiting.uid}:withdrawn")]
    assert told.subject == "Meeting request expired: Anne – Photonics meets agrifood"
    assert "without an answer, the request expired and is closed." in told.body and "withdrew" not in told.body


def test_expiry_spares_answered_requests(event, anne, bruno):
    start = utcnow()
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid, now=start)
    services.reply_to_request(request, bruno.person_uid, "accepted")
    db.session.commit()
    assert services.expire_requests(now=start + timedelta(hours=100)) == {"expired": 0, "reminded": 0}
    assert request.status == "open"


def test_reminder_for_a_peers_request_dates_it_from_its_arrival(event, bruno, remote, make_replica):
    request = make_replica(MeetingRequest, "peer-b", event_uid=event.uid, from_person_uid=remote.uid,
                           to_person_uid=bruno.person_uid, message="", status="open")
    done = services.expire_requests(now=request.created_at + timedelta(hours=60))
    assert done == {"expired": 0, "reminded": 1}  # expiry itself is the requester's portal's job
    assert services.expire_requests(now=request.created_at + timedelta(hours=80))["expired"] == 0


def test_a_peers_withdrawal_cancels_our_meeting_as_the_lead(event, bruno, remote, make_replica):
    request = make_replica(MeetingRequest, "peer-b", event_uid=event.uid, from_person_uid=remote.uid,
                           to_person_uid=bruno.person_uid, message="", status="open")
    services.reply_to_request(request, bruno.person_uid, "accepted")
    meeting = Meeting(event_uid=event.uid, request_uid=request.uid, person_uids=[remote.uid, bruno.person_uid],
                      starts_at=event.b2b_starts_at, ends_at=event.b2b_starts_at + timedelta(minutes=20),
                      table="T1", status="scheduled")
    db.session.add(meeting)
    db.session.commit()
    request.status, request.version = "withdrawn", 2
    db.session.flush()
    request.fed_after_apply(db.session)
    db.session.commit()
    assert (meeting.status, meeting.cancel_reason) == ("cancelled", "withdrawn")
    assert any("cancelled" in m.subject for m in outbox("bruno@example.org"))


def test_nobody_edits_a_meeting_the_lead_wrote_elsewhere(event, bruno, remote, make_replica):
    meeting = make_replica(Meeting, "peer-b", event_uid=event.uid, request_uid="r-1",
                           person_uids=[remote.uid, bruno.person_uid], starts_at=event.b2b_starts_at,
                           ends_at=event.b2b_starts_at + timedelta(minutes=20), table="T1", status="scheduled")
    for action in (lambda: services.cancel_meeting(meeting), lambda: services.mark_meeting(meeting, "held")):
        with pytest.raises(MeetingError, match="another portal"):
            action()


def meeting_at_the_start(event, anne, bruno):
    """Anne's request, accepted by Bruno, scheduled at table T2 in the B2B block's first slot."""
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    services.reply_to_request(request, bruno.person_uid, "accepted")
    meeting = Meeting(event_uid=event.uid, request_uid=request.uid, person_uids=[anne.person_uid, bruno.person_uid],
                      starts_at=event.b2b_starts_at, ends_at=event.b2b_starts_at + timedelta(minutes=20),
                      table="T2", status="scheduled")
    db.session.add(meeting)
    db.session.commit()
    return meeting


def test_a_meeting_moved_by_the_lead_is_told_as_moved_where_its_record_arrives(event, anne, bruno, make_replica):
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)  # mails Bruno, not Anne
    start = event.b2b_starts_at
    meeting = make_replica(Meeting, "peer-b", event_uid=event.uid, request_uid=request.uid,
                           person_uids=[anne.person_uid, bruno.person_uid], starts_at=start,
                           ends_at=start + timedelta(minutes=20), table="T1", status="scheduled")
    data = meeting.fed_data()
    later = start + timedelta(minutes=40)
    meeting.fed_load(dict(data, starts_at=later.isoformat(), ends_at=(later + timedelta(minutes=20)).isoformat(),
                          table="T3"))
    meeting.fed_after_apply(db.session)
    db.session.commit()
    told, moved = outbox("anne@example.org")
    assert told.subject == "Meeting with Bruno: 18 Mar 2049, 14:00 CET, table T1 – Photonics meets agrifood"
    assert moved.subject == "Meeting with Bruno moved: 18 Mar 2049, 14:40 CET, table T3 – Photonics meets agrifood"
    assert "moves from 18 Mar 2049, 14:00 CET at table T1 to 18 Mar 2049, 14:40 CET at table T3." in moved.body


def test_a_mail_about_someone_not_known_here_opens_with_a_capital(event, anne, make_replica):
    """A request from a person whose profile is not shared here names them "a participant"."""
    request = make_replica(MeetingRequest, "peer-b", event_uid=event.uid, to_person_uid=anne.person_uid,
                           from_person_uid="bbbbbbbb-0000-4000-8000-00000000000b", status="open")
    request.fed_after_apply(db.session)
    db.session.commit()
    assert outbox("anne@example.org")[-1].subject == "Meeting request from a participant – Photonics meets agrifood"
    request.status = "withdrawn"
    request.fed_after_apply(db.session)
    db.session.commit()
    mail = outbox("anne@example.org")[-1]
    assert mail.subject.startswith("A participant ") and "\n\nA participant " in mail.body


def test_marking_meetings_notifies_and_records(event, anne, bruno):
    meeting = meeting_at_the_start(event, anne, bruno)
    with pytest.raises(MeetingError, match="once it has begun"):  # months before the event
        services.mark_meeting(meeting, "no_show")
    with pytest.raises(MeetingError, match="once it has begun"):
        services.mark_meeting(meeting, "held", now=meeting.starts_at - timedelta(minutes=1))
    assert meeting.status == "scheduled" and not any("recorded" in m.subject for m in outbox("anne@example.org"))
    services.mark_meeting(meeting, "held", now=meeting.starts_at)
    db.session.commit()
    assert meeting.fed_data()["status"] == "held" and meeting.fed_data()["table"] == "T2"
    assert meeting.fed_data()["starts_at"] == "2049-03-18T14:00:00+01:00"
    assert any("recorded" in m.subject for m in outbox("anne@example.org"))
    with pytest.raises(MeetingError):
        services.mark_meeting(meeting, "lost")


def test_a_meeting_held_missed_or_begun_is_not_cancelled(event, anne, bruno):
    meeting = meeting_at_the_start(event, anne, bruno)
    assert meeting.cancellable
    with pytest.raises(MeetingError, match="has begun"):
        services.mark_meeting(meeting, "cancelled", now=meeting.starts_at)
    for status in ("held", "no_show"):
        services.mark_meeting(meeting, status, now=AT_THE_EVENT)
        assert not meeting.cancellable
        with pytest.raises(MeetingError, match="held or no-show cannot be cancelled"):
            services.mark_meeting(meeting, "cancelled", now=AT_THE_EVENT)
        with pytest.raises(MeetingError, match="held or no-show cannot be cancelled"):
            services.cancel_meeting(meeting, reason="left")
    db.session.commit()
    assert meeting.status == "no_show" and not any("cancelled" in m.subject for m in outbox("anne@example.org"))
    services.mark_meeting(meeting, "scheduled", now=AT_THE_EVENT)
    services.mark_meeting(meeting, "cancelled", now=meeting.starts_at - timedelta(minutes=1))  # still to come
    assert meeting.status == "cancelled"


def test_mail_reaches_a_real_smtp_server(event, anne, bruno, smtp_server):
    from portal.mail.services import deliver_due

    services.request_meeting(event, anne.person_uid, bruno.person_uid, "About fibre sensing")
    db.session.commit()
    assert deliver_due()["sent"] == 1
    message = smtp_server.messages[0]
    assert message["To"] == "bruno@example.org" and message["Subject"] == "Meeting request from Anne – Photonics meets agrifood"
    assert "About fibre sensing" in message.get_content()
    assert f"/events/{event.uid}/b2b/" in message.get_content()


def test_reply_schema_keeps_the_extra_starred_field_and_ignores_unknown_ones():
    from portal.meetings.schemas import MeetingReplySchema, MeetingSchema

    e, r = "eeeeeeee-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002"
    loaded = MeetingReplySchema().load({"event_uid": e, "request_uid": r, "answer": "accepted",
                                        "message": " ok ", "starred": True, "mood": "good"})
    assert loaded == {"event_uid": e, "request_uid": r, "answer": "accepted", "message": "ok", "starred": True}
    assert MeetingReplySchema().load({"event_uid": e, "request_uid": r, "answer": "declined"})["starred"] is False
    from marshmallow import ValidationError

    with pytest.raises(ValidationError, match="starred"):
        MeetingReplySchema().load({"event_uid": e, "request_uid": r, "answer": "declined", "starred": "yes"})
    with pytest.raises(ValidationError):
        MeetingSchema().load({"event_uid": e, "request_uid": r, "person_uids": ["a"],
                              "starts_at": "2049-03-18T14:00:00+01:00", "ends_at": "2049-03-18T14:20:00+01:00",
                              "table": "T1", "status": "scheduled"})


def test_expire_command_for_cron(runner, event, anne, bruno):
    start = utcnow() - timedelta(hours=80)
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid, now=start)
    db.session.commit()
    result = runner.invoke(args=["meetings", "expire"])
    assert result.exit_code == 0 and "1 request(s) expired, 0 reminder(s) queued." in result.output
    db.session.expire_all()
    assert db.session.get(MeetingRequest, request.uid).state == "expired"


def test_schedule_command_names_an_event_it_does_not_know(runner, event):
    """A mistyped uid was answered "This event has no B2B meetings."."""
    result = runner.invoke(args=["meetings", "schedule", "7d0c3f5e-6a57-4c55-9f3c-1b2a8e4d9f01"])
    assert result.exit_code == 1
    assert "Error: no event '7d0c3f5e-6a57-4c55-9f3c-1b2a8e4d9f01' on this portal" in result.output


def test_schedule_command_refuses_in_english_on_a_french_portal(app, runner, event, monkeypatch):
    """The rest of every command's output is English; the refusal came out in French."""
    monkeypatch.setattr(app.extensions["babel"], "default_locale", "fr")
    event.b2b_enabled = False
    db.session.commit()
    result = runner.invoke(args=["meetings", "schedule", event.uid])
    assert result.exit_code == 1 and "Error: This event has no B2B meetings." in result.output


def scheduled(event, make_meeting, first, second):
    return make_meeting(event, first, second, status="scheduled")


def test_cancelling_a_registration_cancels_the_coming_meetings_and_tells_the_other(event, anne, bruno,
                                                                                  make_meeting):
    from portal.events.registrations import cancel_registration, my_registration

    meeting = scheduled(event, make_meeting, anne.person_uid, bruno.person_uid)
    held = make_meeting(event, anne.person_uid, bruno.person_uid, status="held")
    cancel_registration(my_registration(event.uid, anne.person_uid))
    db.session.commit()
    assert (meeting.status, meeting.cancel_reason, meeting.version) == ("cancelled", "left", 2)
    assert held.status == "held"  # history stays as it was
    assert [m.subject for m in outbox("bruno@example.org")] == ["Meeting with Anne cancelled – Photonics meets agrifood"]
    mails = outbox("anne@example.org")  # one mail: the confirmation names the meeting
    assert [m.subject for m in mails] == [f"Your registration for {event.title} is cancelled"]
    assert "Your B2B meetings there are cancelled with it" in mails[0].body
    assert f"with Bruno, table {meeting.table}" in mails[0].body


def test_a_refused_participant_loses_their_meetings(event, anne, bruno, make_meeting):
    from portal.events.registrations import my_registration, refuse

    meeting = scheduled(event, make_meeting, anne.person_uid, bruno.person_uid)
    refuse(my_registration(event.uid, bruno.person_uid), "Sorry")
    db.session.commit()
    assert meeting.status == "cancelled"


def test_a_registration_erased_by_its_home_portal_frees_the_place_and_the_meetings(event, anne, remote,
                                                                                     make_meeting):
    from portal.events.registration_models import RegistrationDecision
    from portal.federation import apply
    from tests.portals import change

    meeting = scheduled(event, make_meeting, anne.person_uid, remote.uid)
    registration = db.session.scalars(select(Registration).where(Registration.person_uid == remote.uid)).one()
    assert registration.decision is not None
    apply.apply_changes(db.session, "peer-b", [change(1, registration.uid, "registration", version=2, deleted=True)],
                        "epoch-1")
    db.session.commit()
    assert db.session.get(Registration, registration.uid) is None
    assert db.session.scalars(select(RegistrationDecision).where(
        RegistrationDecision.registration_uid == registration.uid)).all() == []
    assert meeting.status == "cancelled"
    assert [m.subject for m in outbox("anne@example.org")] == ["Meeting with Chloé cancelled – Photonics meets agrifood"]


def test_meetings_of_those_still_taking_part_stay(event, anne, bruno, remote, make_meeting):
    from portal.events.registrations import decide_registrations

    meetings = [scheduled(event, make_meeting, anne.person_uid, bruno.person_uid),
                scheduled(event, make_meeting, bruno.person_uid, remote.uid)]
    decide_registrations(event.uid)
    db.session.commit()
    assert [m.status for m in meetings] == ["scheduled", "scheduled"]


def test_leaving_closes_the_requests_one_sent_and_received_with_the_records_one_writes(
        event, anne, bruno, remote, make_participant, make_replica):
    """Anne cancels her registration: her home portal writes what it may, the others are told."""
    from portal.events.registrations import cancel_registration, my_registration

    carla = make_participant(event, "Carla", email="carla@example.org")
    sent = services.request_meeting(event, anne.person_uid, remote.uid)
    pending = services.request_meeting(event, bruno.person_uid, anne.person_uid)
    accepted = services.request_meeting(event, carla.person_uid, anne.person_uid)
    services.reply_to_request(accepted, anne.person_uid, "accepted")
    theirs = make_replica(MeetingRequest, "peer-b", event_uid=event.uid, from_person_uid=remote.uid,
                          to_person_uid=anne.person_uid, status="open")
    db.session.commit()
    cancel_registration(my_registration(event.uid, anne.person_uid))
    db.session.commit()
    assert (sent.status, sent.version, sent.expired_at) == ("withdrawn", 2, None)
    assert [r.reply.answer for r in (pending, accepted, theirs)] == ["declined"] * 3
    assert accepted.reply.version == 2 and theirs.reply.origin == "test-cluster"
    assert theirs.version == 1  # peer-b's record: only its home writes it
    assert [m.subject for m in outbox("bruno@example.org")][-1] == "Anne no longer takes part in the B2B meetings – Photonics meets agrifood"
    assert "request to meet them is closed" in outbox("carla@example.org")[-1].body

    taking_part = services.queries.active_registrations(event.uid)
    assert {services.queries.request_state(r, taking_part) for r in (sent, pending, accepted, theirs)} == {"closed"}
    assert services.queries.counters(event.uid, bruno.person_uid)["pending"] == 0
    uids = {c["uid"]: c for c in feed.changes("peer-b", 0, 1000)["changes"]}
    assert uids[sent.uid]["data"]["status"] == "withdrawn"
    assert uids[theirs.reply.uid]["data"]["answer"] == "declined"


def test_coming_back_reopens_what_leaving_closed_and_a_declined_request_stays_declined(
        event, anne, bruno, remote, make_participant, make_replica):
    """Anne cancels, then registers again with the B2B meetings: nobody is locked out of meeting her."""
    from portal.events.registrations import cancel_registration, my_registration, register

    carla, dan = (make_participant(event, name, email=f"{name.lower()}@example.org") for name in ("Carla", "Dan"))
    sent = services.request_meeting(event, anne.person_uid, remote.uid)
    pending = services.request_meeting(event, bruno.person_uid, anne.person_uid)
    accepted = services.request_meeting(event, carla.person_uid, anne.person_uid)
    services.reply_to_request(accepted, anne.person_uid, "accepted")
    declined = services.request_meeting(event, dan.person_uid, anne.person_uid)
    services.reply_to_request(declined, anne.person_uid, "declined")  # her own answer, before she left
    db.session.commit()
    cancel_registration(my_registration(event.uid, anne.person_uid))
    db.session.commit()
    pending_reply = pending.reply.uid
    assert [r.state for r in (sent, pending, accepted, declined)] == ["withdrawn", "declined", "declined", "declined"]
    register(event, anne.person_uid, b2b=True)
    db.session.commit()
    db.session.expire_all()
    assert [r.state for r in (sent, pending, accepted, declined)] == ["pending", "pending", "accepted", "declined"]
    assert sent.version == 3 and accepted.reply.version == 3
    taking_part = services.queries.active_registrations(event.uid)
    assert services.queries.request_state(pending, taking_part) == "pending"
    services.reply_to_request(pending, anne.person_uid, "accepted")  # Bruno's request waits for her answer again
    changes = {c["uid"]: c for c in feed.changes("peer-b", 0, 1000)["changes"]}
    assert changes[sent.uid]["data"]["status"] == "open" and changes[pending_reply]["deleted"]
    with pytest.raises(MeetingError, match="already a request"):  # a real "no" still stands
        services.request_meeting(event, dan.person_uid, anne.person_uid)


def test_coming_back_tells_the_other_side_whom_each_reopened_request_waits_for(
        event, anne, bruno, make_participant):
    from portal.events.registrations import cancel_registration, my_registration, register

    carla, dan, eve = (make_participant(event, name, email=f"{name.lower()}@example.org")
                       for name in ("Carla", "Dan", "Eve"))
    services.request_meeting(event, bruno.person_uid, anne.person_uid)  # Bruno waits for her answer
    accepted = services.request_meeting(event, carla.person_uid, anne.person_uid)
    services.reply_to_request(accepted, anne.person_uid, "accepted")
    declined = services.request_meeting(event, dan.person_uid, anne.person_uid)
    services.reply_to_request(declined, anne.person_uid, "declined")
    sent = services.request_meeting(event, anne.person_uid, eve.person_uid)  # Eve had not answered
    db.session.commit()
    cancel_registration(my_registration(event.uid, anne.person_uid))
    db.session.commit()
    register(event, anne.person_uid, b2b=True)
    db.session.commit()

    again = "Anne is back in the B2B meetings – Photonics meets agrifood"
    assert outbox("bruno@example.org")[-1].subject == again
    assert (
        "\n\nAnne is back in the B2B meetings of Photonics meets agrifood: the meeting request between you is open again. "
        "It waits for an answer from Anne.") in outbox("bruno@example.org")[-1].body
    assert "agreed again: the organisers will give you a time" in outbox("carla@example.org")[-1].body
    assert "It waits for your answer." in outbox("eve@example.org")[-1].body
    assert again not in [m.subject for m in outbox("dan@example.org")]  # her own "no" stands
    assert {sent.reopened_by, accepted.reopened_by} == {anne.person_uid}
    assert sent.version == 3  # the mark is local: nothing more to publish


def test_the_funnel_counts_alike_the_accepted_requests_of_either_side_who_left(event, anne, bruno, make_participant):
    from portal.events.registrations import register

    carla = make_participant(event, "Carla", email="carla@example.org")
    sent = services.request_meeting(event, anne.person_uid, bruno.person_uid)  # Anne asked, Bruno accepted
    services.reply_to_request(sent, bruno.person_uid, "accepted")
    received = services.request_meeting(event, carla.person_uid, anne.person_uid)  # Carla asked, Anne accepted
    services.reply_to_request(received, anne.person_uid, "accepted")
    db.session.commit()
    assert funnels.funnel(event.uid)["accepted"] == 2
    register(event, anne.person_uid, b2b=False)  # Anne leaves the B2B meetings
    db.session.commit()
    assert (sent.state, received.state) == ("withdrawn", "declined")
    assert funnels.funnel(event.uid)["accepted"] == 0


def test_taking_the_b2b_part_out_closes_requests_and_frees_meeting_slots(event, anne, bruno, make_meeting):
    from portal.events.registrations import register

    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    services.reply_to_request(request, bruno.person_uid, "accepted")
    db.session.commit()
    meeting = make_meeting(event, anne.person_uid, bruno.person_uid, status="scheduled")
    register(event, bruno.person_uid, b2b=False)
    db.session.commit()
    assert request.reply.answer == "declined" and request.reply.version == 2
    assert (meeting.status, meeting.cancel_reason) == ("cancelled", "left")
    assert "Meeting with Bruno cancelled – Photonics meets agrifood" in [m.subject for m in outbox("anne@example.org")]
    register(event, bruno.person_uid, b2b=True)  # back: the meeting they had agreed is scheduled again
    db.session.commit()
    assert request.reply.answer == "accepted"
    assert [m["id"] for m in scheduling.build_instance(event)["meetings"]] == [request.uid]


def test_a_request_from_someone_who_left_cannot_be_accepted(event, bruno, remote, make_replica):
    """Peer-b's cancellation arrived before its withdrawal: the request is closed here already."""
    request = make_replica(MeetingRequest, "peer-b", event_uid=event.uid, from_person_uid=remote.uid,
                           to_person_uid=bruno.person_uid, status="open")
    registration = db.session.scalars(select(Registration).where(Registration.person_uid == remote.uid)).one()
    registration.status, registration.version = "cancelled", 2
    registration.fed_after_apply(db.session)
    db.session.commit()
    with pytest.raises(MeetingError, match="no longer takes part"):
        services.reply_to_request(request, bruno.person_uid, "accepted")
    assert request.reply is None
    assert services.queries.request_state(request, services.queries.active_registrations(event.uid)) == "closed"
    assert services.queries.counters(event.uid, bruno.person_uid)["pending"] == 0


def test_mail_speaks_its_recipients_language_not_the_language_of_whoever_caused_it(app, event, anne, bruno):
    bruno.language = "fr"
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "fr"}):  # Anne and Bruno both click in French
        request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
        services.reply_to_request(request, bruno.person_uid, "accepted", "")
    db.session.commit()
    assert [m.subject for m in outbox("bruno@example.org")] == ["Anne vous demande un rendez-vous – Photonics meets agrifood"]
    assert [m.subject for m in outbox("anne@example.org")] == ["Bruno accepted your meeting request – Photonics meets agrifood"]


def test_meeting_mail_greets_its_recipient_and_is_signed_as_the_portals_other_mail(app, event, anne, bruno):
    bruno.language = "fr"
    db.session.commit()
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    services.reply_to_request(request, bruno.person_uid, "accepted", "")
    db.session.commit()
    [to_bruno], [to_anne] = outbox("bruno@example.org"), outbox("anne@example.org")
    assert to_bruno.body.startswith("Bonjour Bruno,\n\nAnne souhaite vous rencontrer")
    assert to_anne.body.startswith("Hello Anne,\n\nBruno accepted")
    assert all(m.body.endswith("\n-- \nTest Cluster\n") for m in (to_bruno, to_anne))


def test_mail_outside_a_request_uses_the_portals_default_language_for_whoever_chose_none(app, event, anne, bruno):
    app.config["BABEL_DEFAULT_LOCALE"] = "fr"
    anne.language = "en"
    db.session.commit()
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)  # as a record from a peer would
    services.reply_to_request(request, bruno.person_uid, "accepted", "")
    db.session.commit()
    assert [m.subject for m in outbox("bruno@example.org")] == ["Anne vous demande un rendez-vous – Photonics meets agrifood"]
    assert [m.subject for m in outbox("anne@example.org")] == ["Bruno accepted your meeting request – Photonics meets agrifood"]


def test_a_cancelled_event_takes_no_request_reply_or_schedule_and_drops_its_meetings(event, anne, bruno,
                                                                                     make_participant, make_meeting):
    from portal.events import services as event_services
    from portal.meetings import scheduling

    carla = make_participant(event, "Carla")
    asked = services.request_meeting(event, carla.person_uid, bruno.person_uid)
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    services.reply_to_request(request, bruno.person_uid, "accepted")
    meeting = scheduled(event, make_meeting, anne.person_uid, bruno.person_uid)
    event_services.cancel_event(event)
    db.session.commit()
    assert meeting.status == "cancelled"  # schedules and calendar feeds drop it
    told = [m for m in outbox("anne@example.org") if "cancel" in m.subject.lower()]
    assert [m.subject for m in told] == [f"Cancelled: {event.title}"]  # one mail, not one more per meeting
    assert "Your B2B meetings there are cancelled with it:" in told[0].body
    assert "with Bruno, table " in told[0].body
    with pytest.raises(MeetingError, match="cancelled"):
        services.request_meeting(event, anne.person_uid, carla.person_uid)
    with pytest.raises(MeetingError, match="cancelled"):
        services.reply_to_request(asked, bruno.person_uid, "accepted")
    with pytest.raises(MeetingError, match="cancelled"):
        scheduling.start_run(event)


def test_meetings_at_one_time_come_in_their_tables_order(make_b2b_event, make_meeting, make_person):
    from portal.meetings import queries

    event = make_b2b_event()
    anne = make_person(display_name="Anne").uid
    meetings = [make_meeting(event, anne, make_person().uid, status="scheduled", table=table)
                for table in ("T10", "T2", "T1")]
    for meeting in meetings:
        meeting.starts_at = event.b2b_starts_at
    db.session.commit()
    assert [m.table for m in queries.event_meetings(event.uid)] == ["T1", "T2", "T10"]  # not T1, T10, T2
    assert [m.table for m in queries.meetings_of(anne, event.uid)] == ["T1", "T2", "T10"]
