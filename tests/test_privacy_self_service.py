"""A member downloads their data and deletes their account; tombstones reach the peers."""
import json
import re

import pytest
from sqlalchemy import select

from portal.accounts import throttle
from portal.accounts.models import User
from portal.directory.models import Listing, Organisation, Person
from portal.events.registration_models import Registration
from portal.extensions import db
from portal.federation import feed
from portal.meetings.models import MeetingRequest
from portal.surveys.models import SurveyInvite

PASSWORD = "correct horse battery"


@pytest.fixture
def world(make_user, make_person, make_event, make_listing, make_peer):
    make_peer("some-peer")
    event = make_event(co_hosts=["some-peer"])
    user = make_user(email="anne@example.org", display_name="Anne Le Goff", phone="+33 6 12 34 56 78")
    other = make_person(display_name="Bruno Kervella", phone="+33 6 99 99 99 99")
    mine = Registration(event_uid=event.uid, person_uid=user.person_uid)
    theirs = Registration(event_uid=event.uid, person_uid=other.uid)
    request = MeetingRequest(event_uid=event.uid, from_person_uid=user.person_uid, to_person_uid=other.uid,
                             message="Shall we talk sensors?")
    listing = make_listing(organisation_uid=user.person.organisation_uid, person_uid=user.person_uid)
    db.session.add_all([mine, theirs, request])
    db.session.flush()
    db.session.add(SurveyInvite(event_uid=event.uid, stage="after", registration_uid=mine.uid,
                                person_uid=user.person_uid))
    db.session.commit()
    return {"user": user, "other": other, "mine": mine, "theirs": theirs, "request": request,
            "listing": listing, "event": event}


def test_download_holds_my_data_and_nobody_elses(client, login, world):
    login(world["user"])
    response = client.get("/account/data.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "anne@example.org" and data["account"]["role"] == "member"
    assert data["person"]["phone"] == "+33 6 12 34 56 78" and data["person"]["share_profile"] is True
    assert [r["uid"] for r in data["registrations"]] == [world["mine"].uid]
    assert [r["uid"] for r in data["meeting_requests"]] == [world["request"].uid]
    assert [r["uid"] for r in data["listings"]] == [world["listing"].uid]
    assert len(data["survey_invitations"]) == 1
    text = response.get_data(as_text=True)
    assert "99 99 99" not in text and world["theirs"].uid not in text  # nothing of Bruno's own
    # The uids the records hold, named as the member sees them on the portal (a public profile):
    organisation = world["user"].person.organisation
    assert data["names"] == {"people": {world["other"].uid: "Bruno Kervella"},
                             "organisations": {organisation.uid: organisation.name},  # mine, and my listing's
                             "events": {world["event"].uid: world["event"].title}}


def test_download_needs_a_login(client):
    assert client.get("/account/data.json").status_code in (302, 401)


def test_the_deletion_page_offers_the_download_in_a_whole_sentence(client, login, world):
    """Not "[Download my data] first if you want to keep a copy.": the link's label began a sentence
    that French (an infinitive there) could not finish."""
    login(world["user"])
    page = client.get("/account/delete").text
    assert "This cannot be undone: to keep a copy of your data, download it first." in page
    assert "first if you want to keep a copy" not in page
    assert re.search(r'<a href="/account/data.json" download>Download my data</a>', page)


def test_deletion_erases_locally_and_publishes_tombstones(client, login, world):
    user, person_uid = world["user"], world["user"].person_uid
    before = {(c["type"], c["uid"]) for c in feed.changes("some-peer", 0, 1000)["changes"]}
    assert ("person", person_uid) in before and ("registration", world["mine"].uid) in before
    login(user)
    assert client.get("/account/delete").status_code == 200
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Person, person_uid) is None
    assert db.session.scalar(select(User).where(User.email == "anne@example.org")) is None
    assert db.session.get(Registration, world["mine"].uid) is None
    assert db.session.get(Registration, world["theirs"].uid) is not None
    assert db.session.get(MeetingRequest, world["request"].uid) is None
    assert db.session.get(Listing, world["listing"].uid).person_uid is None
    assert db.session.scalars(select(SurveyInvite)).all() == []
    changes = {(c["type"], c["uid"]): c for c in feed.changes("some-peer", 0, 1000)["changes"]}
    for key in (("person", person_uid), ("registration", world["mine"].uid),
                ("meeting_request", world["request"].uid)):
        assert changes[key]["deleted"] is True and changes[key]["data"] is None
    assert changes[("person", world["other"].uid)]["deleted"] is False


def test_deleted_account_cannot_log_in(client, login, world):
    credentials = {"email": "anne@example.org", "password": PASSWORD}
    assert client.post("/login", data=credentials).status_code == 303  # the account works before
    client.post("/logout")
    login(world["user"])
    client.post("/account/delete", data={"password": PASSWORD})
    response = client.post("/login", data=credentials)
    assert response.status_code != 303
    assert client.get("/account/data.json").status_code in (302, 401)


def test_a_pending_sign_up_deleting_its_account_takes_the_organisation_it_made_with_it(client, login):
    """Never approved, never shown: else it stays on the administrators' list with nobody to approve."""
    from portal.accounts import services as accounts

    user = accounts.sign_up("nolwenn@example.org", PASSWORD, "Nolwenn Tanguy", new_organisation={
        "name": "Kerlum Optics", "kind": "technology_provider", "country": "FR", "city": "Lannion"})
    colleague = accounts.sign_up("yann@example.org", PASSWORD, "Yann Le Bris", new_organisation={
        "name": "Kerlum Optics", "kind": "technology_provider", "country": "FR", "city": ""})
    db.session.commit()
    kerlum = select(Organisation).where(Organisation.name == "Kerlum Optics")
    login(user)
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 303
    assert db.session.scalars(kerlum).one()  # the colleague is still in it
    client.post("/logout")
    login(db.session.get(User, colleague.id))
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 303
    db.session.expire_all()
    assert db.session.scalars(kerlum).all() == []


def test_wrong_password_keeps_the_account(client, login, world):
    login(world["user"])
    response = client.post("/account/delete", data={"password": "not my password"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422 and "This is not your password." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, world["user"].person_uid) is not None


def test_a_wrong_password_counts_as_a_failed_log_in(client, login, world):
    login(world["user"])
    client.post("/account/delete", data={"password": "not my password"})
    db.session.refresh(world["user"])
    assert world["user"].failed_logins == 1


def test_guessing_the_password_by_deletion_is_throttled_as_at_log_in(client, login, world):
    """Any session of the account (a shared computer left logged in) could otherwise test passwords without limit."""
    login(world["user"])
    for _ in range(throttle.FREE_FAILURES + 1):
        client.post("/account/delete", data={"password": "not my password"})
    response = client.post("/account/delete", data={"password": PASSWORD})  # the right one, too soon
    assert response.status_code == 422 and "Too many failed attempts" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, world["user"].person_uid) is not None


def test_deletion_needs_the_csrf_token(app, client, login, world):
    app.config["WTF_CSRF_ENABLED"] = True
    login(world["user"])
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code in (400, 422)
    db.session.expire_all()
    assert db.session.get(Person, world["user"].person_uid) is not None


def test_account_page_links_download_and_deletion(client, login, world):
    login(world["user"])
    html = client.get("/account").get_data(as_text=True)
    assert "/account/data.json" in html and "/account/delete" in html


def test_htmx_deletion_redirects_the_whole_page(client, login, world):
    login(world["user"])
    response = client.post("/account/delete", data={"password": PASSWORD}, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/"


def test_deletion_drops_mail_to_the_person_and_about_their_records(client, login, world):
    from portal.mail.models import OutboxMessage
    from portal.mail.services import queue_mail

    request = world["request"]
    queue_mail("anne@example.org", "Your registration", "Anne, see you there.")
    queue_mail("bruno@example.org", "Meeting request from Anne", request.message,
               dedupe_key=f"meetings:{request.event_uid}:request:{request.uid}")
    queue_mail("bruno@example.org", "Your registration", "Bruno, see you there.", dedupe_key="unrelated")
    db.session.commit()
    login(world["user"])
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 303
    db.session.expire_all()
    assert [m.dedupe_key for m in db.session.scalars(select(OutboxMessage))] == ["unrelated"]


def test_whoever_was_asked_hears_that_the_request_is_closed_without_its_authors_name(client, login, make_user,
                                                                                     make_event, make_replica):
    """Deleted here, or erased by its author's portal (a tombstone): an open or accepted request
    no longer vanishes without a word."""
    from portal.federation.apply import apply_changes
    from portal.mail.models import OutboxMessage
    from tests.portals import change

    event = make_event(title="Photonics for agrifood")
    anne = make_user(email="anne@example.org", display_name="Anne Le Goff")
    bruno = make_user(email="bruno@example.org", display_name="Bruno")  # the mail greets him by his name
    db.session.add(MeetingRequest(event_uid=event.uid, from_person_uid=anne.person_uid, to_person_uid=bruno.person_uid,
                                  message="Shall we talk sensors?"))
    theirs = make_replica(MeetingRequest, "some-peer", event_uid=event.uid, from_person_uid="p-far",
                          to_person_uid=bruno.person_uid, message="Hello", status="open")
    db.session.commit()
    db.session.execute(OutboxMessage.__table__.delete())
    login(anne)
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 303
    apply_changes(db.session, "some-peer", [change(2, theirs.uid, "meeting_request", origin="some-peer", version=2,
                                                   deleted=True)], epoch="e")
    db.session.commit()
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == "bruno@example.org")).all()
    assert [m.subject for m in mails] == ["A meeting request is closed – Photonics for agrifood"] * 2
    assert all("has left Passerelle" in m.body and "Photonics for agrifood" in m.body and "Anne" not in m.body
               for m in mails)


def test_the_last_member_of_an_organisation_may_close_its_listings_with_the_account(client, login, make_user,
                                                                                    make_organisation, make_listing):
    """Else its offers and needs stay published, with nobody left to update or close them."""
    algae = make_organisation(name="Algues d'Iroise")
    maelle = make_user(email="maelle@example.org", organisation_uid=algae.uid)
    need = make_listing(organisation_uid=algae.uid, kind="need", title="Bone detection")
    login(maelle)
    page = client.get("/account/delete").text
    assert "You are the last member of Algues d&#39;Iroise on this portal" in page
    box = re.search(r'<input[^>]*name="close_listings"[^>]*>', page).group(0)
    assert " checked" in box  # closing them is the default
    assert client.post("/account/delete", data={"password": PASSWORD, "close_listings": "y"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Listing, need.uid).status == "closed"


def test_a_member_with_colleagues_is_not_asked_about_the_listings(client, login, make_user, make_organisation,
                                                                  make_listing):
    lab = make_organisation(name="Lumiwave")
    anne = make_user(organisation_uid=lab.uid)
    make_user(organisation_uid=lab.uid)
    offer = make_listing(organisation_uid=lab.uid)
    login(anne)
    assert "last member" not in client.get("/account/delete").text
    client.post("/account/delete", data={"password": PASSWORD, "close_listings": "y"})
    db.session.expire_all()
    assert db.session.get(Listing, offer.uid).status == "open"


def test_download_holds_what_the_member_wrote_for_events(client, login, world, make_meeting):
    """Their pitch proposals, survey answers, stars and invitations, and a check-in's time."""
    from portal.events.local_models import EventInvitation, PitchProposal
    from portal.events.registration_models import CheckIn
    from portal.meetings.models import MeetingStar
    from portal.surveys.models import SurveyOptOut, SurveyResponse

    user, event, invite = world["user"], world["event"], db.session.scalar(select(SurveyInvite))
    answer = SurveyResponse(event_uid=event.uid, stage="after", respondent="r-1", answers={"useful": 5, "why": "Met Bruno"})
    db.session.add_all([answer, PitchProposal(event_uid=event.uid, listing_uid=world["listing"].uid,
                                              person_uid=user.person_uid, pitch="Our sensors in three minutes"),
                        MeetingStar(request_uid=world["request"].uid, person_uid=user.person_uid),
                        EventInvitation(event_uid=event.uid, person_uid=user.person_uid, segment="photonics"),
                        CheckIn(event_uid=event.uid, registration_uid=world["mine"].uid),
                        SurveyOptOut(person_uid=user.person_uid)])
    db.session.flush()
    invite.response_uid = answer.uid
    db.session.commit()
    login(user)
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    assert [(p["pitch"], p["status"]) for p in data["pitch_proposals"]] == [("Our sensors in three minutes", "proposed")]
    assert [a["answers"] for a in data["survey_answers"]] == [{"useful": 5, "why": "Met Bruno"}]
    assert data["survey_invitations"][0]["response_uid"] == answer.uid
    assert [s["request_uid"] for s in data["meeting_stars"]] == [world["request"].uid]
    assert [i["segment"] for i in data["event_invitations"]] == ["photonics"]
    assert data["registrations"][0]["checked_in_here_at"] and data["person"]["survey_mail_stopped_at"]


def test_download_holds_what_an_organiser_did(client, login, world, make_user, make_meeting):
    from portal.events.local_models import RegistrantMessage

    admin, event = make_user(role="admin"), world["event"]
    meeting = make_meeting(event, world["user"].person_uid, world["other"].uid)
    meeting.marked_by_user_id = admin.id
    db.session.add(RegistrantMessage(event_uid=event.uid, subject="Parking", body="Park at the back.",
                                     sent_by_user_id=admin.id))
    db.session.commit()
    login(admin)
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    assert [m["body"] for m in data["messages_sent"]] == ["Park at the back."]
    assert [m["meeting_uid"] for m in data["meetings_marked"]] == [meeting.uid]


def test_deletion_leaves_an_organisers_marks_to_nobody(client, login, world, make_user, make_meeting):
    """A deleted account's id may be given again: what it did must not then name the newcomer."""
    from portal.events.local_models import RegistrantMessage
    from portal.events.registration_models import CheckIn
    from portal.mail.models import OutboxMessage
    from portal.mail.services import queue_mail

    admin, event = make_user(role="admin"), world["event"]
    meeting = make_meeting(event, world["user"].person_uid, world["other"].uid)
    meeting.marked_by_user_id = admin.id
    message = RegistrantMessage(event_uid=event.uid, subject="Parking", body="Park at the back.", sent_by_user_id=admin.id)
    check_in = CheckIn(event_uid=event.uid, registration_uid=world["theirs"].uid, by_user_id=admin.id)
    db.session.add_all([message, check_in])
    queue_mail("boss@example.org", "New member waiting for approval: X", "…", dedupe_key=f"accounts:signup:{admin.id}:9")
    db.session.commit()
    login(admin)
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 303
    db.session.expire_all()
    assert (meeting.marked_by_user_id, message.sent_by_user_id, check_in.by_user_id) == (None, None, None)
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_deletion_takes_the_speaker_off_the_agenda(client, login, world):
    from datetime import timedelta

    from portal.events.models import AgendaItem

    event, anne = world["event"], world["user"].person_uid
    talk = AgendaItem(event_uid=event.uid, kind="talk", title="Sensors", starts_at=event.starts_at,
                      ends_at=event.starts_at + timedelta(minutes=20), speaker_person_uids=[anne, world["other"].uid])
    db.session.add(talk)
    db.session.commit()
    login(world["user"])
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 303
    db.session.expire_all()
    assert talk.speaker_person_uids == [world["other"].uid]
