"""Survey reads: who takes part, their B2B contacts, invitations, settings and responses."""
from collections import namedtuple

from sqlalchemy import select

from portal.accounts.models import User
from portal.directory.models import Person
from portal.events.formatting import dated_span
from portal.events.registration_models import Registration, RegistrationDecision
from portal.extensions import db
from portal.federation.records import local_cluster
from portal.meetings.queries import event_meetings, people
from portal.surveys.models import SurveyConfig, SurveyInvite, SurveyOptOut, SurveyResponse
from portal.surveys.questions import Contact
from portal.surveys.tokens import meeting_key

#: A local participant the survey is for: their registration, person and account.
Participant = namedtuple("Participant", "registration person user")

#: Meetings a survey asks about: they took place, or were still on the schedule at the end.
SURVEYED_MEETINGS = ("held", "scheduled")


def who_came(rows, checked_in):
    """The rows whose registration was checked in, or all of them when none was (no check-in at the door).

    Applied to one home cluster's confirmed members: that cluster publishes their `checked_in`
    (its single writer), so every host computes the same base. A co-host's own door keeps
    its check-ins of other clusters' members to itself, so "nobody of ours checked in" means
    our door was not used, even when others' members were checked in.
    """
    rows = list(rows)
    return [row for row in rows if checked_in(row)] or rows


def participants(event_uid):
    """Local members who came to an event and have an account here: the survey's recipients.

    Confirmed, still registered, and checked in at the door, or all of those when none of
    them was checked in (who_came). Not the organisers: the survey measures what the day
    brought its participants, and the organisers' own answers would count in it. Only the home portal writes to a participant
    (PROTOCOL.md: it writes `survey_response`); a registration the lead has not confirmed
    (waitlisted, refused, undecided) is left out.
    """
    return participants_of([event_uid])[event_uid]


def participants_of(event_uids):
    """{event uid: its `participants`} for several events, in one statement (the impact pages of a year)."""
    rows = db.session.execute(
        select(Registration, Person, User)
        .join(RegistrationDecision, RegistrationDecision.registration_uid == Registration.uid)
        .join(Person, Person.uid == Registration.person_uid)
        .join(User, User.person_uid == Registration.person_uid)
        .where(Registration.event_uid.in_(event_uids), Registration.origin == local_cluster(),
               Registration.status == "registered", RegistrationDecision.status == "confirmed",
               Registration.role != "organiser", User.status != "disabled")
        .order_by(Person.display_name, Registration.uid)).all()
    found = {uid: [] for uid in event_uids}
    for row in rows:
        found[row.Registration.event_uid].append(Participant(*row))
    return {uid: who_came(theirs, lambda p: p.registration.checked_in) for uid, theirs in found.items()}


def opted_out(person_uids=None):
    query = select(SurveyOptOut.person_uid)
    if person_uids is not None:
        query = query.where(SurveyOptOut.person_uid.in_(list(person_uids)))
    return set(db.session.scalars(query))


def is_opted_out(person_uid):
    return db.session.get(SurveyOptOut, person_uid) is not None


def invites(event_uid, stage):
    """registration uid -> SurveyInvite for one stage."""
    return {i.registration_uid: i for i in db.session.scalars(select(SurveyInvite).where(
        SurveyInvite.event_uid == event_uid, SurveyInvite.stage == stage))}


def invite_for(claim):
    return db.session.scalars(select(SurveyInvite).where(
        SurveyInvite.event_uid == claim.event_uid, SurveyInvite.stage == claim.stage,
        SurveyInvite.registration_uid == claim.registration_uid)).first()


def contacts(event, person_uid):
    """The person's B2B meetings at the event (held or still scheduled), as the form shows them."""
    return contacts_of(event, [person_uid])[person_uid]


def contacts_of(event, person_uids):
    """{person uid: their `contacts`} for several people, in two queries whatever their number
    (the impact dashboard names the contacts of every member who answered)."""
    surveyed = [m for m in event_meetings(event.uid) if m.status in SURVEYED_MEETINGS]
    meetings = {uid: [m for m in surveyed if uid in (m.person_uids or [])] for uid in set(person_uids)}
    others = people(m.other_person_uid(uid) for uid, theirs in meetings.items() for m in theirs)
    return {uid: [_contact(event, uid, meeting, others.get(meeting.other_person_uid(uid))) for meeting in theirs]
            for uid, theirs in meetings.items()}


def _contact(event, person_uid, meeting, other):
    organisation = other.organisation.name if other is not None and other.organisation else ""
    return Contact(meeting_key(person_uid, meeting.uid), other.display_name if other else "",
                   organisation, dated_span(meeting.starts_at, meeting.ends_at, event.timezone))


def config(event_uid, stage):
    """This portal's settings for a stage, or None when the organisers kept the defaults."""
    return db.session.scalars(select(SurveyConfig).where(
        SurveyConfig.event_uid == event_uid, SurveyConfig.stage == stage)).first()


def extra_questions(event_uid, stage):
    """The stage's extra questions asked now."""
    found = config(event_uid, stage)
    return found.asked if found is not None else []


def extra_labels(event_uid):
    """{(stage, answer key): label} of every extra question asked at the event, removed ones too
    (ids are numbered per stage: `extra.1` of one stage is not that of the other)."""
    rows = db.session.scalars(select(SurveyConfig).where(SurveyConfig.event_uid == event_uid))
    return {(row.stage, f"extra.{q['id']}"): q["label"] for row in rows for q in row.questions or []}


def responses_of(event_uids):
    """{event uid: its `responses`} for several events, in one statement (the impact pages of a year)."""
    found = {uid: [] for uid in event_uids}
    for response in db.session.scalars(select(SurveyResponse).where(SurveyResponse.event_uid.in_(event_uids))
                                       .order_by(SurveyResponse.updated_at, SurveyResponse.uid)):
        found[response.event_uid].append(response)
    return found


def responses(event_uid, stage=None, origin=None):
    query = select(SurveyResponse).where(SurveyResponse.event_uid == event_uid)
    if stage:
        query = query.where(SurveyResponse.stage == stage)
    if origin:
        query = query.where(SurveyResponse.origin == origin)
    return db.session.scalars(query.order_by(SurveyResponse.updated_at, SurveyResponse.uid)).all()


def stage_progress(event_uid, stage):
    """Invitations sent, reminders sent and answers received from our members at one stage, and
    when the last invitation or reminder went out (None before the first)."""
    rows = invites(event_uid, stage).values()
    return {"sent": sum(1 for i in rows if i.sent_at), "reminded": sum(1 for i in rows if i.reminded_at),
            "answered": sum(1 for i in rows if i.answered_at),
            "last_sent": max((t for i in rows for t in (i.sent_at, i.reminded_at) if t), default=None)}
