"""The reminder mailed to our confirmed members a few days before an event: who, once, what it says."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.events import reminders
from portal.events.registration_models import Registration
from portal.events.registrations import cancel_registration, refuse, register
from portal.events.services import cancel_event
from portal.extensions import db
from portal.mail.models import OutboxMessage

STARTS = datetime(2049, 3, 18, 8, tzinfo=timezone.utc)  # make_event's default: 09:00 in Paris
WINDOW_OPENS = STARTS - timedelta(days=2)  # EVENT_REMINDER_DAYS


def reminder_mails():
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("events:%:reminder:%"))
                              .order_by(OutboxMessage.id)).all()


def member_registration(event, name):
    """The registration for `event` of the member `member(name)` made."""
    user = User.query.filter_by(email=f"{name.lower()}@example.org").one()
    return Registration.query.filter_by(event_uid=event.uid, person_uid=user.person_uid).one()


@pytest.fixture
def member(make_user):
    """make_user with the address `<name>@example.org` and `name` as the display name."""
    def make(name, language=None, **fields):
        user = make_user(email=f"{name.lower()}@example.org", display_name=name, **fields)
        user.language = language
        db.session.commit()
        return user
    return make


def test_only_our_confirmed_members_are_reminded(make_event, member, make_replica):
    event = make_event(capacity=4, co_hosts=["peer-b"])
    for name, status in (("Anne", "active"), ("Bruno", "active"), ("Fanny", "disabled"), ("Chloé", "active")):
        register(event, member(name, status=status).person_uid)
    refuse(member_registration(event, "Bruno"))
    cancel_registration(member_registration(event, "Chloé"))
    db.session.commit()
    # A co-host's member, confirmed here: their portal writes to them, even were they to have an account here.
    guest = make_replica(Registration, "peer-b", event_uid=event.uid, person_uid=member("Gaël").person_uid,
                         status="registered")
    for name in ("Denis", "Emma"):  # the last place, then the waiting list
        register(event, member(name).person_uid)
    db.session.commit()
    assert guest.decision.status == "confirmed" and member_registration(event, "Emma").decision.status == "waitlisted"
    assert sorted(r.user.email for r in reminders.due_reminders(WINDOW_OPENS)) == [
        "anne@example.org", "denis@example.org"]


@pytest.mark.parametrize("now", [WINDOW_OPENS - timedelta(minutes=1), STARTS, STARTS + timedelta(days=1)],
                         ids=["before the window", "once begun", "once over"])
def test_none_outside_the_days_before_the_event(make_event, member, now):
    register(make_event(), member("Anne").person_uid)
    db.session.commit()
    assert reminders.run_due(now) == 0 and reminder_mails() == []


def test_none_for_a_cancelled_event(make_event, member):
    event = make_event()
    register(event, member("Anne").person_uid)
    cancel_event(event)
    db.session.commit()
    assert reminders.run_due(WINDOW_OPENS) == 0


def test_one_reminder_each_and_one_for_a_place_confirmed_later(make_event, member):
    event = make_event(capacity=1)
    anne = register(event, member("Anne").person_uid)
    register(event, member("Bruno").person_uid)  # waitlisted
    db.session.commit()
    assert reminders.run_due(WINDOW_OPENS) == 1
    assert reminders.run_due(WINDOW_OPENS + timedelta(hours=1)) == 0
    cancel_registration(anne)  # Bruno gets her place
    db.session.commit()
    assert reminders.run_due(STARTS - timedelta(hours=1)) == 1
    assert [(m.to, m.dedupe_key) for m in reminder_mails()] == [
        ("anne@example.org", f"events:{event.uid}:reminder:{anne.uid}"),
        ("bruno@example.org", f"events:{event.uid}:reminder:{member_registration(event, 'Bruno').uid}")]


def test_the_reminder_says_when_and_where_with_the_event_page(make_event, member):
    event = make_event()
    register(event, member("Anne").person_uid)
    db.session.commit()
    reminders.run_due(WINDOW_OPENS)
    [mail] = reminder_mails()
    assert mail.subject == "Reminder: Photonics meets agrifood, Thursday, 18 March 2049"
    assert mail.body.startswith("Hello Anne,\n\n")
    assert "Thursday, 18 March 2049, 09:00–17:00 CET (Europe/Paris)" in mail.body
    assert "Le Quartz, 60 rue du Château, Brest, France" in mail.body
    assert f"http://test-cluster.example/events/{event.uid}\n" in mail.body
    assert "B2B" not in mail.body  # no B2B meetings at this event
    assert mail.body.endswith("-- \nTest Cluster")


def test_the_reminder_is_written_in_the_members_language(app, make_event, member):
    paris = ZoneInfo("Europe/Paris")
    event = make_event(starts_at=datetime(2049, 4, 1, 9, tzinfo=paris), ends_at=datetime(2049, 4, 1, 17, tzinfo=paris))
    register(event, member("Anne", language="fr").person_uid)
    register(event, member("Bruno").person_uid)
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):  # whatever language runs the batch
        reminders.run_due(datetime(2049, 3, 31, 9, tzinfo=timezone.utc))
    anne, bruno = reminder_mails()
    assert anne.subject == "Rappel\u00a0: Photonics meets agrifood, jeudi 1er avril 2049"
    assert anne.body.startswith("Bonjour Anne,\n\n")
    assert "jeudi 1er avril 2049, 09:00–17:00 CEST (Europe/Paris)" in anne.body
    assert "Où\u00a0:" in anne.body
    assert bruno.subject == "Reminder: Photonics meets agrifood, Thursday, 1 April 2049"


def test_published_meetings_are_listed_with_the_schedule_link(make_b2b_event, make_participant, make_meeting):
    event = make_b2b_event()
    anne, bruno, chloe = (make_participant(event, name) for name in ("Anne", "Bruno", "Chloé"))
    make_meeting(event, anne.person_uid, bruno.person_uid, status="scheduled", table="T2")
    make_meeting(event, anne.person_uid, chloe.person_uid, status="cancelled", table="T1")
    reminders.run_due(WINDOW_OPENS)
    mails = {m.to: m.body for m in reminder_mails()}
    assert "Your B2B meetings:\n- 18 Mar 2049, 14:00 CET with Bruno, table T2\n\n" in mails[anne.email]
    assert "Chloé" not in mails[anne.email]  # cancelled
    assert "- 18 Mar 2049, 14:00 CET with Anne, table T2" in mails[bruno.email]
    assert "Your B2B meetings:" not in mails[chloe.email]  # none scheduled: the schedule link only
    schedule = f"http://test-cluster.example/events/{event.uid}/b2b/schedule"
    assert all(schedule in body for body in mails.values())


def test_the_command_lists_on_a_dry_run_then_sends(make_event, member, runner, smtp_server):
    event = make_event()
    register(event, member("Anne").person_uid)
    db.session.commit()
    now = ["--now", WINDOW_OPENS.isoformat()]
    result = runner.invoke(args=["events", "send-reminders", "--dry-run", *now])
    assert result.exit_code == 0, result.output
    assert result.output == (f"{event.uid}\tPhotonics meets agrifood\tanne@example.org\n"
                             "1 reminder would be queued (dry run: nothing sent).\n")
    assert reminder_mails() == []
    result = runner.invoke(args=["events", "send-reminders", *now])
    assert result.exit_code == 0, result.output
    assert result.output == "1 reminder queued.\noutbox: 2 sent, 0 to retry, 0 failed.\n"  # and the confirmation
    assert smtp_server.messages[-1]["Subject"] == "Reminder: Photonics meets agrifood, Thursday, 18 March 2049"
    again = runner.invoke(args=["events", "send-reminders", *now])
    assert again.output == "0 reminders queued.\noutbox: 0 sent, 0 to retry, 0 failed.\n"


def test_the_command_refuses_a_time_it_cannot_read(runner):
    result = runner.invoke(args=["events", "send-reminders", "--now", "next Tuesday"])
    assert result.exit_code == 2 and "Invalid value for '--now'" in result.output


def test_the_overview_says_when_reminders_go_and_how_many_went(client, login, make_user, make_event, member):
    """They go by themselves: an organiser who does not know it sends one by hand as well."""
    event = make_event()
    register(event, member("Anne").person_uid)
    db.session.commit()
    login(make_user(role="admin"))
    overview = client.get(f"/admin/events/{event.uid}").text
    assert "get a reminder by e-mail 2 days before the event." in overview and "reminder sent" not in overview
    assert reminders.run_due(WINDOW_OPENS) == 1
    assert "1 reminder sent." in client.get(f"/admin/events/{event.uid}").text
