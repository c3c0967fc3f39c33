"""Pitches, challenges, the door, invitations, the topic planner and the budget."""
import io
import re
import uuid
from datetime import date, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from portal.accounts.models import User
from portal.events import invitations, planner
from portal.events.budget import summarise
from portal.events.local_models import EventCost, EventInvitation, PitchProposal
from portal.events.models import AgendaItem, Event
from portal.events.registration_models import CheckIn, Registration
from portal.events.registrations import cancel_registration, refuse, register
from portal.extensions import db
from portal.federation.records import utcnow
from portal.mail.models import OutboxMessage
from tests.queries import page_queries

HTMX = {"HX-Request": "true"}


@pytest.fixture
def organiser(login, make_user):
    return make_user(role="admin", display_name="Olivia Organiser")


def test_member_proposes_a_pitch_and_the_organiser_accepts_it(client, login, make_user, organiser, make_event,
                                                               make_listing):
    event = make_event()
    member = make_user()
    listing = make_listing(organisation_uid=member.organisation_uid, kind="need", title="Moisture mapping")
    login(member)
    assert "Moisture mapping" in client.get(f"/events/{event.uid}/pitch").get_data(as_text=True)
    client.post(f"/events/{event.uid}/pitch", data={"listing_uid": listing.uid, "pitch": "Five minutes on soil."})
    proposal = db.session.scalars(select(PitchProposal)).one()
    assert proposal.status == "proposed" and proposal.person_uid == member.person_uid

    login(organiser)
    assert "Five minutes on soil." in client.get(f"/admin/events/{event.uid}/pitches").get_data(as_text=True)
    page = client.post(f"/admin/events/{event.uid}/pitches/{proposal.id}/accept", data={"message": "See you on stage."},
                       follow_redirects=True).text
    item = db.session.scalars(select(AgendaItem)).one()
    assert (item.kind, item.listing_uid, item.speaker_person_uids) == ("pitch_need", listing.uid, [member.person_uid])
    assert "The pitch is in the agenda, 09:00–09:10 CET." in page  # an empty agenda: the event's start
    assert db.session.get(PitchProposal, proposal.id).status == "accepted"
    agenda = client.get(f"/events/{event.uid}/agenda").text  # the title once, and the way to the need
    assert agenda.count("Moisture mapping") == 1 and f'<a href="/listings/{listing.uid}">See the need</a>' in agenda

    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == member.email)).all()
    assert mail.subject == f"Your pitch at {event.title} is accepted"
    assert (f"The organisers of {event.title} accept your pitch “Moisture mapping”: it is in the agenda, "
            "18 Mar 2049, 09:00–09:10 CET.\n\nSee you on stage.\n") in mail.body
    assert f"http://test-cluster.example/events/{event.uid}/pitch" in mail.body

    login(member)
    page = client.get(f"/events/{event.uid}/pitch").get_data(as_text=True)
    assert "Accepted" in page and "See you on stage." in page


def test_accepting_a_pitch_says_what_it_overlaps_where_it_went(client, login, make_user, organiser, make_event,
                                                              make_listing):
    from datetime import timedelta

    event = make_event()
    start = event.starts_at
    for minutes, length, kind, title in ((0, 10, "pitch_offer", "Lidar"), (10, 20, "break", "Coffee")):
        db.session.add(AgendaItem(event_uid=event.uid, kind=kind, title=title, starts_at=start + timedelta(minutes=minutes),
                                  ends_at=start + timedelta(minutes=minutes + length)))
    proposal = PitchProposal(event_uid=event.uid, listing_uid=make_listing(kind="offer", title="UV lamps").uid,
                             status="proposed")
    db.session.add(proposal)
    db.session.commit()
    login(organiser)
    page = client.post(f"/admin/events/{event.uid}/pitches/{proposal.id}/accept", data={"message": ""},
                       follow_redirects=True).text
    assert "The pitch is in the agenda, 09:10–09:20 CET, but it overlaps “Coffee”: move it in the agenda builder." \
        in page


def test_the_agenda_builder_writes_a_pitchs_listing_with_the_languages_colon(client, login, organiser, make_event,
                                                                            make_listing):
    event = make_event()
    listing = make_listing(kind="need", title="Moisture mapping")
    db.session.add(AgendaItem(event_uid=event.uid, kind="pitch_need", title="Soil", listing_uid=listing.uid,
                              starts_at=event.starts_at, ends_at=event.starts_at + (event.ends_at - event.starts_at) / 8))
    db.session.commit()
    login(organiser)
    page = client.get(f"/admin/events/{event.uid}/agenda", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "· Besoin\u00a0: Moisture mapping" in page
    item = db.session.scalars(select(AgendaItem).where(AgendaItem.title == "Soil")).one()
    item.title = "Moisture mapping"  # as an accepted pitch is titled: its listing is not said twice
    db.session.commit()
    page = client.get(f"/admin/events/{event.uid}/agenda", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "<strong" in page and "Moisture mapping</strong>" in page and "Besoin\u00a0: Moisture mapping" not in page


def test_organiser_declines_with_a_message(client, login, make_user, organiser, make_event, make_listing):
    event = make_event()
    member = make_user()
    member.language = "fr"
    db.session.commit()
    listing = make_listing(organisation_uid=member.organisation_uid)
    login(member)
    client.post(f"/events/{event.uid}/pitch", data={"listing_uid": listing.uid, "pitch": "Our probes."})
    proposal = db.session.scalars(select(PitchProposal)).one()
    login(organiser)
    client.post(f"/admin/events/{event.uid}/pitches/{proposal.id}/decline", data={"message": "Too close to another."},
                headers={"Accept-Language": "en"})
    db.session.refresh(proposal)
    assert (proposal.status, proposal.answer) == ("declined", "Too close to another.")
    assert db.session.scalars(select(AgendaItem)).all() == []
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == member.email)).all()
    assert mail.body.startswith("Bonjour Anne Le Goff,")  # in the member's language, not the organiser's
    assert "Too close to another." in mail.body and f"/events/{event.uid}/pitch\n" in mail.body


def test_a_member_cannot_pitch_another_organisations_listing(client, login, make_user, make_event, make_listing):
    event = make_event()
    login(make_user())
    foreign = make_listing()
    response = client.post(f"/events/{event.uid}/pitch", data={"listing_uid": foreign.uid}, headers=HTMX)
    assert response.status_code == 422 and db.session.scalars(select(PitchProposal)).all() == []


def test_only_open_listings_are_offered_for_a_pitch_and_others_are_refused_beside_the_field(
        client, login, make_user, make_event, make_listing):
    event = make_event()
    member = login(make_user())
    mine = dict(organisation_uid=member.organisation_uid)
    open_one = make_listing(title="Soil probes", **mine)
    closed = make_listing(title="Old lamps", status="closed", **mine)
    expired = make_listing(title="Past drones", valid_until=date.today() - timedelta(days=1), **mine)
    expiring = make_listing(title="Winter lidar", valid_until=event.starts_at.date() - timedelta(days=1), **mine)
    make_listing(title="Spring lidar", valid_until=event.starts_at.date(), **mine)  # valid on the day
    pitched = make_listing(title="Accepted optics", **mine)
    db.session.add(PitchProposal(event_uid=event.uid, listing_uid=pitched.uid, pitch="On stage.", status="accepted"))
    db.session.commit()
    page = client.get(f"/events/{event.uid}/pitch").text
    offered = re.findall(r"<option[^>]*>([^<]+)</option>", page)
    assert sorted(offered) == ["Soil probes", "Spring lidar"]
    for listing in (closed, expired, expiring):
        response = client.post(f"/events/{event.uid}/pitch", data={"listing_uid": listing.uid, "pitch": "Ten minutes."},
                               headers=HTMX)
        assert response.status_code == 422
        assert re.search(r'id="listing_uid-error"[^>]*>\s*This listing is closed, or expires before the event: '
                         r'reopen or renew it', response.text)
    response = client.post(f"/events/{event.uid}/pitch", data={"listing_uid": open_one.uid, "pitch": "  "},
                           headers=HTMX)
    assert response.status_code == 422 and 'id="pitch-error"' in response.text
    assert [p.listing_uid for p in db.session.scalars(select(PitchProposal))] == [pitched.uid]


def test_a_member_sees_updates_and_withdraws_their_proposals(client, login, make_user, make_event, make_listing):
    event = make_event()
    member = login(make_user())
    listing = make_listing(organisation_uid=member.organisation_uid, title="Soil probes")
    page = client.post(f"/events/{event.uid}/pitch", data={"listing_uid": listing.uid, "pitch": "Five minutes."},
                       follow_redirects=True).text
    assert "Your proposal is sent to the organisers." in page and "Five minutes." in page
    assert "<h2>Propose another pitch, or a new text</h2>" in page  # the form's own heading below the list
    page = client.post(f"/events/{event.uid}/pitch", data={"listing_uid": listing.uid, "pitch": "Seven minutes."},
                       follow_redirects=True).text
    assert "Your proposal is updated: the organisers see the new text." in page
    assert "Seven minutes." in page and "Five minutes." not in page
    proposal = db.session.scalars(select(PitchProposal)).one()
    assert f'action="/events/{event.uid}/pitch/{proposal.id}/withdraw"' in page
    assert 'name="confirm_question" value="Withdraw this proposal?"' in page

    login(make_user())  # another organisation's member cannot
    assert client.post(f"/events/{event.uid}/pitch/{proposal.id}/withdraw").status_code == 404
    login(member)
    page = client.post(f"/events/{event.uid}/pitch/{proposal.id}/withdraw", follow_redirects=True).text
    assert "Your proposal is withdrawn." in page and db.session.scalars(select(PitchProposal)).all() == []

    login(make_user(role="admin"))  # an organiser answering from a page shown before the withdrawal
    for answer in ("accept", "decline"):
        page = client.post(f"/admin/events/{event.uid}/pitches/{proposal.id}/{answer}", follow_redirects=True)
        assert page.status_code == 200 and page.request.path == f"/admin/events/{event.uid}/pitches"
        assert "This proposal was withdrawn by its author: there is nothing to answer." in page.text


def test_an_answered_proposal_is_not_withdrawn(client, login, make_user, organiser, make_event, make_listing):
    event = make_event()
    member = make_user()
    listing = make_listing(organisation_uid=member.organisation_uid)
    proposal = PitchProposal(event_uid=event.uid, listing_uid=listing.uid, pitch="Soil.", status="declined")
    db.session.add(proposal)
    db.session.commit()
    login(member)
    assert "/withdraw" not in client.get(f"/events/{event.uid}/pitch").text
    page = client.post(f"/events/{event.uid}/pitch/{proposal.id}/withdraw", follow_redirects=True).text
    assert "can no longer be withdrawn" in page and db.session.get(PitchProposal, proposal.id) is not None


def test_special_guests_come_in_alphabetical_order(client, login, organiser, make_event, make_organisation,
                                                   make_listing):
    event = make_event()
    names = ["École des Mines", "Laiteries Réunies", "Zénith Optique"]
    login(organiser)
    for number, name in enumerate(reversed(names)):
        guest = make_organisation(name=name, kind="end_user", special_guest=True)
        need = make_listing(organisation_uid=guest.uid, kind="need", title=f"Need number {number}")
        client.post(f"/admin/events/{event.uid}/challenges/{need.uid}/pin")
    public = client.get(f"/events/{event.uid}").text
    assert sorted(names, key=lambda name: public.index(f"<h3>{name} ")) == names


def test_challenge_candidates_come_in_alphabetical_order(client, login, organiser, make_event, make_organisation,
                                                         make_listing):
    """The organisers' list of special guests' needs, by organisation as people order names (accents aside)."""
    event = make_event()
    names = ["École des Mines", "Laiteries Réunies", "Énergies de l'Ouest", "Zénith Optique"]
    for number, name in enumerate(reversed(names)):
        guest = make_organisation(name=name, kind="end_user", special_guest=True)
        make_listing(organisation_uid=guest.uid, kind="need", title=f"Need number {number}")
    login(organiser)
    page = client.get(f"/admin/events/{event.uid}/challenges").text
    expected = ["École des Mines", "Énergies de l'Ouest", "Laiteries Réunies", "Zénith Optique"]
    assert sorted(expected, key=lambda name: page.index(escape(name))) == expected


def test_attendees_come_in_alphabetical_order(client, login, organiser, make_event, make_person):
    """The attendees page lists names as people order them: "Élodie" among the E's, not after "Zoé"."""
    event = make_event()
    for name in ("Zoé Martin", "Élodie Bertrand", "Cédric Goossens", "Charlotte Morvan", "Eric Le Gall"):
        register(event, make_person(display_name=name).uid)
    db.session.commit()
    login(organiser)
    page = client.get(f"/admin/events/{event.uid}/attendees").text
    expected = ["Cédric Goossens", "Charlotte Morvan", "Élodie Bertrand", "Eric Le Gall", "Zoé Martin"]
    assert sorted(expected, key=page.index) == expected


def test_pinned_challenge_of_a_special_guest_is_featured(client, login, organiser, make_event, make_organisation,
                                                         make_listing):
    event = make_event()
    guest = make_organisation(name="Coopérative du Léon", kind="end_user", special_guest=True)
    need = make_listing(organisation_uid=guest.uid, kind="need", title="Sorting cauliflowers by quality")
    ordinary = make_listing(organisation_uid=make_organisation(name="Ordinary").uid, kind="need",
                            title="Not a guest's need")
    login(organiser)
    page = client.get(f"/admin/events/{event.uid}/challenges").get_data(as_text=True)
    assert "Sorting cauliflowers" in page and "Not a guest's need" not in page
    # Only a listed candidate can be pinned: not by a crafted request, whatever need it names.
    assert client.post(f"/admin/events/{event.uid}/challenges/{ordinary.uid}/pin").status_code == 404
    client.post(f"/admin/events/{event.uid}/challenges/{need.uid}/pin")
    public = client.get(f"/events/{event.uid}").get_data(as_text=True)
    assert "Special guests and their challenges" in public and "Coopérative du Léon" in public
    assert "Sorting cauliflowers by quality" in public  # its card
    # ...and not again in the guest's list of needs, which points to the card instead.
    assert f'<li><a href="/listings/{need.uid}">Sorting cauliflowers by quality</a>' not in public
    assert "Its open needs are pinned above." in public and "See its profile" not in public
    other = make_listing(organisation_uid=guest.uid, kind="need", title="Weighing crates")
    public = client.get(f"/events/{event.uid}").get_data(as_text=True)
    assert f'<li><a href="/listings/{other.uid}">Weighing crates</a>' in public
    assert f'<li><a href="/listings/{need.uid}">' not in public and "pinned above" not in public
    client.post(f"/admin/events/{event.uid}/challenges/{need.uid}/unpin")
    assert "Sorting cauliflowers" not in client.get(f"/events/{event.uid}").get_data(as_text=True)


def test_door_search_check_in_and_undo(client, login, organiser, make_event, make_person, make_replica):
    event = make_event(co_hosts=["host-b"], today=True)
    ours = register(event, make_person(display_name="Yann Kervella").uid)
    db.session.commit()
    theirs = make_replica(Registration, "host-b", event_uid=event.uid, person_uid=make_person(display_name="Zoé Martin").uid,
                          role="attendee", b2b=False, status="registered")
    login(organiser)
    found = client.get(f"/admin/events/{event.uid}/checkin?q=kerv", headers=HTMX).get_data(as_text=True)
    assert found.lstrip().startswith('<div id="checkin-results"') and "Yann Kervella" in found and "Zoé" not in found
    unaccented = client.get(f"/admin/events/{event.uid}/checkin?q=ZOE", headers=HTMX).get_data(as_text=True)
    assert "Zoé Martin" in unaccented and "Yann" not in unaccented
    row = client.post(f"/admin/events/{event.uid}/checkin/{ours.uid}", headers=HTMX).get_data(as_text=True)
    assert row.lstrip().startswith(f'<li class="door-row is-in" id="door-{ours.uid}"') and "Undo" in row
    assert db.session.get(Registration, ours.uid).checked_in is True
    client.post(f"/admin/events/{event.uid}/checkin/{theirs.uid}", headers=HTMX)
    assert db.session.get(Registration, theirs.uid).checked_in is False  # host-b writes it, not us
    told = db.session.get(Registration, theirs.uid).decision  # ... from the decision we write
    assert told.checked_in is True and told.fed_data()["checked_in"] is True
    assert db.session.scalars(select(CheckIn.registration_uid)).all() != []
    row = client.post(f"/admin/events/{event.uid}/checkin/{ours.uid}/undo", headers=HTMX).get_data(as_text=True)
    assert "Check in" in row and db.session.get(Registration, ours.uid).checked_in is False
    page = client.get(f"/admin/events/{event.uid}/checkin").get_data(as_text=True)
    assert "Checked in: 1 of 2 confirmed." in page


def test_a_check_in_tells_the_door_page_to_turn_to_the_next_in_the_queue(client, login, organiser, make_event,
                                                                          make_person):
    """The row of a check-in done is marked for the page's script, which empties the search box and
    focuses it: the organiser cleared it by hand for each arrival. Not an Undo's, nor a refusal's."""
    event = make_event(today=True)
    ours = register(event, make_person(display_name="Yann Kervella").uid)
    db.session.commit()
    login(organiser)
    assert "data-door-next" not in client.get(f"/admin/events/{event.uid}/checkin?q=kerv").text
    row = client.post(f"/admin/events/{event.uid}/checkin/{ours.uid}?q=kerv", headers=HTMX).text
    assert f'id="door-{ours.uid}" data-door-next>' in row and "Undo" in row
    undone = client.post(f"/admin/events/{event.uid}/checkin/{ours.uid}/undo?q=kerv", headers=HTMX).text
    assert "data-door-next" not in undone and "Check in" in undone


def test_without_javascript_the_door_keeps_its_search_and_says_who_is_checked_in(client, login, organiser,
                                                                                  make_event, make_person):
    """A plain form post came back to the whole list, the search lost, saying nothing."""
    event = make_event(today=True)
    ours = register(event, make_person(display_name="Yann Kervella").uid)
    register(event, make_person(display_name="Zoé Martin").uid)
    db.session.commit()
    login(organiser)
    found = client.get(f"/admin/events/{event.uid}/checkin?q=kerv").text
    action = f"/admin/events/{event.uid}/checkin/{ours.uid}?q=kerv"
    assert f'action="{action}"' in found
    response = client.post(action)
    assert response.status_code == 302 and response.location == f"/admin/events/{event.uid}/checkin?q=kerv"
    door = client.get(response.location).text
    assert "Yann Kervella is checked in." in door and "Zoé Martin" not in door
    assert f'action="/admin/events/{event.uid}/checkin/{ours.uid}/undo?q=kerv"' in door
    undone = client.post(f"/admin/events/{event.uid}/checkin/{ours.uid}/undo?q=kerv", follow_redirects=True).text
    assert "The check-in of Yann Kervella is undone." in undone


def test_a_badges_code_leads_the_door_to_its_bearer(app, client, login, organiser, make_event, make_person):
    """Each badge carries a QR code of its door page on this portal: scanned by an organiser's
    phone, it shows that one person, checked in with one tap."""
    import segno

    event = make_event(today=True)
    came = register(event, make_person(display_name="Yann Kervella").uid)
    register(event, make_person(display_name="Zoé Martin").uid)
    gone = register(event, make_person(display_name="Anne Leroy").uid)
    db.session.commit()
    cancel_registration(gone)
    db.session.commit()
    login(organiser)
    badges = client.get(f"/admin/events/{event.uid}/badges").text
    assert f'src="/admin/events/{event.uid}/checkin/{came.uid}/qr.svg"' in badges
    code = client.get(f"/admin/events/{event.uid}/checkin/{came.uid}/qr.svg")
    door = f"{app.config['BASE_URL']}/admin/events/{event.uid}/checkin/{came.uid}"
    assert code.mimetype == "image/svg+xml" and "private" in code.headers["Cache-Control"]
    expected = io.BytesIO()
    segno.make(door, error="m").save(expected, kind="svg", scale=6, border=2, xmldecl=False)
    assert code.data == expected.getvalue()  # the code holds exactly the door page's address
    page = client.get(door.removeprefix(app.config["BASE_URL"])).text
    assert "Yann Kervella" in page and "Zoé Martin" not in page and "Badge scanned." in page
    assert f'hx-post="/admin/events/{event.uid}/checkin/{came.uid}"' in page
    client.post(f"/admin/events/{event.uid}/checkin/{came.uid}", headers=HTMX)
    assert db.session.get(Registration, came.uid).checked_in is True
    assert "this registration was cancelled" in client.get(f"/admin/events/{event.uid}/checkin/{gone.uid}").text
    assert client.get(f"/admin/events/{event.uid}/checkin/{uuid.uuid4()}").status_code == 404
    assert client.get(f"/admin/events/{event.uid}/checkin/{uuid.uuid4()}/qr.svg").status_code == 404


def test_a_check_in_at_the_leads_door_reaches_the_registration_at_home(make_event, make_person, make_replica):
    """On a co-host: the lead's decision says its door checked our member in; we publish it."""
    from portal.events.registration_models import RegistrationDecision

    event = make_replica(Event, "lead-a", title="Theirs", starts_at=utcnow(), ends_at=utcnow() + timedelta(hours=8),
                         timezone="Europe/Paris", co_hosts=["test-cluster"], capacity=10)
    ours = register(event, make_person(display_name="Yann Kervella").uid)
    db.session.commit()
    decision = make_replica(RegistrationDecision, "lead-a", event_uid=event.uid, registration_uid=ours.uid,
                            status="confirmed")
    version = ours.version
    decision.fed_load(dict(decision.fed_data(), checked_in=True))
    decision.fed_after_apply(db.session)
    db.session.commit()
    assert ours.checked_in is True and ours.version == version + 1  # published to every host
    decision.fed_load(dict(decision.fed_data(), message="See you"))  # another change: the check-in stays
    decision.fed_after_apply(db.session)
    assert ours.checked_in is True
    decision.fed_load(dict(decision.fed_data(), checked_in=False))  # the lead's door undid it
    decision.fed_after_apply(db.session)
    db.session.commit()
    assert ours.checked_in is False


def test_only_confirmed_registrations_are_checked_in_and_counted(client, login, organiser, make_event, make_person):
    event = make_event(capacity=2, today=True)
    came = register(event, make_person(display_name="Anne Confirmed").uid)
    refused = register(event, make_person(display_name="Bruno Refused").uid)
    db.session.commit()
    waiting = register(event, make_person(display_name="Chloé Waiting").uid)
    gone = register(event, make_person(display_name="David Gone").uid)
    db.session.commit()
    refuse(refused)
    cancel_registration(gone)
    db.session.commit()
    assert (came.decision.status, refused.decision.status, waiting.decision.status) == (
        "confirmed", "refused", "confirmed")  # Chloé took the refused place
    waitlisted = register(event, make_person(display_name="Eve Waitlisted").uid)
    db.session.commit()
    assert waitlisted.decision.status == "waitlisted"
    login(organiser)
    page = client.get(f"/admin/events/{event.uid}/checkin").get_data(as_text=True)
    assert "Checked in: 0 of 2 confirmed." in page
    for registration in (refused, waitlisted):
        row = re.search(rf'<li class="door-row" id="door-{registration.uid}">.*?</li>', page, re.S).group(0)
        assert "Check in" not in row and "Registration not confirmed: it cannot be checked in." in row
        response = client.post(f"/admin/events/{event.uid}/checkin/{registration.uid}", headers=HTMX)
        assert response.status_code == 409 and "Registration not confirmed" in response.get_data(as_text=True)
    assert client.post(f"/admin/events/{event.uid}/checkin/{gone.uid}", headers=HTMX).status_code == 409
    assert db.session.scalars(select(CheckIn)).all() == []
    row = client.post(f"/admin/events/{event.uid}/checkin/{came.uid}", headers=HTMX).get_data(as_text=True)
    count = '<p class="door-count" id="door-count" role="status" hx-swap-oob="true">Checked in: 1 of 2 confirmed.</p>'
    assert count in row
    undone = client.post(f"/admin/events/{event.uid}/checkin/{came.uid}/undo", headers=HTMX).get_data(as_text=True)
    assert "Checked in: 0 of 2 confirmed." in undone


def test_the_door_count_agrees_with_its_numbers_in_french(client, login, organiser, make_event, make_person):
    event = make_event(today=True)
    came = register(event, make_person(display_name="Anne Confirmed").uid)
    db.session.commit()
    login(organiser)
    french = {"Accept-Language": "fr"}
    assert "Présents\u00a0: 0 sur 1 confirmé." in client.get(f"/admin/events/{event.uid}/checkin", headers=french).text
    register(event, make_person(display_name="Bruno Confirmed").uid)
    db.session.commit()
    row = client.post(f"/admin/events/{event.uid}/checkin/{came.uid}", headers=dict(HTMX, **french)).text
    assert "Présents\u00a0: 1 sur 2 confirmés." in row


def test_registrations_per_host_cluster_count_by_decision_without_refused_or_cancelled(
        client, login, organiser, make_event, make_person, make_replica):
    event = make_event(capacity=2, co_hosts=["host-b"])
    people = [register(event, make_person().uid) for _ in range(2)]
    db.session.commit()
    waiting, gone = register(event, make_person().uid), register(event, make_person().uid)
    db.session.commit()
    refuse(people[1])  # its place goes to `waiting`
    cancel_registration(gone)
    register(event, make_person().uid)  # waits
    db.session.commit()
    assert waiting.decision.status == "confirmed"
    make_replica(Registration, "host-b", event_uid=event.uid, person_uid=make_person().uid, role="attendee",
                 b2b=False, status="registered")  # the lead puts it on the waiting list
    login(organiser)
    page = client.get(f"/admin/events/{event.uid}").text
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>', page)
    assert rows == [("host-b", "0", "1", "0"), ("Test Cluster", "2", "1", "0")]
    assert "Refused and cancelled registrations are not counted." in page
    invite = client.get(f"/admin/events/{event.uid}/invite").text
    assert re.search(r"Confirmed registrations per host cluster:\s*host-b 0 · Test Cluster 2</p>", invite)


def test_organiser_refuses_and_the_waiting_list_moves(client, login, organiser, make_event, make_person):
    event = make_event(capacity=1)
    first = register(event, make_person().uid)
    db.session.commit()
    second = register(event, make_person().uid)
    db.session.commit()
    login(organiser)
    client.post(f"/admin/events/{event.uid}/decisions/{first.uid}/refuse", data={"message": "Duplicate."})
    assert second.decision.status == "confirmed" and first.decision.status == "refused"
    page = client.get(f"/admin/events/{event.uid}/attendees").get_data(as_text=True)
    assert "Duplicate." in page and "1 registration of the waiting list is confirmed: Anne Le Goff." in page


def test_organisers_confirm_one_of_the_waiting_list_beyond_the_capacity(client, login, organiser, make_event,
                                                                       make_person):
    """A refusal taken back queues again; "Confirm now" gives a place beyond the capacity, and a
    capacity raised later tells whom it confirmed."""
    event = make_event(capacity=1)
    first, second, third = (register(event, make_person(display_name=name).uid)
                            for name in ("Anne Le Goff", "Bruno Morvan", "Chloé Riou"))
    db.session.commit()
    login(organiser)
    client.post(f"/admin/events/{event.uid}/decisions/{first.uid}/refuse", data={"message": ""})
    page = client.post(f"/admin/events/{event.uid}/decisions/{first.uid}/reconsider", follow_redirects=True).text
    assert "The registration is queued again, at its place on the waiting list" in page
    assert [r.decision.status for r in (first, second, third)] == ["waitlisted", "confirmed", "waitlisted"]
    assert page.count(">Confirm now</button>") == 2 and "beyond the event's capacity (1)?" in page
    page = client.post(f"/admin/events/{event.uid}/decisions/{third.uid}/confirm", follow_redirects=True).text
    assert "The registration is confirmed, beyond the event&#39;s capacity (1)." in page
    assert [r.decision.status for r in (first, second, third)] == ["waitlisted", "confirmed", "confirmed"]
    assert page.count(">Confirm now</button>") == 1
    again = client.post(f"/admin/events/{event.uid}/decisions/{second.uid}/confirm", follow_redirects=True).text
    assert "Only a registration on the waiting list can be confirmed by hand." in again
    guest = make_person(display_name="Dana Guest")
    page = client.post(f"/admin/events/{event.uid}/attendees/register", follow_redirects=True,
                       data={"person_uid": guest.uid, "role": "special_guest"}).text
    assert "Dana Guest is registered, as special guest." in page
    assert "The event is full: Dana Guest is on the waiting list." in page
    page = client.post(f"/admin/events/{event.uid}/edit", follow_redirects=True, data={
        "title": event.title, "timezone": "Europe/Paris", "starts_at": "2049-03-18T09:00",
        "ends_at": "2049-03-18T17:00", "capacity": "4", "registration_open": "y"}).text
    assert "The event is saved." in page
    assert "2 registrations of the waiting list are confirmed: Anne Le Goff, Dana Guest." in page
    assert first.decision.status == "confirmed"


def test_the_door_opens_on_the_day_of_the_event(client, login, organiser, make_event, make_person):
    event = make_event()  # 18 March 2049
    registration = register(event, make_person(display_name="Anne Early").uid)
    db.session.commit()
    assert registration.decision.status == "confirmed"
    login(organiser)
    page = client.get(f"/admin/events/{event.uid}/checkin").get_data(as_text=True)
    assert "Check-in opens on the day of the event, Thursday, 18 March 2049." in page
    assert "Anne Early" in page and "Check in<span" not in page
    response = client.post(f"/admin/events/{event.uid}/checkin/{registration.uid}", headers=HTMX)
    assert response.status_code == 409 and "Check in<span" not in response.get_data(as_text=True)
    refused = client.post(f"/admin/events/{event.uid}/checkin/{registration.uid}", follow_redirects=True)
    assert "Check-in opens on the day of the event, Thursday, 18 March 2049." in refused.get_data(as_text=True)
    assert db.session.scalars(select(CheckIn)).all() == [] and not registration.checked_in


def test_invitations_go_once_to_the_segment(client, login, organiser, make_event, make_user, make_organisation):
    event = make_event()
    farm = make_organisation(name="Ferme", kind="end_user", sectors=["agrifood"])
    lab = make_organisation(name="Lab", kind="research", sectors=["health"])
    farmer = make_user(email="farmer@example.org", organisation_uid=farm.uid)
    make_user(email="lab@example.org", organisation_uid=lab.uid)
    login(organiser)
    page = client.get(f"/admin/events/{event.uid}/invite").text
    assert f'hx-post="/admin/events/{event.uid}/invite/preview"' in page  # a long note would not fit an address
    preview = client.post(f"/admin/events/{event.uid}/invite/preview", headers=HTMX,
                          data={"sectors": ["agrifood"], "note": "Venez nombreux é " * 110}).text
    assert "1 member in this segment" in preview and "Invitation: Photonics meets agrifood" in preview
    assert "Venez nombreux é" in preview and db.session.scalars(select(OutboxMessage)).all() == []
    assert "Send 1 invitation</button>" in preview  # the button says how many mails go, and asks first
    assert 'name="confirm_question" value="Send 1 invitation e-mail now? It cannot be taken back."' in preview
    for count in ("1 invitation queued;", "0 invitations queued;"):
        sent = client.post(f"/admin/events/{event.uid}/invite", data={"sectors": ["agrifood"], "note": "Come!"})
        assert sent.headers["Location"].endswith(f"/admin/events/{event.uid}/invite?sectors=agrifood")  # same segment
        again = client.get(f"/admin/events/{event.uid}/invite?sectors=agrifood").text
        assert count in again
    assert '<button type="submit" disabled>Nobody to invite in this segment</button>' in again
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert [m.to for m in mails] == ["farmer@example.org"]
    assert mails[0].dedupe_key == f"invite:{event.uid}:{farmer.person_uid}" and "Come!" in mails[0].body
    assert db.session.scalars(select(EventInvitation.person_uid)).all() == [farmer.person_uid]
    register(event, farmer.person_uid)
    db.session.commit()
    page = client.get(f"/admin/events/{event.uid}/invite").get_data(as_text=True)
    assert "Invited so far: 1, of whom 1 registered" in page
    refused = client.post(f"/admin/events/{event.uid}/invite", data={"sectors": ["health"], "note": "x" * 2001})
    assert refused.status_code == 422 and 'id="note-error"' in refused.text and "x" * 2001 in refused.text
    assert db.session.scalars(select(EventInvitation.person_uid)).all() == [farmer.person_uid]  # nothing sent


def test_a_segment_is_in_every_criterion_chosen_and_leaves_the_organisers_out(login, organiser, make_event,
                                                                            make_user, make_organisation):
    event = make_event()
    farm = make_organisation(name="Ferme", kind="end_user", sectors=["agrifood"])
    coop = make_organisation(name="Coop", kind="integrator", sectors=["agrifood", "health"])
    lab = make_organisation(name="Lab", kind="end_user", sectors=["health"])
    for email, organisation in (("farmer@example.org", farm), ("coop@example.org", coop), ("lab@example.org", lab)):
        make_user(email=email, organisation_uid=organisation.uid)
    make_user(email="staff@example.org", organisation_uid=farm.uid, role="admin")
    past = make_event()
    register(past, db.session.scalars(select(User.person_uid).where(User.email == "lab@example.org")).one())
    db.session.commit()

    def segment(**criteria):
        return sorted(user.email for user, _ in invitations.recipients(event, **criteria))

    # A sector among those ticked, and a kind among those ticked: "agrifood end users" is the farm.
    assert segment(sectors=["agrifood"], kinds=["end_user"]) == ["farmer@example.org"]
    assert segment(sectors=["agrifood", "health"]) == ["coop@example.org", "farmer@example.org", "lab@example.org"]
    assert segment(kinds=["end_user"], past_participants=True) == ["lab@example.org"]
    assert "staff@example.org" not in segment()  # everyone, but the organisers who send it


def test_members_already_registered_are_not_invited(client, login, organiser, make_event, make_user,
                                                    make_organisation):
    event = make_event()
    farm = make_organisation(name="Ferme", kind="end_user", sectors=["agrifood"])
    farmer = make_user(email="farmer@example.org", organisation_uid=farm.uid)
    make_user(email="grower@example.org", organisation_uid=farm.uid)
    register(event, farmer.person_uid)
    db.session.commit()
    login(organiser)
    preview = client.get(f"/admin/events/{event.uid}/invite?sectors=agrifood", headers=HTMX).text
    assert "2 members in this segment" in preview and "1 to invite (neither invited yet nor registered)." in preview
    assert "1 is registered already." in preview
    client.post(f"/admin/events/{event.uid}/invite", data={"sectors": ["agrifood"]})
    invited = db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.startswith("invite:"))).all()
    assert [m.to for m in invited] == ["grower@example.org"]


def test_an_invitation_is_written_and_previewed_in_its_recipients_language(client, login, organiser, make_event,
                                                                            make_user):
    event = make_event()
    member = make_user(email="fr@example.org", display_name="Anne")
    member.language = "fr"
    make_user(email="en@example.org", display_name="Bruno").language = "en"
    db.session.commit()
    login(organiser)  # who browses in English
    preview = client.get(f"/admin/events/{event.uid}/invite", headers=HTMX).get_data(as_text=True)
    assert "Invitation\u00a0: Photonics meets agrifood" in preview  # the first member's (Anne's) mail
    client.post(f"/admin/events/{event.uid}/invite", data={})
    mails = {m.to: m.subject for m in db.session.scalars(select(OutboxMessage))}
    assert mails == {"fr@example.org": "Invitation\u00a0: Photonics meets agrifood",
                     "en@example.org": "Invitation: Photonics meets agrifood"}


def test_planner_counts_per_cluster():
    listings = [
        {"origin": "a", "kind": "offer", "organisation_uid": "o1", "title": "Hyperspectral camera", "summary": "",
         "keywords": ["imaging"], "sectors": ["photonics"]},
        {"origin": "b", "kind": "need", "organisation_uid": "o2", "title": "Detect fungus on grapes", "summary": "",
         "keywords": ["imaging", "vineyard"], "sectors": ["agrifood"]},
        {"origin": "b", "kind": "need", "organisation_uid": "o3", "title": "Sort apples", "summary": "by imaging",
         "keywords": [], "sectors": ["agrifood"]},
        {"origin": "x", "kind": "offer", "organisation_uid": "o4", "title": "Imaging", "summary": "", "keywords": [],
         "sectors": []},
    ]
    per_cluster, total, matched = planner.plan(listings, "Imaging, lidar", [], ["a", "b"])
    assert (per_cluster["a"].offers, per_cluster["b"].needs, per_cluster["b"].organisations) == (1, 2, {"o2", "o3"})
    assert (total.offers, total.needs, total.balance, len(matched)) == (1, 2, 0.5, 3)
    per_cluster, total, _ = planner.plan(listings, "imaging", ["photonics"], ["a", "b"])
    assert (total.offers, total.needs, total.balance) == (1, 0, None)
    assert planner.plan(listings, "", [], ["a"]) == ({}, None, [])
    listings[0]["title"] = "Caméra hyperspectrale"
    assert planner.plan(listings, "camera", [], ["a"])[1].offers == 1  # accents aside, both ways
    assert planner.plan(listings, "spéctrale", [], ["a"])[1].offers == 1


def test_planner_page_answers_htmx_with_its_fragment(client, login, organiser, make_listing):
    make_listing(title="Fibre sensing for bridges", keywords=["fibre sensing"])
    login(organiser)
    html = client.get("/admin/events/planner?keywords=fibre", headers=HTMX).get_data(as_text=True)
    assert html.lstrip().startswith('<section id="planner-results"') and "Test Cluster" in html


def test_planner_counts_what_the_directory_shows(client, login, organiser, make_listing):
    """Closed and expired listings are not on offer: the directory hides them, so does the planner."""
    make_listing(title="Fibre sensing for bridges")
    make_listing(title="Fibre lasers", valid_until=date.today() - timedelta(days=1))
    make_listing(title="Fibre couplers", status="closed")
    login(organiser)
    html = client.get("/admin/events/planner?keywords=fibre", headers=HTMX).get_data(as_text=True)
    assert "<p class=\"visually-hidden\" data-announce>1 offer, 0 needs</p>" in html
    assert "Enter keywords" in client.get("/admin/events/planner?keywords=+,+", headers=HTMX).get_data(as_text=True)


def test_budget_totals_per_host_and_per_participant(client, login, organiser, make_event, make_person):
    event = make_event(co_hosts=["host-b"])
    for _ in range(4):
        register(event, make_person().uid)
    db.session.commit()
    login(organiser)
    client.post(f"/admin/events/{event.uid}/budget", data={"category": "room", "label": "Le Quartz", "amount": "1200.50",
                                                          "paid_by": "test-cluster"})
    client.post(f"/admin/events/{event.uid}/budget", data={"category": "catering", "amount": "799.50",
                                                          "paid_by": "host-b"})
    assert db.session.scalars(select(EventCost.amount_cents).order_by(EventCost.id)).all() == [120050, 79950]
    html = client.get(f"/admin/events/{event.uid}/budget").get_data(as_text=True)
    assert "€2,000.00" in html and "€500.00" in html  # total, and per confirmed participant (4)
    totals = html[html.index("Totals on this portal"):html.index("Add a cost")]
    assert "€1,200.50" in totals and "€799.50" in totals and "€0.00" not in totals


def test_an_amount_finer_than_a_cent_is_refused_beside_the_field(client, login, organiser, make_event):
    event = make_event()
    login(organiser)
    response = client.post(f"/admin/events/{event.uid}/budget", headers=HTMX, data={
        "category": "room", "label": "Le Quartz", "amount": "12.345", "paid_by": "test-cluster"})
    assert response.status_code == 422 and 'id="amount-error"' in response.text
    assert "at most two decimals" in response.text and db.session.scalars(select(EventCost)).all() == []


def test_a_host_without_costs_here_is_not_listed_at_zero(client, login, organiser, make_event):
    event = make_event(co_hosts=["host-b"])
    login(organiser)
    client.post(f"/admin/events/{event.uid}/budget", data={"category": "room", "label": "Le Quartz", "amount": "600",
                                                          "paid_by": "test-cluster"})
    html = client.get(f"/admin/events/{event.uid}/budget").text
    totals = html[html.index("Totals on this portal"):html.index("Add a cost")]
    assert "host-b" not in totals and "€0.00" not in totals  # its costs are in its own portal's budget


def test_a_co_hosts_cost_is_paid_by_its_own_cluster_unless_told(client, login, organiser, make_replica):
    """A co-host's organisers keep their own budget: the payer starts at their cluster, not at the
    lead, first among the hosts."""
    from datetime import datetime, timezone

    event = make_replica(Event, "lead-a", title="Elsewhere", co_hosts=["test-cluster"], capacity=10,
                         starts_at=datetime(2049, 5, 1, 7, tzinfo=timezone.utc),
                         ends_at=datetime(2049, 5, 1, 15, tzinfo=timezone.utc), timezone="Europe/Paris")
    login(organiser)
    html = client.get(f"/admin/events/{event.uid}/budget").text
    assert re.search(r'<option selected value="test-cluster">|<option value="test-cluster" selected', html)
    assert not re.search(r'<option selected value="lead-a">|<option value="lead-a" selected', html)


def test_budget_summary_without_participants():
    class Line:
        def __init__(self, paid_by, amount_cents):
            self.paid_by, self.amount_cents = paid_by, amount_cents
    summary = summarise([Line("b", 300), Line("a", 100)], ["a", "b", "c"], 0, 0)
    assert list(summary.per_host.items()) == [("a", 100), ("b", 300)] and summary.total == 400  # "c": not here
    assert summary.per_registered is None and summary.per_checked_in is None


def test_badges_come_eight_to_a_sheet_for_the_confirmed_alone(client, login, organiser, make_event, make_person):
    """As the door checks in: neither the refused nor the waiting list (counted, to print later)."""
    from portal.events.registrations import refuse

    event = make_event(capacity=10)
    made = [register(event, make_person(display_name=f"Person {i}").uid) for i in range(12)]
    db.session.commit()
    refuse(made[0])  # Person 10 takes the place; Person 11 waits
    db.session.commit()
    login(organiser)
    html = client.get(f"/admin/events/{event.uid}/badges").get_data(as_text=True)
    assert html.count('class="badge-sheet"') == 2 and html.count('<article class="name-badge') == 10
    assert "Person 0<" not in html and "Person 10<" in html and "Person 11<" not in html and "print.css" in html
    assert "Only confirmed registrations have a badge: 1 more waits for a place or a decision" in html
    # A badge names its day, as a conference badge does (kept, it tells one event from another).
    assert html.count('<p class="name-badge-event">Photonics meets agrifood · Thursday, 18 March 2049</p>') == 10


def test_a_cancelled_events_invitations_page_says_why_nothing_is_sent(client, login, organiser, make_event):
    from portal.events import services

    event = make_event()
    login(organiser)
    assert "invitations can no longer be sent" not in client.get(f"/admin/events/{event.uid}/invite").text
    services.cancel_event(event)
    db.session.commit()
    page = client.get(f"/admin/events/{event.uid}/invite").text
    assert '<p class="notice" role="status" id="invite-cancelled">This event is cancelled: invitations can no ' \
           'longer be sent.</p>' in page
    assert '<button type="submit" disabled aria-describedby="invite-cancelled">Send the invitations</button>' in page


def test_the_pitch_proposals_read_as_many_times_for_twice_the_proposals(client, organiser, login, make_user, make_event,
                                                                      make_listing):
    event = make_event()
    login(organiser)
    counts = []
    for round in range(2):  # two proposals, each of its listing and its author, then four
        for n in range(2):
            db.session.add(PitchProposal(event_uid=event.uid, listing_uid=make_listing(title=f"Offer {round}{n}").uid,
                                         person_uid=make_user().person_uid, status="proposed"))
        db.session.commit()
        counts.append(page_queries(client, f"/admin/events/{event.uid}/pitches"))
    assert counts[1] == counts[0]
