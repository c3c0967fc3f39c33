"""Believable survey answers for the demo: `seed_demo_responses(event, rng)`, called by the integrator.

For an event's local confirmed participants, every stage already due is marked as sent
(so `surveys send-due` mails no demo member about the past), about 60 % answer right
after the event and about 35 % six months later. Only flushes.
"""
from datetime import timedelta

from portal.extensions import db
from portal.federation.records import utcnow
from portal.surveys import queries
from portal.surveys.models import SurveyInvite, SurveyResponse
from portal.surveys.schedule import due_at
from portal.surveys.tokens import respondent

SHARE = {"post_event": 0.60, "six_months": 0.35}
STEP_WEIGHTS = {"none": 25, "follow_up_call": 30, "nda": 12, "quote": 12, "test_or_pilot": 8,
                "joint_project_proposal": 5, "licence": 2, "supply_or_distribution_agreement": 3,
                "research_agreement": 3}
OUTCOME_WEIGHTS = {"nothing_yet": 50, "nda": 15, "quote": 12, "test_or_pilot": 8, "joint_project_proposal": 5,
                   "licence": 2, "supply_or_distribution_agreement": 4, "research_agreement": 4}
#: What a member may write at six months about one outcome they report; written only beside that outcome.
COMMENTS = {"nda": "We signed an NDA and are preparing a quote.",
            "quote": "We sent a quote and are waiting for their answer.",
            "test_or_pilot": "The pilot with the end user starts next quarter.",
            "joint_project_proposal": "A joint project proposal was submitted to the regional call.",
            "research_agreement": "A PhD thesis on the topic starts with the lab in the autumn."}
#: ...and when nothing came of their contacts yet.
NOTHING_COMMENT = "Good contacts, but the timing is not right for us yet."


def pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def post_event_answers(rng, contacts):
    score = rng.choices([1, 2, 3, 4, 5], weights=[3, 7, 20, 40, 30])[0]
    answers = {"satisfaction": score, "come_again": rng.random() < 0.35 + 0.13 * score,
               "new_contacts": rng.randint(0, 8)}
    for contact in contacts:
        if rng.random() < 0.9:  # a few skip a meeting's questions
            answers[f"meeting.{contact.key}.useful"] = rng.random() < 0.75
            answers[f"meeting.{contact.key}.next_step"] = pick(rng, STEP_WEIGHTS)
    return answers


def six_month_answers(rng, contacts):
    answers = {f"meeting.{c.key}.outcome": pick(rng, OUTCOME_WEIGHTS) for c in contacts}
    answers["other_outcome"] = "nothing_yet" if rng.random() < 0.7 else pick(rng, OUTCOME_WEIGHTS)
    comment = comment_on(rng, answers.values())
    if comment:
        answers["comment"] = comment
    return answers


def comment_on(rng, outcomes):
    """A comment that says what the answers say (one read "Nothing yet" beside "We signed an NDA"),
    or none (about one in four)."""
    outcomes = set(outcomes)
    said = sorted({COMMENTS[o] for o in outcomes if o in COMMENTS})
    if outcomes == {"nothing_yet"}:
        said = [NOTHING_COMMENT]
    if not said or rng.random() < 0.25:
        return ""
    return rng.choice(said)


def seed_demo_responses(event, rng, now=None, waiting=()):
    """Invitations and answers for the stages of `event` already due; returns answers made per stage.
    `waiting`: person uids who have not answered the six-month stage (its link is theirs to try)."""
    now = now or utcnow()
    people = queries.participants(event.uid)
    made = {"post_event": 0, "six_months": 0}
    for stage, share in SHARE.items():
        due = due_at(event.ends_at, stage, event.zone)
        if due > now:
            continue
        done = queries.invites(event.uid, stage)
        answering = {p.registration.uid for p in rng.sample(people, round(len(people) * share))
                     if stage == "post_event" or p.registration.person_uid not in waiting}
        for participant in people:
            registration = participant.registration
            if registration.uid in done:
                continue
            answered = registration.uid in answering
            invite = SurveyInvite(event_uid=event.uid, stage=stage, registration_uid=registration.uid,
                                  person_uid=registration.person_uid, sent_at=due,
                                  answered_at=due + timedelta(hours=rng.randint(2, 150)) if answered else None)
            if not answered and due + timedelta(days=7) <= now:
                invite.reminded_at = due + timedelta(days=7)
            db.session.add(invite)
            if answered:
                contacts = queries.contacts(event, registration.person_uid)
                answers = (post_event_answers if stage == "post_event" else six_month_answers)(rng, contacts)
                response = SurveyResponse(event_uid=event.uid, stage=stage, answers=answers,
                                          respondent=respondent(event.uid, registration.person_uid))
                db.session.add(response)
                db.session.flush()
                invite.response_uid = response.uid
                made[stage] += 1
    db.session.flush()
    return made
