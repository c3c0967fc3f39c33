"""Organisers' survey settings: invitation wording, extra questions asked and answered, progress."""
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.mail.models import OutboxMessage
from portal.surveys import sending, tokens
from portal.surveys.models import SurveyInvite, SurveyResponse

ENDED = datetime(2049, 3, 18, 16, tzinfo=timezone.utc)


@pytest.fixture
def event(make_b2b_event):
    return make_b2b_event()


@pytest.fixture
def admin(client, login, make_user):
    return login(make_user(role="admin", email="admin@example.org", display_name="Org Aniser"))


def settings_url(event):
    return f"/admin/events/{event.uid}/surveys/"


def test_settings_page_shows_both_stages_with_a_preview(client, admin, event):
    html = client.get(settings_url(event)).get_data(as_text=True)
    assert "Right after the event" in html and "Six months later" in html
    assert "Hello Camille Martin" in html and "Two minutes about Photonics meets agrifood?" in html
    assert "0 members of this portal asked for no survey e-mails." in html and "member(s)" not in html
    assert "who were checked in at the door (all the confirmed ones when none of them was)" in html
    assert f"/surveys/{event.uid}/post_event/" not in html  # no personal link to a made-up participant
    assert "[the participant&#39;s personal link]" in html
    assert f"/admin/events/{event.uid}/surveys/post_event/preview" in html


def test_questionnaire_preview_shows_what_a_participant_sees_and_records_nothing(client, admin, event):
    client.post(f"/admin/events/{event.uid}/surveys/post_event/questions",
                data={"post_event-q-label": "Was the venue easy to reach?", "post_event-q-kind": "yes_no"})
    page = client.get(f"/admin/events/{event.uid}/surveys/post_event/preview")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Overall, how satisfied are you with the event?" in html and "Was the venue easy to reach?" in html
    assert "Your meeting with Dominique Example" in html and "Was this meeting useful?" in html
    assert "<fieldset disabled>" in html and 'id="survey-form"' not in html  # nothing to send
    six = client.get(f"/admin/events/{event.uid}/surveys/six_months/preview").get_data(as_text=True)
    assert "What came of it?" in six and "Was the venue easy to reach?" not in six
    assert client.post(f"/admin/events/{event.uid}/surveys/post_event/preview").status_code == 405
    assert client.get(f"/admin/events/{event.uid}/surveys/other/preview").status_code == 404
    assert db.session.scalars(select(SurveyResponse)).all() == []
    assert db.session.scalars(select(SurveyInvite)).all() == []


def test_questionnaire_preview_without_b2b_has_no_meeting(client, admin, make_event):
    event = make_event()
    html = client.get(f"/admin/events/{event.uid}/surveys/post_event/preview").get_data(as_text=True)
    assert "Overall, how satisfied" in html and "Was this meeting useful?" not in html


def test_stages_say_opened_once_past_and_opens_before(client, admin, make_b2b_event):
    past = make_b2b_event(starts_at=datetime(2026, 5, 20, 7, tzinfo=timezone.utc),
                          ends_at=datetime(2026, 5, 20, 15, tzinfo=timezone.utc),
                          b2b_starts_at=datetime(2026, 5, 20, 12, tzinfo=timezone.utc),
                          b2b_ends_at=datetime(2026, 5, 20, 14, tzinfo=timezone.utc))
    html = client.get(settings_url(past)).get_data(as_text=True)
    assert "Opened Wednesday, 20 May 2026" in html and "Opens Wednesday, 20 May" not in html
    future = client.get(settings_url(make_b2b_event())).get_data(as_text=True)
    assert "Opens " in future and "Opened " not in future


def test_a_closed_stage_says_whom_its_changes_still_reach(client, admin, event, make_participant, monkeypatch):
    """Past its closing, a stage offered to edit its invitation and add questions as if they would go
    out to everyone: no one new is invited then, and only links still valid can show a new question."""
    from datetime import timedelta

    from portal.surveys import admin_views

    make_participant(event, "Anne", email="anne@example.org")
    sending.run_due(ENDED)
    sending.run_due(ENDED + timedelta(days=7))  # the reminder: its link works 30 days more
    notice = re.compile(r'<p class="notice">\s*Invitations to this survey closed on (.+?\))(:| and)')

    def page(days):
        monkeypatch.setattr(admin_views, "utcnow", lambda: ENDED + timedelta(days=days))
        html = client.get(settings_url(event)).get_data(as_text=True)
        return html, notice.findall(html)

    html, found = page(29)
    assert found == [] and "Invitations are going out." in html
    html, found = page(31)
    assert found == [("Saturday, 17 April 2049, 18:00 (CEST, Europe/Paris)", ":")]
    assert "reach only the participants who have not answered yet, while the link of their last e-mail works (30 days)" in html
    assert html.index('class="notice"') < html.index("Save the invitation")  # at the top of its stage
    assert "Add the question" in html  # still possible
    html, found = page(38)
    assert found == [("Saturday, 17 April 2049, 18:00 (CEST, Europe/Paris)", " and")]
    assert "every link sent has expired: a change here reaches no one." in html


def test_default_invitation_asks_about_meetings_only_when_there_were_some(client, admin, event, make_event):
    assert "what your meetings led to" in client.get(settings_url(event)).get_data(as_text=True)
    html = client.get(settings_url(make_event(title="Evening talk"))).get_data(as_text=True)
    assert "Thank you for taking part in Evening talk. Tell us in two minutes how it went for you:" in html
    assert "what your meetings led to" not in html


def test_save_texts_and_questions(client, admin, event, make_participant):
    make_participant(event, "Anne", email="anne@example.org")
    response = client.post(f"/admin/events/{event.uid}/surveys/post_event/texts",
                           data={"post_event-subject": "Your view on {event}", "post_event-body": "Hi {name}!"})
    assert response.status_code == 302
    client.post(f"/admin/events/{event.uid}/surveys/post_event/questions",
                data={"post_event-q-label": "Was the venue easy to reach?", "post_event-q-kind": "yes_no"})
    client.post(f"/admin/events/{event.uid}/surveys/post_event/questions",
                data={"post_event-q-label": "Rate the lunch", "post_event-q-kind": "scale"})
    html = client.get(settings_url(event)).get_data(as_text=True)
    assert "Was the venue easy to reach?" in html and "Your view on Photonics meets agrifood" in html
    client.post(f"/admin/events/{event.uid}/surveys/post_event/questions/2/delete")
    assert "Last sent" not in html
    sending.run_due(ENDED)
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.subject == "Your view on Photonics meets agrifood" and "Hi Anne!" in mail.body
    invite = db.session.scalars(select(SurveyInvite)).one()
    url = f"/surveys/{event.uid}/post_event/{tokens.survey_token(event.uid, 'post_event', invite.registration_uid)}"
    client.get("/")  # the participant is another browser: no matter, the link needs no login
    form = client.get(url).get_data(as_text=True)
    assert "Was the venue easy to reach?" in form and "Rate the lunch" not in form
    client.post(url, data={"satisfaction": "4", "come_again": "yes", "extra.1": "no"})
    assert db.session.scalars(select(SurveyResponse)).one().answers["extra.1"] is False
    progress = client.get(settings_url(event)).get_data(as_text=True)
    assert re.search(r"<strong>1</strong><br><small>answered", progress)
    assert "Last sent Thursday, 18 March 2049, 17:00 (CET, Europe/Paris)." in progress  # the invitation, in the event's zone


def test_an_extra_answer_keeps_its_own_question_once_removed_and_beside_the_other_stage(client, admin, event,
                                                                                       make_participant):
    # Ids are numbered per stage: the six-month "extra.1" must not label the right-after one.
    make_participant(event, "Anne", email="anne@example.org")
    for stage, label, kind in (("post_event", "Was the catering good?", "yes_no"), ("six_months", "Rate the food", "scale")):
        client.post(f"/admin/events/{event.uid}/surveys/{stage}/questions",
                    data={f"{stage}-q-label": label, f"{stage}-q-kind": kind})
    sending.run_due(ENDED)
    invite = db.session.scalars(select(SurveyInvite)).one()
    client.post(f"/surveys/{event.uid}/post_event/{tokens.survey_token(event.uid, 'post_event', invite.registration_uid)}",
                data={"satisfaction": "4", "come_again": "yes", "extra.1": "no"})
    client.post(f"/admin/events/{event.uid}/surveys/post_event/questions/1/delete")
    assert "Was the catering good?" not in client.get(settings_url(event)).text  # no longer asked
    answers = client.get(f"/admin/impact/events/{event.uid}/answers-post-event.csv").text
    assert "Was the catering good?: no" in answers and "Rate the food" not in answers
    assert "Was the catering good?: no" in client.get(f"/admin/impact/events/{event.uid}").text


def test_send_me_a_test_mails_the_saved_invitation_to_the_organiser_only(client, admin, event, make_participant):
    make_participant(event, "Anne", email="anne@example.org")
    client.post(f"/admin/events/{event.uid}/surveys/post_event/texts",
                data={"post_event-subject": "Your view on {event}", "post_event-body": "Hi {name}!"})
    url = f"/admin/events/{event.uid}/surveys/post_event/test"
    assert client.get(url).status_code == 405  # GET sends nothing
    response = client.post(url, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "A test invitation is on its way to admin@example.org, in your account&#39;s language (English)" in html
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert (mail.to, mail.subject) == ("admin@example.org", "[Test] Your view on Photonics meets agrifood")
    assert "Hi Org Aniser!" in mail.body  # the organiser's name where the participant's goes
    assert f"http://test-cluster.example/admin/events/{event.uid}/surveys/post_event/preview" in mail.body
    assert db.session.scalars(select(SurveyInvite)).all() == []  # nobody counts as invited
    assert "Last sent" not in html


def test_send_me_a_test_is_written_in_the_organisers_language(client, admin, event):
    admin.language = "fr"
    db.session.commit()
    client.post(f"/admin/events/{event.uid}/surveys/six_months/test")
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.subject.startswith("[Test] ") and "Photonics meets agrifood" in mail.subject
    assert "Bonjour Org Aniser" in mail.body


def test_unknown_placeholders_are_refused_beside_the_field(client, admin, event):
    response = client.post(f"/admin/events/{event.uid}/surveys/post_event/texts",
                           data={"post_event-subject": "About {event}",
                                 "post_event-body": "Hi {nme}, {evnt} and {nme}"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="post_event-body-error"' in html
    assert "Unknown placeholders {nme}, {evnt}. The placeholders are {name}, {event}." in html
    assert 'id="post_event-subject-error"' not in html
    subject = client.post(f"/admin/events/{event.uid}/surveys/post_event/texts",
                          data={"post_event-subject": "{Event}", "post_event-body": ""}).get_data(as_text=True)
    assert "Unknown placeholder {Event}. The placeholders are {name}, {event}." in subject
    assert sending.default_texts("post_event")[0] in client.get(settings_url(event)).get_data(as_text=True)


def test_invalid_question_is_refused_beside_the_field(client, admin, event):
    response = client.post(f"/admin/events/{event.uid}/surveys/six_months/questions",
                           data={"six_months-q-label": "", "six_months-q-kind": "essay"})
    assert response.status_code == 422
    assert 'id="six_months-q-label-error"' in response.get_data(as_text=True)
    assert client.post(f"/admin/events/{event.uid}/surveys/one_year/texts", data={}).status_code == 404
    for form in ("texts", "questions"):  # the address a refused form leaves, reloaded: back to the page
        again = client.get(f"/admin/events/{event.uid}/surveys/six_months/{form}")
        assert again.status_code == 302 and again.headers["Location"].endswith(f"/admin/events/{event.uid}/surveys/")


def test_at_most_five_extra_questions(client, admin, event):
    for n in range(7):
        client.post(f"/admin/events/{event.uid}/surveys/six_months/questions",
                    data={"six_months-q-label": f"Question {n}", "six_months-q-kind": "text"})
    html = client.get(settings_url(event)).get_data(as_text=True)
    assert "Question 4" in html and "Question 5" not in html


def test_members_and_other_hosts_have_no_access(client, login, make_user, event, make_replica):
    from portal.events.models import Event

    login(make_user())
    assert client.get(settings_url(event)).status_code == 403
    login(make_user(role="admin"))
    foreign = make_replica(Event, "peer-c", title="Theirs", starts_at=event.starts_at, ends_at=event.ends_at,
                           co_hosts=[], timezone="Europe/Paris")
    assert client.get(settings_url(foreign)).status_code == 403


def test_the_preview_shows_the_invitation_in_each_language_the_participants_read(client, admin, event,
                                                                                  make_participant):
    html = client.get(settings_url(event)).get_data(as_text=True)
    assert "Preview in English" in html and "Preview in French" not in html  # nobody yet: the default
    make_participant(event, "Anne")
    make_participant(event, "Bruno").language = "fr"
    db.session.commit()
    html = client.get(settings_url(event), headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Deux minutes pour Photonics meets agrifood\u00a0?" in html
    assert "Two minutes about Photonics meets agrifood?" in html
