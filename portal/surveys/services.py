"""Survey writes: a participant's answers, opting out and back in, the organisers' settings."""
from sqlalchemy import update

from portal.accounts.queries import user_of_person
from portal.events.registration_models import Registration
from portal.extensions import db
from portal.federation.records import utcnow
from portal.surveys import queries, tokens
from portal.surveys.constants import EXTRA_KINDS, MAX_EXTRA_QUESTIONS
from portal.surveys.models import SurveyConfig, SurveyInvite, SurveyOptOut, SurveyResponse


class SurveyError(Exception):
    """A link that cannot take answers; `reason`: invalid, expired, mismatch, answered, closed or
    account (the person's account here is disabled or deleted)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def open_survey(claim):
    """(invite, registration, event) behind a valid link, or SurveyError.

    A link is good for a local registration we invited at that stage and that has not
    answered yet, for an event that was not cancelled, while the person's account here is
    neither disabled nor deleted (as their calendar feed and their sessions end with it).
    """
    invite = queries.invite_for(claim)
    registration = db.session.get(Registration, claim.registration_uid)
    if invite is None or invite.sent_at is None or registration is None or not registration.is_local:
        raise SurveyError("invalid")
    if invite.answered_at is not None:
        raise SurveyError("answered")
    user = user_of_person(registration.person_uid)
    if user is None or user.status == "disabled":
        raise SurveyError("account")
    event = registration.event
    if event is None or event.cancelled:
        raise SurveyError("closed")
    return invite, registration, event


def record_response(invite, answers, now=None):
    """Store the answers as a `survey_response` (published to the hosts); single use.

    The UPDATE that sets `answered_at` only where it is still empty lets exactly one of
    two concurrent submissions through; the other gets SurveyError("answered").
    """
    now = now or utcnow()
    taken = db.session.execute(
        update(SurveyInvite).where(SurveyInvite.id == invite.id, SurveyInvite.answered_at.is_(None))
        .values(answered_at=now).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise SurveyError("answered")
    response = SurveyResponse(event_uid=invite.event_uid, stage=invite.stage, answers=answers,
                              respondent=tokens.respondent(invite.event_uid, invite.person_uid))
    db.session.add(response)
    db.session.flush()
    db.session.execute(update(SurveyInvite).where(SurveyInvite.id == invite.id)
                       .values(response_uid=response.uid).execution_options(synchronize_session=False))
    db.session.expire(invite)
    return response


def opt_out(person_uid):
    if not queries.is_opted_out(person_uid):
        db.session.add(SurveyOptOut(person_uid=person_uid))
        db.session.flush()


def opt_in(person_uid):
    row = db.session.get(SurveyOptOut, person_uid)
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def config_for_edit(event_uid, stage):
    """The stage's settings row, created on first edit."""
    row = queries.config(event_uid, stage)
    if row is None:
        row = SurveyConfig(event_uid=event_uid, stage=stage, subject="", body="", questions=[], next_question=1)
        db.session.add(row)
    return row


def save_texts(event_uid, stage, subject, body):
    """The invitation's subject and body; empty means the default wording."""
    row = config_for_edit(event_uid, stage)
    row.subject, row.body, row.updated_at = subject.strip(), body.strip(), utcnow()
    db.session.flush()
    return row


def add_question(event_uid, stage, kind, label):
    """Add an extra question (at most MAX_EXTRA_QUESTIONS; ids are never reused)."""
    if kind not in EXTRA_KINDS:
        raise ValueError(f"unknown question kind {kind!r}")
    row = config_for_edit(event_uid, stage)
    if len(row.asked) >= MAX_EXTRA_QUESTIONS:
        return None
    ident = row.next_question or 1
    row.questions = list(row.questions or []) + [{"id": ident, "kind": kind, "label": label.strip()}]
    row.next_question, row.updated_at = ident + 1, utcnow()
    db.session.flush()
    return ident


def remove_question(event_uid, stage, ident):
    """No longer asked; kept, marked removed, to label the answers already given."""
    row = queries.config(event_uid, stage)
    if row is None or not any(q["id"] == ident for q in row.asked):
        return False
    row.questions = [dict(q, removed=True) if q["id"] == ident else q for q in row.questions]
    row.updated_at = utcnow()
    db.session.flush()
    return True
