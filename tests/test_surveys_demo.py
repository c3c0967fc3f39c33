"""Demo survey answers: shares per stage, only stages already due, no demo mail afterwards."""
import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from portal.extensions import db
from portal.impact import aggregate
from portal.surveys import sending
from portal.surveys.demo import seed_demo_responses
from portal.surveys.models import SurveyResponse
from portal.surveys.schedule import add_months

ENDED = datetime(2049, 3, 18, 16, tzinfo=timezone.utc)


def test_seed_demo_responses(make_b2b_event, make_participant, make_meeting):
    event = make_b2b_event(capacity=30)
    people = [make_participant(event, f"P{n}") for n in range(20)]
    make_meeting(event, people[0].person_uid, people[1].person_uid)
    made = seed_demo_responses(event, random.Random(7), now=ENDED + timedelta(days=10))
    assert made == {"post_event": 12, "six_months": 0}  # six months not reached yet
    later = add_months(ENDED, 6) + timedelta(days=10)
    made = seed_demo_responses(event, random.Random(7), now=later)
    assert made == {"post_event": 0, "six_months": 7}
    db.session.commit()
    rows = db.session.scalars(select(SurveyResponse)).all()
    assert len(rows) == 19 and all(r.origin == "test-cluster" for r in rows)
    answered = [aggregate.Answered(r.origin, r.stage, r.answers) for r in rows]
    assert 1 <= aggregate.satisfaction(answered)["mean"] <= 5
    assert sending.due_mailings(later) == []  # every due stage counts as sent: no demo mail


def test_a_demo_comment_at_six_months_agrees_with_the_outcomes_beside_it():
    """An organiser reading "Nothing yet" beside "We signed an NDA and are preparing a quote." doubts every figure."""
    from portal.surveys.demo import COMMENTS, NOTHING_COMMENT, six_month_answers
    from portal.surveys.questions import Contact

    rng = random.Random(3)
    contacts = [Contact(f"k{n}", "X", "", "") for n in range(2)]
    answers = [six_month_answers(rng, contacts) for _ in range(300)]
    said = [a for a in answers if a.get("comment")]
    assert said and any(a["comment"] == NOTHING_COMMENT for a in said)
    for a in said:
        outcomes = [v for k, v in a.items() if k != "comment"]
        if a["comment"] == NOTHING_COMMENT:
            assert set(outcomes) == {"nothing_yet"}, a
        else:
            assert any(COMMENTS.get(o) == a["comment"] for o in outcomes), a
