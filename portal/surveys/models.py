"""Survey data: the federated `survey_response`, and what stays here (settings, invitations, opt-outs).

A response is written by the participant's home portal and goes to the event's hosts. It
names its respondent only by a per-event pseudonym (tokens.respondent); the link between
a response and the member who gave it stays on the home portal, in `SurveyInvite`.
"""
from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.events.writers import writer_problem
from portal.extensions import db
from portal.federation.fields import open_length
from portal.federation.records import Federated
from portal.surveys.schemas import SurveyResponseSchema
from portal.timeutil import UTCDateTime, utcnow


class SurveyResponse(Federated, db.Model):
    """One participant's answers to one stage of an event's survey."""

    fed_type = "survey_response"
    fed_schema = SurveyResponseSchema
    fed_fixed = ("event_uid",)

    @classmethod
    def fed_writer_problem(cls, session, peer_id, data):
        return writer_problem(session, peer_id, cls.fed_type, data["event_uid"])

    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    respondent: Mapped[str] = mapped_column(open_length(64))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)

    def fed_event_uid(self):
        return self.event_uid

    def fed_data(self):
        return {"event_uid": self.event_uid, "stage": self.stage, "respondent": self.respondent,
                "answers": dict(self.answers or {})}


class SurveyConfig(db.Model):
    """This portal's invitation text and extra questions for one stage of an event.

    Local: each host mails its own members, so each host's organisers word their own
    invitation and may ask their members more. `questions` is a list of
    {"id", "kind" (text, scale, yes_no), "label"}; ids are never reused, and a removed
    question stays in it marked "removed", so that answers keep their meaning and label.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[list] = mapped_column(JSON, default=list)
    next_question: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("event_uid", "stage"),)

    @property
    def asked(self):
        """The extra questions asked now (not removed)."""
        return [q for q in self.questions or [] if not q.get("removed")]


class SurveyInvite(db.Model):
    """A local registration's survey at one stage: invited, reminded, answered.

    The row is the single-use guard: a response is accepted only by the request that sets
    `answered_at` (an UPDATE ... WHERE answered_at IS NULL).
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_uid: Mapped[str] = mapped_column(String(36), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    registration_uid: Mapped[str] = mapped_column(String(36))
    person_uid: Mapped[str] = mapped_column(String(36), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_uid: Mapped[str | None] = mapped_column(String(36))

    __table_args__ = (UniqueConstraint("event_uid", "stage", "registration_uid"),)


class SurveyOptOut(db.Model):
    """A person who asked for no more survey e-mails (local; from the link in every survey mail)."""

    person_uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
