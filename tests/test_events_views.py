"""Event pages: public pages, registration on the home portal, permissions of hosts and others."""
import json
import html
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.events import queries
from portal.events.formula import FORMULA_KEY
from portal.events.models import AgendaItem, Event
from portal.events.registration_models import Registration, RegistrationDecision
from portal.events.registrations import refuse, register
from portal.extensions import db
from tests.queries import recorded_statements

PARIS = ZoneInfo("Europe/Paris")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def co_hosted(make_replica):
    """An event led by "lead-a" that this portal co-hosts."""
    return make_replica(Event, "lead-a", title="Sensing for vineyards", starts_at=datetime(2049, 6, 3, 9, tzinfo=PARIS),
                        ends_at=datetime(2049, 6, 3, 17, tzinfo=PARIS), timezone="Europe/Paris",
                        co_hosts=["test-cluster"], capacity=20, registration_open=True)


@pytest.fixture
def elsewhere(make_replica):
    """An event of partner clusters this portal does not host."""
    return make_replica(Event, "lead-a", title="Health imaging day", starts_at=datetime(2049, 6, 4, 9, tzinfo=PARIS),
                        ends_at=datetime(2049, 6, 4, 17, tzinfo=PARIS), timezone="Europe/Paris",
                        co_hosts=["other-b"], capacity=20, registration_open=True)


def jsonld(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_upcoming_lists_hosted_and_partner_events(client, make_event, co_hosted, elsewhere, make_peer):
    make_peer("lead-a", "Agri Ouest")
    make_event(title="Lasers for food")
    html = client.get("/events").get_data(as_text=True)
    assert "Lasers for food" in html and "Sensing for vineyards" in html and "Health imaging day" in html
    assert html.index("Health imaging day") > html.index("At partner clusters")
    assert "Agri Ouest" in html


def test_past_events_are_listed_newest_first_and_linked_from_upcoming(client, make_event, make_peer):
    make_event(title="Lasers for food")
    make_event(title="Old photonics day", starts_at=datetime(2020, 3, 18, 9, tzinfo=PARIS),
               ends_at=datetime(2020, 3, 18, 17, tzinfo=PARIS))
    make_event(title="Older sensing day", starts_at=datetime(2019, 3, 18, 9, tzinfo=PARIS),
               ends_at=datetime(2019, 3, 18, 17, tzinfo=PARIS))
    upcoming = client.get("/events").get_data(as_text=True)
    assert "Lasers for food" in upcoming and "Old photonics day" not in upcoming
    assert 'href="/events?when=past"' in upcoming
    past = client.get("/events?when=past").get_data(as_text=True)  # anonymous, like /events
    assert "<h1>Past events</h1>" in past and "Lasers for food" not in past
    assert past.index("Old photonics day") < past.index("Older sensing day")


def test_event_page_is_public_with_hosts_times_and_json_ld(client, make_event, make_peer):
    make_peer("agri-ouest", "Agri Ouest")
    event = make_event(title="Photonics </script><script>alert(1)</script> day", co_hosts=["agri-ouest"],
                       template=FORMULA_KEY)
    response = client.get(f"/events/{event.uid}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Co-hosted by" in html and "Agri Ouest" in html and "Test Cluster" in html
    assert "09:00–17:00 CET" in html and "Europe/Paris" in html
    assert "</script><script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    data = jsonld(html)
    assert data["@type"] == "Event" and data["name"].startswith("Photonics </script>")
    assert data["startDate"] == "2049-03-18T09:00:00+01:00"
    assert data["location"]["address"]["addressLocality"] == "Brest"
    assert [o["name"] for o in data["organizer"]] == ["Test Cluster", "Agri Ouest"]
    assert len(data["subEvent"]) == len(event.items)
    assert 'property="og:title"' in html and 'name="twitter:card"' in html


def test_the_venue_names_the_city_once(client, make_event):
    plain = make_event()
    assert "Le Quartz, 60 rue du Château, Brest, France" in client.get(f"/events/{plain.uid}").get_data(as_text=True)
    full = make_event(venue_address="60 rue du Château, 29200 Brest")
    html = client.get(f"/events/{full.uid}").get_data(as_text=True)
    assert "Le Quartz, 60 rue du Château, 29200 Brest, France" in html and "Brest, Brest" not in html
    ics = client.get(f"/events/{full.uid}.ics").get_data(as_text=True)
    assert "Brest\\, Brest" not in ics and "29200 Brest" in ics


def test_event_mails_write_the_place_without_a_stray_comma(client, login, make_user, make_event):
    from portal.mail.models import OutboxMessage

    event = make_event(venue_name="", venue_address="", venue_city="Rennes")
    login(make_user(email="member@example.org"))
    client.post(f"/events/{event.uid}/register", data={"role": "attendee", "consent": "y"})
    login(make_user(role="admin"))
    client.post(f"/admin/events/{event.uid}/cancel")
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == "member@example.org")
                               .order_by(OutboxMessage.id)).all()
    assert [m.subject for m in mails] == ["Your place at Photonics meets agrifood is confirmed",
                                          "Cancelled: Photonics meets agrifood"]
    for mail in mails:
        assert "\nRennes, France\n" in mail.body and ", Rennes" not in mail.body
    assert "<p>France</p>" in client.get(f"/events/{make_event(venue_name='', venue_address='', venue_city='').uid}").text


def test_a_special_guest_without_open_needs_leads_to_its_profile(client, make_event, make_organisation, make_person):
    event = make_event()
    guest = make_organisation(name="Coopérative du Léon", kind="end_user", special_guest=True)
    register(event, make_person(organisation_uid=guest.uid).uid, role="special_guest")
    db.session.commit()
    html = client.get(f"/events/{event.uid}").get_data(as_text=True)
    assert "Coopérative du Léon" in html and f'<a href="/organisations/{guest.uid}">See its profile</a>' in html


def test_agenda_page_shows_the_timeline_with_its_zone(client, make_event):
    event = make_event(template=FORMULA_KEY)
    html = client.get(f"/events/{event.uid}/agenda").get_data(as_text=True)
    assert "All times in Europe/Paris." in html and "09:00–09:30 CET" in html
    assert "Technology providers present their offers" in html


def test_the_agenda_page_names_its_event_on_paper(client, make_event):
    """Printed, the page loses its back link (no-print): the title and place must stand on their own."""
    event = make_event(template=FORMULA_KEY, title="Lasers meet farms")
    html = client.get(f"/events/{event.uid}/agenda").text
    assert "<h1>Lasers meet farms</h1>" in html and "<h2>Agenda</h2>" in html
    assert '<p class="event-where">Le Quartz, 60 rue du Château, Brest, France</p>' in html


def test_qr_code_and_poster(client, make_event):
    event = make_event()
    svg = client.get(f"/events/{event.uid}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and svg.get_data(as_text=True).startswith(
        '<svg xmlns="http://www.w3.org/2000/svg"')  # an <img> draws no SVG without its namespace
    poster = client.get(f"/events/{event.uid}/poster").get_data(as_text=True)
    assert f"/events/{event.uid}/qr.svg" in poster and "print.css" in poster
    elsewhere = make_event(venue_name="", venue_city="Rennes & Brest")
    poster = client.get(f"/events/{elsewhere.uid}/poster").text
    assert '<p class="poster-where">Rennes &amp; Brest</p>' in poster  # no ", Rennes"


def test_public_links_name_the_portals_address_whatever_the_host_header(client, make_event):
    """The QR code is cached publicly: a forged Host header must not end up in it, nor in the
    poster, the page's og:url and JSON-LD, or the calendar file."""
    event = make_event()
    evil = {"Host": "evil.example"}
    link = f"http://test-cluster.example/events/{event.uid}"
    pages = [client.get(f"/events/{event.uid}{path}", headers=evil).get_data(as_text=True).replace("\r\n ", "")
             for path in ("", "/poster", ".ics")]  # (calendar lines are folded at 75 octets)
    assert all(link in page and "evil.example" not in page for page in pages)
    plain = client.get(f"/events/{event.uid}/qr.svg").data
    assert client.get(f"/events/{event.uid}/qr.svg", headers=evil).data == plain


def test_member_registers_with_consent_naming_the_hosts(client, login, make_user, make_event, make_peer):
    make_peer("agri-ouest", "Agri Ouest")
    event = make_event(co_hosts=["agri-ouest"])
    user = login(make_user())
    form = client.get(f"/events/{event.uid}/register").get_data(as_text=True)
    assert "Test Cluster, Agri Ouest" in form and "<h1>Register for" in form
    refused = client.post(f"/events/{event.uid}/register", data={"role": "attendee"}, headers=HTMX)
    assert refused.status_code == 422 and "Your agreement is needed" in refused.get_data(as_text=True)
    done = client.post(f"/events/{event.uid}/register", data={"role": "attendee", "consent": "y"})
    assert done.status_code == 303
    registration = db.session.scalars(select(Registration)).one()
    assert registration.person_uid == user.person_uid and registration.origin == "test-cluster"
    page = client.get(f"/events/{event.uid}").get_data(as_text=True)
    assert "Your registration: attendee," in page and ">confirmed</strong>" in page
    again = client.get(f"/events/{event.uid}/register").get_data(as_text=True)
    assert "<h1>My registration for" in again and "Update my registration" in again
    assert re.search(r'<input checked[^>]*name="consent"', again)  # agreed once: no ticking again to change


def test_the_consent_says_who_sees_a_b2b_participant(client, login, make_user, make_event, make_b2b_event,
                                                    make_peer):
    """The B2B catalogue (meetings.queries.participants) shows a participant with their listings to every
    approved member of a host's portal: of ours always, of the others' while the profile is shared."""
    make_peer("agri-ouest", "Agri Ouest")
    login(make_user())
    shared = "The approved members of the other host clusters' portals see it too, while your profile is shared"
    alone = client.get(f"/events/{make_b2b_event().uid}/register").text
    assert ("in the event's list of B2B participants: your name, job title, organisation and role, with the offers "
            "and needs of you and your organisation. The approved members of Test Cluster see it") in alone
    assert shared not in alone
    co_hosted = client.get(f"/events/{make_b2b_event(co_hosts=['agri-ouest']).uid}/register").text
    assert "list of B2B participants" in co_hosted and shared in co_hosted
    assert "list of B2B participants" not in client.get(f"/events/{make_event().uid}/register").text


def test_a_member_who_does_not_share_is_told_what_partners_see_and_where_to_change_it(
        client, login, make_user, make_b2b_event, make_peer):
    make_peer("agri-ouest", "Agri Ouest")
    login(make_user(share_profile=False))
    page = client.get(f"/events/{make_b2b_event(co_hosts=['agri-ouest']).uid}/register").text
    assert "will see your registration without your name until you share your profile" in page
    assert "Their members would see your meeting requests as coming from “a participant”." in page
    assert 'href="/account#consent-heading"' in page


def flash_after(client, event, **data):
    response = client.post(f"/events/{event.uid}/register", data={"role": "attendee", "consent": "y", **data},
                           follow_redirects=True)
    return html.unescape(re.search(r'<p class="flash[^"]*"[^>]*>([^<]*)</p>', response.get_data(as_text=True)).group(1))


def test_the_message_after_registering_says_what_the_lead_decided(client, login, make_user, make_event, co_hosted):
    event = make_event(capacity=1)
    login(make_user())
    assert flash_after(client, event) == "You are registered: your place is confirmed."
    assert flash_after(client, event, role="speaker") == "Your registration is updated; your place stays confirmed."
    login(make_user())
    assert flash_after(client, event) == ("You are registered, on the waiting list: you will be told when a place "
                                          "frees up.")
    assert flash_after(client, event) == "Your registration is updated; you are still on the waiting list."
    refuse(db.session.scalars(select(Registration).order_by(Registration.received_at.desc())).first())
    db.session.commit()
    assert flash_after(client, event, role="speaker") == "Your registration is saved, but the lead cluster has refused it."
    box = client.get(f"/events/{event.uid}").text
    assert ">refused</strong>" in box and "Change my registration" not in box  # a change stays refused
    # On a co-host's portal the lead decides later.
    places = ("The lead cluster's portal gives the places automatically, in the order registrations reach it, "
              "and puts you on the waiting list once the event is full: you will be told by e-mail.")
    assert flash_after(client, co_hosted) == "You are registered."
    assert flash_after(client, co_hosted) == "Your registration is updated."
    box = client.get(f"/events/{co_hosted.uid}").text
    assert "awaiting the lead&#39;s decision</strong>" in box and places in box


def test_after_registering_on_a_co_host_the_page_says_how_places_are_given_once(client, login, make_user,
                                                                                co_hosted):
    login(make_user())
    page = client.post(f"/events/{co_hosted.uid}/register", data={"role": "attendee", "consent": "y"},
                       follow_redirects=True).text
    assert '<p class="flash' in page and html.unescape(page).count("gives the places automatically") == 1


def test_a_full_event_says_registering_now_means_the_waiting_list(client, login, make_user, make_event, make_person,
                                                                  make_replica):
    event = make_event(capacity=2)
    login(make_user())
    assert "waiting list" not in client.get(f"/events/{event.uid}").text
    register(event, make_person().uid)
    db.session.commit()
    assert '<p class="places-left">1 place left, of 2.</p>' in client.get(f"/events/{event.uid}").text
    register(event, make_person().uid)
    db.session.commit()
    page = client.get(f"/events/{event.uid}").text
    assert "The event is full: if you register now, you go on the waiting list" in page
    assert "The event is full: if you register now" in client.get(f"/events/{event.uid}/register").text
    # A co-host knows what the lead's replicated decisions say, and says it no more surely than that.
    theirs = make_replica(Event, "lead-a", title="Theirs", starts_at=datetime(2049, 6, 3, 9, tzinfo=PARIS),
                          ends_at=datetime(2049, 6, 3, 17, tzinfo=PARIS), timezone="Europe/Paris",
                          co_hosts=["test-cluster"], capacity=1, registration_open=True)
    assert "waiting list" not in client.get(f"/events/{theirs.uid}").text
    other = make_replica(Registration, "lead-a", event_uid=theirs.uid, person_uid=make_person().uid, role="attendee",
                         b2b=False, status="registered")
    make_replica(RegistrationDecision, "lead-a", event_uid=theirs.uid, registration_uid=other.uid, status="confirmed")
    page = client.get(f"/events/{theirs.uid}").text
    assert ("The event was full when this portal last heard from the lead cluster: if you register now, you will "
            "most likely go on the waiting list") in page


@pytest.mark.parametrize("role", ["organiser", "special_guest"])
def test_a_member_cannot_give_themselves_an_organisers_role(client, login, make_user, make_event, role):
    event = make_event()
    login(make_user())
    form = client.get(f"/events/{event.uid}/register").get_data(as_text=True)
    assert 'value="attendee"' in form and 'value="speaker"' in form
    assert 'value="organiser"' not in form and 'value="special_guest"' not in form
    forged = client.post(f"/events/{event.uid}/register", headers=HTMX, data={"role": role, "consent": "y"})
    assert forged.status_code == 422 and "Organisers give this role" in forged.get_data(as_text=True)
    assert db.session.scalars(select(Registration)).all() == []


def test_a_role_given_by_the_organisers_is_kept_when_the_member_updates(client, login, make_user, make_event):
    event = make_event()
    user = login(make_user())
    register(event, user.person_uid, role="special_guest")
    db.session.commit()
    assert 'value="special_guest"' in client.get(f"/events/{event.uid}/register").get_data(as_text=True)
    assert client.post(f"/events/{event.uid}/register",
                       data={"role": "special_guest", "consent": "y"}).status_code == 303
    assert db.session.scalars(select(Registration)).one().role == "special_guest"


def test_the_registration_reads_as_one_sentence_in_french(client, login, make_user, make_event):
    from flask_babel import refresh

    event = make_event()
    user = login(make_user())
    register(event, user.person_uid)
    db.session.commit()
    refresh()
    page = client.get(f"/events/{event.uid}", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert "Votre inscription\u00a0: participant," in page and ">confirmée</strong>" in page
    assert "inscrit en tant que" not in page


def test_b2b_window_must_lie_inside_the_block(client, login, make_user, make_event):
    event = make_event(b2b_enabled=True, b2b_starts_at=datetime(2049, 3, 18, 14, tzinfo=PARIS),
                       b2b_ends_at=datetime(2049, 3, 18, 17, tzinfo=PARIS))
    login(make_user())
    outside = client.post(f"/events/{event.uid}/register", headers=HTMX, data={
        "role": "attendee", "consent": "y", "b2b": "y",
        "available_from": "2049-03-18T13:00", "available_until": "2049-03-18T15:00"})
    assert outside.status_code == 422 and "inside the B2B block" in outside.get_data(as_text=True)
    inside = client.post(f"/events/{event.uid}/register", data={
        "role": "attendee", "consent": "y", "b2b": "y",
        "available_from": "2049-03-18T14:30", "available_until": "2049-03-18T16:00"})
    assert inside.status_code == 303
    registration = db.session.scalars(select(Registration)).one()
    assert registration.b2b and registration.available_from == datetime(2049, 3, 18, 14, 30, tzinfo=PARIS)


def test_registering_again_after_cancelling_starts_from_the_earlier_choices_but_the_agreement(
        client, login, make_user, make_event):
    event = make_event(b2b_enabled=True, b2b_starts_at=datetime(2049, 3, 18, 14, tzinfo=PARIS),
                       b2b_ends_at=datetime(2049, 3, 18, 17, tzinfo=PARIS))
    login(make_user())
    client.post(f"/events/{event.uid}/register", data={
        "role": "speaker", "consent": "y", "b2b": "y",
        "available_from": "2049-03-18T14:30", "available_until": "2049-03-18T16:00"})
    client.post(f"/events/{event.uid}/cancel-registration")
    again = client.get(f"/events/{event.uid}/register").text
    assert re.search(r'<input checked[^>]*name="b2b"', again) and not re.search(r'<input checked[^>]*name="consent"', again)
    assert 'name="available_from" type="time" value="14:30"' in again and 'type="time" value="16:00"' in again
    assert re.search(r'<option selected value="speaker">', again)


def test_the_b2b_windows_times_are_described_by_their_time_zone(client, login, make_user, make_event):
    """'Times in Europe/Paris.' sat under the two fields, read by nobody who tabbed to them."""
    event = make_event(b2b_enabled=True, b2b_starts_at=datetime(2049, 3, 18, 14, tzinfo=PARIS),
                       b2b_ends_at=datetime(2049, 3, 18, 17, tzinfo=PARIS))
    login(make_user())
    page = client.get(f"/events/{event.uid}/register").get_data(as_text=True)
    assert '<small id="b2b-window-zone">Times in Europe/Paris.</small>' in page
    # "Until" alone says nothing: the two fields are a group named by what they are for.
    assert re.search(r'<fieldset class="b2b-window" data-b2b-window>\s*<legend>Available for meetings</legend>', page)
    for name in ("available_from", "available_until"):
        assert re.search(rf'<input aria-describedby="b2b-window-zone" id="{name}"', page), name
    refused = client.post(f"/events/{event.uid}/register", headers=HTMX, data={
        "role": "attendee", "consent": "y", "b2b": "y", "available_from": "15:00", "available_until": "25:00"}).text
    assert '<input aria-describedby="available_until-error b2b-window-zone" aria-invalid="true"' in refused


def test_a_one_day_b2b_window_is_typed_as_times_of_that_day(client, login, make_user, make_event):
    event = make_event(b2b_enabled=True, b2b_starts_at=datetime(2049, 3, 18, 14, tzinfo=PARIS),
                       b2b_ends_at=datetime(2049, 3, 18, 17, 20, tzinfo=PARIS))
    login(make_user())
    page = client.get(f"/events/{event.uid}/register").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="available_from"[^>]*max="17:20" min="14:00"[^>]*type="time"[^>]*value="14:00"', page)
    refused = client.post(f"/events/{event.uid}/register", headers=HTMX, data={
        "role": "attendee", "consent": "y", "b2b": "y", "available_from": "15:00", "available_until": "25:00"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and re.search(r'id="available_until-error"[^>]*>Give a time of day, such as 14:30.',
                                                    page)
    assert re.search(r'id="available_from"[^>]*value="15:00"', page)  # kept as typed
    assert client.post(f"/events/{event.uid}/register", data={
        "role": "attendee", "consent": "y", "b2b": "y", "available_from": "14:30", "available_until": "16:00"}
    ).status_code == 303
    registration = db.session.scalars(select(Registration)).one()
    assert (registration.available_from, registration.available_until) == (
        datetime(2049, 3, 18, 14, 30, tzinfo=PARIS), datetime(2049, 3, 18, 16, tzinfo=PARIS))
    page = client.get(f"/events/{event.uid}/register").get_data(as_text=True)
    assert re.search(r'id="available_until"[^>]*value="16:00"', page)  # a change starts from the window chosen


def test_every_registration_error_shows_at_once_beside_its_field(client, login, make_user, make_b2b_event):
    event = make_b2b_event()
    login(make_user())
    refused = client.post(f"/events/{event.uid}/register", headers=HTMX, data={
        "role": "attendee", "b2b": "y", "available_from": "2049-03-18T16:00", "available_until": "2049-03-18T15:00"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'id="consent-error"[^>]*>Your agreement is needed', page)
    assert re.search(r'id="available_until-error"[^>]*>Your window must lie inside the B2B block, 14:00–16:00 CET,',
                     page)  # the block's times, beside the field
    assert db.session.scalars(select(Registration)).all() == []


def test_a_b2b_choice_on_an_event_without_b2b_is_refused_not_a_crash(client, login, make_user, make_event):
    """The window is checked even when a field failed: a forged B2B choice has no block to check it against."""
    event = make_event()
    login(make_user())
    refused = client.post(f"/events/{event.uid}/register", headers=HTMX,
                          data={"role": "attendee", "consent": "y", "b2b": "y"})
    assert refused.status_code == 422 and db.session.scalars(select(Registration)).all() == []


def test_member_of_a_co_host_registers_at_home_and_the_lead_decides(client, login, make_user, co_hosted):
    login(make_user())
    assert client.post(f"/events/{co_hosted.uid}/register", data={"role": "speaker", "consent": "y"}).status_code == 303
    registration = db.session.scalars(select(Registration)).one()
    assert registration.decision is None  # the lead decides, on its own portal
    assert "awaiting the lead" in client.get(f"/events/{co_hosted.uid}").get_data(as_text=True)
    # The lead's decision arrives as a replica: the member sees it here.
    db.session.add(RegistrationDecision(uid="d-1", origin="lead-a", version=1, event_uid=co_hosted.uid,
                                        registration_uid=registration.uid, status="waitlisted", message="Full."))
    db.session.commit()
    page = client.get(f"/events/{co_hosted.uid}").get_data(as_text=True)
    assert "on the waiting list" in page and "Full." in page


def test_nobody_registers_here_for_an_event_we_do_not_host(client, login, make_user, elsewhere):
    login(make_user())
    refused = client.get(f"/events/{elsewhere.uid}/register")
    assert refused.status_code == 403 and "register on their own cluster" in refused.text  # not a bare "Access refused"
    # Which clusters host it, and that this one does not: she is on her own cluster's portal.
    said = "Test Cluster does not host this event: members of its host clusters (lead-a, other-b) register"
    assert said in refused.text and said in client.get(f"/events/{elsewhere.uid}").get_data(as_text=True)


def test_every_event_mail_greets_the_member_by_name(client, login, make_user, make_event):
    from portal.mail.models import OutboxMessage

    event = make_event()
    staying = make_user(email="anne@example.org", display_name="Anne Le Goff")
    leaving = make_user(email="bruno@example.org", display_name="Bruno Morvan")
    for member in (staying, leaving):
        login(member)
        client.post(f"/events/{event.uid}/register", data={"role": "attendee", "consent": "y"})
    client.post(f"/events/{event.uid}/cancel-registration")
    login(make_user(role="admin"))
    client.post(f"/admin/events/{event.uid}/edit", data={
        "title": event.title, "timezone": "Europe/Paris", "starts_at": "2049-03-25T09:00",
        "ends_at": "2049-03-25T17:00", "capacity": "50", "registration_open": "y"})
    client.post(f"/admin/events/{event.uid}/cancel")
    mails = [(m.to, m.subject, m.body.split("\n")[0]) for m in db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id))]
    assert mails == [
        ("anne@example.org", "Your place at Photonics meets agrifood is confirmed", "Hello Anne Le Goff,"),
        ("bruno@example.org", "Your place at Photonics meets agrifood is confirmed", "Hello Bruno Morvan,"),
        ("bruno@example.org", "Your registration for Photonics meets agrifood is cancelled", "Hello Bruno Morvan,"),
        ("anne@example.org", "New date or times: Photonics meets agrifood", "Hello Anne Le Goff,"),
        ("anne@example.org", "Cancelled: Photonics meets agrifood", "Hello Anne Le Goff,")]


def test_cancelling_my_registration(client, login, make_user, make_event):
    event = make_event()
    user = login(make_user())
    register(event, user.person_uid)
    db.session.commit()
    assert client.post(f"/events/{event.uid}/cancel-registration").status_code == 302
    assert db.session.scalars(select(Registration)).one().status == "cancelled"


def test_a_registration_is_no_longer_cancelled_once_the_event_has_begun(client, login, make_user, make_event):
    begun = datetime.now(timezone.utc) - timedelta(hours=1)
    event = make_event(starts_at=begun, ends_at=begun + timedelta(hours=8))
    user = login(make_user())
    register(event, user.person_uid)
    db.session.commit()
    page = client.get(f"/events/{event.uid}").text
    assert "Cancel my registration" not in page and "If you cannot stay, tell the organisers." in page  # and why
    response = client.post(f"/events/{event.uid}/cancel-registration", follow_redirects=True)
    assert "can no longer be cancelled" in response.text
    assert db.session.scalars(select(Registration)).one().status == "registered"


@pytest.mark.parametrize("path", ["attendees", "attendees.csv", "badges", "checkin"])
def test_a_member_sees_the_public_page_but_not_the_attendees(client, login, make_user, make_event, path):
    event = make_event()
    login(make_user())
    assert client.get(f"/events/{event.uid}").status_code == 200
    assert client.get(f"/admin/events/{event.uid}/{path}").status_code == 403


@pytest.mark.parametrize("path", ["attendees", "attendees.csv", "badges", "checkin"])
def test_a_co_host_organiser_sees_the_attendees(client, login, make_user, co_hosted, make_replica, path):
    make_replica(Registration, "lead-a", event_uid=co_hosted.uid, person_uid="p-x", role="attendee", b2b=False,
                 status="registered")
    login(make_user(role="admin"))
    assert client.get(f"/admin/events/{co_hosted.uid}/{path}").status_code == 200


@pytest.mark.parametrize("path", ["/admin/events/{uid}", "/admin/events/{uid}/edit", "/admin/events/{uid}/agenda",
                                  "/admin/events/{uid}/attendees", "/admin/events/{uid}/invite",
                                  "/admin/events/{uid}/budget", "/admin/b2b/events/{uid}/",
                                  "/admin/events/{uid}/surveys/", "/admin/impact/events/{uid}"])
def test_every_organiser_page_of_an_event_has_its_tabs(client, login, make_user, make_b2b_event, path):
    event = make_b2b_event()
    login(make_user(role="admin"))
    page = client.get(path.format(uid=event.uid)).text
    assert '<nav class="event-admin-nav"' in page and "aria-current=\"page\"" in page


def test_the_attendee_list_prints_as_a_list_of_the_event(client, login, make_user, make_event, make_person):
    """Printed (a list for the door, the room), the page is its table under the event's name and
    date: its tabs, links, registration form and each row's actions stay on screen."""
    event = make_event(venue_name="Le Quai des Savoirs")
    register(event, make_person(display_name="Anne Le Goff").uid)
    db.session.commit()
    login(make_user(role="admin"))
    page = client.get(f"/admin/events/{event.uid}/attendees").text
    assert "data-print" in page and "js/events.js" in page  # the Print button, and its script
    header = re.search(r'<p class="print-only">(.*?)</p>', page, re.S).group(1)
    assert event.title in header and "Le Quai des Savoirs" in header
    assert '<details class="on-behalf no-print"' in page and '<td class="row-actions no-print">' in page
    assert re.search(r'<span class="no-print"><a href="[^"]*attendees.csv"', page)


def test_the_attendee_list_reads_the_registrations_once(client, login, make_user, co_hosted, monkeypatch):
    from portal.events import queries

    read = []
    monkeypatch.setattr(queries, "attendees", lambda event, real=queries.attendees: read.append(event) or real(event))
    login(make_user(role="admin"))
    assert client.get(f"/admin/events/{co_hosted.uid}/attendees").status_code == 200
    assert len(read) == 1  # the rows, and the counts from them


@pytest.mark.parametrize("path", ["attendees", "badges", "checkin", ""])
def test_an_organiser_of_a_non_host_sees_nothing_of_the_event(client, login, make_user, elsewhere, path):
    login(make_user(role="admin"))
    assert client.get(f"/admin/events/{elsewhere.uid}/{path}".rstrip("/")).status_code == 403


def test_registering_someone_who_does_not_share_their_profile_warns_of_what_the_other_hosts_see(
        client, login, make_user, make_event, make_person):
    """A special guest registered by a co-host's organisers reaches the lead as "(profile not shared)"
    when they keep their profile to this portal: the organiser is told, to ask them to share it."""
    event = make_event(co_hosts=["peer-b"])
    private = make_person(display_name="Dr Claire Morvan", share_profile=False)
    shared = make_person(display_name="Bruno Le Gall", share_profile=True)
    login(make_user(role="admin"))
    warning = "the event's other hosts see this registration as “(profile not shared)”."

    def register_as(event, person, role):
        return html.unescape(client.post(f"/admin/events/{event.uid}/attendees/register",
                                         data={"person_uid": person.uid, "role": role}, follow_redirects=True).text)

    done = register_as(event, private, "special_guest")
    assert "Dr Claire Morvan does not share their profile with partner clusters: " + warning in done
    done = register_as(event, shared, "special_guest")
    assert "Bruno Le Gall is registered, as special guest." in done and warning not in done
    done = register_as(make_event(title="Ours alone"), private, "speaker")
    assert "Dr Claire Morvan is registered, as speaker." in done and warning not in done


def test_the_picker_marks_who_shares_no_profile_when_other_hosts_would_see_them(client, login, make_user, make_event,
                                                                                  make_person):
    make_person(display_name="Dr Claire Morvan", share_profile=False)
    make_person(display_name="Bruno Le Gall", share_profile=True)
    login(make_user(role="admin", display_name="Organiser"))

    def options(event):
        page = client.get(f"/admin/events/{event.uid}/attendees").text
        labels = [html.unescape(o) for o in re.findall(r"<option[^>]*>([^<]*)</option>", page)]
        return {label.split(" · ")[0]: label.endswith(" (profile not shared)") for label in labels if " · " in label}

    co_hosted, alone = options(make_event(co_hosts=["peer-b"])), options(make_event(title="Ours alone"))
    assert (co_hosted["Dr Claire Morvan"], co_hosted["Bruno Le Gall"]) == (True, False)
    assert (alone["Dr Claire Morvan"], alone["Bruno Le Gall"]) == (False, False)


def test_organisers_register_one_of_their_people_in_any_role(client, login, make_user, make_event, make_person,
                                                             co_hosted, make_replica):
    event = make_event()
    guest = make_person(display_name="Dr Claire Morvan")
    member = make_user(email="anne@example.org")
    register(event, member.person_uid)
    db.session.commit()
    login(make_user(role="admin"))
    page = client.get(f"/admin/events/{event.uid}/attendees").text
    assert f'<option value="{guest.uid}">Dr Claire Morvan · ' in page
    assert f'<option value="{member.person_uid}">' not in page  # registered already
    done = client.post(f"/admin/events/{event.uid}/attendees/register",
                       data={"person_uid": guest.uid, "role": "special_guest"}, follow_redirects=True)
    assert "Dr Claire Morvan is registered, as special guest." in done.text
    registration = db.session.scalars(select(Registration).where(Registration.person_uid == guest.uid)).one()
    assert registration.role == "special_guest" and registration.decision.status == "confirmed"
    from portal.mail.models import OutboxMessage

    speaker = make_user(email="bruno@example.org", display_name="Bruno")
    client.post(f"/admin/events/{event.uid}/attendees/register", data={"person_uid": speaker.person_uid,
                                                                       "role": "speaker"})
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == "bruno@example.org")).one()
    assert "Your place at" in mail.body and "You come as speaker." in mail.body  # not only "confirmed"
    # ...and who registered them, where a member who registers themselves is not told so.
    assert "The organisers of Test Cluster registered you." in mail.body
    anne = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == "anne@example.org")).one()
    assert "registered you" not in anne.body
    refused = client.post(f"/admin/events/{event.uid}/attendees/register", data={"person_uid": guest.uid,
                                                                                 "role": "special_guest"})
    assert refused.status_code == 422 and 'id="person_uid-error"' in refused.text  # registered now
    mine = db.session.scalars(select(Registration).where(Registration.person_uid == member.person_uid)).one()
    client.post(f"/admin/events/{event.uid}/attendees/{mine.uid}/role", data={"role": "organiser"})
    assert mine.role == "organiser" and mine.version == 2
    assert client.post(f"/admin/events/{event.uid}/attendees/{mine.uid}/role", data={"role": "boss"}).status_code == 302
    assert mine.role == "organiser"
    # Another cluster's member's registration is written by their home portal: not ours to change.
    theirs = make_replica(Registration, "lead-a", event_uid=co_hosted.uid, person_uid="p-x", role="attendee",
                          b2b=False, status="registered")
    assert client.post(f"/admin/events/{co_hosted.uid}/attendees/{theirs.uid}/role",
                       data={"role": "organiser"}).status_code == 404


def test_a_co_host_door_says_its_check_ins_of_others_members_stay_here(client, login, make_user, co_hosted,
                                                                        make_event):
    login(make_user(role="admin"))
    door = client.get(f"/admin/events/{co_hosted.uid}/checkin").text
    assert "counts them on this portal only" in door and "At lead-a's door, a check-in counts on every" in door
    assert "counts them on this portal only" not in client.get(f"/admin/events/{make_event().uid}/checkin").text


def test_a_co_host_organiser_edits_nothing_of_the_lead(client, login, make_user, co_hosted):
    login(make_user(role="admin"))
    assert client.get(f"/admin/events/{co_hosted.uid}/edit").status_code == 403
    assert client.get(f"/admin/events/{co_hosted.uid}/agenda").status_code == 403
    assert client.post(f"/admin/events/{co_hosted.uid}/agenda", data={"new-title": "x"}).status_code == 403
    assert client.post(f"/admin/events/{co_hosted.uid}/cancel").status_code == 403
    assert db.session.scalars(select(AgendaItem)).all() == []
    assert "led by" in client.get(f"/admin/events/{co_hosted.uid}").get_data(as_text=True)


def test_management_lists_led_and_co_hosted_events(client, login, make_user, make_event, co_hosted, elsewhere):
    make_event(title="Led here")
    login(make_user(role="admin"))
    html = client.get("/admin/events/").get_data(as_text=True)
    assert "Led here" in html and "Sensing for vineyards" in html and "Health imaging day" not in html
    assert "<th>This cluster</th>" in html and '<td data-label="This cluster" class="nowrap">leads</td>' in html
    assert '<td data-label="This cluster" class="nowrap">co-hosts</td>' in html  # a named column


def test_management_lists_events_as_cards_on_a_phone(client, login, make_user, make_event):
    """Its four columns ran past a phone's right edge, the hosts and "This cluster" cut off."""
    make_event(title="Led here")
    login(make_user(role="admin"))
    html = client.get("/admin/events/").text
    assert '<table class="striped stack-table">' in html and '<td class="row-title"><a href=' in html
    assert '<td data-label="When">' in html and '<td data-label="Hosts">' in html


def test_management_lists_coming_events_soonest_first_then_past_ones_latest_first(client, login, make_user,
                                                                                   make_event):
    """As Indico does: the latest date first put next year's events before next week's."""
    soon = datetime(2049, 3, 18, 9, tzinfo=timezone.utc)
    for title, start in (("Later", soon + timedelta(days=60)), ("Soon", soon), ("Long ago", datetime(2024, 5, 2, 9)),
                         ("Lately", datetime(2026, 5, 2, 9))):
        start = start.replace(tzinfo=timezone.utc)
        make_event(title=title, starts_at=start, ends_at=start + timedelta(hours=8))
    login(make_user(role="admin"))
    html = client.get("/admin/events/").text
    order = ["<h2>Coming</h2>", "Soon", "Later", "<h2>Past</h2>", "Lately", "Long ago"]
    assert sorted(order, key=html.index) == order


def test_csv_lists_every_hosts_registrations_and_defuses_formulas(client, login, make_user, make_event, make_person,
                                                                 make_replica):
    import csv
    import io

    event = make_event(co_hosts=["host-b"], title="Photonics & Santé: day 2")
    register(event, make_person(display_name="=HYPERLINK(evil)").uid)
    register(event, make_user(email="anne@example.org").person_uid)
    db.session.commit()
    make_replica(Registration, "host-b", event_uid=event.uid, person_uid="p-unknown", role="speaker", b2b=False,
                 status="registered")
    make_replica(Registration, "host-b", event_uid=event.uid, person_uid="p-gone", role="attendee", b2b=False,
                 status="cancelled")
    login(make_user(role="admin"))
    response = client.get(f"/admin/events/{event.uid}/attendees.csv")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="attendees-photonics-sante-day-2-2049-03-18.csv"')
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffName,")
    assert "'=HYPERLINK(evil)" in text and "host-b" in text and "(profile not shared)" in text
    # Our members' addresses, for the organisers' mailings; another cluster's never reach us.
    emails = {row["E-mail (our members)"] for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert emails == {"anne@example.org", ""}
    cancelled = next(line for line in text.splitlines() if ",cancelled," in line)
    assert cancelled.endswith(",cancelled,,no")  # no decision beside it, as in the list ("awaiting" was)


def test_csv_writes_times_as_the_events_wall_clock(client, login, make_user, make_b2b_event, make_person):
    import csv
    import io

    event = make_b2b_event()
    register(event, make_person(display_name="Anne Early").uid, b2b=True,
             available_from=datetime(2049, 3, 18, 13, 20, tzinfo=timezone.utc),
             available_until=datetime(2049, 3, 18, 15, tzinfo=timezone.utc))
    db.session.commit()
    login(make_user(role="admin"))
    text = client.get(f"/admin/events/{event.uid}/attendees.csv").text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    # The event's wall clock, as any spreadsheet reads a date and time ("T" and an offset stay text).
    assert (rows[0]["Available from (Europe/Paris)"], rows[0]["Available until (Europe/Paris)"]) == (
        "2049-03-18 14:20", "2049-03-18 16:00")


def test_csv_says_when_each_registration_arrived(client, login, make_user, make_event, make_person):
    """The order in which places are given (and the waiting list's), which the list, by name, does not show."""
    import csv
    import io

    event = make_event(capacity=1)
    for name, hour in (("Zoé First", 9), ("Anne Second", 10)):
        registration = register(event, make_person(display_name=name).uid)
        registration.received_at = datetime(2049, 2, 1, hour, tzinfo=timezone.utc)
    db.session.commit()
    login(make_user(role="admin"))
    rows = list(csv.DictReader(io.StringIO(client.get(f"/admin/events/{event.uid}/attendees.csv").text.lstrip("\ufeff"))))
    assert [(r["Name"], r["Registered on (Europe/Paris)"]) for r in rows] == [
        ("Anne Second", "2049-02-01 11:00"), ("Zoé First", "2049-02-01 10:00")]


def test_csrf_protects_registration(app, client, login, make_user, make_event):
    app.config["WTF_CSRF_ENABLED"] = True
    event = make_event()
    login(make_user())
    assert client.post(f"/events/{event.uid}/register", data={"role": "attendee", "consent": "y"}).status_code == 400
    assert db.session.scalars(select(Registration)).all() == []


def test_changing_my_registration_leads_and_cancelling_is_secondary(client, login, make_user, make_event):
    event = make_event()
    user = login(make_user())
    register(event, user.person_uid)
    db.session.commit()
    html = client.get(f"/events/{event.uid}").get_data(as_text=True)
    assert f'href="/events/{event.uid}/register" role="button" class="small">Change my registration</a>' in html
    assert ('class="outline danger small" name="confirm_question" value="Cancel your registration?">Cancel my registration</button>'
            in html)


def test_an_event_that_has_begun_is_not_cancelled_and_an_ended_one_reads_closed(client, login, make_user, make_event):
    login(make_user(role="admin"))
    begun = datetime.now(timezone.utc) - timedelta(hours=9)
    event = make_event(starts_at=begun, ends_at=begun + timedelta(hours=8))
    page = client.get(f"/admin/events/{event.uid}").text
    assert "Cancel the event" not in page and "Registration is closed." in page
    assert '<p class="event-where">Le Quartz, 60 rue du Château, Brest, France</p>' in page  # where, beside when
    response = client.post(f"/admin/events/{event.uid}/cancel", follow_redirects=True)
    assert "can no longer be cancelled" in response.text
    db.session.refresh(event)
    assert not event.cancelled


def test_cancelling_an_event_asks_with_what_it_sets_off(client, login, make_user, make_b2b_event, make_participant,
                                                       make_meeting):
    login(make_user(role="admin"))
    event = make_b2b_event()
    anne, bruno = make_participant(event, "Anne"), make_participant(event, "Bruno")
    page = client.get(f"/admin/events/{event.uid}").text
    assert 'name="confirm_question" value="Cancel this event for every host? 2 registered people are told by e-mail.">' in page
    make_meeting(event, anne.person_uid, bruno.person_uid, status="scheduled")
    page = client.get(f"/admin/events/{event.uid}").text
    assert ("Cancel this event for every host? 2 registered people are told by e-mail. "
            "1 scheduled B2B meeting is cancelled.") in page


def test_the_cancel_dialog_counts_only_who_is_told(client, login, make_user, make_event, make_person):
    login(make_user(role="admin"))
    event = make_event(capacity=1)
    for name in ("Anne", "Bruno", "Chloé"):
        register(event, make_person(display_name=name).uid)
        db.session.commit()
    refuse(db.session.scalars(select(Registration).order_by(Registration.received_at.desc())).first())  # Chloé
    db.session.commit()
    page = client.get(f"/admin/events/{event.uid}").text
    assert 'name="confirm_question" value="Cancel this event for every host? 2 registered people are told by e-mail.">' in page


def test_the_dashboards_counts_read_no_people(client, login, make_user, make_event, make_person):
    """Counting the registrations reads neither their people nor their organisations: a thousand of
    them cost the event's dashboard 300 ms, for figures that name nobody."""
    login(make_user(role="admin"))
    event = make_event(capacity=1)
    for name in ("Anne", "Bruno"):
        register(event, make_person(display_name=name).uid)
        db.session.commit()
    with recorded_statements() as statements:
        page = client.get(f"/admin/events/{event.uid}").text
    assert 'value="Cancel this event for every host? 2 registered people are told by e-mail.">' in page
    assert queries.counts(event)["by_status"] == {"confirmed": 1, "waitlisted": 1, "refused": 0, "pending": 0}
    assert not [s for s in statements if re.search(r"\bFROM (person|organisation)\b", s)]


def test_a_pending_member_is_told_registration_opens_once_approved(client, login, make_user, make_event):
    event = make_event()
    login(make_user(status="pending"))
    page = client.get(f"/events/{event.uid}").text
    assert "Registration opens to you once your account is approved." in page
    assert f'href="/events/{event.uid}/register"' not in page
    login(make_user())
    page = client.get(f"/events/{event.uid}").text
    assert f'href="/events/{event.uid}/register"' in page and "once your account is approved" not in page


def test_members_find_the_call_for_pitches_on_the_lead_portals_event_page(client, login, make_user, make_event,
                                                                           make_replica):
    event = make_event()
    pitch = f'href="/events/{event.uid}/pitch"'
    assert pitch not in client.get(f"/events/{event.uid}").text  # anonymous
    login(make_user(status="pending"))
    assert pitch not in client.get(f"/events/{event.uid}").text
    login(make_user())
    assert pitch in client.get(f"/events/{event.uid}").text
    theirs = make_replica(Event, "peer-b", title="Their day", starts_at=event.starts_at, ends_at=event.ends_at,
                          timezone="Europe/Paris")
    assert f'href="/events/{theirs.uid}/pitch"' not in client.get(f"/events/{theirs.uid}").text  # proposed to its lead


def test_a_member_of_a_co_host_taken_off_the_hosts_is_told_and_may_still_cancel(client, login, make_user,
                                                                                 make_replica):
    """The lead's decisions no longer reach a portal that is no longer a host: its member is told
    why, instead of "awaiting the lead's decision" for ever, and can still cancel (the lead gets it)."""
    event = make_replica(Event, "lead-a", title="Elsewhere", starts_at=datetime(2049, 5, 1, 9, tzinfo=PARIS),
                         ends_at=datetime(2049, 5, 1, 17, tzinfo=PARIS), timezone="Europe/Paris",
                         co_hosts=["test-cluster"], capacity=10, registration_open=True)
    member = login(make_user())
    register(event, member.person_uid)
    db.session.commit()
    assert "awaiting" in client.get(f"/events/{event.uid}").get_data(as_text=True)
    event.co_hosts = []  # the lead's next version of the event, without this cluster
    db.session.commit()
    page = client.get(f"/events/{event.uid}").get_data(as_text=True)
    assert "Your cluster no longer co-hosts this event" in page and "awaiting" not in page
    assert "Cancel my registration" in page and "Change my registration" not in page
    client.post(f"/events/{event.uid}/cancel-registration")
    db.session.expire_all()
    assert db.session.scalar(select(Registration.status).where(Registration.person_uid == member.person_uid)) == (
        "cancelled")


def test_the_home_page_shows_the_next_days_this_cluster_hosts(client, make_event, make_listing):
    make_event(title="Photonics meets agrifood")
    make_event(title="Called off").status = "cancelled"
    db.session.commit()
    make_listing(title="Laser welding cell")
    page = client.get("/").text
    assert "Coming up" in page and "Photonics meets agrifood" in page and "Called off" not in page
    assert '<a href="/events">All events</a>' in page
    assert "Laser welding cell" in page and "All offers and needs" in page


def test_a_co_host_organiser_is_told_who_schedules_the_b2b_meetings(client, login, make_user, co_hosted):
    co_hosted.b2b_enabled = True
    co_hosted.b2b_starts_at, co_hosted.b2b_ends_at = datetime(2049, 6, 3, 14, tzinfo=PARIS), datetime(2049, 6, 3, 16, tzinfo=PARIS)
    db.session.commit()
    login(make_user(role="admin"))
    page = client.get(f"/admin/events/{co_hosted.uid}").text
    assert "Its organisers schedule the B2B meetings" in page
    assert f'href="/events/{co_hosted.uid}/b2b/participants"' in page and 'href="/admin/b2b/funnel"' in page


def test_a_past_event_says_it_is_over_to_the_registered_and_to_others(client, login, make_user, make_event):
    ended = datetime.now(timezone.utc) - timedelta(days=2)
    event = make_event(starts_at=ended, ends_at=ended + timedelta(hours=8))
    user = login(make_user())
    page = client.get(f"/events/{event.uid}").text
    assert "This event is over." in page and "Registration is closed." not in page
    register(event, user.person_uid)
    db.session.commit()
    page = client.get(f"/events/{event.uid}").text
    assert "This event is over." in page and "can no longer be cancelled" not in page


def test_a_visitor_of_a_co_hosted_event_is_sent_to_the_other_hosts_portals(client, make_event, make_peer,
                                                                          make_replica):
    """A member of a co-host who lands here cannot log in here: the page links their portal's page."""
    from portal.events.models import Event

    make_peer("agri-ouest", "Agri Ouest"), make_peer("sante-est", "Santé Est", state="pending")
    event = make_event(co_hosts=["agri-ouest", "sante-est"])
    page = client.get(f"/events/{event.uid}").text
    assert "Log in to register" in page
    assert "Members of the other host clusters register on their own cluster's portal:" in page
    assert f'<a href="http://agri-ouest.example/events/{event.uid}" rel="noopener">Agri Ouest</a>.' in page
    assert "sante-est.example" not in page  # not a confirmed peer: no link to follow
    theirs = make_replica(Event, "agri-ouest", title="Soil day", starts_at=event.starts_at, ends_at=event.ends_at,
                          timezone="Europe/Paris", co_hosts=["sante-est"])
    page = client.get(f"/events/{theirs.uid}").text  # not hosted here: every host's page
    assert f'The event on their portals: <a href="http://agri-ouest.example/events/{theirs.uid}"' in page


def test_an_events_texts_are_published_trimmed(client, login, make_user, make_event):
    """PROTOCOL.md section 5: strings are trimmed; the event form's texts went out as typed."""
    event = make_event()
    login(make_user(role="admin"))
    client.post(f"/admin/events/{event.uid}/edit", data={
        "title": "  Light in the fields ", "topic": " Sensing\n", "description": "\n A day. \n",
        "venue_name": " Le Quartz ", "venue_address": " 60 rue du Château", "venue_city": "Brest ",
        "venue_country": "FR", "timezone": "Europe/Paris", "starts_at": "2049-03-25T09:00",
        "ends_at": "2049-03-25T17:00", "capacity": "50", "registration_open": "y"})
    db.session.expire_all()
    data = db.session.get(Event, event.uid).fed_data()
    assert (data["title"], data["topic"], data["description"]) == ("Light in the fields", "Sensing", "A day.")
    assert data["venue"] == {"name": "Le Quartz", "address": "60 rue du Château", "city": "Brest", "country": "FR"}


def test_the_venue_country_is_chosen_by_name_from_iso_countries(client, login, make_user, make_event):
    event = make_event()
    login(make_user(role="admin"))
    page = client.get(f"/admin/events/{event.uid}/edit", headers={"Accept-Language": "fr"}).text
    assert '<option selected value="FR">France</option>' in page and '<option value="DE">Allemagne</option>' in page
    refused = client.post(f"/admin/events/{event.uid}/edit", data={
        "title": "Light in the fields", "venue_country": "ZZ", "timezone": "Europe/Paris",
        "starts_at": "2049-03-18T09:00", "ends_at": "2049-03-18T17:00", "capacity": "50"})
    assert refused.status_code == 422
    assert 'id="venue_country-error" class="field-error" role="alert">N&#39;est pas un choix valide.' in refused.text
    assert 'value="Light in the fields"' in refused.text
    db.session.expire_all()
    assert db.session.get(Event, event.uid).venue_country == "FR"
