"""The survey link and the opt-out link, without logging in: answers once, refuses bad links clearly."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from flask_babel import refresh
from sqlalchemy import select

from portal.extensions import db
from portal.federation import feed
from portal.federation.models import Record
from portal.surveys import sending, tokens
from portal.surveys.models import SurveyInvite, SurveyOptOut, SurveyResponse
from portal.surveys.schedule import due_at

ENDED = datetime(2049, 3, 18, 16, tzinfo=timezone.utc)


@pytest.fixture
def event(make_b2b_event):
    return make_b2b_event(co_hosts=["peer-b"])


@pytest.fixture
def anne(event, make_participant, make_meeting, make_person):
    """Anne, invited to the post-event survey, with one held meeting, one no-show and one cancelled."""
    anne = make_participant(event, "Anne", email="anne@example.org")
    bruno = make_participant(event, "Bruno", email="bruno@example.org")
    make_meeting(event, anne.person_uid, bruno.person_uid, status="held")
    make_meeting(event, anne.person_uid, make_person(display_name="Nobody").uid, status="no_show")
    make_meeting(event, bruno.person_uid, anne.person_uid, status="scheduled")
    make_meeting(event, anne.person_uid, bruno.person_uid, status="cancelled")
    sending.run_due(ENDED)
    return anne


def invite_of(user, stage="post_event"):
    return db.session.scalars(select(SurveyInvite).where(
        SurveyInvite.person_uid == user.person_uid, SurveyInvite.stage == stage)).one()


def link(invite, **kwargs):
    token = tokens.survey_token(invite.event_uid, invite.stage, invite.registration_uid, **kwargs)
    return f"/surveys/{invite.event_uid}/{invite.stage}/{token}"


def meeting_fields(html, suffix):
    return list(dict.fromkeys(re.findall(rf'name="(meeting\.[0-9a-f]+\.{suffix})"', html)))


def test_the_mailed_link_shows_the_survey_with_the_meetings(client, anne):
    response = client.get(link(invite_of(anne)))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Photonics meets agrifood" in html and 'name="satisfaction"' in html
    assert len(meeting_fields(html, "useful")) == 2  # held and scheduled; not the no-show nor the cancelled
    assert "Your meeting with Bruno" in html


def test_answering_records_a_pseudonymous_response_published_to_the_hosts(client, anne, event):
    url = link(invite_of(anne))
    html = client.get(url).get_data(as_text=True)
    first, second = meeting_fields(html, "useful")
    response = client.post(url, data={"satisfaction": "4", "come_again": "yes", "new_contacts": "3",
                                      first: "yes", first.replace("useful", "next_step"): "nda",
                                      second: "no", "unknown": "ignored"})
    assert response.status_code == 302
    saved = db.session.scalars(select(SurveyResponse)).one()
    assert saved.answers == {"satisfaction": 4, "come_again": True, "new_contacts": 3, first: True,
                             first.replace("useful", "next_step"): "nda", second: False}
    assert saved.respondent == tokens.respondent(event.uid, anne.person_uid) != anne.person_uid
    assert anne.person_uid not in repr(saved.fed_data())
    assert invite_of(anne).answered_at is not None and invite_of(anne).response_uid == saved.uid
    row = db.session.scalars(select(Record).where(Record.uid == saved.uid)).one()
    assert row.event_uid == event.uid  # event-scoped: only the hosts get it
    assert saved.uid in {c["uid"] for c in feed.changes("peer-b", 0, 1000)["changes"]}
    assert saved.uid not in {c["uid"] for c in feed.changes("not-a-host", 0, 1000)["changes"]}
    thanks = client.get(url)
    assert thanks.status_code == 200 and "Thank you" in thanks.get_data(as_text=True)


def test_a_used_link_records_nothing_more(client, anne):
    url = link(invite_of(anne))
    client.post(url, data={"satisfaction": "4", "come_again": "yes"})
    again = client.post(url, data={"satisfaction": "1", "come_again": "no"})
    assert again.status_code == 200 and "This link has been used" in again.get_data(as_text=True)
    # Under the survey's own title, as when it was answered: the event and the stage.
    assert re.search(r"<h1>Photonics meets agrifood</h1>\s*<p>Right after the event</p>\s*</hgroup>.*"
                     r"<h2>Thank you!</h2>", again.text, re.S)
    assert [r.answers["satisfaction"] for r in db.session.scalars(select(SurveyResponse))] == [4]


def test_errors_are_shown_beside_the_fields_and_typed_answers_kept(client, anne):
    url = link(invite_of(anne))
    response = client.post(url, data={"new_contacts": "lots", "come_again": "yes"}, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="q-satisfaction-error"' in html and "Please answer this question." in html
    assert 'id="q-new_contacts-error"' in html and 'value="lots"' in html
    assert re.search(r'value="yes" checked', html)
    assert "<html" not in html  # the fragment only
    assert db.session.scalars(select(SurveyResponse)).all() == []


def test_a_scales_meaning_is_read_with_its_question(client, anne):
    """'1: not at all, 5: very much' sat under the radios, outside what a screen reader says on
    reaching them ('1, radio button'): the group is described by it, and by its error."""
    url = link(invite_of(anne))
    html = client.get(url).get_data(as_text=True)
    assert '<fieldset id="q-satisfaction" aria-describedby="q-satisfaction-help">' in html
    assert '<small id="q-satisfaction-help" class="survey-scale-help">1: not at all, 5: very much</small>' in html
    html = client.post(url, data={}, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'aria-invalid="true" aria-describedby="q-satisfaction-help q-satisfaction-error"' in html


def test_the_star_of_a_required_answer_is_explained_once_above_the_questions(client, anne, event):
    html = client.get(link(invite_of(anne))).get_data(as_text=True)
    assert html.count('<span class="required" aria-hidden="true">*</span> An answer is required.') == 1
    assert html.index("An answer is required.") < html.index('id="q-satisfaction"')
    sending.run_due(due_at(ENDED, "six_months", event.zone))
    assert "An answer is required." not in client.get(link(invite_of(anne, "six_months"))).text  # none is


def test_the_six_month_survey_dates_each_meeting(client, anne, event):
    sending.run_due(due_at(ENDED, "six_months", event.zone))
    html = client.get(link(invite_of(anne, "six_months"))).text
    assert '<small class="survey-when">18 Mar 2049, 14:00–14:20 CET</small>' in html
    refresh()  # the test's requests share one `g`: choose the language afresh
    french = client.get(link(invite_of(anne, "six_months")), headers={"Accept-Language": "fr"}).text
    assert '<small class="survey-when">18 mars 2049, 14:00–14:20 CET</small>' in french


def test_a_meetings_legend_names_the_person_and_a_line_below_the_organisation_and_time(client, anne, event):
    sending.run_due(due_at(ENDED, "six_months", event.zone))
    html = client.get(link(invite_of(anne, "six_months"))).text
    legend, facts = re.search(r'<fieldset class="survey-contact">\s*<legend>(.*?)</legend>\s*'
                              r'<p class="survey-contact-facts">(.*?)</p>', html, re.S).groups()
    assert re.fullmatch(r"Your meeting with [^<·]+", legend)
    assert re.fullmatch(r"<small>[^<]+</small> · <small class=\"survey-when\">18 Mar 2049, 14:00–14:20 CET</small>",
                        facts)


def test_an_empty_six_month_form_is_not_an_answer(client, anne, event):
    sending.run_due(due_at(ENDED, "six_months", event.zone))
    url = link(invite_of(anne, "six_months"))
    html = client.get(url).get_data(as_text=True)
    [first, _second] = meeting_fields(html, "outcome")
    empty = {field: "" for field in meeting_fields(html, "outcome")} | {"other_outcome": "", "comment": "  "}
    response = client.post(url, data=empty, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Please answer at least one question." in response.get_data(as_text=True)
    assert db.session.scalars(select(SurveyResponse)).all() == [] and invite_of(anne, "six_months").answered_at is None
    # The link still works, and "Nothing yet" is an answer.
    assert client.post(url, data={"other_outcome": "nothing_yet"}).status_code == 302
    assert db.session.scalars(select(SurveyResponse)).one().answers == {"other_outcome": "nothing_yet"}


def test_htmx_success_answers_with_the_thanks_fragment(client, anne):
    response = client.post(link(invite_of(anne)), data={"satisfaction": "5", "come_again": "yes"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<h2>Thank you!</h2>" in response.get_data(as_text=True)


def test_expired_link(app, client, anne):
    days = app.config["SURVEY_LINK_DAYS"]
    url = link(invite_of(anne), signed_at=datetime.now(timezone.utc) - timedelta(days=days, minutes=1))
    for response in (client.get(url), client.post(url, data={"satisfaction": "5", "come_again": "yes"})):
        assert response.status_code == 410 and "This link has expired" in response.get_data(as_text=True)
    assert db.session.scalars(select(SurveyResponse)).all() == []


def test_tampered_link(client, anne):
    url = link(invite_of(anne))
    tampered = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    response = client.post(tampered, data={"satisfaction": "5", "come_again": "yes"})
    assert response.status_code == 400 and "This link does not work" in response.get_data(as_text=True)
    forged = tokens.survey_token(invite_of(anne).event_uid, "post_event", invite_of(anne).registration_uid)
    forged = forged.rsplit(".", 1)[0] + "." + "x" * 27
    assert client.get(f"/surveys/{invite_of(anne).event_uid}/post_event/{forged}").status_code == 400
    assert db.session.scalars(select(SurveyResponse)).all() == []


def test_link_for_another_event_or_stage(client, anne, make_b2b_event):
    invite = invite_of(anne)
    token = tokens.survey_token(invite.event_uid, invite.stage, invite.registration_uid)
    other = make_b2b_event(title="Another day")
    for url in (f"/surveys/{other.uid}/post_event/{token}", f"/surveys/{invite.event_uid}/six_months/{token}"):
        response = client.post(url, data={"satisfaction": "5", "come_again": "yes"})
        assert response.status_code == 400 and "This link does not work" in response.get_data(as_text=True)
    # A well-signed link for a stage nobody was invited to is no better.
    six = tokens.survey_token(invite.event_uid, "six_months", invite.registration_uid)
    assert client.get(f"/surveys/{invite.event_uid}/six_months/{six}").status_code == 400
    assert db.session.scalars(select(SurveyResponse)).all() == []


def test_csrf_is_required_when_enabled(app, client, anne):
    app.config["WTF_CSRF_ENABLED"] = True
    url = link(invite_of(anne))
    refused = client.post(url, data={"satisfaction": "5", "come_again": "yes"})
    assert refused.status_code == 400 and db.session.scalars(select(SurveyResponse)).all() == []
    html = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    accepted = client.post(url, data={"satisfaction": "5", "come_again": "yes", "csrf_token": token})
    assert accepted.status_code == 302 and len(db.session.scalars(select(SurveyResponse)).all()) == 1


def test_opt_out_link_needs_no_login_and_a_post(client, anne):
    url = f"/surveys/opt-out/{tokens.opt_out_token(anne.person_uid)}"
    page = client.get(url)
    assert page.status_code == 200 and "Send me no more surveys" in page.get_data(as_text=True)
    assert "two short questions" not in page.get_data(as_text=True)  # more are asked: one set per meeting
    assert "about each B2B meeting" in page.get_data(as_text=True)
    assert db.session.get(SurveyOptOut, anne.person_uid) is None  # GET changes nothing
    assert client.post(url, data={"action": "stop"}).status_code == 302
    assert db.session.get(SurveyOptOut, anne.person_uid) is not None
    assert "no more survey e-mails" in client.get(url).get_data(as_text=True)
    client.post(url, data={"action": "resume"})
    assert db.session.get(SurveyOptOut, anne.person_uid) is None
    assert client.get("/surveys/opt-out/not-a-token").status_code == 400


def test_mail_link_round_trip(client, anne):
    from portal.mail.models import OutboxMessage

    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == "anne@example.org")).one()
    url = re.search(r"http://test-cluster\.example(/surveys/\S+/post_event/\S+)", message.body).group(1)
    assert client.get(url).status_code == 200
    opt_out = re.search(r"http://test-cluster\.example(/surveys/opt-out/\S+)", message.body).group(1)
    assert client.get(opt_out).status_code == 200


@pytest.mark.parametrize("close", ["disable", "delete"])
def test_link_of_a_closed_account(client, anne, close):
    """A disabled or deleted account's link takes no answers, as its sessions and calendar feed end."""
    url = link(invite_of(anne))
    if close == "disable":
        anne.status = "disabled"
    else:
        db.session.delete(anne)
    db.session.commit()
    for response in (client.get(url), client.post(url, data={"satisfaction": "5", "come_again": "yes"})):
        html = response.get_data(as_text=True)
        assert response.status_code == 410 and "This link no longer works" in html
    assert db.session.scalars(select(SurveyResponse)).all() == []
