"""Organisers mail their own members registered for an event: audience, preview, record, guards."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.directory.models import Person
from portal.events import messages, services
from portal.events.constants import DRAFT
from portal.events.local_models import RegistrantMessage
from portal.events.models import Event
from portal.events.registration_models import Registration, RegistrationDecision
from portal.events.registrations import cancel_registration, refuse, register
from portal.extensions import db
from portal.mail.models import OutboxMessage

HTMX = {"HX-Request": "true"}
PARIS = ZoneInfo("Europe/Paris")
PARKING = {"subject": "Parking", "message": "Park behind the station; badge at the <b>north</b> door & smile."}


@pytest.fixture
def organiser(login, make_user):
    return make_user(role="admin", display_name="Olivia Organiser")


def mails():
    """Mail to the registrants (not the decisions their registration caused), by address."""
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.startswith("registrants:")))
    return {m.to: m for m in rows}


def enrol(event, user, **registration):
    registration = register(event, user.person_uid, **registration)
    db.session.commit()
    return registration


@pytest.fixture
def crowd(make_b2b_event, make_user, make_person, make_replica):
    """An event led here for 3: Anne confirmed, Bruno (B2B) and Dora waiting, Carl refused,
    Eve cancelled, Fred confirmed with a disabled account, and a confirmed registrant of host-b."""
    event = make_b2b_event(capacity=3, co_hosts=["host-b"])
    people = {name: make_user(email=f"{name.lower()}@example.org", display_name=name)
              for name in ("Anne", "Bruno", "Carl", "Dora", "Eve", "Fred")}
    enrol(event, people["Anne"])
    enrol(event, people["Fred"])
    theirs = make_replica(Person, "host-b", display_name="Hana Elsewhere")
    make_replica(Registration, "host-b", event_uid=event.uid, person_uid=theirs.uid, role="attendee", b2b=True,
                 status="registered")
    enrol(event, people["Bruno"], b2b=True)
    refuse(enrol(event, people["Carl"]))
    enrol(event, people["Dora"])
    cancel_registration(enrol(event, people["Eve"]))
    people["Fred"].status = "disabled"
    db.session.commit()
    return event


def test_the_audience_is_our_active_members_of_the_statuses_chosen(crowd):
    def audience(**choice):
        return [person.display_name for _user, person in messages.recipients(crowd, **choice)]

    assert audience() == ["Anne"]  # not Fred (disabled), not host-b's registrant (their portal writes)
    assert audience(with_waiting_list=True) == ["Anne", "Bruno", "Dora"]  # never Carl (refused), Eve (cancelled)
    assert audience(with_waiting_list=True, b2b_only=True) == ["Bruno"]
    assert audience(b2b_only=True) == []


def test_the_preview_counts_the_recipients_and_shows_the_first_ones_mail(client, login, organiser, crowd):
    login(organiser)
    page = client.get(f"/admin/events/{crowd.uid}").text
    assert f'<a href="/admin/events/{crowd.uid}/message">Message the registrants</a>' in page
    # The live preview posts what is typed: a long text would not fit in an address.
    assert f'hx-post="/admin/events/{crowd.uid}/message/preview"' in client.get(f"/admin/events/{crowd.uid}/message").text
    preview = client.post(f"/admin/events/{crowd.uid}/message/preview", data=dict(PARKING, audience="waiting"),
                          headers=HTMX).text
    assert preview.startswith('<section id="message-preview"') and "<strong>3 recipients</strong>" in preview
    assert "Hello Anne," in preview and "<strong>Parking</strong>" in preview
    assert "Anne's mail, in their language (each mail is in its reader's):" in preview
    # Plain text, never HTML: the organiser's markup shows as typed.
    assert "&lt;b&gt;north&lt;/b&gt; door &amp; smile" in preview and "<b>north" not in preview
    assert "Send 3 e-mails</button>" in preview
    assert 'name="confirm_question" value="Send 3 e-mails now? They cannot be taken back."' in preview
    only_b2b = client.post(f"/admin/events/{crowd.uid}/message/preview", data=dict(PARKING, b2b_only="y"),
                           headers=HTMX).text
    assert "<strong>No recipient:</strong> no member of this portal is registered with these choices." in only_b2b
    assert '<button type="submit" disabled>Nobody to write to</button>' in only_b2b


def test_a_long_message_is_previewed_and_the_preview_sends_nothing(client, login, organiser, crowd):
    login(organiser)
    long_text = "Accès par la porte nord, près du parking é\r\n" * 110  # ~4,900 characters, 10 KB encoded
    preview = client.post(f"/admin/events/{crowd.uid}/message/preview", headers=HTMX,
                          data={"subject": "Accès", "message": long_text, "audience": "confirmed"})
    assert preview.status_code == 200 and "Send 1 e-mail</button>" in preview.text
    assert mails() == {} and "No message sent yet." in client.get(f"/admin/events/{crowd.uid}/message").text


def test_the_message_goes_once_to_each_and_is_on_record(client, login, organiser, crowd):
    login(organiser)
    for _ in range(2):  # a double submit
        sent = client.post(f"/admin/events/{crowd.uid}/message", data=dict(PARKING, audience="confirmed"))
        assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/admin/events/{crowd.uid}/message")
    mail = mails()
    assert list(mail) == ["anne@example.org"]
    assert mail["anne@example.org"].subject == "Parking"
    body = mail["anne@example.org"].body
    assert body.startswith("Hello Anne,\n\nPark behind the station; badge at the <b>north</b> door & smile.\n")
    assert "Photonics meets agrifood" in body and "Le Quartz, 60 rue du Château, Brest, France" in body
    assert f"http://test-cluster.example/events/{crowd.uid}" in body
    page = client.get(f"/admin/events/{crowd.uid}/message").text
    assert "Nothing was sent: everyone chosen has already received this message." in page
    assert [(r.subject, r.recipients, r.audience) for r in db.session.scalars(select(RegistrantMessage))] == [
        ("Parking", 1, "confirmed")]
    row = re.search(r"<tr>\s*<td data-label=\"Sent on\">([^<]+)</td>\s*<td data-label=\"Sent by\">Olivia Organiser</td>"
                    r"\s*<td class=\"row-title\"><details class=\"mail-preview\"><summary>Parking</summary>.*?"
                    r"<td data-label=\"Sent to\">Confirmed registrants only</td>\s*"
                    r"<td class=\"number\" data-label=\"Recipients\">1</td>", page, re.S)
    assert row and row.group(1).endswith(("CET", "CEST"))

    # The same text to a wider audience reaches those who had not had it, only.
    client.post(f"/admin/events/{crowd.uid}/message", data=dict(PARKING, audience="waiting"))
    assert sorted(mails()) == ["anne@example.org", "bruno@example.org", "dora@example.org"]
    # The live preview posts what is typed: a long text would not fit in an address.
    assert f'hx-post="/admin/events/{crowd.uid}/message/preview"' in client.get(f"/admin/events/{crowd.uid}/message").text
    preview = client.post(f"/admin/events/{crowd.uid}/message/preview", data=dict(PARKING, audience="waiting"),
                          headers=HTMX).text
    assert "3 have already received this message and will not get it twice." in preview
    assert '<button type="submit" disabled>Everyone chosen has received this message</button>' in preview
    records = db.session.scalars(select(RegistrantMessage).order_by(RegistrantMessage.id)).all()
    assert [r.recipients for r in records] == [1, 2]


def test_each_recipient_reads_the_fixed_parts_in_their_language(client, login, organiser, make_event, make_user):
    event = make_event()
    anne = make_user(email="anne@example.org", display_name="Anne")
    bruno = make_user(email="bruno@example.org", display_name="Bruno")
    anne.language, bruno.language = "fr", "en"
    enrol(event, anne)
    enrol(event, bruno)
    login(organiser)  # who browses in English
    preview = client.get(f"/admin/events/{event.uid}/message", query_string=PARKING, headers=HTMX).text
    assert "Bonjour Anne," in preview and "L&#39;événement et votre inscription\u00a0:" in preview
    client.post(f"/admin/events/{event.uid}/message", data=PARKING)
    mail = mails()
    french, english = mail["anne@example.org"].body, mail["bruno@example.org"].body
    assert french.startswith("Bonjour Anne,") and "jeudi 18 mars 2049" in french
    assert english.startswith("Hello Bruno,") and "Thursday, 18 March 2049" in english
    assert {m.subject for m in mail.values()} == {"Parking"}  # the organiser's words, as typed


def test_a_co_hosts_organiser_messages_their_own_members(client, login, organiser, make_user, make_replica):
    event = make_replica(Event, "lead-a", title="Elsewhere", starts_at=datetime(2049, 5, 1, 9, tzinfo=PARIS),
                         ends_at=datetime(2049, 5, 1, 17, tzinfo=PARIS), timezone="Europe/Paris",
                         co_hosts=["test-cluster"], capacity=10)
    confirmed = enrol(event, make_user(email="ours@example.org", display_name="Ours"))
    make_replica(RegistrationDecision, "lead-a", event_uid=event.uid, registration_uid=confirmed.uid,
                 status="confirmed")
    enrol(event, make_user(email="awaiting@example.org", display_name="Awaiting"))  # the lead has not decided
    theirs = make_replica(Person, "lead-a", display_name="Lead's member")
    registration = make_replica(Registration, "lead-a", event_uid=event.uid, person_uid=theirs.uid, role="attendee",
                                b2b=False, status="registered")
    make_replica(RegistrationDecision, "lead-a", event_uid=event.uid, registration_uid=registration.uid,
                 status="confirmed")
    login(organiser)
    assert client.get(f"/admin/events/{event.uid}/message").status_code == 200
    client.post(f"/admin/events/{event.uid}/message", data=dict(PARKING, audience="confirmed"))
    assert list(mails()) == ["ours@example.org"]
    client.post(f"/admin/events/{event.uid}/message", data=dict(PARKING, audience="waiting"))
    assert sorted(mails()) == ["awaiting@example.org", "ours@example.org"]


def test_only_a_hosts_organisers_message_the_registrants(client, login, organiser, make_user, make_event,
                                                          make_replica):
    event = make_event()
    enrol(event, make_user(email="anne@example.org"))
    login(make_user())  # a member
    assert client.get(f"/admin/events/{event.uid}/message").status_code == 403
    assert client.post(f"/admin/events/{event.uid}/message", data=PARKING).status_code == 403
    theirs = make_replica(Event, "peer-c", title="Not ours", starts_at=datetime(2049, 5, 1, 9, tzinfo=PARIS),
                          ends_at=datetime(2049, 5, 1, 17, tzinfo=PARIS), timezone="Europe/Paris", co_hosts=[],
                          capacity=10)
    login(organiser)
    assert client.get(f"/admin/events/{theirs.uid}/message").status_code == 403
    assert mails() == {}


def test_errors_are_beside_the_fields_and_the_text_is_kept(client, login, organiser, make_event, make_user):
    event = make_event()
    enrol(event, make_user(email="anne@example.org"))
    login(organiser)
    empty = client.post(f"/admin/events/{event.uid}/message", data={"subject": "  ", "message": "\r\n"})
    assert empty.status_code == 422
    assert 'id="subject-error"' in empty.text and 'id="message-error"' in empty.text
    long = client.post(f"/admin/events/{event.uid}/message", data={"subject": "S" * 201, "message": "m" * 5001})
    assert long.status_code == 422 and 'id="subject-error"' in long.text and 'id="message-error"' in long.text
    assert "S" * 201 in long.text and "m" * 5001 in long.text  # typed text kept
    # 5000 characters typed with CRLF line ends, as browsers send them, are 5000 characters.
    fits = client.post(f"/admin/events/{event.uid}/message", data={"subject": "Fits", "message": "m\r\n" * 2500})
    assert fits.status_code == 302 and list(mails()) == ["anne@example.org"]
    assert db.session.scalars(select(RegistrantMessage.subject)).all() == ["Fits"]


@pytest.mark.parametrize("state", ["cancelled", "draft"])
def test_nothing_goes_out_for_a_cancelled_or_draft_event(client, login, organiser, make_event, make_user, state):
    event = make_event()
    enrol(event, make_user(email="anne@example.org"))
    if state == "cancelled":
        services.cancel_event(event)
    else:
        event.status = DRAFT
    db.session.commit()
    login(organiser)
    refused = client.post(f"/admin/events/{event.uid}/message", data=PARKING)
    assert refused.status_code == 422 and mails() == {} and db.session.scalars(select(RegistrantMessage)).all() == []
    notice = {"cancelled": "This event is cancelled: messages can no longer be sent to its registrants.",
              "draft": "This event is a draft: publish it from its overview before writing to its registrants"}[state]
    assert f'<p class="notice" role="status" id="message-{state}">{notice}' in refused.text
    button = f'<button type="submit" disabled aria-describedby="message-{state}">Send the message</button>'
    assert button in refused.text
    assert "Park behind the station" in refused.text  # the text is kept for later


def test_sending_needs_the_forms_csrf_token(app, client, login, organiser, make_event, make_user):
    event = make_event()
    enrol(event, make_user(email="anne@example.org"))
    app.config["WTF_CSRF_ENABLED"] = True
    login(organiser)
    assert client.post(f"/admin/events/{event.uid}/message", data=PARKING).status_code == 400
    assert mails() == {}
    page = client.get(f"/admin/events/{event.uid}/message").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    sent = client.post(f"/admin/events/{event.uid}/message", data=dict(PARKING, csrf_token=token))
    assert sent.status_code == 302 and list(mails()) == ["anne@example.org"]


def test_the_audience_is_listed_as_people_order_names(make_event, make_user):
    """Élodie among the E's, not after Zoé: the preview shows the first one's mail."""
    from portal.events import invitations

    event = make_event()
    for name in ("Zoé", "Élodie", "bruno"):
        enrol(event, make_user(email=f"{len(name)}{name[-1]}@example.org", display_name=name))
    assert [p.display_name for _u, p in messages.recipients(event, with_waiting_list=True)] == ["bruno", "Élodie", "Zoé"]
    assert [p.display_name for _u, p in invitations.recipients(event)] == ["bruno", "Élodie", "Zoé"]
