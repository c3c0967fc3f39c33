"""Meeting reads: participants, requests and counters, schedules and calendar tokens (the funnel: funnels.py)."""
import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from portal.accounts.models import User
from portal.directory.models import Listing, Organisation, Person
from portal.events.constants import DRAFT
from portal.events.models import Event
from portal.events.registration_models import Registration, RegistrationDecision
from portal.extensions import db
from portal.meetings.models import CalendarToken, Meeting, MeetingReply, MeetingRequest, MeetingStar
from portal.text import folded, sort_key


@dataclass
class Participant:
    """A B2B participant of an event, with what the catalogue and suggestions need."""

    person: Person
    registration: Registration
    organisation: Organisation | None
    offers: list = field(default_factory=list)
    needs: list = field(default_factory=list)

    @property
    def uid(self):
        return self.person.uid

    @property
    def cluster(self):
        return self.registration.origin

    @property
    def confirmed(self):
        decision = self.registration.decision
        return decision is not None and decision.status == "confirmed"

    @property
    def sectors(self):
        found = list((self.organisation.sectors if self.organisation else None) or [])
        for listing in self.offers + self.needs:
            found += listing.sectors or []
        return sorted(set(found))


#: A registration (outer-joined to its decision) whose person takes part in the B2B meetings.
_TAKING_PART = (Registration.b2b.is_(True), Registration.status == "registered",
                or_(RegistrationDecision.status.is_(None), RegistrationDecision.status == "confirmed"))


def active_registrations(event_uid, session=None, among=None):
    """B2B registrations of the event neither cancelled, refused nor waiting for a place, one per
    person: who takes part in the B2B meetings. One not decided yet counts (on a co-host, the
    lead's decision arrives seconds later); one on the waiting list joins once confirmed. Each
    comes with its decision, read by the same join (the schedule and the catalogue ask for it).
    `among`: only these people's (uids), not every participant's."""
    query = (select(Registration).outerjoin(
        RegistrationDecision, RegistrationDecision.registration_uid == Registration.uid)
        .options(contains_eager(Registration.decision))
        .where(Registration.event_uid == event_uid, *_TAKING_PART)
        .order_by(Registration.received_at))
    if among is not None:
        query = query.where(Registration.person_uid.in_(among))
    rows = (session or db.session).scalars(query).all()
    return {r.person_uid: r for r in reversed(rows)}


def b2b_standings(person_uid, event_uids):
    """{event uid: "taking_part" or "waitlisted"} of a person at several events, in one query: as
    `active_registrations` and `waitlisted` say it event by event (an event where they do neither
    is left out)."""
    rows = db.session.execute(select(Registration.event_uid, RegistrationDecision.status).outerjoin(
        RegistrationDecision, RegistrationDecision.registration_uid == Registration.uid).where(
        Registration.person_uid == person_uid, Registration.event_uid.in_(event_uids),
        Registration.b2b.is_(True), Registration.status == "registered")).all()
    found = {}
    for event_uid, status in rows:
        if status in (None, "confirmed"):
            found[event_uid] = "taking_part"
        elif status == "waitlisted":
            found.setdefault(event_uid, "waitlisted")
    return found


def meeting_status(request_uid):
    """The status of the meeting the lead made of a request (None while there is none)."""
    return db.session.scalars(select(Meeting.status).where(Meeting.request_uid == request_uid)).first()


def cancelled_registration(event_uid, person_uid):
    """Whether a person cancelled their registration for an event and has none standing."""
    statuses = set(db.session.scalars(select(Registration.status).where(
        Registration.event_uid == event_uid, Registration.person_uid == person_uid)))
    return "cancelled" in statuses and "registered" not in statuses


def waitlisted(event_uid, person_uid):
    """Whether a person's B2B registration waits for a place (so they do not take part yet)."""
    return db.session.scalar(select(RegistrationDecision.status).join(
        Registration, Registration.uid == RegistrationDecision.registration_uid).where(
        Registration.event_uid == event_uid, Registration.person_uid == person_uid,
        Registration.status == "registered", Registration.b2b.is_(True))) == "waitlisted"


def participants(event_uid, only=None):
    """Every B2B participant we know the profile of (a person who does not share is left out), or
    those of them whose uids are in `only` (the others' profiles and listings are not read).

    A participant brings their own listings and their organisation's: those without a
    contact, and those whose contact does not take part (a colleague stands in for them).
    """
    registrations = active_registrations(event_uid)
    wanted = list(registrations) if only is None else [uid for uid in only if uid in registrations]
    people = db.session.scalars(select(Person).where(Person.uid.in_(wanted))).all()
    org_uids = {p.organisation_uid for p in people if p.organisation_uid}
    listings = db.session.scalars(select(Listing).where(
        Listing.status == "open",
        or_(Listing.person_uid.in_([p.uid for p in people]), Listing.organisation_uid.in_(org_uids)))
        .order_by(Listing.title)).unique().all()
    # Grouped once, by contact and by organisation (the contact not taking part): matching every
    # listing against every participant cost seconds at a few hundred participants.
    by_contact, by_organisation = defaultdict(list), defaultdict(list)
    for position, listing in enumerate(listings):
        if listing.person_uid in registrations:
            by_contact[listing.person_uid].append((position, listing))
        else:
            by_organisation[listing.organisation_uid].append((position, listing))
    result = []
    for person in people:
        mine = [listing for _, listing in sorted(by_contact[person.uid] + by_organisation[person.organisation_uid])]
        result.append(Participant(person, registrations[person.uid], person.organisation,
                                  [x for x in mine if x.kind == "offer"],
                                  [x for x in mine if x.kind == "need"]))
    result.sort(key=lambda p: (sort_key(p.person.display_name), p.uid))
    return result


def participant(event_uid, person_uid):
    return next(iter(participants(event_uid, [person_uid])), None)


def filter_participants(found, q="", cluster="", kind="", listing_kind="", sector=""):
    """The catalogue's search: text, cluster, organisation kind, has offers/needs, sector."""
    words = folded(q).split()

    def keep(p):
        if cluster and p.cluster != cluster:
            return False
        if kind and (p.organisation is None or p.organisation.kind != kind):
            return False
        if listing_kind == "offer" and not p.offers or listing_kind == "need" and not p.needs:
            return False
        if sector and sector not in p.sectors:
            return False
        return all(word in _haystack(p) for word in words)
    return [p for p in found if keep(p)]


def _haystack(p):
    parts = [p.person.display_name, p.person.job_title or "", " ".join(p.person.topics or [])]
    if p.organisation is not None:
        parts.append(p.organisation.name)
    for listing in p.offers + p.needs:
        parts += [listing.title, listing.summary or "", " ".join(listing.keywords or [])]
    return folded(" ".join(parts))


def requests_for(event_uid, person_uid):
    """(received, sent) requests of a person at an event, newest first, each with its reply and
    its meeting read in the same query (its state, in the counters and on its row, reads them)."""
    rows = _requests_of(person_uid, MeetingRequest.event_uid == event_uid)
    return ([r for r in rows if r.to_person_uid == person_uid],
            [r for r in rows if r.from_person_uid == person_uid])


def _requests_of(person_uid, *where):
    """The requests a person received or sent that match `where`, newest first, with their replies
    and meetings (joined: one query, `unique` for the rows the joins repeat)."""
    return db.session.scalars(select(MeetingRequest).where(
        *where, or_(MeetingRequest.from_person_uid == person_uid, MeetingRequest.to_person_uid == person_uid))
        .options(joinedload(MeetingRequest.reply), joinedload(MeetingRequest.meeting))
        .order_by(MeetingRequest.created_at.desc())).unique().all()


def request_between(event_uid, a, b):
    """A live (open) request between two people at an event, in either direction."""
    return db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.event_uid == event_uid, MeetingRequest.status == "open",
        or_((MeetingRequest.from_person_uid == a) & (MeetingRequest.to_person_uid == b),
            (MeetingRequest.from_person_uid == b) & (MeetingRequest.to_person_uid == a)))).first()


def request_state(request, taking_part):
    """What people see of a request, knowing who still takes part in the event's B2B.

    A request with someone who left (cancelled, took the B2B part out, was refused) is
    "closed", even before their home portal's withdrawal or reply has arrived here; a
    meeting already held or missed keeps its request's state.
    """
    state = request.state
    if state == "expired" or {request.from_person_uid, request.to_person_uid} <= set(taking_part):
        return state
    meeting = request.meeting
    if meeting is not None and meeting.status in ("held", "no_show"):
        return state
    return "closed"


def counters(event_uid, person_uid, requests=None):
    """The figures above the lists of requests: received and sent count what the lists show
    (withdrawn, declined and closed ones too), then those waiting for my answer and accepted.
    `requests`: the person's (received, sent) of `requests_for`, when already read."""
    received, sent = requests or requests_for(event_uid, person_uid)
    # Whether the people of my requests still take part: the page polls these figures, and every
    # participant's registration was read for them.
    people = {uid for r in received + sent for uid in (r.from_person_uid, r.to_person_uid)}
    return _counted(received, sent, active_registrations(event_uid, among=people))


def counters_at(event_uids, person_uid):
    """{event uid: `counters`} of one person at several events, in two queries whatever their
    number (the B2B index and the home page show them for each event)."""
    if not event_uids:
        return {}
    rows = _requests_of(person_uid, MeetingRequest.event_uid.in_(event_uids))
    people = {uid for r in rows for uid in (r.from_person_uid, r.to_person_uid)}
    taking_part = db.session.execute(select(Registration.event_uid, Registration.person_uid).outerjoin(
        RegistrationDecision, RegistrationDecision.registration_uid == Registration.uid).where(
        Registration.event_uid.in_(event_uids), Registration.person_uid.in_(people), *_TAKING_PART)).all()
    return {uid: _counted([r for r in rows if r.event_uid == uid and r.to_person_uid == person_uid],
                          [r for r in rows if r.event_uid == uid and r.from_person_uid == person_uid],
                          {person for event_uid, person in taking_part if event_uid == uid})
            for uid in event_uids}


def _counted(received, sent, taking_part):
    states = {r.uid: request_state(r, taking_part) for r in received + sent}
    live = [r for r in received + sent if r.status == "open"]
    return {"received": len(received), "sent": len(sent),
            "pending": sum(1 for r in received if states[r.uid] == "pending"),
            "accepted": sum(1 for r in live if states[r.uid] == "accepted"),
            "meetings": sum(1 for r in received + sent if r.meeting is not None and r.meeting.active)}


def unscheduled_count(event_uid, person_uid):
    """A person's accepted requests that no meeting holds yet: the organisers have not scheduled them."""
    received, sent = requests_for(event_uid, person_uid)
    waiting = [r for r in received + sent if r.status == "open" and r.meeting is None]
    if not waiting:
        return 0
    # Whether the people of these requests still take part, not every participant's registration.
    people = {uid for r in waiting for uid in (r.from_person_uid, r.to_person_uid)}
    taking_part = active_registrations(event_uid, among=people)
    return sum(1 for r in waiting if request_state(r, taking_part) == "accepted")


def open_sent_count(event_uid, person_uid):
    return db.session.scalar(select(func.count()).select_from(MeetingRequest).where(
        MeetingRequest.event_uid == event_uid, MeetingRequest.from_person_uid == person_uid,
        MeetingRequest.status == "open"))


def accepted_count(event_uid, person_uid):
    """Accepted, still open requests a person is part of (either side)."""
    return db.session.scalar(select(func.count()).select_from(MeetingRequest).join(
        MeetingReply, MeetingReply.request_uid == MeetingRequest.uid).where(
        MeetingRequest.event_uid == event_uid, MeetingRequest.status == "open",
        MeetingReply.answer == "accepted",
        or_(MeetingRequest.from_person_uid == person_uid, MeetingRequest.to_person_uid == person_uid)))


def starred_uids(person_uid, request_uids):
    if not request_uids:
        return set()
    return set(db.session.scalars(select(MeetingStar.request_uid).where(
        MeetingStar.person_uid == person_uid, MeetingStar.request_uid.in_(request_uids))))


def meetings_of(person_uid, event_uid=None):
    """A person's meetings (cancelled ones included), in time order."""
    # JSON containment differs between SQLite and PostgreSQL: the pair's text holding the uid picks
    # the rows (not every meeting of the event, nor of every event for the calendar feed), and the
    # pair itself is checked in Python.
    query = select(Meeting).where(cast(Meeting.person_uids, String).contains(person_uid, autoescape=True))
    if event_uid:
        query = query.where(Meeting.event_uid == event_uid)
    return sorted((m for m in db.session.scalars(query) if person_uid in (m.person_uids or [])), key=in_order)


def table_order(label):
    """Tables in their numbers' order: T2 before T10 (shorter labels first, then as text)."""
    return len(label), label


def in_order(meeting):
    return meeting.starts_at, table_order(meeting.table)


def event_meetings(event_uid, active_only=False):
    query = select(Meeting).where(Meeting.event_uid == event_uid)
    if active_only:
        query = query.where(Meeting.status != "cancelled")
    return sorted(db.session.scalars(query), key=in_order)


def met_before(person_uid, event):
    """People `person_uid` met (held or scheduled) at events that started before `event`."""
    rows = db.session.scalars(select(Meeting).join(Event, Event.uid == Meeting.event_uid).where(
        Meeting.event_uid != event.uid, Meeting.status.in_(("held", "scheduled")),
        Event.starts_at < event.starts_at)).all()
    return {m.other_person_uid(person_uid) for m in rows if person_uid in (m.person_uids or [])}


def people(uids):
    uids = [u for u in set(uids) if u]
    return {p.uid: p for p in db.session.scalars(select(Person).where(Person.uid.in_(uids)))} if uids else {}


def markers(meetings):
    """{user id: name} of the organisers who marked these meetings."""
    ids = {m.marked_by_user_id for m in meetings if m.marked_by_user_id}
    users = db.session.scalars(select(User).where(User.id.in_(ids))).all() if ids else []
    return {u.id: u.person.display_name if u.person else u.email for u in users}


def local_user_of(person_uid):
    """The account of a person whose home is this portal (None for a replica's person)."""
    if not person_uid:
        return None
    return db.session.scalars(select(User).where(User.person_uid == person_uid,
                                                 User.status != "disabled")).first()


def calendar_token(person_uid):
    """The secret of a person's calendar feed URL (an HMAC: nothing is written to show it)."""
    row = db.session.get(CalendarToken, person_uid)
    generation = row.generation if row is not None else 0
    message = f"meetings-calendar:{person_uid}:{generation}".encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).hexdigest()[:40]


def calendar_token_valid(person_uid, token):
    # As bytes: compare_digest refuses str holding non-ASCII characters (a hostile URL).
    return hmac.compare_digest(calendar_token(person_uid).encode(), (token or "").encode())


def b2b_events(cluster_id=None):
    """Published events with a B2B block, newest first; those led by `cluster_id` when given."""
    query = select(Event).where(Event.b2b_enabled.is_(True), Event.status != DRAFT).order_by(Event.starts_at.desc())
    if cluster_id:
        query = query.where(Event.origin == cluster_id)
    return db.session.scalars(query).all()
