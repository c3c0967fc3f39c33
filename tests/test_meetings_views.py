"""Meetings pages: catalogue and filters, suggestions, requests and replies over htmx, schedule, ICS."""
import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from flask_babel import refresh
from icalendar import Calendar
from sqlalchemy import select

from portal.directory.models import Listing
from portal.events.registration_models import Registration
from portal.events.registrations import register
from portal.extensions import db
from portal.federation.records import utcnow
from portal.meetings import queries, services
from portal.meetings.models import Meeting, MeetingRequest
from tests.queries import attribute_reads, loaded_rows, page_queries

AT_THE_EVENT = datetime(2100, 1, 1, tzinfo=timezone.utc)  # meetings are marked once begun

HTMX = {"HX-Request": "true"}


@pytest.fixture
def event(make_b2b_event):
    return make_b2b_event()


@pytest.fixture
def anne(event, make_participant):
    return make_participant(event, "Anne", email="anne@example.org", listings=[
        {"kind": "need", "title": "Monitoring bridge decks", "keywords": ["fibre sensing", "structural monitoring"],
         "summary": "Fibre sensing for structural monitoring.", "sectors": ["construction"]}])


@pytest.fixture
def bruno(event, make_participant, make_organisation):
    org = make_organisation(name="Lumiwave", kind="technology_provider", sectors=["photonics"])
    return make_participant(event, "Bruno", organisation=org, email="bruno@example.org", listings=[
        {"kind": "offer", "title": "Fibre Bragg grating sensors", "keywords": ["fibre sensing", "FBG"],
         "summary": "Strain sensing for structural monitoring."}])


@pytest.fixture
def carla(event, make_participant, make_organisation):
    org = make_organisation(name="Agri Lab", kind="end_user", sectors=["agrifood"])
    return make_participant(event, "Carla", organisation=org, listings=[
        {"kind": "need", "title": "Soil moisture probes", "keywords": ["soil"], "sectors": ["agrifood"]}])


def names(html):
    return re.findall(r"<strong><a href=\"/people/[\w-]+\">([^<]+)</a></strong>\s*(?:<small>· [^<]*</small>\s*)?"
                      r"<span class=\"badge badge-cluster", html)


def test_someone_on_the_waiting_list_is_told_so_and_not_listed(client, login, make_b2b_event, make_participant):
    small = make_b2b_event(capacity=1, title="Small")
    make_participant(small, "Placed")
    waiting = make_participant(small, "Waiting")
    login(waiting)
    told = "You are on the waiting list: the B2B meetings open to you once your place is confirmed."
    assert told in client.get("/b2b/").text
    catalogue = client.get(f"/events/{small.uid}/b2b/participants").text
    assert told in catalogue and "Placed" in catalogue and "1 of 1 participant" in catalogue


def test_catalogue_orders_names_as_people_do(client, login, event, anne, make_participant):
    """An accented initial sorts with its letter ("Élodie" among the E's, "Cédric" before "Charlotte"), not after Z."""
    for name in ("Zoé", "Élodie", "Charlotte", "Cédric", "Eric"):
        make_participant(event, name)
    login(anne)
    html = client.get(f"/events/{event.uid}/b2b/participants").text
    assert names(html) == ["Anne", "Cédric", "Charlotte", "Élodie", "Eric", "Zoé"]


def test_catalogue_needs_a_login(client, event):
    response = client.get(f"/events/{event.uid}/b2b/participants")
    assert response.status_code == 302 and "/login" in response.location


def test_catalogue_lists_participants_with_filters_and_serves_htmx_the_fragment(client, login, event, anne, bruno,
                                                                              carla):
    login(anne)
    page = client.get(f"/events/{event.uid}/b2b/participants")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html
    assert names(html) == ["Anne", "Bruno", "Carla"]
    assert '<details class="directory-filters">' in html  # folded until a filter is set
    filtered = client.get(f"/events/{event.uid}/b2b/participants?sector=agrifood").text
    assert '<details class="directory-filters" open>' in filtered
    assert "Fibre Bragg grating sensors" in html and "Request a meeting" in html
    # Each card's button says whom it is for, to a screen reader: they all read the same before.
    assert 'aria-label="Request a meeting with Bruno">Request a meeting</a>' in html
    offers = client.get(f"/events/{event.uid}/b2b/participants?listing_kind=offer", headers=HTMX)
    fragment = offers.get_data(as_text=True)
    assert "<html" not in fragment and names(fragment) == ["Bruno"]
    assert "HX-Request" in offers.headers["Vary"]
    kind = client.get(f"/events/{event.uid}/b2b/participants?kind=end_user&q=soil", headers=HTMX)
    assert names(kind.get_data(as_text=True)) == ["Carla"]
    sector = client.get(f"/events/{event.uid}/b2b/participants?sector=agrifood", headers=HTMX)
    assert names(sector.get_data(as_text=True)) == ["Carla"]
    # Typed without accents (or with them), a word finds its accented or plain spelling.
    bare = client.get(f"/events/{event.uid}/b2b/participants?q=Lumiwavé%20bragg", headers=HTMX)
    assert names(bare.get_data(as_text=True)) == ["Bruno"]


def test_catalogue_links_each_offer_and_need_to_its_listing(client, login, event, anne, bruno):
    from portal.directory.models import Listing

    login(anne)
    html = client.get(f"/events/{event.uid}/b2b/participants").text
    for title in ("Fibre Bragg grating sensors", "Monitoring bridge decks"):
        listing = db.session.query(Listing).filter_by(title=title).one()
        link = f'<a class="badge badge-{listing.kind}" href="/listings/{listing.uid}">{title}</a>'
        assert link in html
        assert client.get(f"/listings/{listing.uid}").status_code == 200


def test_catalogue_and_suggestions_name_the_cluster_not_its_id(client, login, event, anne, bruno):
    login(anne)
    for page in ("participants", "suggestions"):
        html = client.get(f"/events/{event.uid}/b2b/{page}").get_data(as_text=True)
        assert '<span class="badge badge-cluster">Test Cluster</span>' in html
        assert '<span class="badge badge-cluster">test-cluster</span>' not in html
    catalogue = client.get(f"/events/{event.uid}/b2b/participants").get_data(as_text=True)
    assert '<option value="test-cluster">Test Cluster</option>' in catalogue  # the filter too


def test_a_special_guest_wears_the_special_guest_badge_in_the_catalogue(client, login, event, anne,
                                                                       make_participant):
    make_participant(event, "Gaspard", role="special_guest")
    login(anne)
    html = client.get(f"/events/{event.uid}/b2b/participants").text
    assert '<span class="badge badge-guest">Special guest</span>' in html  # as on the event page


def test_catalogue_of_an_event_without_b2b_is_not_found(client, login, make_event, make_user):
    login(make_user())
    assert client.get(f"/events/{make_event().uid}/b2b/participants").status_code == 404


def test_suggestions_explain_themselves_and_exclude_colleagues(client, login, event, anne, bruno, carla):
    login(anne)
    html = client.get(f"/events/{event.uid}/b2b/suggestions").get_data(as_text=True)
    assert f'<a href="/people/{bruno.person_uid}">Bruno</a>' in html and "Carla" not in html  # a need does not answer a need
    assert "your need “Monitoring bridge decks” and their offer “Fibre Bragg grating sensors” share: fibre sensing" in html
    assert "sectors in common: Photonics" in html  # the sector's label, not its code


def test_the_suggestions_say_how_many_they_are_when_the_switch_changes_them(client, login, event, anne, bruno,
                                                                           carla):
    """Turning 'Include people I met' on or off swapped the list in silence: its count (or why there is
    none) is read out through the page's announcer."""
    login(anne)
    html = client.get(f"/events/{event.uid}/b2b/suggestions?met=1", headers=HTMX).text
    assert '<p class="visually-hidden" data-announce>1 person to meet</p>' in html
    login(carla)
    html = client.get(f"/events/{event.uid}/b2b/suggestions", headers=HTMX).text
    assert re.search(r"<p data-announce>No suggestions yet: ", html)


def test_no_suggestions_says_why_for_a_member_with_listings_or_without(client, login, event, make_participant,
                                                                       make_organisation):
    offers = [{"kind": "offer", "title": f"Laser source {n}", "keywords": ["laser"]} for n in range(4)]
    dana = make_participant(event, "Dana", organisation=make_organisation(name="Photon"), listings=offers)
    login(dana)
    alone = client.get(f"/events/{event.uid}/b2b/suggestions").text
    assert "nobody from another organisation has registered for the B2B meetings" in alone
    make_participant(event, "Eric", organisation=make_organisation(name="Optic"), listings=[
        {"kind": "offer", "title": "Fibre amplifiers", "keywords": ["amplifier"]}])
    html = client.get(f"/events/{event.uid}/b2b/suggestions").text
    assert "no other participant's offers or needs complement yours closely enough" in html
    assert "add offers or needs" not in html.lower()
    login(make_participant(event, "Flora", organisation=make_organisation(name="Farm")))
    listless = client.get(f"/events/{event.uid}/b2b/suggestions").text
    assert "neither you nor your organisation has one open" in listless and 'href="/account/listings"' in listless


def test_suggestions_name_sectors_in_the_pages_language(client, login, event, anne, bruno, carla):
    login(anne)
    html = client.get(f"/events/{event.uid}/b2b/suggestions", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "secteurs en commun\u00a0: Photonique" in html


def test_request_form_over_htmx_keeps_text_and_answers_422(client, login, event, anne, bruno):
    login(anne)
    url = f"/events/{event.uid}/b2b/request/{bruno.person_uid}"
    assert "Request a meeting with Bruno" in client.get(url).get_data(as_text=True)
    too_long = client.post(url, data={"message": "x" * 1001}, headers=HTMX)
    assert too_long.status_code == 422
    body = too_long.get_data(as_text=True)
    assert 'id="message-error"' in body and "x" * 1001 in body and "<html" not in body
    sent = client.post(url, data={"message": "Sensors for bridges?", "starred": "y"}, headers=HTMX)
    assert sent.status_code == 200 and "sent to Bruno" in sent.get_data(as_text=True)
    request = db.session.query(MeetingRequest).one()
    assert request.message == "Sensors for bridges?" and request.starred is True
    again = client.post(url, data={"message": "again"}, headers=HTMX)
    assert again.status_code == 422 and "already a request" in again.get_data(as_text=True)


def test_the_request_message_says_it_is_optional_as_the_reply_does(client, login, event, anne, bruno):
    login(anne)
    url = f"/events/{event.uid}/b2b/request/{bruno.person_uid}"
    form = client.get(url).text
    assert '<label for="message">Message (optional)</label>' in form
    assert "Why you would like to meet (up to 1000 characters)." in form
    sent = client.post(url, data={"message": ""}, headers=HTMX)
    assert sent.status_code == 200 and db.session.query(MeetingRequest).one().message in ("", None)


def test_a_request_says_who_the_other_person_is(client, login, event, anne, bruno):
    services.request_meeting(event, anne.person_uid, bruno.person_uid, "Hello")
    db.session.commit()
    login(anne)
    html = client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True)
    assert re.search(rf"<strong[^>]*><a href=\"/people/{bruno.person_uid}\">Bruno</a></strong><small>&nbsp;· Lumiwave</small>"
                     r"</span>\s*<span class=\"badge badge-cluster\">Test Cluster</span>", html)
    assert "Waiting for an answer" in html  # Anne's own request waits for Bruno
    login(bruno)
    assert "Waiting for your answer" in client.get(f"/events/{event.uid}/b2b/").text


def test_pending_members_cannot_request(client, login, event, bruno, make_participant, make_user):
    pending = make_user(status="pending")
    login(pending)
    assert client.post(f"/events/{event.uid}/b2b/request/{bruno.person_uid}", data={}).status_code == 403


def test_pending_members_see_no_b2b_page_until_approved(client, login, event, bruno, make_user):
    login(make_user(status="pending"))
    for path in ("/b2b/", f"/events/{event.uid}/b2b/participants", f"/events/{event.uid}/b2b/suggestions",
                 f"/events/{event.uid}/b2b/", f"/events/{event.uid}/b2b/schedule"):
        response = client.get(path)
        assert response.status_code == 403 and "Your account is waiting for approval" in response.text, path
        assert "Bruno" not in response.text


def test_reply_without_reload_updates_the_row_and_the_counters(client, login, event, anne, bruno):
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid, "Hello")
    db.session.commit()
    login(bruno)
    dashboard = client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True)
    assert 'hx-trigger="every 10s"' in dashboard and 'data-counter="pending">1<' in dashboard
    response = client.post(f"/b2b/requests/{request.uid}/reply", data={"answer": "accepted", "message": "Yes"},
                           headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="request-{request.uid}"' in body and "Accepted" in body
    assert 'hx-swap-oob="true"' in body and 'data-counter="accepted">1<' in body
    assert 'data-counter="pending">0<' in body
    counters = client.get(f"/events/{event.uid}/b2b/counters", headers=HTMX).get_data(as_text=True)
    assert 'data-counter="accepted">1<' in counters and "hx-swap-oob" not in counters


def test_a_request_waiting_for_an_answer_says_when_it_expires_to_both_sides(client, login, event, anne, bruno):
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid, "Hello")
    request.created_at = utcnow() - timedelta(hours=50, minutes=5)  # the test config keeps 72 hours
    db.session.commit()
    login(bruno)
    page = client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True)
    assert "Sent 2 days ago; without your answer, it expires in 22 hours." in page
    login(anne)
    refresh()  # the test's requests share one `g`: choose the language afresh
    page = client.get(f"/events/{event.uid}/b2b/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Envoyée il y a 2 jours\u00a0; sans réponse, elle expire dans 22 heures." in page
    request.created_at = utcnow() - timedelta(hours=80)  # the expiry job has not run yet
    services.reply_to_request(request, bruno.person_uid, "accepted")
    db.session.commit()
    refresh()
    assert "expires" not in client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True)


def test_an_accepted_request_whose_meeting_is_cancelled_says_so(client, login, event, anne, bruno):
    """The organisers cancel the meeting (it is not scheduled again): the request, still accepted,
    says so where the cancellation mail sends both people, instead of showing no time at all."""
    from portal.meetings.models import Meeting

    request = services.request_meeting(event, anne.person_uid, bruno.person_uid, "Hello")
    services.reply_to_request(request, bruno.person_uid, "accepted")
    starts = event.b2b_starts_at + timedelta(minutes=20)
    meeting = Meeting(event_uid=event.uid, request_uid=request.uid, person_uids=[anne.person_uid, bruno.person_uid],
                      starts_at=starts, ends_at=starts + timedelta(minutes=20), table="T3", status="scheduled")
    db.session.add(meeting)
    db.session.commit()
    login(anne)
    assert "Its meeting of" not in client.get(f"/events/{event.uid}/b2b/").text
    services.cancel_meeting(meeting)
    db.session.commit()
    for person in (anne, bruno):
        login(person)
        page = client.get(f"/events/{event.uid}/b2b/").text
        assert "Its meeting of " in page and " at table T3 is cancelled." in page


def test_a_request_past_its_time_says_it_expires_at_any_moment(client, login, event, anne, bruno):
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    request.created_at = utcnow() - timedelta(hours=80)  # the expiry job has not run yet
    db.session.commit()
    login(bruno)
    page = client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True)
    assert "Sent 3 days ago; it expires at any moment without an answer." in page


def test_a_reply_or_a_withdrawal_says_so_in_its_row_for_screen_readers(client, login, event, anne, bruno, carla):
    """The row came back changed and silent, the focus on its star: it now says what was done, in a
    status message (read out through the page's announcer)."""
    first = services.request_meeting(event, anne.person_uid, bruno.person_uid, "Hello")
    second = services.request_meeting(event, carla.person_uid, bruno.person_uid, "Soil?")
    db.session.commit()
    login(bruno)
    accepted = client.post(f"/b2b/requests/{first.uid}/reply", data={"answer": "accepted"}, headers=HTMX).text
    assert '<small class="row-done" role="status">You accepted the request from Anne.</small>' in accepted
    declined = client.post(f"/b2b/requests/{second.uid}/reply", data={"answer": "declined"}, headers=HTMX).text
    assert '<small class="row-done" role="status">You declined the request from Carla.</small>' in declined
    starred = client.post(f"/b2b/requests/{first.uid}/star", headers=HTMX).text
    assert "row-done" not in starred  # the star's own state says it
    login(anne)
    withdrawn = client.post(f"/b2b/requests/{first.uid}/withdraw", headers=HTMX).text
    assert '<small class="row-done" role="status">You withdrew your request to Bruno.</small>' in withdrawn


def test_counters_that_changed_refresh_the_list_of_requests(client, login, event, anne, bruno, carla):
    services.request_meeting(event, anne.person_uid, bruno.person_uid, "Hello")
    db.session.commit()
    login(bruno)
    dashboard = client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True)
    shown = {"received": 1, "sent": 0, "pending": 1, "accepted": 0, "meetings": 0}
    assert "hx-vals='" + json.dumps(shown, sort_keys=True) + "'" in dashboard  # the counters say what they show
    assert re.search(r'<section id="meeting-requests" hx-get="/events/[^"]+/b2b/"\s+'
                     r'hx-trigger="meeting-requests-changed" hx-swap="outerMorph">', dashboard)
    counters = f"/events/{event.uid}/b2b/counters"
    assert "HX-Trigger" not in client.get(counters, query_string=shown, headers=HTMX).headers
    services.request_meeting(event, carla.person_uid, bruno.person_uid, "Soil?")
    db.session.commit()
    polled = client.get(counters, query_string=shown, headers=HTMX)
    assert 'data-counter="pending">2<' in polled.get_data(as_text=True)
    assert json.loads(polled.headers["HX-Trigger"]) == {"meeting-requests-changed": {"target": "#meeting-requests"}}
    assert "HX-Trigger" not in client.get(counters, query_string=dict(shown, pending=2, received=2),
                                          headers=HTMX).headers
    refreshed = client.get(f"/events/{event.uid}/b2b/", headers=HTMX).get_data(as_text=True)
    assert "Soil?" in refreshed and "<html" not in refreshed  # the fragment the list swaps in
    services.withdraw_request(services.queries.requests_for(event.uid, carla.person_uid)[1][0], carla.person_uid)
    db.session.commit()
    listed = client.get(counters, query_string=dict(shown, pending=2, received=2), headers=HTMX).text
    assert 'data-counter="received">2<' in listed and 'data-counter="pending">1<' in listed  # as the list: 2 received


def test_a_published_meeting_refreshes_the_list_of_requests(client, login, event, anne, bruno):
    """The lead's schedule arrives: the polled counters count it, and the list shows its time."""
    login(bruno)
    shown = {"received": 1, "sent": 0, "pending": 0, "accepted": 1, "meetings": 0}
    counters = f"/events/{event.uid}/b2b/counters"
    schedule_meeting(event, anne, bruno, minutes=40, table="T7")
    polled = client.get(counters, query_string=shown, headers=HTMX)
    assert 'data-counter="meetings">1<' in polled.text and "HX-Trigger" in polled.headers
    assert "table T7" in client.get(f"/events/{event.uid}/b2b/", headers=HTMX).text


def test_only_the_recipient_sees_the_reply_buttons_and_others_get_404(client, login, event, anne, bruno, carla):
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    db.session.commit()
    login(anne)
    assert ">Accept<" not in client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True)
    refused = client.post(f"/b2b/requests/{request.uid}/reply", data={"answer": "accepted"}, headers=HTMX)
    assert refused.status_code == 422 and "Only the person asked" in refused.get_data(as_text=True)
    login(carla)
    assert client.post(f"/b2b/requests/{request.uid}/reply", data={"answer": "accepted"}).status_code == 404
    assert request.reply is None


def test_withdraw_and_star_over_htmx(client, login, event, anne, bruno):
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    db.session.commit()
    login(anne)
    starred = client.post(f"/b2b/requests/{request.uid}/star", headers=HTMX).get_data(as_text=True)
    assert 'aria-pressed="true"' in starred
    withdrawn = client.post(f"/b2b/requests/{request.uid}/withdraw", headers=HTMX).get_data(as_text=True)
    assert "Withdrawn" in withdrawn and ">Withdraw<" not in withdrawn
    db.session.expire_all()
    assert db.session.get(MeetingRequest, request.uid).status == "withdrawn"


def test_csrf_is_required_and_the_page_token_works(app, client, login, event, anne, bruno):
    app.config["WTF_CSRF_ENABLED"] = True
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    db.session.commit()
    login(bruno)
    assert client.post(f"/b2b/requests/{request.uid}/reply", data={"answer": "accepted"}).status_code == 400
    page = client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    ok = client.post(f"/b2b/requests/{request.uid}/reply", data={"answer": "accepted"},
                     headers={**HTMX, "X-CSRFToken": token})
    assert ok.status_code == 200 and request.reply is not None


def test_gets_change_nothing(client, login, event, anne, bruno):
    from portal.federation.models import Record

    services.request_meeting(event, anne.person_uid, bruno.person_uid)
    db.session.commit()
    login(anne)
    before = db.session.query(Record).count()
    for path in ("participants", "suggestions", "", "counters", "schedule"):
        assert client.get(f"/events/{event.uid}/b2b/{path}").status_code == 200
    assert db.session.query(Record).count() == before


def test_a_listing_and_a_profile_offer_a_meeting_at_each_event_both_take_part_in(client, login, event, anne,
                                                                                  bruno, carla):
    """The issue's "request a meeting" on directory listings of participants, and on their profiles."""
    from portal.directory.models import Listing

    offer = db.session.scalars(select(Listing).where(Listing.person_uid == bruno.person_uid)).one()
    button = f'href="/events/{event.uid}/b2b/request/{bruno.person_uid}"'
    login(anne)
    for page in (client.get(f"/listings/{offer.uid}").text, client.get(f"/people/{bruno.person_uid}").text):
        assert button in page and f"Request a meeting at “{event.title}”</a>" in page
    services.request_meeting(event, bruno.person_uid, anne.person_uid, "Hello")
    db.session.commit()
    catalogue = client.get(f"/events/{event.uid}/b2b/participants").text
    # Bruno's request waits for Anne: his card says so, and leads to where she answers it.
    assert re.search(rf'<a href="/events/{event.uid}/b2b/#request-[0-9a-f-]+" class="small">Waiting for your answer</a>',
                     catalogue)
    login(bruno)
    assert "Waiting for an answer" in client.get(f"/events/{event.uid}/b2b/participants").text
    login(carla)  # no request between Carla and Bruno: she may ask, as everyone taking part
    assert button in client.get(f"/listings/{offer.uid}").text
    event.b2b_enabled = False
    db.session.commit()
    assert "Request a meeting" not in client.get(f"/listings/{offer.uid}").text


def test_request_button_include(app, event, anne, bruno, make_user):
    from flask import g, render_template_string
    from flask_login import login_user

    button = '{% with person_uid=p, event_uid=e %}{% include "meetings/_request_button.html" %}{% endwith %}'
    outsider = make_user(display_name="Not registered")
    with app.test_request_context():
        login_user(anne)
        html = render_template_string(button, p=bruno.person_uid, e=event.uid)
        assert f"/events/{event.uid}/b2b/request/{bruno.person_uid}" in html
        assert "Request a meeting" not in render_template_string(button, p=anne.person_uid, e=event.uid)
        assert "Request a meeting" not in render_template_string(button, p=outsider.person_uid, e=event.uid)
    with app.test_request_context():
        g.pop("b2b_participants", None)
        login_user(outsider)
        assert "Request a meeting" not in render_template_string(button, p=bruno.person_uid, e=event.uid)


def schedule_meeting(event, a, b, minutes=0, table="T1"):
    from portal.meetings.models import Meeting

    request = services.request_meeting(event, a.person_uid, b.person_uid)
    services.reply_to_request(request, b.person_uid, "accepted")
    start = event.b2b_starts_at + timedelta(minutes=minutes)
    meeting = Meeting(event_uid=event.uid, request_uid=request.uid, person_uids=[a.person_uid, b.person_uid],
                      starts_at=start, ends_at=start + timedelta(minutes=20), table=table, status="scheduled")
    db.session.add(meeting)
    db.session.commit()
    return meeting


def test_the_schedule_page_counts_the_accepted_requests_not_scheduled_yet(client, login, event, anne, bruno,
                                                                          make_participant):
    """Accepted, they are in the requests' counters; the schedule must not read as if there were none."""
    login(anne)
    assert "not scheduled yet" not in client.get(f"/events/{event.uid}/b2b/schedule").text
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid)
    services.reply_to_request(request, bruno.person_uid, "accepted")
    pending = services.request_meeting(event, anne.person_uid, make_participant(event, "Carl").person_uid)
    db.session.commit()
    page = client.get(f"/events/{event.uid}/b2b/schedule").text
    assert "1 accepted request is not scheduled yet" in page  # not the one Carl has not answered
    assert f'href="/events/{event.uid}/b2b/"' in page
    schedule_meeting(event, anne, make_participant(event, "Dora"))  # accepted and scheduled: not counted
    assert "1 accepted request is not scheduled yet" in client.get(f"/events/{event.uid}/b2b/schedule").text
    services.reply_to_request(pending, pending.to_person_uid, "accepted")
    db.session.commit()
    assert "2 accepted requests are not scheduled yet" in client.get(f"/events/{event.uid}/b2b/schedule").text


def test_schedule_page_and_ics_feed_follow_changes(client, login, event, anne, bruno):
    meeting = schedule_meeting(event, anne, bruno, minutes=20, table="T2")
    login(anne)
    page = client.get(f"/events/{event.uid}/b2b/schedule").get_data(as_text=True).replace("\u202f", " ")
    assert "Bruno" in page and "T2" in page and "14:20" in page and " PM" not in page
    assert f'<a href="/people/{bruno.person_uid}">Bruno</a>' in page  # who they will meet, a click away
    feed_url = re.search(r'value="(http[^"]+\.ics)"', page).group(1)
    path = feed_url.split("test-cluster.example", 1)[1]
    client.get("/")  # calendar apps have no session
    with client.session_transaction() as session:
        session.clear()
    cal = Calendar.from_ical(client.get(path).data)
    entry = cal.walk("VEVENT")[0]
    assert str(entry["UID"]) == f"meeting-{meeting.uid}@test-cluster"
    assert int(entry["SEQUENCE"]) == 1 and str(entry["STATUS"]) == "CONFIRMED"
    assert entry.decoded("DTSTART") == event.b2b_starts_at + timedelta(minutes=20)
    assert "Bruno" in str(entry["SUMMARY"])
    # whom they meet, as their card says, and the schedule a tap away
    assert str(entry["DESCRIPTION"]).splitlines() == [event.title, "With: Bruno · CTO · Lumiwave"]
    assert str(entry["URL"]) == f"http://test-cluster.example/events/{event.uid}/b2b/schedule"
    services.cancel_meeting(meeting)
    db.session.commit()
    again = Calendar.from_ical(client.get(path).data).walk("VEVENT")[0]
    assert str(again["UID"]) == str(entry["UID"]) and int(again["SEQUENCE"]) == 2
    assert str(again["STATUS"]) == "CANCELLED"
    assert client.get(path.replace(".ics", "x.ics")).status_code == 404


def test_my_schedule_and_calendar_feed_read_my_meetings_not_everyones(client, login, event, anne, bruno,
                                                                       make_participant):
    schedule_meeting(event, anne, bruno)
    login(anne)
    feed = f"/b2b/calendar/{anne.person_uid}/{queries.calendar_token(anne.person_uid)}.ics"
    loaded = []
    for round in range(2):  # two meetings between other people, then four
        for n in range(2):
            schedule_meeting(event, make_participant(event), make_participant(event), minutes=20 * (round + 1),
                             table=f"T{n + 2}")
        counts = []
        for url in (f"/events/{event.uid}/b2b/schedule", feed):
            with client.application.app_context(), loaded_rows(Meeting) as rows:
                assert "Bruno" in client.get(url).text
            counts.append(len(rows))
        loaded.append(counts)
    assert loaded == [[1, 1], [1, 1]]  # my meeting, on each page: not every meeting of the event


@pytest.mark.parametrize("page, shown", [
    ("schedule", "1 accepted request is not scheduled yet"),
    ("counters", '<dd data-counter="accepted">1</dd>'),  # polled by the dashboard
])
def test_my_pages_read_the_registrations_of_the_people_i_asked_not_everyones(client, login, event, anne, bruno,
                                                                             make_participant, page, shown):
    """My schedule's count of accepted requests not scheduled and my requests' counters read whether the
    people of my requests take part: they read every participant's registration for it."""
    services.reply_to_request(services.request_meeting(event, anne.person_uid, bruno.person_uid),
                              bruno.person_uid, "accepted")
    db.session.commit()
    login(anne)
    loaded = []
    for _ in range(2):  # three more participants, then six
        for _ in range(3):
            make_participant(event)
        with client.application.app_context(), loaded_rows(Registration) as rows:
            text = client.get(f"/events/{event.uid}/b2b/{page}").text
        loaded.append(len(rows))
    assert shown in text
    assert loaded == [2, 2]  # Anne's and Bruno's, whether they still take part


def test_changing_the_calendar_address_revokes_the_old_one(client, login, event, anne, bruno):
    schedule_meeting(event, anne, bruno)
    old = queries.calendar_token(anne.person_uid)
    login(anne)
    assert client.post(f"/events/{event.uid}/b2b/calendar/reset").status_code == 302
    new = queries.calendar_token(anne.person_uid)
    assert new != old
    assert client.get(f"/b2b/calendar/{anne.person_uid}/{old}.ics").status_code == 404
    assert client.get(f"/b2b/calendar/{anne.person_uid}/{new}.ics").status_code == 200


def test_a_disabled_account_s_calendar_feed_stops(client, event, anne, bruno, make_user):
    """The feed's address stands for a log-in: disabling the account ends it, as it ends its sessions."""
    from portal.accounts.services import disable_member

    schedule_meeting(event, anne, bruno)
    path = f"/b2b/calendar/{anne.person_uid}/{queries.calendar_token(anne.person_uid)}.ics"
    assert client.get(path).status_code == 200
    disable_member(anne, make_user(role="admin"))
    db.session.commit()
    assert client.get(path).status_code == 404


def test_a_deleted_account_s_calendar_feed_stops(client, event, anne, bruno):
    """Deleting the account erases the person's address of the feed, whose secret then comes back
    the same (its generation is gone with it): the feed ends with the account all the same."""
    from portal.privacy.services import delete_account

    schedule_meeting(event, anne, bruno)
    path = f"/b2b/calendar/{anne.person_uid}/{queries.calendar_token(anne.person_uid)}.ics"
    assert client.get(path).status_code == 200
    delete_account(anne, "correct horse battery")
    db.session.commit()
    assert client.get(path).status_code == 404


def test_peer_text_is_escaped(client, login, event, anne, make_participant):
    evil = make_participant(event, "<script>alert(1)</script>")
    login(anne)
    html = client.get(f"/events/{event.uid}/b2b/participants").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert evil


def test_index_lists_hosted_b2b_events_and_my_counters(client, login, event, anne, bruno, make_event):
    make_event(title="No B2B here")
    services.request_meeting(event, anne.person_uid, bruno.person_uid)
    db.session.commit()
    login(bruno)
    html = client.get("/b2b/").get_data(as_text=True)
    assert event.title in html and "No B2B here" not in html
    assert "1 received, 0 sent, 0 accepted" in html
    assert 'href="/b2b/"' in html  # the navigation entry


def test_the_index_shows_the_events_to_come_soonest_first_then_the_past(client, login, make_b2b_event,
                                                                        make_participant):
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    for title, year in (("Past", 2020), ("Later", 2031), ("Sooner", 2029), ("Long past", 2019)):
        event = make_b2b_event(title=title, starts_at=datetime(year, 3, 18, 9, tzinfo=paris),
                               ends_at=datetime(year, 3, 18, 17, tzinfo=paris),
                               b2b_starts_at=datetime(year, 3, 18, 14, tzinfo=paris),
                               b2b_ends_at=datetime(year, 3, 18, 16, tzinfo=paris))
    login(make_participant(event))
    html = client.get("/b2b/").text
    assert [html.index(f"<strong>{t}</strong>") for t in ("Sooner", "Later", "Past", "Long past")] == sorted(
        html.index(f"<strong>{t}</strong>") for t in ("Sooner", "Later", "Past", "Long past"))


def test_people_met_at_an_earlier_event_only_with_the_toggle(client, login, event, anne, bruno, make_b2b_event):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from portal.events.registrations import register

    paris = ZoneInfo("Europe/Paris")
    earlier = make_b2b_event(title="Earlier", starts_at=datetime(2049, 3, 1, 9, tzinfo=paris),
                             ends_at=datetime(2049, 3, 1, 17, tzinfo=paris),
                             b2b_starts_at=datetime(2049, 3, 1, 14, tzinfo=paris),
                             b2b_ends_at=datetime(2049, 3, 1, 16, tzinfo=paris))
    register(earlier, anne.person_uid, b2b=True)
    register(earlier, bruno.person_uid, b2b=True)
    meeting = schedule_meeting(earlier, anne, bruno)
    services.mark_meeting(meeting, "held", now=AT_THE_EVENT)
    db.session.commit()
    login(anne)
    url = f"/events/{event.uid}/b2b/suggestions"
    assert "Bruno" not in client.get(url, headers=HTMX).get_data(as_text=True)
    again = client.get(url + "?met=1", headers=HTMX).get_data(as_text=True)
    assert "Bruno" in again and "met before" in again


@pytest.fixture
def chloe(make_b2b_event, make_replica, make_peer, make_organisation):
    """Chloé, a member of peer-b (who shares her profile), and an event peer-b co-hosts."""
    from portal.directory.models import Person
    from portal.events.registration_models import Registration

    make_peer("peer-b", "Agri Portal")
    shared = make_b2b_event(co_hosts=["peer-b"])
    org = make_replica(type(make_organisation()), "peer-b", name="Agri Co", kind="end_user", country="FR")
    person = make_replica(Person, "peer-b", display_name="Chloé", organisation_uid=org.uid)
    make_replica(Registration, "peer-b", event_uid=shared.uid, person_uid=person.uid, b2b=True,
                 status="registered", role="attendee")
    return shared, person


def test_the_request_page_says_up_front_that_a_request_exists(client, login, event, anne, bruno):
    services.request_meeting(event, bruno.person_uid, anne.person_uid, "Hello")
    db.session.commit()
    login(anne)
    for headers in ({}, HTMX):
        response = client.get(f"/events/{event.uid}/b2b/request/{bruno.person_uid}", headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "There is already a request between you two." in html
        assert "<textarea" not in html and "Send the request" not in html
        assert "Waiting for an answer" in html and f"/events/{event.uid}/b2b/" in html


def test_a_sender_whose_profile_stays_here_is_told_what_the_other_portal_sees(
        client, login, chloe, make_participant):
    shared, person = chloe
    dora = make_participant(shared, "Dora")
    dora.person.share_profile = False
    db.session.commit()
    login(dora)
    url = f"/events/{shared.uid}/b2b/request/{person.uid}"
    html = client.get(url).get_data(as_text=True)
    assert "Your profile is not shared with the partner clusters" in html and "“a participant”" in html
    assert "/account#consent-heading" in html and "<textarea" in html
    dora.person.share_profile = True
    db.session.commit()
    assert "Your profile is not shared" not in client.get(url).get_data(as_text=True)


def test_a_request_from_someone_not_sharing_shows_their_portal(client, login, chloe, make_participant,
                                                               make_replica):
    shared, _ = chloe
    eve = make_participant(shared, "Eve")
    hidden = "00000000-0000-4000-8000-00000000abcd"  # peer-b never sent this person's profile
    from portal.events.registration_models import Registration

    make_replica(Registration, "peer-b", event_uid=shared.uid, person_uid=hidden, b2b=True, status="registered",
                 role="attendee")
    make_replica(MeetingRequest, "peer-b", event_uid=shared.uid, from_person_uid=hidden,
                 to_person_uid=eve.person_uid, message="We make hake fillets.", status="open")
    login(eve)
    html = client.get(f"/events/{shared.uid}/b2b/").get_data(as_text=True)
    assert re.search(r"<strong[^>]*>A participant</strong></span>\s*<span class=\"badge badge-cluster\">Agri Portal</span>", html)
    assert "does not share their profile" in html and "We make hake fillets." in html
    assert "Star this participant</span>" in html


def test_a_request_from_someone_who_left_shows_closed_and_offers_no_answer(client, login, chloe, make_participant,
                                                                           make_replica):
    from portal.events.registration_models import Registration
    from sqlalchemy import select

    shared, person = chloe
    eve = make_participant(shared, "Eve")
    make_replica(MeetingRequest, "peer-b", event_uid=shared.uid, from_person_uid=person.uid,
                 to_person_uid=eve.person_uid, status="open")
    registration = db.session.scalars(select(Registration).where(Registration.person_uid == person.uid)).one()
    registration.status, registration.version = "cancelled", 2
    db.session.commit()
    login(eve)
    html = client.get(f"/events/{shared.uid}/b2b/").get_data(as_text=True)
    assert "Closed" in html and "no longer takes part" in html
    assert 'value="accepted"' not in html
    assert re.search(r'data-counter="pending">0<', html)


def test_french_counters_agree_with_the_plural(client, login, event, anne):
    """The counter is a count of requests ("Acceptées"), not a request's status ("Acceptée")."""
    login(anne)
    client.post("/language", data={"lang": "fr", "next": "/"})
    refresh()  # the test's requests share one `g`: choose the language afresh
    html = client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True)
    assert re.search(r"<dt>Acceptées</dt><dd data-counter=\"accepted\">", html)


def test_the_printed_schedule_says_whose_it_is_for_which_event_and_when(client, login, event, anne, bruno):
    from portal.events.formatting import event_when

    schedule_meeting(event, anne, bruno)
    login(anne)
    html = client.get(f"/events/{event.uid}/b2b/schedule").get_data(as_text=True)
    head = html.split('class="schedule-head"', 1)[1].split("</hgroup>", 1)[0]
    assert "B2B schedule: Anne" in head and anne.person.organisation.name in head
    assert event.title in head and str(event_when(event)) in head


def test_a_colleague_stands_in_for_the_contact_of_a_listing_who_does_not_come(
        client, login, event, anne, bruno, make_person, make_listing):
    org_uid = bruno.person.organisation_uid
    absent = make_person(display_name="Absent Colleague", organisation_uid=org_uid)
    make_listing(organisation_uid=org_uid, person_uid=absent.uid, kind="offer",
                 title="Distributed fibre sensing for bridges", keywords=["fibre sensing", "bridges"])
    login(anne)
    html = client.get(f"/events/{event.uid}/b2b/participants").get_data(as_text=True)
    assert "Distributed fibre sensing for bridges" in html
    assert queries.participant(event.uid, bruno.person_uid).offers[0].title == "Distributed fibre sensing for bridges"


def test_the_calendar_feed_speaks_its_owners_language_whatever_the_app_asks(client, event, anne, bruno):
    schedule_meeting(event, anne, bruno, table="T2")
    anne.language = "fr"
    db.session.commit()
    for who, other, headers, summary in ((anne, "Bruno", {"Accept-Language": "en"}, "Rendez-vous d'affaires avec"),
                                         (bruno, "Anne", {"Accept-Language": "fr"}, "B2B meeting with")):
        path = f"/b2b/calendar/{who.person_uid}/{queries.calendar_token(who.person_uid)}.ics"
        cal = Calendar.from_ical(client.get(path, headers=headers).data)
        assert str(cal.walk("VEVENT")[0]["SUMMARY"]) == f"{summary} {other} (table T2)"


def test_counts_agree_with_their_number(client, login, event, anne, bruno, carla, proposed_french):
    schedule_meeting(event, anne, bruno)  # Anne's request, accepted
    services.request_meeting(event, carla.person_uid, bruno.person_uid)
    db.session.commit()
    login(anne)
    assert "1 meeting." in client.get(f"/events/{event.uid}/b2b/schedule").get_data(as_text=True)
    cancelled = schedule_meeting(event, anne, carla, minutes=20)
    services.cancel_meeting(cancelled)
    db.session.commit()
    page = " ".join(client.get(f"/events/{event.uid}/b2b/schedule").get_data(as_text=True).split())
    assert "1 meeting. 1 cancelled, kept in the list for the record." in page  # the struck-through row
    assert "1 of 3 participants" in client.get(f"/events/{event.uid}/b2b/participants?q=Bragg").get_data(as_text=True)
    proposed_french(("Requests: %(received)s, %(sent)s, %(accepted)s.", "Demandes\u00a0: %(received)s, %(sent)s, %(accepted)s.",
                     None),
                    (("%(num)d received", "%(num)d received"), ("%(num)d reçue", "%(num)d reçues", "%(num)d reçues"),
                     "requests"),
                    (("%(num)d sent", "%(num)d sent"), ("%(num)d envoyée", "%(num)d envoyées", "%(num)d envoyées"),
                     "requests"),
                    (("%(num)d accepted", "%(num)d accepted"),
                     ("%(num)d acceptée", "%(num)d acceptées", "%(num)d acceptées"), "requests"))
    login(bruno)
    page = client.get("/b2b/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Demandes\u00a0: 2 reçues, 0 envoyée, 1 acceptée." in page


def test_a_cancelled_events_b2b_pages_say_so(client, login, event, anne):
    from portal.events import services as event_services

    event_services.cancel_event(event)
    db.session.commit()
    login(anne)
    assert "This event is cancelled: its B2B meetings are off." in client.get(f"/events/{event.uid}/b2b/participants").text
    assert "Cancelled" in client.get("/b2b/").text
    page = client.get(f"/events/{event.uid}").text
    assert "your registration ended with it" in page and "Your registration:" not in page


def test_a_past_events_b2b_pages_say_it_is_over_and_invite_nothing(client, login, make_b2b_event, make_participant,
                                                                  make_user):
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    past = make_b2b_event(title="Past", starts_at=datetime(2026, 3, 18, 9, tzinfo=paris),
                          ends_at=datetime(2026, 3, 18, 17, tzinfo=paris),
                          b2b_starts_at=datetime(2026, 3, 18, 14, tzinfo=paris),
                          b2b_ends_at=datetime(2026, 3, 18, 16, tzinfo=paris))
    anne, bruno = make_participant(past, "Anne"), make_participant(past, "Bruno")
    login(make_user())  # took no part in it
    pages = {path: client.get(f"/events/{past.uid}/b2b/{path}").text for path in ("participants", "suggestions", "",
                                                                                   "schedule")}
    for path, page in pages.items():
        assert "This event is over: its B2B meetings are closed." in page, path
        assert "Register for the B2B meetings" not in page and "See suggestions" not in page, path
    assert "You had no B2B meetings at this event." in pages["schedule"]
    login(anne)
    assert "Request a meeting" not in client.get(f"/events/{past.uid}/b2b/participants").text
    with pytest.raises(services.MeetingError, match="This event is over"):
        services.request_meeting(past, anne.person_uid, bruno.person_uid)


def test_a_request_reopened_by_coming_back_says_so_on_both_sides(client, login, event, anne, bruno):
    from portal.events.registrations import cancel_registration, my_registration, register

    request = services.request_meeting(event, bruno.person_uid, anne.person_uid)
    db.session.commit()
    cancel_registration(my_registration(event.uid, anne.person_uid))
    db.session.commit()
    register(event, anne.person_uid, b2b=True)
    db.session.commit()
    login(anne)
    row = client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True).split(f'id="request-{request.uid}"')[1]
    assert "Open again: you came back to the B2B meetings." in row and "Waiting for your answer" in row
    login(bruno)
    row = client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True).split(f'id="request-{request.uid}"')[1]
    assert "Open again: Anne came back to the B2B meetings." in row


def test_a_request_closed_by_my_leaving_says_it_is_me(client, login, event, anne, bruno):
    from portal.events.registrations import cancel_registration, my_registration

    request = services.request_meeting(event, bruno.person_uid, anne.person_uid)
    db.session.commit()
    cancel_registration(my_registration(event.uid, anne.person_uid))
    db.session.commit()
    login(anne)
    row = client.get(f"/events/{event.uid}/b2b/").text.split(f'id="request-{request.uid}"')[1]
    assert "Closed: you no longer take part in the B2B meetings of this event." in row
    assert '<span class="visually-hidden">Star Bruno</span>' in row


def test_unticking_the_b2b_meetings_warns_then_says_the_meetings_are_cancelled(client, login, event, anne, bruno,
                                                                             make_meeting):
    make_meeting(event, anne.person_uid, bruno.person_uid, status="scheduled")
    login(bruno)
    form = client.get(f"/events/{event.uid}/register").text
    assert ("You have 1 B2B meeting scheduled: unticking the B2B meetings cancels it, "
            "and the other participant is told.") in form
    page = client.post(f"/events/{event.uid}/register", data={"role": "attendee", "consent": "y"},
                       follow_redirects=True).text
    assert "Your 1 B2B meeting is cancelled; the other participant is told." in page
    assert "You have 1 B2B meeting" not in client.get(f"/events/{event.uid}/register").text  # none left


def test_my_requests_read_as_many_times_for_twice_the_requests(client, login, event, anne, make_participant):
    login(anne)
    counts = []
    for _ in range(2):  # two requests received and two sent and accepted, then four of each
        for _ in range(2):
            sender, asked = make_participant(event), make_participant(event)
            services.request_meeting(event, sender.person_uid, anne.person_uid)
            services.reply_to_request(services.request_meeting(event, anne.person_uid, asked.person_uid),
                                      asked.person_uid, "accepted")
        db.session.commit()
        counts.append([page_queries(client, url) for url in (f"/events/{event.uid}/b2b/", "/b2b/")])
    assert counts[1] == counts[0]


def test_the_catalogue_gives_each_participant_their_listings_without_matching_every_pair(event, make_participant):
    """Each participant's listings are picked from the event's without reading every listing for every
    participant: that cost seconds at a few hundred participants (the catalogue, the suggestions)."""
    reads = []
    for _ in range(2):  # eight participants with an offer and a need each, then sixteen
        for n in range(8):
            make_participant(event, listings=[{"kind": "offer", "title": f"Offer {n}"},
                                              {"kind": "need", "title": f"Need {n}"}])
        with attribute_reads(Listing) as read:
            found = queries.participants(event.uid)
        reads.append(len(read))
    assert len(found) == 16 and all(len(p.offers) == 1 and len(p.needs) == 1 for p in found)
    assert reads[1] <= 2 * reads[0]  # twice the participants and listings, not four times the pairs


def test_the_request_page_reads_the_listings_of_the_one_participant_it_is_for(client, login, event, anne, bruno,
                                                                            make_participant):
    login(anne)
    loaded = []
    for _ in range(2):  # three more participants with an offer each, then six
        for n in range(3):
            make_participant(event, listings=[{"kind": "offer", "title": f"Offer {n}"}])
        with client.application.app_context(), loaded_rows(Listing) as rows:
            page = client.get(f"/events/{event.uid}/b2b/request/{bruno.person_uid}").text
        loaded.append(len(rows))
    assert "Request a meeting with Bruno" in page
    assert loaded == [1, 1]  # Bruno's offer alone, not every participant's listings


def test_the_b2b_index_reads_as_many_times_for_twice_the_events(client, login, make_b2b_event, make_participant,
                                                                 make_user):
    anne = make_user(display_name="Anne")
    login(anne)
    counts = []
    for round in range(2):  # at two events I take part, a request waiting for my answer, at two I wait for a
        for n in range(2):  # place and two I am not registered for; then four of each
            event = make_b2b_event(title=f"Day {round}{n}")
            register(event, anne.person_uid, b2b=True)
            services.request_meeting(event, make_participant(event).person_uid, anne.person_uid)
            full = make_b2b_event(title=f"Full {round}{n}", capacity=1)
            make_participant(full)
            register(full, anne.person_uid, b2b=True)
            make_b2b_event(title=f"Elsewhere {round}{n}")
        db.session.commit()
        counts.append(page_queries(client, "/b2b/"))
    assert "on the waiting list" in client.get("/b2b/").text
    assert counts[1] == counts[0]


def test_without_javascript_a_reply_or_a_withdrawal_comes_back_to_the_dashboard_saying_so(client, login, event, anne,
                                                                                          bruno, carla):
    """A plain form post (no htmx) is redirected to the dashboard, with what the row says over htmx flashed."""
    first = services.request_meeting(event, anne.person_uid, bruno.person_uid, "Hello")
    second = services.request_meeting(event, carla.person_uid, bruno.person_uid, "Soil?")
    db.session.commit()
    login(bruno)
    accepted = client.post(f"/b2b/requests/{first.uid}/reply", data={"answer": "accepted"})
    assert accepted.status_code == 302 and accepted.location == f"/events/{event.uid}/b2b/"
    assert "You accepted the request from Anne." in client.get(accepted.location).text
    declined = client.post(f"/b2b/requests/{second.uid}/reply", data={"answer": "declined"}, follow_redirects=True)
    assert "You declined the request from Carla." in declined.text
    login(anne)
    withdrawn = client.post(f"/b2b/requests/{first.uid}/withdraw", follow_redirects=True)
    assert "You withdrew your request to Bruno." in withdrawn.text
