"""The mail that tells a listing's people it is about to leave the directory: who, once, what it says."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.directory import reminders
from portal.directory.models import Listing
from portal.directory.services import close_listing, delete_listing, renew_listing
from portal.extensions import db
from portal.mail.models import OutboxMessage

ENDS = date(2049, 3, 18)
WINDOW_OPENS = datetime(2049, 3, 4, 6, tzinfo=timezone.utc)  # LISTING_REMINDER_DAYS (14) before


def reminder_mails():
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.like("listings:%:reminder:%"))
                              .order_by(OutboxMessage.id)).all()


@pytest.fixture
def organisation(make_organisation):
    return make_organisation(name="Lumiwave Photonics")


@pytest.fixture
def member(make_user, organisation):
    """make_user in `organisation` (unless told another), with the address `<name>@example.org`."""
    def make(name, language=None, **fields):
        fields.setdefault("organisation_uid", organisation.uid)
        user = make_user(email=f"{name.lower()}@example.org", display_name=name, **fields)
        user.language = language
        db.session.commit()
        return user
    return make


@pytest.fixture
def listing(make_listing, organisation):
    def make(**fields):
        fields.setdefault("valid_until", ENDS)
        return make_listing(organisation_uid=organisation.uid, **fields)
    return make


def member_id(name):
    return User.query.filter_by(email=f"{name}@example.org").one().id


def recipients(now=WINDOW_OPENS):
    return sorted(r.user.email for r in reminders.due_reminders(now))


def test_the_contact_person_alone_is_reminded(member, listing):
    anne = member("Anne")
    member("Bruno")
    listing(person_uid=anne.person_uid)
    assert recipients() == ["anne@example.org"]


def test_without_a_contact_the_organisations_active_members_are(member, listing, make_organisation):
    for name, status in (("Anne", "active"), ("Bruno", "active"), ("Chloé", "disabled"), ("Denis", "pending")):
        member(name, status=status)
    member("Emma", organisation_uid=make_organisation(name="Elsewhere").uid)
    listing()
    assert recipients() == ["anne@example.org", "bruno@example.org"]


def test_a_contact_who_cannot_renew_it_leaves_it_to_the_organisation(member, listing, make_organisation):
    """A contact without an active account, or since gone to another organisation, cannot renew it."""
    member("Anne")
    disabled = member("Bruno", status="disabled")
    moved = member("Chloé", organisation_uid=make_organisation(name="Elsewhere").uid)
    first, second = listing(person_uid=disabled.person_uid), listing(person_uid=moved.person_uid)
    assert [(r.listing.uid, r.user.email, r.as_contact) for r in reminders.due_reminders(WINDOW_OPENS)] == [
        (reminder.uid, "anne@example.org", False) for reminder in sorted((first, second), key=lambda x: x.uid)]


def test_nobody_without_an_active_account(member, listing, make_person, organisation):
    member("Anne", status="disabled")
    listing(person_uid=make_person(organisation_uid=organisation.uid).uid)  # a profile without an account
    assert reminders.run_due(WINDOW_OPENS) == 0


@pytest.mark.parametrize("now", [WINDOW_OPENS - timedelta(days=1), datetime(2049, 3, 19, 6, tzinfo=timezone.utc)],
                         ids=["before the window", "once expired"])
def test_none_outside_the_days_before_it_ends(member, listing, now):
    member("Anne")
    listing()
    assert reminders.run_due(now) == 0 and reminder_mails() == []


def test_the_last_day_is_still_in_the_window(member, listing):
    member("Anne")
    listing()
    assert recipients(datetime(2049, 3, 18, 22, tzinfo=timezone.utc)) == ["anne@example.org"]


def test_none_for_closed_deleted_endless_or_partner_listings(member, listing, organisation, make_replica):
    member("Anne")
    close_listing(listing(title="Closed"))
    delete_listing(listing(title="Deleted"))
    listing(title="No end date", valid_until=None)
    db.session.commit()
    make_replica(Listing, "peer-b", kind="need", organisation_uid=organisation.uid, title="Theirs",
                 valid_until=ENDS, status="open")
    assert reminders.run_due(WINDOW_OPENS) == 0


def test_once_per_listing_and_end_date_and_again_once_renewed(member, listing):
    anne = member("Anne")
    offer = listing(person_uid=anne.person_uid)
    assert reminders.run_due(WINDOW_OPENS) == 1
    assert reminders.run_due(WINDOW_OPENS + timedelta(days=1)) == 0
    member("Bruno")
    offer.person_uid = None  # others would get it now: not for the same date
    db.session.commit()
    assert reminders.run_due(WINDOW_OPENS + timedelta(days=2)) == 0
    renew_listing(offer, 180, today=ENDS)  # valid until 2049-09-14
    db.session.commit()
    assert reminders.run_due(WINDOW_OPENS + timedelta(days=3)) == 0
    assert reminders.run_due(datetime(2049, 9, 1, 6, tzinfo=timezone.utc)) == 2
    assert [(m.to, m.dedupe_key) for m in reminder_mails()] == [
        ("anne@example.org", f"listings:{offer.uid}:reminder:2049-03-18:{anne.id}"),
        ("anne@example.org", f"listings:{offer.uid}:reminder:2049-09-14:{anne.id}"),
        ("bruno@example.org", f"listings:{offer.uid}:reminder:2049-09-14:{member_id('bruno')}")]


def test_the_mail_says_when_with_the_links_to_renew_and_edit(member, listing, client):
    anne = member("Anne")
    offer = listing(person_uid=anne.person_uid)
    reminders.run_due(WINDOW_OPENS)
    [mail] = reminder_mails()
    assert mail.to == "anne@example.org"
    assert mail.subject == "Your listing “Fibre Bragg grating sensors” leaves the directory after 18 March 2049"
    assert mail.body.startswith("Hello Anne,\n\nYour listing “Fibre Bragg grating sensors” is valid until "
                                "18 March 2049: after that day it no longer shows in the directory")
    assert "as a member of" not in mail.body
    # Its page offers to renew it to its editors only: the link goes through the log-in, and back.
    page = f"http://test-cluster.example/login?next=/listings/{offer.uid}"
    assert f"renew it for 180 days on its page:\n{page}\n" in mail.body
    response = client.post(page, data={"email": "anne@example.org", "password": "correct horse battery",
                                       "next": f"/listings/{offer.uid}"})
    assert response.status_code in (302, 303) and response.location.endswith(f"/listings/{offer.uid}")
    assert f"edit it:\nhttp://test-cluster.example/listings/{offer.uid}/edit\n" in mail.body
    assert mail.body.endswith("-- \nTest Cluster")


def test_an_organisation_member_is_told_why_they_get_it(member, listing):
    member("Anne")
    listing()
    reminders.run_due(WINDOW_OPENS)
    [mail] = reminder_mails()
    assert "You receive this as a member of Lumiwave Photonics, since the listing names no contact person" in mail.body


def test_the_mail_is_written_in_the_recipients_language(app, member, listing):
    member("Anne", language="fr")
    member("Bruno")
    listing(valid_until=date(2049, 4, 1))
    with app.test_request_context(headers={"Accept-Language": "en"}):  # whatever language runs the batch
        reminders.run_due(WINDOW_OPENS + timedelta(days=14))
    anne, bruno = reminder_mails()
    assert anne.subject.endswith("1er avril 2049") and anne.body.startswith("Bonjour Anne,\n\n")
    assert bruno.subject == "Your listing “Fibre Bragg grating sensors” leaves the directory after 1 April 2049"


def test_the_command_lists_on_a_dry_run_then_sends(member, listing, runner, smtp_server):
    offer = listing(person_uid=member("Anne").person_uid)
    now = ["--now", WINDOW_OPENS.isoformat()]
    result = runner.invoke(args=["listings", "send-reminders", "--dry-run", *now])
    assert result.exit_code == 0, result.output
    assert result.output == (f"{offer.uid}\t2049-03-18\tFibre Bragg grating sensors\tanne@example.org\n"
                             "1 reminder would be queued (dry run: nothing sent).\n")
    assert reminder_mails() == []
    result = runner.invoke(args=["listings", "send-reminders", *now])
    assert result.exit_code == 0, result.output
    assert result.output == "1 reminder queued.\noutbox: 1 sent, 0 to retry, 0 failed.\n"
    assert smtp_server.messages[-1]["To"] == "anne@example.org"
    again = runner.invoke(args=["listings", "send-reminders", *now])
    assert again.output == "0 reminders queued.\noutbox: 0 sent, 0 to retry, 0 failed.\n"

