"""survey_response as a protocol record: validation, and a peer's responses applied as replicas."""
import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from portal.extensions import db
from portal.federation.apply import apply_changes
from portal.surveys.models import SurveyResponse
from portal.surveys.questions import Contact, answers_from, for_stage
from portal.surveys.schemas import SurveyResponseSchema

GOOD = {"event_uid": "e1e1e1e1-0000-4000-8000-000000000001", "stage": "post_event", "respondent": "ab" * 16,
        "answers": {"satisfaction": 4, "come_again": True, "comment": "Great", "skipped": None}}


def change(uid, data, version=1, origin="peer-b"):
    return {"seq": version, "type": "survey_response", "uid": uid, "origin": origin, "version": version,
            "updated_at": "2049-03-20T10:00:00Z", "deleted": False, "data": data}


def test_schema_accepts_plain_values_and_ignores_unknown_fields():
    loaded = SurveyResponseSchema().load(dict(GOOD, extra="kept out"))
    assert loaded["answers"]["come_again"] is True and "extra" not in loaded


def test_schema_keeps_any_json_value_a_peers_questionnaire_answers_with():
    """PROTOCOL.md gives `answers` no value type: another implementation's multiple choice or decimal is kept."""
    answers = {"satisfaction": 4.5, "topics": ["lidar", "fbg"], "rating": {"venue": 3}, "big": 10**12}
    assert SurveyResponseSchema().load(dict(GOOD, answers=answers))["answers"] == answers


@pytest.mark.parametrize("bad", [
    {"stage": "one_year"},
    {"answers": {"": 1}},
    {"answers": [["satisfaction", 4]]},
    {"respondent": ""},
    {"event_uid": "e1"},
    {"answers": None},
])
def test_schema_refuses(bad):
    with pytest.raises(ValidationError):
        SurveyResponseSchema().load(dict(GOOD, **bad))


def test_schema_takes_texts_of_any_length():
    """PROTOCOL.md gives these no length limit (our questionnaire keeps its own to free text)."""
    loaded = SurveyResponseSchema().load(dict(GOOD, respondent="r" * 100, answers={"x" * 81: "y" * 2001}))
    assert loaded["answers"] == {"x" * 81: "y" * 2001}


def test_peer_responses_are_applied_updated_and_deleted(app):
    uid = "11111111-1111-4111-8111-111111111111"
    outcome = apply_changes(db.session, "peer-b", [change(uid, GOOD)], epoch="x")
    assert outcome.applied == 1 and outcome.quarantined == 0
    stored = db.session.get(SurveyResponse, uid)
    assert (stored.origin, stored.stage, stored.answers["satisfaction"]) == ("peer-b", "post_event", 4)
    apply_changes(db.session, "peer-b", [change(uid, dict(GOOD, answers={"satisfaction": 2}), version=2)], epoch="x")
    db.session.expire_all()
    assert db.session.get(SurveyResponse, uid).answers == {"satisfaction": 2}
    bad = apply_changes(db.session, "peer-b", [change("22222222-2222-4222-8222-222222222222",
                                                       dict(GOOD, stage="later"))], epoch="x")
    assert bad.quarantined == 1
    tombstone = dict(change(uid, None, version=3), deleted=True)
    apply_changes(db.session, "peer-b", [tombstone], epoch="x")
    db.session.commit()
    assert db.session.scalars(select(SurveyResponse)).all() == []


def test_questions_per_stage_and_parsing():
    contact = Contact("k1", "Bruno", "Agri Co", "14:00–14:20")
    post = for_stage("post_event", [contact], [{"id": 3, "kind": "scale", "label": "Venue?"}])
    assert [q.id for q in post] == ["satisfaction", "come_again", "new_contacts", "meeting.k1.useful",
                                    "meeting.k1.next_step", "extra.3"]
    answers, errors = answers_from(post, {"satisfaction": "5", "come_again": "no", "new_contacts": "0",
                                          "meeting.k1.next_step": "licence", "extra.3": "6"})
    assert answers == {"satisfaction": 5, "come_again": False, "new_contacts": 0, "meeting.k1.next_step": "licence"}
    assert list(errors) == ["extra.3"]
    later = for_stage("six_months", [contact])
    assert [q.id for q in later] == ["meeting.k1.outcome", "other_outcome", "comment"]
    answers, errors = answers_from(later, {"meeting.k1.outcome": "nda", "other_outcome": "licence!"})
    assert answers == {"meeting.k1.outcome": "nda"} and list(errors) == ["other_outcome"]


def test_the_six_month_survey_says_another_contact_only_after_meetings():
    """A participant without B2B meetings was asked about "another contact", another than none."""
    alone = {q.id: str(q.label) for q in for_stage("six_months", [])}
    met = {q.id: str(q.label) for q in for_stage("six_months", [Contact("k1", "Bruno", "Agri Co", "14:00–14:20")])}
    assert alone["other_outcome"] == "Did a contact made at the event lead to something?"
    assert met["other_outcome"] == "Did another contact made at the event lead to something?"
