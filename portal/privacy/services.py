"""Erasing a member: their account, their personal records (tombstones follow), their local traces."""
from sqlalchemy import delete, event, func, or_, select, update

from portal.accounts import throttle
from portal.accounts.models import User
from portal.accounts.passwords import verify_password
from portal.accounts.queries import organisation_in_use
from portal.directory.models import Listing, Organisation, Person
from portal.events.local_models import EventInvitation, PitchProposal, RegistrantMessage
from portal.events.models import AgendaItem
from portal.events.registration_models import CheckIn, Registration
from portal.events.registrations import decide_registrations
from portal.extensions import db
from portal.federation.records import local_cluster, utcnow
from portal.mail.models import OutboxMessage
from portal.meetings import notify
from portal.meetings.models import CalendarToken, Meeting, MeetingReply, MeetingRequest, MeetingStar
from portal.surveys.models import SurveyInvite, SurveyOptOut


class WrongPassword(Exception):
    """The password re-entered to confirm a deletion is not the account's, or (`wait`, a
    timedelta) the account must wait before it may try again."""

    def __init__(self, wait=None):
        super().__init__(wait)
        self.wait = wait


def left_behind(user):
    """(organisation, its open listings) when `user` is the last account of an organisation
    of this portal that has open listings: nobody would be left to update or close them."""
    organisation = db.session.get(Organisation, user.organisation_uid) if user.organisation_uid else None
    if organisation is None or not organisation.is_local:
        return None, []
    others = db.session.scalar(select(func.count()).select_from(User).join(Person, Person.uid == User.person_uid)
                               .where(Person.organisation_uid == organisation.uid, User.id != user.id))
    listings = [] if others else db.session.scalars(select(Listing).where(
        Listing.organisation_uid == organisation.uid, Listing.origin == organisation.origin,
        Listing.status == "open")).all()
    return (organisation, listings) if listings else (None, [])


def delete_account(user, password, close_listings=False, now=None):
    """Check the password, then erase the member; the caller commits and logs them out.
    `close_listings`: the last member of their organisation closes its open listings too.

    A wrong password counts as a failed log-in and a throttled account waits, as at log-in: else
    this form, open to any session of the account, would test passwords without limit (the caller
    commits the count on WrongPassword too)."""
    now = now or utcnow()
    wait = throttle.delay_for(user, now)
    if wait:
        raise WrongPassword(wait)
    if not verify_password(user.password_hash, password or ""):
        throttle.record_failure(user, now)
        db.session.flush()
        raise WrongPassword()
    if close_listings:
        for listing in left_behind(user)[1]:
            listing.status = "closed"
    person_uid, organisation_uid = user.person_uid, user.organisation_uid
    forget_account(user)
    if person_uid:
        erase_person(person_uid)
    db.session.flush()
    drop_unused_pending_organisation(organisation_uid)


def drop_unused_pending_organisation(uid):
    """The organisation a sign-up made, still awaiting approval, deleted once nobody is in it: never
    published, it would else stay on the administrators' list with nobody to approve, and a later
    sign-up of the same name would join it."""
    organisation = db.session.get(Organisation, uid) if uid else None
    if organisation is not None and organisation.pending and not organisation_in_use(organisation.uid):
        db.session.delete(organisation)
        db.session.flush()


def forget_account(user):
    """Delete the account, its mail (to it, and the administrators' notices of its sign-up, which
    name the person) and its name on what it did as an organiser, which then reads "an
    organiser": an account id may be given again (SQLite reuses the highest), and neither may
    those records name whoever gets it next nor the notices' keys hold back theirs."""
    db.session.execute(delete(OutboxMessage).where(or_(
        OutboxMessage.to == user.email,
        OutboxMessage.dedupe_key.startswith(f"accounts:signup:{user.id}:", autoescape=True))))
    for column in (Meeting.marked_by_user_id, RegistrantMessage.sent_by_user_id, CheckIn.by_user_id):
        db.session.execute(update(column.class_).where(column == user.id).values({column.key: None}))
    db.session.delete(user)


def erase_person(person_uid):
    """Delete our person record and the event-scoped records they wrote (ORM: tombstones follow)."""
    here = local_cluster()
    registrations = _mine(select(Registration).where(Registration.person_uid == person_uid), here)
    requests = _mine(select(MeetingRequest).where(MeetingRequest.from_person_uid == person_uid), here)
    replies = _mine(select(MeetingReply).join(MeetingRequest, MeetingRequest.uid == MeetingReply.request_uid)
                    .where(MeetingRequest.to_person_uid == person_uid), here)
    for obj in [*registrations, *requests, *replies]:
        db.session.delete(obj)
    db.session.flush()
    for request in requests:  # after the deletion, which takes the mail naming the request with it
        notify.request_gone(request)
    for event_uid in {r.event_uid for r in registrations}:
        decide_registrations(event_uid)  # at events led here: the decision, the place and the meetings go
    person = db.session.get(Person, person_uid)
    if person is not None and person.origin == here:
        db.session.delete(person)
    for listing in _mine(select(Listing).where(Listing.person_uid == person_uid), here):
        listing.person_uid = None
    for item in _mine(select(AgendaItem), here):  # a speaker no longer named, as a listing's person
        if person_uid in (item.speaker_person_uids or []):
            item.speaker_person_uids = [uid for uid in item.speaker_person_uids if uid != person_uid]
    _erase_local_traces(person_uid)


def _mine(query, here):
    return [obj for obj in db.session.scalars(query).all() if obj.origin == here]


def _erase_local_traces(person_uid):
    """Local rows naming the person; survey responses stay (pseudonymous), their link goes."""
    for model in (SurveyInvite, SurveyOptOut, MeetingStar, CalendarToken, EventInvitation):
        db.session.execute(delete(model).where(model.person_uid == person_uid))
    db.session.execute(update(PitchProposal).where(PitchProposal.person_uid == person_uid)
                       .values(person_uid=None))


@event.listens_for(Person, "after_delete")
@event.listens_for(Registration, "after_delete")
@event.listens_for(MeetingRequest, "after_delete")
@event.listens_for(MeetingReply, "after_delete")
def forget_mail_about(_mapper, connection, target):
    """Mail about a personal record goes with it, erased here or by its origin's tombstone.

    Outbox dedupe keys name the record a message is about; the message (queued or sent)
    holds the person's name and words, which must not outlive the record. Not a decision:
    the lead drops one whenever a registration is cancelled, and its mail went to the member,
    whose own mail goes with their account.
    """
    connection.execute(delete(OutboxMessage).where(OutboxMessage.dedupe_key.contains(target.uid, autoescape=True)))
