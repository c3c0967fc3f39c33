"""The home page's "For you", where logging in lands.

My coming events with where my registration stands and the B2B requests waiting for my answer,
and the surveys I have still to answer.
"""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from portal.events.registration_models import Registration
from portal.events.registrations import cancel_registration, refuse, register
from portal.extensions import db
from portal.meetings.services import request_meeting
from portal.surveys import sending
from portal.surveys.models import SurveyInvite
from portal.timeutil import utcnow
from tests.queries import page_queries

ENDED = datetime(2049, 3, 18, 16, tzinfo=timezone.utc)


def for_you(page):
    """The "For you" section of the home page ("" without one)."""
    start = page.find('<section class="for-you"')
    return page[start:page.index("</section>", start)] if start >= 0 else ""


def test_my_coming_events_say_where_i_stand_and_what_waits_for_my_answer(client, login, make_b2b_event,
                                                                          make_event, make_participant):
    event = make_b2b_event()
    anne = make_participant(event, "Anne")
    bruno = make_participant(event, "Bruno")
    request_meeting(event, bruno.person_uid, anne.person_uid, message="Shall we?")
    other = make_event(title="Photonics for health", capacity=1)
    make_participant(other, "Carl")
    make_participant(other, "Anne again", email="dora@example.org")
    cancel_registration(register(make_event(title="Changed my mind day"), anne.person_uid))
    db.session.commit()

    login(anne)
    page = for_you(client.get("/").text)
    assert "For you" in page and "Photonics meets agrifood" in page
    assert "Your registration: confirmed" in page
    assert f'href="/events/{event.uid}/b2b/">1 B2B request waits for your answer</a>' in page
    assert "Photonics for health" not in page and "Changed my mind day" not in page  # not mine, cancelled
    login(bruno)
    page = for_you(client.get("/").text)
    assert f'href="/events/{event.uid}/b2b/">My B2B meetings: suggestions, requests and schedule</a>' in page


def test_my_b2b_schedule_is_linked_once_the_lead_schedules_my_meetings(client, login, make_b2b_event,
                                                                       make_participant):
    from portal.meetings.models import Meeting
    from portal.meetings.services import reply_to_request

    event = make_b2b_event()
    anne, bruno = make_participant(event, "Anne"), make_participant(event, "Bruno")
    request = request_meeting(event, bruno.person_uid, anne.person_uid)
    reply_to_request(request, anne.person_uid, "accepted")
    meeting = Meeting(event_uid=event.uid, request_uid=request.uid, person_uids=[bruno.person_uid, anne.person_uid],
                      starts_at=event.b2b_starts_at, ends_at=event.b2b_starts_at + timedelta(minutes=20), table="T1")
    db.session.add(meeting)
    db.session.commit()
    login(anne)
    page = for_you(client.get("/").text)
    assert f'href="/events/{event.uid}/b2b/schedule">Your B2B schedule: 1 meeting</a>' in page
    assert "My B2B meetings" not in page  # the schedule's page links to the rest
    meeting.status = "cancelled"
    db.session.commit()
    page = for_you(client.get("/").text)
    assert "Your B2B schedule" not in page and "My B2B meetings: suggestions, requests and schedule" in page


def test_a_waitlisted_place_and_no_b2b_say_so(client, login, make_b2b_event, make_participant, make_user):
    event = make_b2b_event(capacity=1)
    make_participant(event, "Carl")
    dora = make_user(display_name="Dora")
    register(event, dora.person_uid)  # no B2B meetings
    db.session.commit()
    login(dora)
    page = for_you(client.get("/").text)
    assert "Your registration: on the waiting list" in page
    assert "B2B request" not in page and "My B2B meetings" not in page


def test_nothing_for_a_visitor_or_a_member_registered_nowhere(client, login, make_user, make_event):
    make_event()
    assert for_you(client.get("/").text) == ""
    login(make_user())
    assert for_you(client.get("/").text) == ""


def test_a_survey_to_answer_links_to_it_until_answered_or_its_link_expires(client, login, make_b2b_event,
                                                                         make_participant):
    event = make_b2b_event()
    anne = make_participant(event, "Anne", email="anne@example.org")
    sending.run_due(ENDED)
    invite = db.session.scalars(select(SurveyInvite).where(SurveyInvite.person_uid == anne.person_uid)).one()
    invite.sent_at = utcnow() - timedelta(days=2)  # mailed two days ago
    db.session.commit()
    login(anne)
    page = client.get("/").text
    assert "Tell the organisers of Photonics meets agrifood what came of it:" in page
    link = page.split('<ul class="for-you-surveys">')[1].split('href="')[1].split('"')[0]
    assert link.startswith(f"/surveys/{event.uid}/post_event/")
    assert 'name="satisfaction"' in client.get(link).text  # the survey itself, no log-in needed

    invite.reminded_at = utcnow() - timedelta(days=29)  # a reminder's link is the last one mailed
    invite.sent_at = utcnow() - timedelta(days=40)
    db.session.commit()
    assert "what came of it" in client.get("/").text
    invite.reminded_at = utcnow() - timedelta(days=31)  # past SURVEY_LINK_DAYS: the link no longer works
    db.session.commit()
    assert "what came of it" not in client.get("/").text

    invite.reminded_at, invite.answered_at = None, None
    invite.sent_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    link = client.get("/").text.split('<ul class="for-you-surveys">')[1].split('href="')[1].split('"')[0]
    answer = client.get(link)
    assert answer.status_code == 200
    invite.answered_at = utcnow()
    db.session.commit()
    assert "what came of it" not in client.get("/").text


def test_logging_in_lands_on_the_home_page(client, make_user):
    make_user(email="mona@example.org")
    response = client.post("/login", data={"email": "mona@example.org", "password": "correct horse battery"})
    assert response.headers["Location"] == "/"


def test_a_refused_registration_is_offered_no_b2b_meetings(client, login, make_b2b_event, make_participant):
    event = make_b2b_event()
    anne = make_participant(event, "Anne")
    refuse(db.session.scalars(select(Registration).where(Registration.person_uid == anne.person_uid)).one())
    db.session.commit()
    login(anne)
    mine = for_you(client.get("/").text)
    assert "Your registration: refused" in mine and "B2B" not in mine
    page = client.get(f"/events/{event.uid}").text
    assert "refused" in page and f'href="/events/{event.uid}/b2b/"' not in page


def test_my_coming_events_read_as_many_times_for_twice_the_requests(client, login, make_b2b_event, make_participant):
    event = make_b2b_event()
    anne = make_participant(event, "Anne")
    login(anne)
    counts = []
    for _ in range(2):  # two requests waiting for my answer, then four
        for _ in range(2):
            request_meeting(event, make_participant(event).person_uid, anne.person_uid)
        db.session.commit()
        counts.append(page_queries(client, "/"))
    assert counts[1] == counts[0]


def test_my_coming_events_read_as_many_times_for_twice_the_events(client, login, make_event, make_participant):
    anne = make_participant(make_event(title="Day 0"), "Anne")
    login(anne)
    counts = []
    for round in range(2):  # two events where my place is decided, then four
        for n in range(2):
            register(make_event(title=f"Day {round}{n}"), anne.person_uid)
        db.session.commit()
        counts.append(page_queries(client, "/"))
    assert counts[1] == counts[0]


def test_my_coming_b2b_events_read_as_many_times_for_twice_the_events(client, login, make_b2b_event, make_user,
                                                                      make_participant):
    anne = make_user(display_name="Anne")
    login(anne)
    counts = []
    for round in range(2):  # two B2B events, each with a request waiting for my answer, then four
        for n in range(2):
            event = make_b2b_event(title=f"Day {round}{n}")
            register(event, anne.person_uid, b2b=True)
            request_meeting(event, make_participant(event).person_uid, anne.person_uid)
        db.session.commit()
        counts.append(page_queries(client, "/"))
    assert for_you(client.get("/").text).count("1 B2B request waits for your answer") == 4
    assert counts[1] == counts[0]
