"""Registrations: written on the home portal, decided in one place (the lead), checked in at the door.

Capacity holds however many portals register at once because only the lead decides, and
it decides under a lock on the event's row: `decide_registrations` takes the feed
counter's lock first (every flush of a federated record takes it, so taking it first
keeps one lock order and no deadlock), then the event's row (`SELECT ... FOR UPDATE` on
PostgreSQL; SQLite serialises writers anyway), then reads what is committed.
"""
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.events.formatting import when
from portal.events.models import Event
from portal.events.notify import tell_decision, tell_registration_cancelled
from portal.events.registration_models import CheckIn, Registration, RegistrationDecision
from portal.extensions import db
from portal.federation.models import Counter
from portal.federation.records import local_cluster, utcnow
from portal.i18n import default_language
from portal.meetings.services import close_requests_of, release_meetings, reopen_requests_of


def register(event, person_uid, role="attendee", b2b=False, available_from=None, available_until=None,
             by_organiser=False):
    """Register (or register again) a local person, themselves or `by_organiser`; the lead decides
    at once if it is us."""
    registration = my_registration(event.uid, person_uid)
    if registration is None:
        registration = Registration(event_uid=event.uid, person_uid=person_uid)
        db.session.add(registration)
    elif not registration.active:
        registration.received_at = utcnow()  # registering again queues at the end
    registration.role, registration.b2b, registration.status = role, bool(b2b), "registered"
    registration.by_organiser = by_organiser
    registration.available_from = available_from if b2b else None
    registration.available_until = available_until if b2b else None
    db.session.flush()
    close_requests_of(registration)  # taking the B2B part out closes their meeting requests
    reopen_requests_of(registration)  # coming back to the B2B part reopens what leaving closed
    if event.is_local:
        decide_registrations(event.uid)
    return registration


def set_role(registration, role):
    """An organiser gives one of our members' registrations a role (it is ours to write)."""
    registration.role = role
    db.session.flush()


def cancel_registration(registration):
    """Cancel: the place goes to the first on the waiting list (at the lead), meeting requests close."""
    registration.status = "cancelled"
    db.session.flush()
    tell_registration_cancelled(db.session, registration)
    close_requests_of(registration)
    event = db.session.get(Event, registration.event_uid)
    if event is not None and event.is_local:
        decide_registrations(event.uid)


def my_registration(event_uid, person_uid):
    """The local registration of a person for an event (only the home portal writes it)."""
    return db.session.scalars(select(Registration).where(
        Registration.event_uid == event_uid, Registration.person_uid == person_uid,
        Registration.origin == local_cluster())).first()


def lock_event(session, event_uid):
    """Hold the event's row until the commit (PostgreSQL; SQLite has one writer): writes that
    decide from what the event holds now (its places, its schedule) take turns. The feed's
    counter is locked first, as every federated write does, so that two never wait on each other."""
    session.execute(select(Counter).where(Counter.name == "feed").with_for_update())
    return session.scalars(select(Event).where(Event.uid == event_uid).with_for_update()
                           .execution_options(populate_existing=True)).one_or_none()


def decide_registrations(event_uid, session=None, admit=()):
    """Decide every undecided registration of an event we lead, in arrival order.

    Confirmed while places remain, waitlisted after; the waiting list is promoted in
    arrival order as places free up; a cancelled registration loses its decision (a
    tombstone), so that registering again queues anew. A co-host's registration that
    reached us after the registration deadline is refused (`late`), unless the organisers
    `admit` it (uids). Returns the decisions written.
    """
    session = session or db.session
    event = lock_event(session, event_uid)
    if event is None or event.origin != local_cluster():
        return []
    registrations = session.scalars(
        select(Registration).where(Registration.event_uid == event_uid)
        .order_by(Registration.received_at, Registration.uid)
        .execution_options(populate_existing=True)).all()
    decisions = {d.registration_uid: d for d in session.scalars(
        select(RegistrationDecision).where(RegistrationDecision.event_uid == event_uid)
        .execution_options(populate_existing=True))}
    for registration in registrations:
        if not registration.active and registration.uid in decisions:
            session.delete(decisions.pop(registration.uid))
    for gone in set(decisions) - {r.uid for r in registrations}:  # the registration's tombstone came
        session.delete(decisions.pop(gone))
    active = [r for r in registrations if r.active]
    confirmed = sum(1 for r in active if decisions.get(r.uid) and decisions[r.uid].status == "confirmed")
    written = []
    for registration in active:
        decision = decisions.get(registration.uid)
        if decision is not None and decision.status != "waitlisted":
            continue
        message, refused_late = "", False
        if decision is None and registration.uid not in admit and late(event, registration):
            status, message, refused_late = "refused", late_refusal(event), True
        elif confirmed < event.capacity:
            status, confirmed = "confirmed", confirmed + 1
        elif decision is None:
            status = "waitlisted"
        else:
            continue
        written.append(_decide(session, registration, status, decision, message, refused_late))
    session.flush()
    for decision in written:
        tell_decision(session, decision)
    release_meetings(event_uid, session)
    return written


def late(event, registration):
    """A registration from a co-host's member that reached us once registration had closed (its
    deadline passed, or our organisers closed it by hand): their portal still showed it open, not
    yet having our new version of the event. (Ours register through the event page, which closes
    with it; our organisers may still register someone.)"""
    cutoff = event.registration_cutoff
    return not registration.is_local and cutoff is not None and registration.received_at >= cutoff


def closed_on(event):
    """The line "Registration closed on …" (the event's cutoff), in the current language."""
    return _("Registration closed on %(when)s.", when=when(event.registration_cutoff, event.timezone))


def late_refusal(event):
    """A late registration's refusal message, in our portal's language: the member's home portal
    mails it as it is."""
    with force_locale(default_language()):
        return closed_on(event)


def unrefuse_late(event):
    """The registrations refused as late that are late no more under the event's cutoff now (a
    deadline cleared or moved later, registration opened again by hand, whatever the cutoffs in
    between) lose their refusal, to queue again in arrival order at the next `decide_registrations`."""
    rows = db.session.execute(select(Registration, RegistrationDecision).join(
        RegistrationDecision, RegistrationDecision.registration_uid == Registration.uid).where(
        Registration.event_uid == event.uid, Registration.status == "registered",
        RegistrationDecision.status == "refused", RegistrationDecision.refused_late)).all()
    for registration, decision in rows:
        if not late(event, registration):
            db.session.delete(decision)
    db.session.flush()


def _decide(session, registration, status, decision=None, message="", refused_late=False):
    if decision is None:
        decision = RegistrationDecision(event_uid=registration.event_uid, registration_uid=registration.uid)
        session.add(decision)
    decision.status, decision.message, decision.refused_late = status, message, refused_late
    return decision


def refuse(registration, message=""):
    """An organiser of the lead refuses a registration; a freed place is given on. Returns the
    decisions written for the others (those given the place)."""
    lock_event(db.session, registration.event_uid)
    decision = _decide(db.session, registration, "refused", registration.decision, message)
    db.session.flush()
    tell_decision(db.session, decision)
    return decide_registrations(registration.event_uid)


def reconsider(registration):
    """Withdraw a refusal: the registration queues again, in its arrival order. Returns its new
    decision (confirmed when a place is free, waitlisted otherwise)."""
    if registration.decision is not None:
        db.session.delete(registration.decision)
        db.session.flush()
    decide_registrations(registration.event_uid, admit={registration.uid})
    return db.session.scalar(select(RegistrationDecision).where(
        RegistrationDecision.registration_uid == registration.uid))


def confirm_now(registration):
    """An organiser of the lead confirms a registration of the waiting list at once, beyond the
    capacity (a guest who must come): the others keep their turn."""
    lock_event(db.session, registration.event_uid)
    decision = _decide(db.session, registration, "confirmed", registration.decision)
    db.session.flush()
    tell_decision(db.session, decision)


def checked_in_uids(event_uid):
    """Registrations seen at the door: our local check-ins plus what home portals published."""
    return checked_in_of([event_uid])


def checked_in_of(event_uids):
    """`checked_in_uids` of several events at once, in as many statements as for one (a
    registration's uid is its event's alone)."""
    local = set(db.session.scalars(select(CheckIn.registration_uid).where(CheckIn.event_uid.in_(event_uids))))
    published = set(db.session.scalars(select(Registration.uid).where(
        Registration.event_uid.in_(event_uids), Registration.checked_in.is_(True))))
    return local | published


class CheckInRefused(Exception):
    """Only a registration the lead confirmed is checked in (not a refused, waitlisted or cancelled one)."""


def confirmed(registration, decision=None):
    """The registration is active and the lead confirmed it (`decision`: when already loaded)."""
    decision = decision if decision is not None else registration.decision
    return registration.active and decision is not None and decision.status == "confirmed"


def check_in(registration, user_id=None):
    """Record an arrival here; publish `checked_in` only for our own members (single writer)."""
    if not confirmed(registration):
        raise CheckInRefused(registration.uid)
    existing = db.session.scalars(select(CheckIn).where(CheckIn.registration_uid == registration.uid)).first()
    if existing is None:
        db.session.add(CheckIn(event_uid=registration.event_uid, registration_uid=registration.uid,
                               checked_in_at=utcnow(), by_user_id=user_id))
    if registration.is_local:
        registration.checked_in = True
    _tell_home(registration, True)
    db.session.flush()


def undo_check_in(registration):
    """Undo a check-in made here (a home portal's published check-in is not ours to undo)."""
    existing = db.session.scalars(select(CheckIn).where(CheckIn.registration_uid == registration.uid)).first()
    if existing is not None:
        db.session.delete(existing)
    if registration.is_local:
        registration.checked_in = False
    _tell_home(registration, False)
    db.session.flush()


def _tell_home(registration, checked_in):
    """At the lead, the decision carries the check-in to the participant's home portal."""
    decision = registration.decision
    if decision is not None and decision.is_local and not registration.is_local:
        decision.checked_in = checked_in
