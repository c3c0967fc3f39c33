"""Registrations: capacity never exceeded, waiting list in order, decisions, check-in."""
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from flask import current_app
from sqlalchemy import delete, func, select

from portal.events.models import Event
from portal.events.registration_models import CheckIn, Registration, RegistrationDecision
from portal.events.registrations import (CheckInRefused, cancel_registration, check_in, checked_in_uids,
                                         decide_registrations, reconsider, refuse, register, undo_check_in)
from portal.extensions import db
from portal.federation.models import Record
from portal.mail.models import OutboxMessage
from tests.dbs import ON_POSTGRES

PARIS = ZoneInfo("Europe/Paris")


def statuses(event):
    rows = db.session.execute(
        select(Registration.person_uid, RegistrationDecision.status)
        .outerjoin(RegistrationDecision, RegistrationDecision.registration_uid == Registration.uid)
        .where(Registration.event_uid == event.uid).order_by(Registration.received_at)).all()
    return [status for _, status in rows]


def test_capacity_is_never_exceeded_and_the_rest_wait_in_order(make_event, make_person):
    event = make_event(capacity=3)
    people = [make_person(display_name=f"P{i}").uid for i in range(7)]
    for uid in people:
        register(event, uid)
        db.session.commit()
    assert statuses(event) == ["confirmed"] * 3 + ["waitlisted"] * 4


def test_cancelling_promotes_the_first_on_the_waiting_list(make_event, make_person):
    event = make_event(capacity=2)
    regs = []
    for i in range(5):
        regs.append(register(event, make_person(display_name=f"P{i}").uid))
        db.session.commit()
    cancel_registration(regs[0])
    db.session.commit()
    assert regs[2].decision.status == "confirmed"
    assert [r.decision.status for r in regs[3:]] == ["waitlisted", "waitlisted"]
    assert regs[0].decision is None  # a cancelled registration loses its decision (a tombstone)
    cancel_registration(regs[1])
    db.session.commit()
    assert regs[3].decision.status == "confirmed" and regs[4].decision.status == "waitlisted"


def test_cancelling_is_confirmed_by_mail_each_time(make_event, make_user):
    event = make_event()
    member = make_user(email="member@example.org")
    for _ in range(2):  # cancel, register again, cancel again: two confirmations
        registration = register(event, member.person_uid)
        db.session.commit()
        cancel_registration(registration)
        db.session.commit()
    mails = [m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == "member@example.org"))
             if m.subject == "Your registration for Photonics meets agrifood is cancelled"]
    assert len(mails) == 2 and f"/events/{event.uid}" in mails[0].body


def _cancel_event(event, _registrations):
    from portal.events import services

    services.cancel_event(event)


#: How a confirmed place ends, and the mails that say so. The registrations come waiting list
#: first: the place freed otherwise goes to it.
ENDINGS = {"event cancelled": (_cancel_event, "event-cancelled:%"),
           "cancelled by the member": (lambda event, ended: [cancel_registration(r) for r in ended],
                                       "registration-cancelled:%"),
           "refused": (lambda event, ended: [refuse(r, "Not this time.") for r in ended], "event-decision:%:refused")}


@pytest.mark.parametrize("ending", ENDINGS)
def test_a_place_that_ends_is_marked_cancelled_in_the_calendar_it_was_added_to(make_event, make_user, ending):
    """The confirmation attached the event to add to a calendar: the event's cancellation, the
    member's own and a refusal attach it again, cancelled, under the same UID and a higher
    sequence; a waiting list's member never had it."""
    from portal.events.notify import calendar_of

    end, mails_of = ENDINGS[ending]
    event = make_event(capacity=1)
    placed, waiting = make_user(email="placed@example.org"), make_user(email="waiting@example.org")
    ended = [register(event, placed.person_uid), register(event, waiting.person_uid)]
    db.session.commit()
    confirmation = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == "placed@example.org")).one()
    end(event, list(reversed(ended)))
    db.session.commit()
    mails = {m.to: m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.like(mails_of)))}
    [entry] = icalendar.Calendar.from_ical(mails["placed@example.org"].calendar).walk("VEVENT")
    [added] = icalendar.Calendar.from_ical(confirmation.calendar).walk("VEVENT")
    assert (entry["UID"], entry["STATUS"]) == (added["UID"], "CANCELLED") and entry["SEQUENCE"] > added["SEQUENCE"]
    assert "event.ics" in mails["placed@example.org"].body
    assert mails["waiting@example.org"].calendar is None and "event.ics" not in mails["waiting@example.org"].body
    if end is not _cancel_event:
        assert "STATUS:CONFIRMED" in calendar_of(event)  # the event itself is on


def test_each_calendar_file_a_member_gets_outranks_the_one_before(make_event, make_user):
    """Cancelled, then registered again and confirmed, refused, then admitted: each file mailed
    carries a higher SEQUENCE than the one the calendar holds, which it would otherwise keep
    (the event's version alone made the new confirmation rank below the cancellation)."""
    event = make_event(capacity=5)
    user = make_user(email="anne@example.org")
    register(event, user.person_uid)
    db.session.commit()
    cancel_registration(Registration.query.filter_by(person_uid=user.person_uid).one())
    db.session.commit()
    register(event, user.person_uid)
    db.session.commit()
    registration = Registration.query.filter_by(person_uid=user.person_uid).one()
    refuse(registration, "Sorry.")
    db.session.commit()
    reconsider(registration)
    db.session.commit()
    files = db.session.scalars(select(OutboxMessage.calendar).where(OutboxMessage.calendar.is_not(None))
                               .order_by(OutboxMessage.id)).all()
    entries = [icalendar.Calendar.from_ical(text).walk("VEVENT")[0] for text in files]
    assert [str(e["STATUS"]) for e in entries] == ["CONFIRMED", "CANCELLED", "CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert len({str(e["UID"]) for e in entries}) == 1
    sequences = [int(e["SEQUENCE"]) for e in entries]
    assert sequences == sorted(set(sequences)) and sequences[0] == event.version  # the page's .ics's, at first


def test_registering_again_after_cancelling_queues_at_the_end(make_event, make_person):
    event = make_event(capacity=1)
    first, second = make_person().uid, make_person().uid
    mine = register(event, first)
    db.session.commit()
    register(event, second)
    db.session.commit()
    cancel_registration(mine)
    db.session.commit()
    again = register(event, first)
    db.session.commit()
    assert again.uid == mine.uid and again.decision.status == "waitlisted"


def test_registration_from_a_co_host_is_decided_on_arrival(make_event, make_person, make_replica):
    event = make_event(capacity=1, co_hosts=["host-b"])
    register(event, make_person().uid)
    db.session.commit()
    remote = make_replica(Registration, "host-b", event_uid=event.uid, person_uid="p-remote", role="attendee",
                          b2b=False, status="registered")
    assert remote.decision.status == "waitlisted"
    decision = db.session.scalars(select(Record).where(Record.uid == remote.decision.uid)).one()
    assert decision.event_uid == event.uid and decision.origin == "test-cluster"


def test_a_co_host_decides_nothing(make_replica, make_person):
    event = make_replica(Event, "lead-a", title="Elsewhere", starts_at=datetime(2049, 5, 1, 9, tzinfo=PARIS),
                         ends_at=datetime(2049, 5, 1, 17, tzinfo=PARIS), timezone="Europe/Paris",
                         co_hosts=["test-cluster"], capacity=10)
    mine = register(event, make_person().uid)
    db.session.commit()
    assert mine.decision is None and decide_registrations(event.uid) == []
    record = db.session.scalars(select(Record).where(Record.uid == mine.uid)).one()
    assert record.event_uid == event.uid  # published, to the hosts only


def test_refusal_frees_the_place_and_reconsidering_queues_again(make_event, make_person):
    event = make_event(capacity=1)
    first = register(event, make_person().uid)
    db.session.commit()
    second = register(event, make_person().uid)
    db.session.commit()
    refuse(first, "Not a member of a host cluster.")
    db.session.commit()
    assert (first.decision.status, first.decision.message) == ("refused", "Not a member of a host cluster.")
    assert second.decision.status == "confirmed"
    reconsider(first)
    db.session.commit()
    assert first.decision.status == "waitlisted"


def test_check_in_of_our_member_is_published_and_undone(make_event, make_person):
    event = make_event()
    registration = register(event, make_person().uid)
    db.session.commit()
    check_in(registration, user_id=1)
    db.session.commit()
    assert registration.checked_in is True and checked_in_uids(event.uid) == {registration.uid}
    record = db.session.scalars(select(Record).where(Record.uid == registration.uid)).one()
    assert record.data["checked_in"] is True
    undo_check_in(registration)
    db.session.commit()
    assert registration.checked_in is False and checked_in_uids(event.uid) == set()


def test_only_a_confirmed_registration_is_checked_in(make_event, make_person):
    event = make_event(capacity=1)
    first = register(event, make_person().uid)
    db.session.commit()
    second = register(event, make_person().uid)
    db.session.commit()
    assert second.decision.status == "waitlisted"
    with pytest.raises(CheckInRefused):
        check_in(second)
    refuse(first)
    db.session.commit()
    with pytest.raises(CheckInRefused):
        check_in(first)
    cancel_registration(second)  # confirmed once the first was refused, then cancelled
    db.session.commit()
    with pytest.raises(CheckInRefused):
        check_in(second)
    assert checked_in_uids(event.uid) == set() and not first.checked_in


def test_check_in_of_a_co_hosts_member_stays_local(make_event, make_replica):
    event = make_event(co_hosts=["host-b"])
    remote = make_replica(Registration, "host-b", event_uid=event.uid, person_uid="p-remote", role="attendee",
                          b2b=False, status="registered")
    check_in(remote)
    check_in(remote)  # a second tap changes nothing
    db.session.commit()
    assert remote.checked_in is False and remote.version == 1
    assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 1
    assert checked_in_uids(event.uid) == {remote.uid}
    undo_check_in(remote)
    db.session.commit()
    assert checked_in_uids(event.uid) == set()


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent writers need PostgreSQL (SQLite serialises them)")
def test_concurrent_registrations_never_exceed_capacity(app, make_event, make_person):
    event = make_event(capacity=5)
    people = [make_person(display_name=f"P{i}").uid for i in range(24)]
    event_uid = event.uid
    db.session.remove()
    barrier = threading.Barrier(8)
    errors = []

    def worker(chunk):
        with app.app_context():
            try:
                barrier.wait()
                for person_uid in chunk:
                    register(db.session.get(Event, event_uid), person_uid)
                    db.session.commit()
            except Exception as error:  # reported below: a thread's failure must fail the test
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(people[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    decided = db.session.scalars(select(RegistrationDecision.status)).all()
    assert len(decided) == 24 and decided.count("confirmed") == 5 and decided.count("waitlisted") == 19


def test_the_member_is_mailed_each_decision(make_event, make_user):
    from portal.mail.models import OutboxMessage

    event = make_event(capacity=1)
    first, second = make_user(email="first@example.org"), make_user(email="second@example.org")
    mine = register(event, first.person_uid)
    db.session.commit()
    register(event, second.person_uid)
    db.session.commit()
    cancel_registration(mine)
    db.session.commit()
    mails = [(m.to, m.subject) for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert mails == [("first@example.org", "Your place at Photonics meets agrifood is confirmed"),
                     ("second@example.org", "You are on the waiting list for Photonics meets agrifood"),
                     ("first@example.org", "Your registration for Photonics meets agrifood is cancelled"),
                     ("second@example.org", "Your place at Photonics meets agrifood is confirmed")]


def test_a_decision_arriving_from_the_lead_is_mailed_at_home(make_replica, make_user):
    from portal.mail.models import OutboxMessage

    event = make_replica(Event, "lead-a", title="Elsewhere", starts_at=datetime(2049, 5, 1, 9, tzinfo=PARIS),
                         ends_at=datetime(2049, 5, 1, 17, tzinfo=PARIS), timezone="Europe/Paris",
                         co_hosts=["test-cluster"], capacity=10)
    user = make_user(email="home@example.org")
    mine = register(event, user.person_uid)
    db.session.commit()
    make_replica(RegistrationDecision, "lead-a", event_uid=event.uid, registration_uid=mine.uid, status="confirmed",
                 message="Welcome!")
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert (mail.to, mail.subject) == ("home@example.org", "Your place at Elsewhere is confirmed")
    assert "Welcome!" in mail.body and f"/events/{event.uid}" in mail.body
    assert f"UID:{event.uid}@lead-a" in mail.calendar  # the lead's uid, as every host's .ics has it


def test_a_confirmed_place_is_mailed_with_the_event_as_a_calendar_file(client, make_event, make_user):
    from portal.mail.transport import build_message

    event = make_event(capacity=1)
    first, second = make_user(email="first@example.org"), make_user(email="second@example.org")
    register(event, first.person_uid)
    db.session.commit()
    waiting = register(event, second.person_uid)
    db.session.commit()
    refuse(waiting, "Not this time.")
    db.session.commit()
    mails = {(m.to, m.subject.split()[0]): m for m in db.session.scalars(select(OutboxMessage))}
    confirmed = mails["first@example.org", "Your"]
    assert mails["second@example.org", "You"].calendar is None  # waitlisted
    assert mails["second@example.org", "Your"].calendar is None  # refused
    assert "The event is attached (event.ics), to add to your calendar." in confirmed.body
    email = build_message(confirmed, "noreply@passerelle.example")
    assert email.is_multipart() and email.get_body(("plain",)).get_content().strip() == confirmed.body.strip()
    [attachment] = email.iter_attachments()
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == "event.ics"
    assert attachment.get_param("method") == "PUBLISH"
    sent = icalendar.Calendar.from_ical(attachment.get_content())
    [vevent] = sent.walk("VEVENT")
    assert str(sent["method"]) == "PUBLISH" and vevent.decoded("dtstart") == event.starts_at
    # iTIP's PUBLISH requires an ORGANIZER (RFC 5546, 3.2.1): the portal that mails it.
    assert str(vevent["organizer"]) == f"mailto:{current_app.config['MAIL_FROM']}"
    assert vevent["organizer"].params["CN"] == "Test Cluster"
    # The page's .ics has the same entry: a calendar that has one updates it with the other.
    page = icalendar.Calendar.from_ical(client.get(f"/events/{event.uid}.ics").data)
    assert str(vevent["uid"]) == str(page.walk("VEVENT")[0]["uid"]) == f"{event.uid}@test-cluster"


def test_the_calendar_file_reaches_the_member_through_smtp(make_event, make_user, smtp_server):
    from portal.mail.services import deliver_due

    event = make_event()
    register(event, make_user(email="anne@example.org").person_uid)
    db.session.commit()
    assert deliver_due()["sent"] == 1
    [message] = smtp_server.messages
    [attachment] = message.iter_attachments()
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == "event.ics"
    assert attachment.get_payload(decode=True).startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")  # RFC 5545's CRLF
    [vevent] = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert str(vevent["uid"]) == f"{event.uid}@test-cluster" and vevent.decoded("dtstart") == event.starts_at


def test_the_decision_mail_speaks_the_members_language(app, make_event, make_user):
    from portal.mail.models import OutboxMessage

    event = make_event()
    member = make_user(email="fr@example.org")
    member.language = "fr"
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):  # an organiser confirms in English
        register(event, member.person_uid)
    db.session.commit()
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.subject == "Votre place à «\u00a0Photonics meets agrifood\u00a0» est confirmée"  # quoted: "à Les …" would not read


def test_a_french_mail_names_the_portal_that_registered_the_member_without_a_broken_elision(app, make_event,
                                                                                            make_user):
    """"les organisateurs de Agrifood Ouest": French elides "de" before a vowel, which a portal's
    name may open on; the sentence names the portal's team, as the approval mail does."""
    app.config["CLUSTER_NAME"] = "Agrifood Ouest"
    event = make_event()
    member = make_user(email="fr@example.org")
    member.language = "fr"
    db.session.commit()
    register(event, member.person_uid, by_organiser=True)
    db.session.commit()
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert "Votre inscription a été faite par l'équipe du portail Agrifood Ouest." in mail.body


def test_a_cancelled_event_is_mailed_to_our_registered_members_once(make_event, make_user, make_person):
    from portal.events import services
    from portal.mail.models import OutboxMessage

    event = make_event(capacity=10)
    staying, leaving = make_user(email="staying@example.org"), make_user(email="leaving@example.org")
    register(event, staying.person_uid)
    cancel_registration(register(event, leaving.person_uid))
    register(event, make_person(display_name="No account here").uid)
    db.session.commit()
    before = db.session.scalar(select(func.count(OutboxMessage.id)))
    services.cancel_event(event)
    services.cancel_event(event)  # a second save of the cancelled event mails nobody again
    db.session.commit()
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id).offset(before)).all()
    assert [(m.to, m.subject) for m in mails] == [("staying@example.org", "Cancelled: Photonics meets agrifood")]
    assert "cancelled Photonics meets agrifood" in mails[0].body and f"/events/{event.uid}" in mails[0].body


def test_a_cancellation_from_sync_is_written_in_the_members_language_dates_included(make_replica, make_user):
    from portal.mail.models import OutboxMessage

    event = make_replica(Event, "lead-a", title="Elsewhere", starts_at=datetime(2049, 5, 1, 9, tzinfo=PARIS),
                         ends_at=datetime(2049, 5, 1, 17, tzinfo=PARIS), timezone="Europe/Paris",
                         co_hosts=["test-cluster"], capacity=10)
    user = make_user(email="home@example.org")
    user.language = "fr"
    register(event, user.person_uid)
    db.session.commit()
    event.status, event.version = "cancelled", 2  # applied by the sync worker: no request, no browser
    event.fed_after_apply(db.session)
    db.session.commit()
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.subject == "Annulé\u00a0: Elsewhere" and "samedi 1er mai 2049, 09:00–17:00" in mail.body


def test_a_cancellation_arriving_from_the_lead_is_mailed_at_home(make_replica, make_user, make_person):
    from portal.mail.models import OutboxMessage
    from portal.meetings.models import Meeting

    fields = dict(title="Elsewhere", starts_at=datetime(2049, 5, 1, 9, tzinfo=PARIS),
                  ends_at=datetime(2049, 5, 1, 17, tzinfo=PARIS), timezone="Europe/Paris",
                  co_hosts=["test-cluster"], capacity=10)
    event = make_replica(Event, "lead-a", **fields)
    user = make_user(email="home@example.org")
    register(event, user.person_uid)
    db.session.commit()
    assert db.session.scalars(select(OutboxMessage)).all() == []
    other = make_person(display_name="Zoé Martin")
    meeting = make_replica(Meeting, "lead-a", event_uid=event.uid, request_uid="r-1",
                           person_uids=[user.person_uid, other.uid], table="7",
                           starts_at=datetime(2049, 5, 1, 14, tzinfo=PARIS),
                           ends_at=datetime(2049, 5, 1, 14, 20, tzinfo=PARIS), status="scheduled")
    db.session.execute(delete(OutboxMessage))  # the "meeting scheduled" mail
    event.status, event.version = "cancelled", 2  # the lead's cancellation, as sync applies it
    event.fed_after_apply(db.session)
    meeting.status, meeting.version = "cancelled", 2  # then the lead's cancelled meeting, later in its feed
    meeting.fed_after_apply(db.session)
    db.session.commit()
    mail = db.session.scalars(select(OutboxMessage)).one()  # one mail naming the meeting, none for it alone
    assert (mail.to, mail.subject) == ("home@example.org", "Cancelled: Elsewhere")
    assert "- 1 May 2049, 14:00 CEST with Zoé Martin, table 7" in mail.body  # dated: an event may last days


def test_raising_the_capacity_confirms_the_waiting_list_in_order_and_tells_them(make_event, make_user):
    from portal.events import services
    from portal.mail.models import OutboxMessage

    event = make_event(capacity=1)
    users = [make_user(email=f"{name}@example.org") for name in ("anne", "bruno", "chloe")]
    for user in users:
        register(event, user.person_uid)
        db.session.commit()
    assert statuses(event) == ["confirmed", "waitlisted", "waitlisted"]
    db.session.execute(delete(OutboxMessage))
    services.update_event(event, {"capacity": 2})
    db.session.commit()
    assert statuses(event) == ["confirmed", "confirmed", "waitlisted"]  # Bruno arrived first
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert [(m.to, m.subject) for m in mails] == [("bruno@example.org",
                                                   "Your place at Photonics meets agrifood is confirmed")]
    services.update_event(event, {"capacity": 5})
    db.session.commit()
    assert statuses(event) == ["confirmed"] * 3


def test_a_refused_registrant_is_not_told_of_the_cancellation(make_event, make_user):
    from portal.events import services
    from portal.mail.models import OutboxMessage

    event = make_event(capacity=1)
    confirmed_user, waiting, refused = (make_user(email=f"{name}@example.org")
                                        for name in ("confirmed", "waiting", "refused"))
    for user in (confirmed_user, waiting, refused):
        register(event, user.person_uid)
        db.session.commit()
    refuse(db.session.scalars(select(Registration).where(Registration.person_uid == refused.person_uid)).one())
    db.session.execute(delete(OutboxMessage))
    services.cancel_event(event)
    db.session.commit()
    assert sorted(m.to for m in db.session.scalars(select(OutboxMessage))) == [
        "confirmed@example.org", "waiting@example.org"]


def test_mails_about_an_event_without_a_venue_leave_no_empty_place_line(make_event, make_user):
    from portal.events import services
    from portal.mail.models import OutboxMessage

    event = make_event(capacity=10, venue_name="", venue_address="", venue_city="", venue_country=None)
    register(event, make_user(email="member@example.org").person_uid)
    db.session.commit()
    services.cancel_event(event)
    db.session.commit()
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.subject for m in mails][-1] == "Cancelled: Photonics meets agrifood"
    for mail in mails:
        assert "\n\n\n" not in mail.body, mail.body
