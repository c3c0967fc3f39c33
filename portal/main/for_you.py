"""What the home page shows a member about themselves.

The events they are registered for, with the B2B requests waiting for their answer and their
B2B meetings once scheduled, and the surveys they have still to answer.
"""
from datetime import timedelta
from typing import NamedTuple

from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.events.models import Event
from portal.events.registration_models import Registration
from portal.extensions import db
from portal.meetings import queries as meeting_queries
from portal.surveys import tokens
from portal.surveys.models import SurveyInvite
from portal.timeutil import utcnow


class Coming(NamedTuple):
    """An event I am registered for that has not ended."""
    event: Event
    registration: Registration
    #: The lead's decision (confirmed, waitlisted, refused), or None while it has not come.
    status: str | None
    #: B2B requests waiting for my answer (None without B2B meetings for me).
    to_answer: int | None
    #: My B2B meetings the lead scheduled, not cancelled (None without B2B meetings for me).
    meetings: int | None


#: The B2B figures of an event where I have no B2B meetings.
NO_B2B = {"pending": None, "meetings": None}


class Survey(NamedTuple):
    """A survey I was sent and have not answered, while its link is good."""
    event: Event
    stage: str
    link: str


def coming_events(person_uid, now=None):
    now = now or utcnow()
    rows = db.session.execute(
        select(Registration, Event).join(Event, Event.uid == Registration.event_uid)
        .where(Registration.person_uid == person_uid, Registration.status == "registered",
               Event.ends_at > now, Event.status == "scheduled")
        .options(selectinload(Registration.decision))  # each event says where my place stands
        .order_by(Event.starts_at)).all()
    statuses = [registration.decision.status if registration.decision else None for registration, _ in rows]
    b2b = [event.uid for (registration, event), status in zip(rows, statuses) if _has_b2b(event, registration, status)]
    counters = meeting_queries.counters_at(b2b, person_uid)
    coming = []
    for (registration, event), status in zip(rows, statuses):
        mine = counters.get(event.uid, NO_B2B)
        coming.append(Coming(event, registration, status, mine["pending"], mine["meetings"]))
    return coming


def _has_b2b(event, registration, status):
    """B2B meetings for me at the event: requests may wait for my answer."""
    return event.b2b_enabled and registration.b2b and status != "refused"


def surveys_to_answer(person_uid, now=None):
    """The link is signed as of the last mail (invitation or reminder), so it expires when that
    mail's link does."""
    now = now or utcnow()
    mailed = func.coalesce(SurveyInvite.reminded_at, SurveyInvite.sent_at)
    rows = db.session.execute(
        select(SurveyInvite, Event).join(Event, Event.uid == SurveyInvite.event_uid)
        .where(SurveyInvite.person_uid == person_uid, SurveyInvite.sent_at.is_not(None),
               SurveyInvite.answered_at.is_(None), Event.status != "cancelled",
               mailed > now - timedelta(days=current_app.config["SURVEY_LINK_DAYS"]))
        .order_by(SurveyInvite.sent_at)).all()
    return [Survey(event, invite.stage, url_for(
        "surveys.answer", event_uid=event.uid, stage=invite.stage, token=tokens.survey_token(
            event.uid, invite.stage, invite.registration_uid, signed_at=invite.reminded_at or invite.sent_at)))
        for invite, event in rows]
