"""Who writes what (PROTOCOL.md section 5): a peer cannot write what the protocol gives another writer.

The lead alone writes agenda items, registration decisions and meetings; a person's home
portal writes their registration, their requests and their replies; only an event's hosts
write for it. Such a change is quarantined, and nothing of it reaches members.
"""
import uuid

from sqlalchemy import func, select

from portal.events.registration_models import Registration, RegistrationDecision
from portal.extensions import db
from portal.federation.apply import apply_changes
from portal.federation.models import Quarantine, Record
from portal.mail.models import OutboxMessage
from portal.meetings.models import Meeting, MeetingReply, MeetingRequest
from portal.surveys.models import SurveyResponse
from tests.portals import change

CO_HOST, STRANGER = "peer-b", "peer-c"


def uid():
    return str(uuid.uuid4())


def apply(peer, fed_type, data):
    record = uid()
    outcome = apply_changes(db.session, peer, [change(1, record, fed_type, origin=peer, data=data)], epoch="e")
    db.session.commit()
    return outcome, record


def apply_later(*changes):
    """Changes of records already sent (later versions, tombstones) from the co-host, applied."""
    outcome = apply_changes(db.session, CO_HOST, list(changes), epoch="e")
    db.session.commit()
    return outcome


def guest_registration(event_uid, b2b=False):
    """A registration's data: a guest of the co-host's at `event_uid`."""
    return {"event_uid": event_uid, "person_uid": uid(), "role": "attendee", "b2b": b2b, "available_from": None,
            "available_until": None, "status": "registered", "checked_in": False}


def quarantined(peer):
    return db.session.scalars(select(Quarantine.reason).where(Quarantine.peer_id == peer)).all()


def mails():
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def setup(make_b2b_event, make_participant, make_replica):
    event = make_b2b_event(co_hosts=[CO_HOST])
    alice, bob = make_participant(event, "Alice"), make_participant(event, "Bob")
    guest = uid()  # a co-host's member who shares no profile: known here by their registration
    make_replica(Registration, CO_HOST, event_uid=event.uid, person_uid=guest, b2b=True, status="registered")
    db.session.commit()
    return event, alice, bob, guest


def test_only_the_lead_writes_decisions_and_meetings(app, make_b2b_event, make_participant, make_replica):
    event, alice, bob, _guest = setup(make_b2b_event, make_participant, make_replica)
    registration = db.session.scalar(select(Registration).where(Registration.person_uid == alice.person_uid))
    before = mails()
    outcome, _ = apply(CO_HOST, "registration_decision", {
        "event_uid": event.uid, "registration_uid": registration.uid, "status": "refused", "message": "Sorry"})
    assert outcome.quarantined == 1 and outcome.applied == 0
    assert "only the event's lead 'test-cluster' writes registration_decision records" in quarantined(CO_HOST)[0]
    assert db.session.scalar(select(func.count()).select_from(RegistrationDecision)
                             .where(RegistrationDecision.origin == CO_HOST)) == 0
    outcome, _ = apply(CO_HOST, "meeting", {
        "event_uid": event.uid, "request_uid": uid(), "person_uids": [alice.person_uid, bob.person_uid],
        "starts_at": "2049-03-18T14:00:00+01:00", "ends_at": "2049-03-18T14:20:00+01:00", "table": "1",
        "status": "scheduled"})
    assert outcome.quarantined == 1 and db.session.scalars(select(Meeting)).all() == []
    assert mails() == before  # nobody was told anything


def test_requests_and_replies_come_from_the_persons_home(app, make_b2b_event, make_participant, make_replica):
    event, alice, bob, guest = setup(make_b2b_event, make_participant, make_replica)
    before = mails()
    forged = {"event_uid": event.uid, "from_person_uid": alice.person_uid, "to_person_uid": bob.person_uid,
              "message": "Meet me", "status": "open"}
    outcome, _ = apply(CO_HOST, "meeting_request", forged)
    assert outcome.quarantined == 1
    assert "person " + alice.person_uid + " belongs to 'test-cluster'" in quarantined(CO_HOST)[0]
    assert mails() == before and db.session.scalars(select(MeetingRequest)).all() == []
    # The co-host's own member may ask Bob; Bob's home (this portal) alone answers for him.
    outcome, request_uid = apply(CO_HOST, "meeting_request", dict(forged, from_person_uid=guest))
    assert outcome.applied == 1 and outcome.quarantined == 0
    outcome, _ = apply(CO_HOST, "meeting_reply", {"event_uid": event.uid, "request_uid": request_uid,
                                                  "answer": "accepted", "message": ""})
    assert outcome.quarantined == 1 and db.session.scalars(select(MeetingReply)).all() == []


def test_only_hosts_write_for_an_event_led_here(app, make_b2b_event, make_participant, make_replica):
    event, _alice, _bob, _guest = setup(make_b2b_event, make_participant, make_replica)
    registration = guest_registration(event.uid, b2b=True)
    outcome, _ = apply(STRANGER, "registration", registration)
    assert outcome.quarantined == 1 and "'peer-c' is not a host of event" in quarantined(STRANGER)[0]
    survey = {"event_uid": event.uid, "stage": "post_event", "respondent": "ab" * 16, "answers": {"satisfaction": 5}}
    outcome, _ = apply(STRANGER, "survey_response", survey)
    assert outcome.quarantined == 1 and db.session.scalars(select(SurveyResponse)).all() == []
    outcome, _ = apply(CO_HOST, "registration", registration)
    assert outcome.applied == 1 and outcome.quarantined == 0


def test_a_record_of_an_event_not_received_yet_is_kept(app):
    """References may point to records not yet received (section 5): nothing says yet who writes."""
    outcome, record = apply(STRANGER, "registration_decision", {
        "event_uid": uid(), "registration_uid": uid(), "status": "confirmed", "message": ""})
    assert outcome.applied == 1 and db.session.get(RegistrationDecision, record).origin == STRANGER


def test_a_co_host_taken_off_the_hosts_still_updates_what_it_wrote(app, make_b2b_event, make_participant,
                                                                    make_replica):
    """Its members' registrations stay with the lead, who still hears of their cancellation; it
    may not register anyone new."""
    event, _alice, _bob, _guest = setup(make_b2b_event, make_participant, make_replica)
    registration = guest_registration(event.uid)
    outcome, record = apply(CO_HOST, "registration", registration)
    assert outcome.applied == 1
    event.co_hosts = []
    db.session.commit()
    cancelled = change(2, record, "registration", origin=CO_HOST, version=2, data=dict(registration, status="cancelled"))
    assert apply_later(cancelled).applied == 1
    assert db.session.get(Registration, record).status == "cancelled"
    outcome, _ = apply(CO_HOST, "registration", dict(registration, person_uid=uid()))
    assert outcome.quarantined == 1


def test_a_co_host_takes_from_hosts_only_and_lets_a_new_host_in_when_the_lead_says_so(app, make_event, make_peer):
    """A co-host checks the writer against the hosts the lead's event names. A new co-host's
    registration that comes before the lead's update naming it is quarantined, then applied
    when that update arrives (the pull's page that brings the event)."""
    from portal.federation.sync import apply_page

    lead = make_peer("lead-a")
    data = make_event().fed_data()
    event_uid = uid()
    assert apply_changes(db.session, "lead-a", [change(1, event_uid, "event", origin="lead-a",
                                                       data=dict(data, co_hosts=["test-cluster"]))], epoch="e").applied == 1
    db.session.commit()
    registration = {"event_uid": event_uid, "person_uid": uid(), "role": "attendee", "b2b": False,
                    "available_from": None, "available_until": None, "status": "registered", "checked_in": False}
    outcome, record = apply(STRANGER, "registration", registration)
    assert outcome.quarantined == 1 and f"'peer-c' is not a host of event {event_uid}" in quarantined(STRANGER)[0]
    assert db.session.get(Registration, record) is None
    apply_page(lead, {"epoch": "e", "next": 2, "has_more": False, "changes": [change(
        2, event_uid, "event", origin="lead-a", version=2, data=dict(data, co_hosts=["test-cluster", STRANGER]))]})
    db.session.commit()
    assert db.session.get(Registration, record).origin == STRANGER
    assert db.session.scalars(select(Quarantine.resolved_at).where(Quarantine.peer_id == STRANGER)).one() is not None


def event_led_by_the_co_host(event):
    """An event of the co-host's own, like `event`, which we co-host: its uid."""
    its_own = uid()
    assert apply_changes(db.session, CO_HOST, [change(1, its_own, "event", origin=CO_HOST, data=dict(
        event.fed_data(), co_hosts=["test-cluster"]))], epoch="e").applied == 1
    db.session.commit()
    return its_own


def test_a_lead_decides_only_the_registrations_of_its_own_event(app, make_b2b_event, make_participant, make_replica):
    """A co-host leading an event of its own cannot answer, through it, our member's registration
    for an event it only co-hosts (it receives that registration's uid as a host)."""
    event, alice, _bob, _guest = setup(make_b2b_event, make_participant, make_replica)
    registration = db.session.scalar(select(Registration).where(Registration.person_uid == alice.person_uid))
    its_own = event_led_by_the_co_host(event)
    before = mails()
    outcome, _ = apply(CO_HOST, "registration_decision", {
        "event_uid": its_own, "registration_uid": registration.uid, "status": "refused", "message": "Sorry",
        "checked_in": True})
    assert outcome.quarantined == 1 and outcome.applied == 0
    assert f"registration {registration.uid} is not one of event {its_own}" in quarantined(CO_HOST)[0]
    assert db.session.scalar(select(func.count()).select_from(RegistrationDecision)
                             .where(RegistrationDecision.origin == CO_HOST)) == 0
    assert mails() == before and not db.session.get(Registration, registration.uid).checked_in


def test_a_later_version_is_checked_when_it_names_another_event_or_person(app, make_b2b_event, make_participant,
                                                                          make_replica):
    """The writer is checked when a record first arrives; a later version that moves it to
    another person or event is checked again (else a co-host would register its own guest,
    then turn the registration into our member's)."""
    event, alice, _bob, _guest = setup(make_b2b_event, make_participant, make_replica)
    registration = guest_registration(event.uid)
    outcome, record = apply(CO_HOST, "registration", registration)
    assert outcome.applied == 1
    moved = change(2, record, "registration", origin=CO_HOST, version=2,
                   data=dict(registration, person_uid=alice.person_uid))
    outcome = apply_later(moved)
    assert outcome.quarantined == 1 and outcome.applied == 0
    assert "person " + alice.person_uid + " belongs to 'test-cluster'" in quarantined(CO_HOST)[0]
    assert db.session.get(Registration, record).person_uid == registration["person_uid"]
    # Gone and back (a tombstone, then a new version) is no way round it either.
    gone = change(3, record, "registration", origin=CO_HOST, version=3, deleted=True)
    back = change(4, record, "registration", origin=CO_HOST, version=4,
                  data=dict(registration, person_uid=alice.person_uid))
    assert apply_later(gone).applied == 1
    outcome = apply_later(back)
    assert outcome.quarantined == 1 and db.session.get(Registration, record) is None


def test_a_lead_schedules_only_the_requests_of_its_own_event(app, make_b2b_event, make_participant, make_replica):
    """As for decisions: a co-host leading an event of its own cannot place, through it, a meeting
    on our members' request at an event it only co-hosts."""
    from portal.meetings.services import request_meeting

    event, alice, bob, _guest = setup(make_b2b_event, make_participant, make_replica)
    request = request_meeting(event, alice.person_uid, bob.person_uid)
    db.session.commit()
    its_own = event_led_by_the_co_host(event)
    before = mails()
    outcome, _ = apply(CO_HOST, "meeting", {
        "event_uid": its_own, "request_uid": request.uid, "person_uids": [alice.person_uid, bob.person_uid],
        "starts_at": "2049-03-18T14:00:00+01:00", "ends_at": "2049-03-18T14:20:00+01:00", "table": "9",
        "status": "scheduled"})
    assert outcome.quarantined == 1 and outcome.applied == 0
    assert f"meeting_request {request.uid} is not one of event {its_own}" in quarantined(CO_HOST)[0]
    assert db.session.scalars(select(Meeting)).all() == [] and mails() == before


def test_a_reply_answers_only_a_request_of_its_own_event(app, make_b2b_event, make_participant, make_replica):
    """The guest's home writes the guest's replies, but only to a request of the reply's event:
    one naming an event of the co-host's own cannot accept our member's request at this one."""
    from portal.meetings.services import request_meeting

    event, alice, _bob, guest = setup(make_b2b_event, make_participant, make_replica)
    request = request_meeting(event, alice.person_uid, guest)
    db.session.commit()
    its_own = event_led_by_the_co_host(event)
    make_replica(Registration, CO_HOST, event_uid=its_own, person_uid=guest, b2b=True, status="registered")
    db.session.commit()
    outcome, _ = apply(CO_HOST, "meeting_reply", {"event_uid": its_own, "request_uid": request.uid,
                                                  "answer": "accepted", "message": ""})
    assert outcome.quarantined == 1 and outcome.applied == 0
    assert f"meeting_request {request.uid} is not one of event {its_own}" in quarantined(CO_HOST)[0]
    assert db.session.scalars(select(MeetingReply)).all() == []
    assert db.session.get(MeetingRequest, request.uid).state == "pending"
    # The same reply at the request's own event is the guest's answer.
    outcome, _ = apply(CO_HOST, "meeting_reply", {"event_uid": event.uid, "request_uid": request.uid,
                                                  "answer": "accepted", "message": ""})
    assert outcome.applied == 1 and db.session.get(MeetingRequest, request.uid).state == "accepted"


def accepted_between_guests(event, guest, make_replica):
    """The co-host's `guest` asks another of its guests, who accepts: (the request's data, its
    uid, the other guest's person uid)."""
    other_guest = uid()
    make_replica(Registration, CO_HOST, event_uid=event.uid, person_uid=other_guest, b2b=True, status="registered")
    db.session.commit()
    request = {"event_uid": event.uid, "from_person_uid": guest, "to_person_uid": other_guest,
               "message": "Meet me", "status": "open"}
    outcome, request_uid = apply(CO_HOST, "meeting_request", request)
    assert outcome.applied == 1
    outcome, _ = apply(CO_HOST, "meeting_reply", {"event_uid": event.uid, "request_uid": request_uid,
                                                  "answer": "accepted", "message": ""})
    assert outcome.applied == 1
    return request, request_uid, other_guest


def test_a_request_answered_by_its_recipient_s_home_cannot_be_readdressed(app, make_b2b_event, make_participant,
                                                                        make_replica):
    """A reply is checked against its request's recipient: a co-host could otherwise ask one of its
    own guests, accept in their name, then send the request again addressed to our member, who
    would then have accepted a meeting they never answered (and the lead would schedule it)."""
    event, _alice, bob, guest = setup(make_b2b_event, make_participant, make_replica)
    request, request_uid, other_guest = accepted_between_guests(event, guest, make_replica)
    readdressed = change(3, request_uid, "meeting_request", origin=CO_HOST, version=2,
                         data=dict(request, to_person_uid=bob.person_uid))
    outcome = apply_later(readdressed)
    assert outcome.quarantined == 1 and outcome.applied == 0
    assert f"meeting_request {request_uid}: to_person_uid may not change" in quarantined(CO_HOST)[0]
    assert db.session.get(MeetingRequest, request_uid).to_person_uid == other_guest


def test_a_request_or_a_registration_never_moves_to_another_event(app, make_b2b_event, make_participant,
                                                                  make_replica):
    """A meeting is checked against its request's event, a decision against its registration's: a
    co-host leading an event of its own could otherwise move its guest's request to our member to
    that event (it is a host there, the guest its member), then place a meeting on it there."""
    event, _alice, bob, guest = setup(make_b2b_event, make_participant, make_replica)
    its_own = event_led_by_the_co_host(event)
    request = {"event_uid": event.uid, "from_person_uid": guest, "to_person_uid": bob.person_uid,
               "message": "Meet me", "status": "open"}
    outcome, request_uid = apply(CO_HOST, "meeting_request", request)
    assert outcome.applied == 1
    registration = guest_registration(event.uid, b2b=True)
    outcome, registration_uid = apply(CO_HOST, "registration", registration)
    assert outcome.applied == 1
    moved = [change(5, request_uid, "meeting_request", origin=CO_HOST, version=2, data=dict(request, event_uid=its_own)),
             change(6, registration_uid, "registration", origin=CO_HOST, version=2,
                    data=dict(registration, event_uid=its_own))]
    outcome = apply_later(*moved)
    assert outcome.quarantined == 2 and outcome.applied == 0
    assert [reason.split(": ")[1] for reason in quarantined(CO_HOST)] == ["event_uid may not change (section 5)"] * 2
    assert db.session.get(MeetingRequest, request_uid).event_uid == event.uid
    assert db.session.get(Registration, registration_uid).event_uid == event.uid


def test_a_record_removed_by_its_tombstone_comes_back_unchanged_or_not_at_all(app, make_b2b_event, make_participant,
                                                                              make_replica):
    """A tombstone removes the request's row, not what its reply was checked against: the request
    sent again after it, addressed to our member, is refused as it would be without the tombstone
    (else the member saw a request in their name already accepted, and the lead placed it); the
    same request sent back as it was is applied."""
    event, _alice, bob, guest = setup(make_b2b_event, make_participant, make_replica)
    its_own = event_led_by_the_co_host(event)
    request, request_uid, other_guest = accepted_between_guests(event, guest, make_replica)
    assert apply_later(change(3, request_uid, "meeting_request", origin=CO_HOST, version=2, deleted=True)).applied == 1
    assert apply_later(change(4, request_uid, "meeting_request", origin=CO_HOST, version=3, deleted=True)).applied == 1
    readdressed = change(5, request_uid, "meeting_request", origin=CO_HOST, version=4,
                         data=dict(request, to_person_uid=bob.person_uid))
    outcome = apply_later(readdressed)
    assert outcome.quarantined == 1 and outcome.applied == 0
    assert f"meeting_request {request_uid}: to_person_uid may not change" in quarantined(CO_HOST)[0]
    assert db.session.get(MeetingRequest, request_uid) is None
    moved = change(6, request_uid, "meeting_request", origin=CO_HOST, version=5, data=dict(request, event_uid=its_own))
    assert apply_later(moved).quarantined == 1 and db.session.get(MeetingRequest, request_uid) is None
    assert quarantined(CO_HOST)[1].endswith("event_uid may not change (section 5)")
    back = change(7, request_uid, "meeting_request", origin=CO_HOST, version=6, data=dict(request, status="withdrawn"))
    assert apply_later(back).applied == 1
    assert db.session.get(MeetingRequest, request_uid).to_person_uid == other_guest
    # A registration's event, which its decision was checked against, is kept the same way.
    registration = guest_registration(event.uid)
    outcome, registration_uid = apply(CO_HOST, "registration", registration)
    gone = change(8, registration_uid, "registration", origin=CO_HOST, version=2, deleted=True)
    moved = change(9, registration_uid, "registration", origin=CO_HOST, version=3,
                   data=dict(registration, event_uid=its_own))
    assert apply_later(gone).applied == 1
    assert apply_later(moved).quarantined == 1 and db.session.get(Registration, registration_uid) is None


def meeting_mails():
    return db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.dedupe_key.contains(":meeting:"))).all()


def meeting_on(event_uid, request_uid, person_uids):
    return {"event_uid": event_uid, "request_uid": request_uid, "person_uids": person_uids,
            "starts_at": "2049-03-18T14:00:00+01:00", "ends_at": "2049-03-18T14:20:00+01:00", "table": "9",
            "status": "scheduled"}


def test_a_decision_or_a_meeting_that_came_first_is_checked_when_its_record_arrives(app, make_b2b_event,
                                                                                   make_participant, make_replica):
    """Section 5 keeps a decision or a meeting whose registration or request is not here yet; when
    that one arrives and is of another event, it is quarantined as if it had come after it, and
    our member was never told of the meeting (its mail waits for its request)."""
    event, _alice, bob, guest = setup(make_b2b_event, make_participant, make_replica)
    its_own = event_led_by_the_co_host(event)
    registration_uid, request_uid = uid(), uid()
    outcome, decision_uid = apply(CO_HOST, "registration_decision", {
        "event_uid": its_own, "registration_uid": registration_uid, "status": "refused", "message": "Sorry"})
    outcome, meeting_uid = apply(CO_HOST, "meeting", meeting_on(its_own, request_uid, [guest, bob.person_uid]))
    assert outcome.applied == 1 and meeting_mails() == []
    registration = guest_registration(event.uid, b2b=True)
    request = {"event_uid": event.uid, "from_person_uid": guest, "to_person_uid": bob.person_uid,
               "message": "Meet me", "status": "open"}
    outcome = apply_later(change(5, registration_uid, "registration", origin=CO_HOST, data=registration),
                          change(6, request_uid, "meeting_request", origin=CO_HOST, data=request))
    assert outcome.applied == 2
    reasons = quarantined(CO_HOST)
    assert f"registration_decision {decision_uid}: registration {registration_uid} is not one of event {its_own}" \
        " (section 5)" in reasons
    assert f"meeting {meeting_uid}: meeting_request {request_uid} is not one of event {its_own} (section 5)" in reasons
    assert db.session.get(RegistrationDecision, decision_uid) is None and db.session.get(Meeting, meeting_uid) is None
    assert db.session.get(Record, ("meeting", meeting_uid)) is None  # as if it had never been applied
    assert meeting_mails() == []
    # The lead here decides that registration: the co-host's decision no longer stands for it.
    assert db.session.get(Registration, registration_uid).decision.origin == "test-cluster"
    # Retry finds the same reason: the request is here now.
    from portal.federation.services import retry_quarantined

    entry = db.session.scalars(select(Quarantine).where(Quarantine.uid == meeting_uid)).one()
    assert not retry_quarantined(entry) and db.session.get(Meeting, meeting_uid) is None


def test_a_meeting_that_came_before_its_request_is_told_when_the_request_arrives(app, make_b2b_event,
                                                                                make_participant, make_replica):
    """At an event the co-host leads and we co-host, its meeting on its guest's request to our
    member may come before the request: it is kept, and mailed to the member once the request
    is here and of its event."""
    event, _alice, bob, guest = setup(make_b2b_event, make_participant, make_replica)
    its_own = event_led_by_the_co_host(event)
    request_uid = uid()
    outcome, meeting_uid = apply(CO_HOST, "meeting", meeting_on(its_own, request_uid, [guest, bob.person_uid]))
    assert outcome.applied == 1 and meeting_mails() == []
    request = {"event_uid": its_own, "from_person_uid": guest, "to_person_uid": bob.person_uid,
               "message": "Meet me", "status": "open"}
    assert apply_later(change(5, request_uid, "meeting_request", origin=CO_HOST, data=request)).applied == 1
    assert db.session.get(Meeting, meeting_uid) is not None and quarantined(CO_HOST) == []
    assert len(meeting_mails()) == 1
    # A request that came and went (its author erased) still lets the meeting's cancellation through.
    cancelled = dict(meeting_on(its_own, request_uid, [guest, bob.person_uid]), status="cancelled")
    apply_later(change(6, request_uid, "meeting_request", origin=CO_HOST, version=2, deleted=True),
                change(7, meeting_uid, "meeting", origin=CO_HOST, version=2, data=cancelled))
    assert len(meeting_mails()) == 2 and "cancelled" in meeting_mails()[-1]


def test_a_reply_that_came_before_its_request_is_checked_against_its_recipient(app, make_b2b_event,
                                                                              make_participant, make_replica):
    """A reply comes from the recipient's home: one that came before its request, from the
    co-host, is quarantined when the request arrives addressed to our member (who never
    accepted it), and the member is told of the request, still waiting for their answer."""
    event, _alice, bob, guest = setup(make_b2b_event, make_participant, make_replica)
    request_uid = uid()
    outcome, reply_uid = apply(CO_HOST, "meeting_reply", {"event_uid": event.uid, "request_uid": request_uid,
                                                          "answer": "accepted", "message": ""})
    assert outcome.applied == 1
    request = {"event_uid": event.uid, "from_person_uid": guest, "to_person_uid": bob.person_uid,
               "message": "Meet me", "status": "open"}
    before = mails()
    assert apply_later(change(5, request_uid, "meeting_request", origin=CO_HOST, data=request)).applied == 1
    assert f"meeting_reply {reply_uid}: person {bob.person_uid} belongs to 'test-cluster'" in quarantined(CO_HOST)[0]
    assert db.session.get(MeetingReply, reply_uid) is None
    assert db.session.get(MeetingRequest, request_uid).state == "pending" and mails() == before + 1


def test_a_record_removed_by_its_tombstone_is_still_what_its_answers_are_checked_against(
        app, make_b2b_event, make_participant, make_replica):
    """The event and recipient a tombstone keeps count for the records that answer it: a co-host
    cannot delete its guest's request to our member and then place a meeting on it at its own
    event, nor accept it in the member's name."""
    event, _alice, bob, guest = setup(make_b2b_event, make_participant, make_replica)
    its_own = event_led_by_the_co_host(event)
    request = {"event_uid": event.uid, "from_person_uid": guest, "to_person_uid": bob.person_uid,
               "message": "Meet me", "status": "open"}
    outcome, request_uid = apply(CO_HOST, "meeting_request", request)
    assert apply_later(change(3, request_uid, "meeting_request", origin=CO_HOST, version=2, deleted=True)).applied == 1
    before = meeting_mails()
    outcome, _ = apply(CO_HOST, "meeting", meeting_on(its_own, request_uid, [guest, bob.person_uid]))
    assert outcome.quarantined == 1 and f"meeting_request {request_uid} is not one of event {its_own}" \
        in quarantined(CO_HOST)[0]
    outcome, _ = apply(CO_HOST, "meeting_reply", {"event_uid": event.uid, "request_uid": request_uid,
                                                  "answer": "accepted", "message": ""})
    assert outcome.quarantined == 1 and f"person {bob.person_uid} belongs to 'test-cluster'" in quarantined(CO_HOST)[1]
    assert meeting_mails() == before and db.session.scalars(select(Meeting)).all() == []


LEAD = "lead-a"


def arrives(make_peer, event_data, event_uid, co_hosts):
    """The lead's event `event_uid` reaches us for the first time (a page of a pull from the lead,
    which we co-host with `co_hosts`)."""
    from portal.federation.sync import apply_page

    lead = make_peer(LEAD)
    _done, outcome = apply_page(lead, {"epoch": "e", "next": 1, "has_more": False, "changes": [change(
        1, event_uid, "event", origin=LEAD, data=dict(event_data, co_hosts=["test-cluster", *co_hosts]))]})
    db.session.commit()
    assert outcome.applied == 1


def test_a_registration_from_a_non_host_that_came_before_its_event_is_checked_when_the_event_arrives(
        app, make_event, make_peer):
    """Section 5 keeps a record whose event is not here yet; when the event arrives and its writer
    is not one of its hosts, it is quarantined and removed as if it had come after the event. A
    host's record stays, and so do our own."""
    event_uid = uid()
    outcome, stranger_s = apply(STRANGER, "registration", guest_registration(event_uid))
    assert outcome.applied == 1
    outcome, co_host_s = apply(CO_HOST, "registration", guest_registration(event_uid))
    assert outcome.applied == 1
    outcome, survey = apply(STRANGER, "survey_response", {"event_uid": event_uid, "stage": "post_event",
                                                          "respondent": "ab" * 16, "answers": {"satisfaction": 5}})
    assert outcome.applied == 1
    arrives(make_peer, make_event().fed_data(), event_uid, [CO_HOST])
    assert sorted(quarantined(STRANGER)) == [
        f"registration {stranger_s}: 'peer-c' is not a host of event {event_uid} (section 5)",
        f"survey_response {survey}: 'peer-c' is not a host of event {event_uid} (section 5)"]
    assert db.session.get(Registration, stranger_s) is None and db.session.get(SurveyResponse, survey) is None
    assert db.session.get(Record, ("registration", stranger_s)) is None  # as if it had never been applied
    assert db.session.get(Registration, co_host_s).origin == CO_HOST and quarantined(CO_HOST) == []
    # Retry finds the same reason: the event is here now, and names no such host.
    from portal.federation.services import retry_quarantined

    entry = db.session.scalars(select(Quarantine).where(Quarantine.uid == stranger_s)).one()
    assert not retry_quarantined(entry) and entry.resolved_at is None
    assert entry.reason == f"registration {stranger_s}: 'peer-c' is not a host of event {event_uid} (section 5)"
    assert db.session.get(Registration, stranger_s) is None


def test_a_decision_or_a_meeting_from_a_co_host_that_came_before_the_event_is_checked_when_it_arrives(
        app, make_event, make_peer, make_replica):
    """Only the lead writes decisions and meetings: a co-host's that came before the event, whose
    lead is another, is quarantined when the event arrives; the lead's stays, and so does our own
    record, which no check of a peer's touches."""
    event_uid = uid()
    guest, request_uid = uid(), uid()
    outcome, decision = apply(CO_HOST, "registration_decision", {
        "event_uid": event_uid, "registration_uid": uid(), "status": "refused", "message": "Sorry"})
    assert outcome.applied == 1
    outcome, meeting = apply(CO_HOST, "meeting", meeting_on(event_uid, request_uid, [guest, uid()]))
    assert outcome.applied == 1
    outcome, leads = apply(LEAD, "registration_decision", {
        "event_uid": event_uid, "registration_uid": uid(), "status": "confirmed", "message": ""})
    assert outcome.applied == 1
    ours = make_replica(RegistrationDecision, "test-cluster", event_uid=event_uid, registration_uid=uid(),
                        status="confirmed").uid
    arrives(make_peer, make_event().fed_data(), event_uid, [CO_HOST])
    assert sorted(quarantined(CO_HOST)) == sorted([
        f"registration_decision {decision}: only the event's lead {LEAD!r} writes registration_decision records"
        " (section 5)",
        f"meeting {meeting}: only the event's lead {LEAD!r} writes meeting records (section 5)"])
    assert db.session.get(RegistrationDecision, decision) is None and db.session.get(Meeting, meeting) is None
    assert db.session.get(Record, ("meeting", meeting)) is None
    assert db.session.get(RegistrationDecision, leads).origin == LEAD
    assert db.session.get(RegistrationDecision, ours).origin == "test-cluster"
    assert db.session.get(Record, ("registration_decision", ours)) is not None


def stranger_replies(make_replica, event, alice, person):
    """Our request from Alice to `person`, and the reply another host (not their home) sends for them:
    their uids."""
    asked = make_replica(MeetingRequest, "test-cluster", event_uid=event.uid, from_person_uid=alice.person_uid,
                         to_person_uid=person, message="Hello", status="open").uid  # ours, to the person
    db.session.commit()
    outcome, reply = apply(STRANGER, "meeting_reply", {"event_uid": event.uid, "request_uid": asked,
                                                       "answer": "accepted", "message": ""})
    assert outcome.applied == 1
    return asked, reply


def test_what_another_portal_wrote_for_a_person_is_checked_when_their_profile_arrives(
        app, make_b2b_event, make_participant, make_replica):
    """A person's home portal alone writes their registration, their requests and their replies.
    One that came from another host while the person was not known here (no profile, no registration: the first
    registration even made its writer their home) is quarantined and removed when the profile
    arrives from elsewhere, as if it had come after it; what the home wrote stays, and our own
    records are never touched."""
    event = make_b2b_event(co_hosts=[CO_HOST, STRANGER])
    alice = make_participant(event, "Alice")
    person = uid()
    outcome, registration = apply(STRANGER, "registration", dict(guest_registration(event.uid, b2b=True),
                                                                 person_uid=person))
    assert outcome.applied == 1
    outcome, request = apply(STRANGER, "meeting_request", {
        "event_uid": event.uid, "from_person_uid": person, "to_person_uid": alice.person_uid,
        "message": "Shall we meet?", "status": "open"})
    assert outcome.applied == 1
    outcome, other = apply(STRANGER, "registration", guest_registration(event.uid))  # another of its members
    assert outcome.applied == 1
    asked, reply = stranger_replies(make_replica, event, alice, person)

    outcome = apply_changes(db.session, CO_HOST, [change(1, person, "person", origin=CO_HOST, data={
        "organisation_uid": None, "display_name": "Yann Morvan", "job_title": "", "bio": "", "topics": []})],
        epoch="e")
    db.session.commit()
    assert outcome.applied == 1
    assert sorted(quarantined(STRANGER)) == sorted([
        f"registration {registration}: person {person} belongs to {CO_HOST!r}: only their home portal writes"
        " their registration records (section 5)",
        f"meeting_request {request}: person {person} belongs to {CO_HOST!r}: only their home portal writes"
        " their meeting_request records (section 5)",
        f"meeting_reply {reply}: person {person} belongs to {CO_HOST!r}: only their home portal writes"
        " their meeting_reply records (section 5)"])
    assert db.session.get(Registration, registration) is None and db.session.get(MeetingRequest, request) is None
    assert db.session.get(MeetingReply, reply) is None and db.session.get(MeetingRequest, asked) is not None
    assert db.session.get(Record, ("registration", registration)) is None
    assert db.session.get(Registration, other).origin == STRANGER  # it names someone else
    # Now that the person is known, their home writes for them, and the other host still cannot.
    outcome, _ = apply(CO_HOST, "registration", dict(guest_registration(event.uid), person_uid=person))
    assert outcome.applied == 1
    outcome, _ = apply(STRANGER, "registration", dict(guest_registration(event.uid), person_uid=person))
    assert outcome.quarantined == 1


def test_what_another_portal_wrote_for_a_person_is_checked_when_their_registration_arrives(
        app, make_b2b_event, make_participant, make_replica):
    """A person who shares no profile has for home, at an event, the portal of their registration for
    it. A request or a reply another host wrote for them before it came is quarantined and removed
    when it arrives, as if it had come after it; what the same host wrote for them at another event
    stays (their home there is another question), and our own records are never touched."""
    event = make_b2b_event(co_hosts=[CO_HOST, STRANGER])
    other_event = make_b2b_event(co_hosts=[STRANGER])
    alice = make_participant(event, "Alice")
    person = uid()
    outcome, request = apply(STRANGER, "meeting_request", {
        "event_uid": event.uid, "from_person_uid": person, "to_person_uid": alice.person_uid,
        "message": "Shall we meet?", "status": "open"})
    assert outcome.applied == 1
    asked, reply = stranger_replies(make_replica, event, alice, person)
    outcome, elsewhere = apply(STRANGER, "meeting_request", {
        "event_uid": other_event.uid, "from_person_uid": person, "to_person_uid": alice.person_uid,
        "message": "And here?", "status": "open"})
    assert outcome.applied == 1

    outcome, registration = apply(CO_HOST, "registration", dict(guest_registration(event.uid, b2b=True),
                                                                person_uid=person))
    assert outcome.applied == 1
    assert sorted(quarantined(STRANGER)) == sorted([
        f"meeting_request {request}: person {person} belongs to {CO_HOST!r}: only their home portal writes"
        " their meeting_request records (section 5)",
        f"meeting_reply {reply}: person {person} belongs to {CO_HOST!r}: only their home portal writes"
        " their meeting_reply records (section 5)"])
    assert db.session.get(MeetingRequest, request) is None and db.session.get(MeetingReply, reply) is None
    assert db.session.get(Record, ("meeting_request", request)) is None
    assert db.session.get(MeetingRequest, asked) is not None and db.session.get(MeetingRequest, elsewhere) is not None
    assert db.session.get(Registration, registration).origin == CO_HOST
    # From now on the other host cannot write for them at this event.
    outcome, _ = apply(STRANGER, "meeting_request", {
        "event_uid": event.uid, "from_person_uid": person, "to_person_uid": alice.person_uid,
        "message": "Once more", "status": "open"})
    assert outcome.quarantined == 1
