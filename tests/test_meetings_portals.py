"""Meetings across two real portals: B's member asks A's, A's member accepts on A, the lead schedules."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from icalendar import Calendar
from sqlalchemy import select

from tests.portals import peer, sync

pytestmark = pytest.mark.slow

PARIS = ZoneInfo("Europe/Paris")


def member(portal, name, email):
    """An active member of `portal` who shares their profile; returns the person uid."""
    from portal.accounts.models import User
    from portal.directory.models import Organisation, Person

    with portal.context() as session:
        org = Organisation(name=f"{name}'s organisation", kind="other", country="FR")
        session.add(org)
        session.flush()
        person = Person(display_name=name, organisation_uid=org.uid, share_profile=True)
        session.add(person)
        session.flush()
        session.add(User(email=email, person_uid=person.uid, status="active", password_hash="!"))
        session.commit()
        return person.uid


def lead_event(portal, co_host):
    from portal.events import services

    with portal.context() as session:
        event = services.create_event({
            "title": "Sensing in the field", "starts_at": datetime(2049, 3, 18, 9, tzinfo=PARIS),
            "ends_at": datetime(2049, 3, 18, 17, tzinfo=PARIS), "timezone": "Europe/Paris",
            "co_hosts": [co_host], "capacity": 20, "b2b_enabled": True,
            "b2b_starts_at": datetime(2049, 3, 18, 14, tzinfo=PARIS),
            "b2b_ends_at": datetime(2049, 3, 18, 15, tzinfo=PARIS), "b2b_slot_minutes": 20, "b2b_tables": 2})
        session.commit()
        return event.uid


def register(portal, event_uid, person_uid):
    from portal.events.models import Event
    from portal.events.registrations import register as do_register

    with portal.context() as session:
        do_register(session.get(Event, event_uid), person_uid, b2b=True)
        session.commit()


def ics(portal, person_uid):
    """The person's calendar feed, fetched over HTTP from the portal's server as a calendar app would."""
    from portal.meetings.queries import calendar_token

    with portal.context():
        token = calendar_token(person_uid)
    response = requests.get(f"{portal.url}/b2b/calendar/{person_uid}/{token}.ics", timeout=10)
    assert response.status_code == 200
    return Calendar.from_ical(response.content).walk("VEVENT")


def subjects(portal, email):
    """The meeting mails queued for `email` (registration decisions are another feature's)."""
    from portal.mail.models import OutboxMessage

    with portal.context() as session:
        return session.scalars(select(OutboxMessage.subject).where(
            OutboxMessage.to == email, OutboxMessage.dedupe_key.not_like("event-decision:%"))
            .order_by(OutboxMessage.id)).all()


def test_request_accept_schedule_and_cancel_across_portals(portals):
    from portal.events.models import Event
    from portal.meetings import scheduling, services
    from portal.meetings.models import MeetingRequest

    a, b = portals("photonics", "agrifood", config={"SCHEDULER_BACKGROUND": False, "SCHEDULER_TIME_LIMIT": 5,
                                                    "MAIL_BACKGROUND": False})
    peer(a, b)
    anne = member(a, "Anne", "anne@photonics.example")
    bruno = member(b, "Bruno", "bruno@agrifood.example")
    event_uid = lead_event(a, "agrifood")
    register(a, event_uid, anne)
    sync(b)
    register(b, event_uid, bruno)
    sync(a), sync(b)  # A decides Bruno's registration; B learns the decision and Anne

    with b.context() as session:  # B's member asks, on B
        request_uid = services.request_meeting(session.get(Event, event_uid), bruno, anne, "Soil sensing?").uid
        session.commit()
    sync(a)
    assert subjects(a, "anne@photonics.example") == ["Meeting request from Bruno – Sensing in the field"]
    with a.context() as session:  # A's member accepts, on A
        request = session.get(MeetingRequest, request_uid)
        assert request.origin == "agrifood"
        services.reply_to_request(request, anne, "accepted", "With pleasure")
        session.commit()
    sync(b)
    assert subjects(b, "bruno@agrifood.example") == ["Anne accepted your meeting request – Sensing in the field"]
    with b.context() as session:  # B cannot schedule an event A leads
        with pytest.raises(services.MeetingError):
            scheduling.start_run(session.get(Event, event_uid))
    with a.context() as session:  # the lead schedules
        run = scheduling.start_run(session.get(Event, event_uid))
        assert run.status == "done", run.error
        scheduling.publish_run(run)
        session.commit()
    sync(b)

    mine, theirs = ics(a, anne), ics(b, bruno)
    assert len(mine) == len(theirs) == 1
    assert str(mine[0]["UID"]) == str(theirs[0]["UID"]) and str(mine[0]["UID"]).endswith("@photonics")
    assert str(theirs[0]["STATUS"]) == "CONFIRMED" and "Anne" in str(theirs[0]["SUMMARY"])
    assert theirs[0].decoded("DTSTART") >= datetime(2049, 3, 18, 14, tzinfo=PARIS)
    assert any(s.startswith("Meeting with Anne") for s in subjects(b, "bruno@agrifood.example"))
    assert any(s.startswith("Meeting with Bruno") for s in subjects(a, "anne@photonics.example"))

    with a.context() as session:  # a cancellation reaches both
        meeting = services.meeting_for_request(request_uid)
        services.cancel_meeting(meeting)
        session.commit()
    sync(b)
    cancelled = ics(b, bruno)[0]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 2
    assert str(ics(a, anne)[0]["STATUS"]) == "CANCELLED"
    assert subjects(b, "bruno@agrifood.example")[-1] == "Meeting with Anne cancelled – Sensing in the field"
    assert subjects(a, "anne@photonics.example")[-1] == "Meeting with Bruno cancelled – Sensing in the field"


def test_a_participant_who_cancels_gets_one_mail_naming_the_meetings_it_cancels(portals):
    """Bruno (B) leaves after the schedule is out: B confirms, naming his meeting with Anne, and
    spares him its separate cancellation; Anne (A) is told hers is cancelled."""
    from portal.events.models import Event
    from portal.events.registrations import cancel_registration, my_registration
    from portal.mail.models import OutboxMessage
    from portal.meetings import scheduling, services
    from portal.meetings.models import MeetingRequest

    a, b = portals("photonics", "agrifood", config={"SCHEDULER_BACKGROUND": False, "SCHEDULER_TIME_LIMIT": 5,
                                                    "MAIL_BACKGROUND": False})
    peer(a, b)
    anne, bruno = member(a, "Anne", "anne@photonics.example"), member(b, "Bruno", "bruno@agrifood.example")
    event_uid = lead_event(a, "agrifood")
    register(a, event_uid, anne)
    sync(b)
    register(b, event_uid, bruno)
    sync(a), sync(b)
    with a.context() as session:
        request = services.request_meeting(session.get(Event, event_uid), anne, bruno)
        session.commit()
        request_uid = request.uid
    sync(b)
    with b.context() as session:
        services.reply_to_request(session.get(MeetingRequest, request_uid), bruno, "accepted")
        session.commit()
    sync(a)
    with a.context() as session:
        scheduling.publish_run(scheduling.start_run(session.get(Event, event_uid)))
        session.commit()
    sync(b)
    with b.context() as session:
        cancel_registration(my_registration(event_uid, bruno))
        session.commit()
    sync(a), sync(b)  # A cancels the meeting; B receives it

    with b.context() as session:
        assert services.meeting_for_request(request_uid).status == "cancelled"
    mails = subjects(b, "bruno@agrifood.example")
    assert mails[-1] == "Your registration for Sensing in the field is cancelled"
    assert "Meeting with Anne cancelled – Sensing in the field" not in mails
    with b.context() as session:
        body = session.scalars(select(OutboxMessage.body).where(OutboxMessage.to == "bruno@agrifood.example")
                               .order_by(OutboxMessage.id.desc())).first()
    assert "cancelled with it" in body and "with Anne, table" in body
    assert subjects(a, "anne@photonics.example")[-1] == "Meeting with Bruno cancelled – Sensing in the field"


def test_a_requester_who_cancels_closes_her_requests_on_every_portal(portals):
    """The QA case: Zoé (B) asked Anne (A), then cancelled; Anne must not be able to accept."""
    from portal.events.models import Event
    from portal.events.registrations import cancel_registration, my_registration
    from portal.meetings import queries, services
    from portal.meetings.models import MeetingRequest

    a, b = portals("photonics", "agrifood", config={"MAIL_BACKGROUND": False})
    peer(a, b)
    anne = member(a, "Anne", "anne@photonics.example")
    zoe, yann = member(b, "Zoé", "zoe@agrifood.example"), member(b, "Yann", "yann@agrifood.example")
    event_uid = lead_event(a, "agrifood")
    register(a, event_uid, anne)
    sync(b)
    register(b, event_uid, zoe), register(b, event_uid, yann)
    sync(a), sync(b)
    with b.context() as session:
        event = session.get(Event, event_uid)
        asked = services.request_meeting(event, zoe, anne, "Hake freshness?").uid
        to_zoe = services.request_meeting(event, yann, zoe, "Shall we?").uid
        session.commit()
    sync(a)
    with b.context() as session:
        cancel_registration(my_registration(event_uid, zoe))
        session.commit()
    sync(a)
    with a.context() as session:
        request = session.get(MeetingRequest, asked)
        assert request.status == "withdrawn" and request.version == 2
        assert session.get(MeetingRequest, to_zoe).reply.answer == "declined"
        with pytest.raises(services.MeetingError):
            services.reply_to_request(request, anne, "accepted")
        assert queries.counters(event_uid, anne)["pending"] == 0
    gone = "Zoé no longer takes part in the B2B meetings – Sensing in the field"
    assert subjects(a, "anne@photonics.example")[-1] == gone and subjects(b, "yann@agrifood.example")[-1] == gone


def test_a_request_reopened_by_someone_coming_back_is_told_on_the_other_sides_portal(portals):
    """Zoé (B) cancels, then registers again with the B2B meetings: Anne (A) hears of each request."""
    from portal.events.models import Event
    from portal.events.registrations import cancel_registration, my_registration
    from portal.meetings import services
    from portal.meetings.models import MeetingRequest
    from portal.mail.models import OutboxMessage

    a, b = portals("photonics", "agrifood", config={"MAIL_BACKGROUND": False})
    peer(a, b)
    anne, zoe = member(a, "Anne", "anne@photonics.example"), member(b, "Zoé", "zoe@agrifood.example")
    event_uid = lead_event(a, "agrifood")
    register(a, event_uid, anne)
    sync(b)
    register(b, event_uid, zoe)
    sync(a), sync(b)
    with b.context() as session:
        asked = services.request_meeting(session.get(Event, event_uid), zoe, anne).uid
        session.commit()
    with a.context() as session:
        to_zoe = services.request_meeting(session.get(Event, event_uid), anne, zoe).uid
        session.commit()
    sync(a), sync(b)
    with b.context() as session:
        cancel_registration(my_registration(event_uid, zoe))
        session.commit()
    sync(a)
    register(b, event_uid, zoe)
    sync(a)

    with a.context() as session:
        assert session.get(MeetingRequest, asked).state == "pending"
        assert session.get(MeetingRequest, to_zoe).state == "pending"
        assert session.get(MeetingRequest, to_zoe).reopened_by == zoe
        mails = session.scalars(select(OutboxMessage).where(OutboxMessage.to == "anne@photonics.example",
                                                            OutboxMessage.dedupe_key.like("%:reopened:%"))).all()
    bodies = sorted(m.body for m in mails)
    assert [m.subject for m in mails] == ["Zoé is back in the B2B meetings – Sensing in the field"] * 2
    assert "open again. It waits for an answer from Zoé." in bodies[0]  # Anne's request to Zoé
    assert "open again. It waits for your answer." in bodies[1]  # Zoé's request to Anne
    sync(a)  # applied again, told once
    assert subjects(a, "anne@photonics.example").count("Zoé is back in the B2B meetings – Sensing in the field") == 2
