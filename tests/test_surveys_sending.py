"""Survey mail against a real SMTP server: who gets what and when, reminders, opt-out, restarts."""
import sqlalchemy as sa
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.events.registrations import cancel_registration, check_in, refuse
from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.mail.services import deliver_due
from portal.surveys import sending, services
from portal.surveys.models import SurveyInvite
from portal.surveys.schedule import add_months, due_at

ENDED = datetime(2049, 3, 18, 16, tzinfo=timezone.utc)  # make_event's default ends 17:00 Paris


class Crash(BaseException):
    """The cron job dying mid-batch (not an error anything catches)."""


@pytest.fixture
def event(make_b2b_event):
    return make_b2b_event(capacity=3)


@pytest.fixture
def people(event, make_participant):
    """Anne, Bruno and Chloé confirmed; Denis waitlisted (capacity 3)."""
    return {name: make_participant(event, name, email=f"{name.lower()}@example.org")
            for name in ("Anne", "Bruno", "Chloé", "Denis")}


def recipients(smtp_server):
    return sorted(m["To"] for m in smtp_server.messages)


def run(now):
    counts = sending.run_due(now)
    deliver_due(now=now)
    return counts


def test_stages_fall_when_the_event_ends_and_six_calendar_months_later(event):
    assert due_at(event.ends_at, "post_event") == ENDED
    # 17:00 in Paris both times: CET (UTC+1) in March, CEST (UTC+2) in September.
    assert event.timezone == "Europe/Paris"
    assert due_at(event.ends_at, "six_months", event.zone) == datetime(2049, 9, 18, 15, tzinfo=timezone.utc)
    assert due_at(event.ends_at, "six_months") == datetime(2049, 9, 18, 16, tzinfo=timezone.utc)  # on UTC's clock
    assert add_months(datetime(2047, 8, 31), 6) == datetime(2048, 2, 29)  # 2048 is a leap year


def test_nothing_before_the_end_then_confirmed_participants_once(event, people, smtp_server):
    assert run(ENDED - timedelta(minutes=1)) == {"invitation": 0, "reminder": 0}
    assert run(ENDED) == {"invitation": 3, "reminder": 0}
    assert recipients(smtp_server) == ["anne@example.org", "bruno@example.org", "chloé@example.org"]
    assert run(ENDED + timedelta(days=1)) == {"invitation": 0, "reminder": 0}
    assert len(smtp_server.messages) == 3
    message = smtp_server.messages[0]
    body = message.get_body(("plain",)).get_content()
    assert message["Subject"] == "Two minutes about Photonics meets agrifood?"
    assert f"/surveys/{event.uid}/post_event/" in body and "/surveys/opt-out/" in body
    assert "Hello Anne" in body


def test_the_organisers_are_not_asked(make_b2b_event, make_participant, smtp_server):
    """The survey measures what the day brought its participants; the organisers' answers would count in it."""
    event = make_b2b_event()
    make_participant(event, "Anne", email="anne@example.org")
    make_participant(event, "Olivia", email="olivia@example.org", role="organiser")
    run(ENDED)
    assert recipients(smtp_server) == ["anne@example.org"]


def test_cancelled_or_refused_registrations_get_nothing(event, people, smtp_server):
    cancel_registration(sending.queries.participants(event.uid)[0].registration)  # Anne
    db.session.commit()  # Denis takes her place
    refuse(next(p.registration for p in sending.queries.participants(event.uid) if p.person.display_name == "Bruno"))
    db.session.commit()  # nobody is left on the waiting list for his place
    # Denis's and Bruno's decision mails and Anne's cancellation are not surveys.
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.dedupe_key.like("event-decision:%")
                                                      | OutboxMessage.dedupe_key.like("registration-cancelled:%")))
    run(ENDED)
    assert recipients(smtp_server) == ["chloé@example.org", "denis@example.org"]


def registration_of(event, user):
    from portal.events.registration_models import Registration

    return db.session.scalars(select(Registration).where(
        Registration.event_uid == event.uid, Registration.person_uid == user.person_uid)).one()


def test_when_the_door_checked_people_in_only_those_who_came_are_asked(event, people, smtp_server):
    for name in ("Anne", "Chloé"):
        check_in(registration_of(event, people[name]))
    db.session.commit()
    run(ENDED)
    assert recipients(smtp_server) == ["anne@example.org", "chloé@example.org"]  # not Bruno, who stayed away
    smtp_server.messages.clear()
    assert run(due_at(ENDED, "six_months", event.zone))["invitation"] == 2
    assert recipients(smtp_server) == ["anne@example.org", "chloé@example.org"]


def test_another_clusters_check_ins_do_not_mean_our_door_was_used(event, people, make_replica, make_person,
                                                                 smtp_server):
    from portal.events.registration_models import Registration, RegistrationDecision

    remote = make_person(display_name="Remote")
    registration = make_replica(Registration, "peer-b", event_uid=event.uid, person_uid=remote.uid,
                                status="registered", checked_in=True)
    db.session.add(RegistrationDecision(event_uid=event.uid, registration_uid=registration.uid, status="confirmed"))
    db.session.commit()
    assert run(ENDED)["invitation"] == 3  # ours: nobody checked in, so all the confirmed


def test_six_month_stage(event, people, smtp_server):
    later = due_at(ENDED, "six_months", event.zone)  # 17:00 in Paris, an hour earlier in UTC
    assert run(later - timedelta(seconds=1)) == {"invitation": 0, "reminder": 0}  # post-event window closed
    assert run(later)["invitation"] == 3
    assert all("Six months after" in m["Subject"] for m in smtp_server.messages)
    keys = set(db.session.scalars(select(OutboxMessage.dedupe_key)))
    registration = sending.queries.participants(event.uid)[0].registration
    assert f"survey:{event.uid}:six_months:{registration.uid}" in keys


def test_no_invitation_after_the_send_window(app, event, people, smtp_server):
    window = app.config["SURVEY_SEND_WINDOW_DAYS"]
    assert run(ENDED + timedelta(days=window)) == {"invitation": 0, "reminder": 0}
    assert smtp_server.messages == []


def test_one_reminder_after_seven_days_only_to_those_who_did_not_answer(event, people, smtp_server):
    run(ENDED)
    anne = people["Anne"]
    invite = db.session.scalars(select(SurveyInvite).where(SurveyInvite.person_uid == anne.person_uid)).one()
    services.record_response(invite, {"satisfaction": 5, "come_again": True})
    db.session.commit()
    smtp_server.messages.clear()
    assert run(ENDED + timedelta(days=6, hours=23)) == {"invitation": 0, "reminder": 0}
    assert run(ENDED + timedelta(days=7)) == {"invitation": 0, "reminder": 2}
    assert recipients(smtp_server) == ["bruno@example.org", "chloé@example.org"]
    assert all(m["Subject"].startswith("Reminder: ") for m in smtp_server.messages)
    # The organisers' text opens it, greeting and all; the reminder's word comes after it.
    body = smtp_server.messages[0].get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("Hello Bruno,\n\nThank you for taking part")
    assert body.index("it helps us make the next one better.") < body.index("A week ago we asked") < body.index(
        "Your personal link")
    assert run(ENDED + timedelta(days=8)) == {"invitation": 0, "reminder": 0}
    assert len(smtp_server.messages) == 2


def test_opt_out_is_honoured_for_invitations_and_reminders(event, people, smtp_server):
    services.opt_out(people["Bruno"].person_uid)
    db.session.commit()
    run(ENDED)
    assert "bruno@example.org" not in recipients(smtp_server)
    services.opt_out(people["Chloé"].person_uid)
    db.session.commit()
    smtp_server.messages.clear()
    run(ENDED + timedelta(days=7))
    assert recipients(smtp_server) == ["anne@example.org"]


def test_custom_texts_fill_name_and_event(event, people, smtp_server):
    services.save_texts(event.uid, "post_event", "How was {event}, {name}?", "Dear {name}, {event} {unknown}")
    db.session.commit()
    run(ENDED)
    anne = next(m for m in smtp_server.messages if m["To"] == "anne@example.org")
    assert anne["Subject"] == "How was Photonics meets agrifood, Anne?"
    assert "Dear Anne, Photonics meets agrifood {unknown}" in anne.get_body(("plain",)).get_content()


def test_a_restart_in_the_middle_of_a_batch_sends_nobody_twice(event, people, smtp_server, monkeypatch):
    real_send, calls = sending.send, []

    def dying_send(mailing, now):
        calls.append(mailing)
        if len(calls) == 2:
            raise Crash()
        return real_send(mailing, now)

    monkeypatch.setattr(sending, "send", dying_send)
    with pytest.raises(Crash):
        sending.run_due(ENDED)
    db.session.rollback()
    monkeypatch.setattr(sending, "send", real_send)
    assert sending.run_due(ENDED)["invitation"] == 2  # the one committed before the crash is not redone
    # Even if an invitation row were lost, the outbox's dedupe key would stop a second message.
    db.session.execute(SurveyInvite.__table__.delete())
    db.session.commit()
    assert sending.run_due(ENDED)["invitation"] == 3
    deliver_due(now=ENDED)
    assert recipients(smtp_server) == ["anne@example.org", "bruno@example.org", "chloé@example.org"]


def test_dry_run_lists_and_sends_nothing(event, people, runner, smtp_server):
    result = runner.invoke(args=["surveys", "send-due", "--dry-run", "--now", ENDED.isoformat()])
    assert result.exit_code == 0, result.output
    assert "3 message(s) would be queued" in result.output
    assert "invitation\tpost_event" in result.output and "anne@example.org" in result.output
    assert db.session.scalars(select(OutboxMessage)).all() == []
    assert db.session.scalars(select(SurveyInvite)).all() == []
    result = runner.invoke(args=["surveys", "send-due", "--now", ENDED.isoformat()])
    assert result.exit_code == 0, result.output
    assert "3 invitation(s) and 0 reminder(s) queued." in result.output and "outbox: 3 sent" in result.output
    assert len(smtp_server.messages) == 3


def test_replica_registrations_are_their_home_portals_job(event, people, make_replica, make_person, smtp_server):
    from portal.events.registration_models import Registration, RegistrationDecision

    remote = make_person(display_name="Remote")
    registration = make_replica(Registration, "peer-b", event_uid=event.uid, person_uid=remote.uid, status="registered")
    db.session.add(RegistrationDecision(event_uid=event.uid, registration_uid=registration.uid, status="confirmed"))
    db.session.commit()
    assert run(ENDED)["invitation"] == 3


def test_cancelled_event_sends_nothing(event, people, smtp_server):
    from portal.events.services import cancel_event

    cancel_event(event)
    db.session.commit()
    assert run(ENDED) == {"invitation": 0, "reminder": 0}


def test_each_participant_is_invited_in_their_own_language(app, event, people, smtp_server):
    people["Bruno"].language = "fr"
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "fr"}):  # whatever language runs the batch
        run(ENDED)
    subjects = {m["To"]: m["Subject"] for m in smtp_server.messages}
    assert subjects["bruno@example.org"] == "Deux minutes pour Photonics meets agrifood\u00a0?"
    assert subjects["anne@example.org"] == "Two minutes about Photonics meets agrifood?"


def test_send_due_delivers_what_it_queued_even_with_background_delivery_on(app, event, people, runner, smtp_server):
    app.config["MAIL_BACKGROUND"] = True  # as in production: a thread would claim the messages and die with the command
    result = runner.invoke(args=["surveys", "send-due", "--now", ENDED.isoformat()])
    assert result.exit_code == 0, result.output
    assert "outbox: 3 sent" in result.output and len(smtp_server.messages) == 3
    assert {m.status for m in db.session.scalars(select(OutboxMessage))} == {"sent"}
