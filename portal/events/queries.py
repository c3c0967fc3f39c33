"""Event reads and the guards of event pages."""
from collections import namedtuple

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.directory.models import Listing, Organisation, Person
from portal.directory.queries import cluster_names, not_expired, public_person
from portal.events.agenda import agenda_order
from portal.events.constants import DRAFT
from portal.events.local_models import EventChallenge
from portal.events.models import AgendaItem, Event
from portal.events.registration_models import Registration, RegistrationDecision
from portal.events.registrations import checked_in_of, confirmed
from portal.extensions import db
from portal.federation.queries import confirmed_peers
from portal.federation.records import local_cluster, utcnow
from portal.text import folded, sort_key

Host = namedtuple("Host", "cluster_id name local lead")


class Attendee(namedtuple("Attendee", "registration person organisation cluster decision checked_in")):
    __slots__ = ()

    @property
    def confirmed(self):
        """Confirmed by the lead and not cancelled: the only ones checked in at the door."""
        return confirmed(self.registration, self.decision) if self.decision is not None else False


def hidden_draft(event):
    """A draft, to anyone but this portal's organisers (who alone see it): a page of it is a 404."""
    return event.draft and not (current_user.is_authenticated and current_user.is_admin)


def get_event_or_404(uid, host=False, lead=False):
    """The event, or 404; `host`: this cluster hosts it (else 403); `lead`: we lead it (else 403).

    Only the lead writes the event, its agenda and the decisions (single writer); any host's
    organisers see the attendees, badges and check-in.
    """
    event = db.session.get(Event, uid)
    if event is None or hidden_draft(event):
        abort(404)
    if (host or lead) and local_cluster() not in event.hosts:
        abort(403)
    if lead and not event.is_local:
        abort(403)
    return event


def get_item_or_404(event, item_uid):
    item = db.session.get(AgendaItem, item_uid)
    if item is None or item.event_uid != event.uid:
        abort(404)
    return item


def get_registration_or_404(event, registration_uid):
    registration = db.session.get(Registration, registration_uid)
    if registration is None or registration.event_uid != event.uid:
        abort(404)
    return registration


def is_host(event):
    return local_cluster() in event.hosts


def hosts_of(event, names=None):
    names = names or cluster_names()
    return [Host(c, names.get(c, c), c == local_cluster(), c == event.origin) for c in event.hosts]


def host_pages(event):
    """(name, address) of the event's page on each other host's portal that is a confirmed peer,
    in the order of its hosts: where that cluster's members register."""
    peers = {p.cluster_id: p for p in confirmed_peers() if p.base_url}
    path = url_for("events.show", uid=event.uid)
    return [(peers[c].name, peers[c].base_url.rstrip("/") + path) for c in event.hosts if c in peers]


#: What the topic planner compares with its keywords and sectors.
PLANNER_COLUMNS = (Listing.uid, Listing.origin, Listing.kind, Listing.organisation_uid, Listing.title,
                   Listing.summary, Listing.keywords, Listing.sectors)


def planner_listings():
    """The offers and needs the directory shows (open, not expired) of every cluster, as the
    topic planner's dicts: only the columns it reads."""
    rows = db.session.execute(select(*PLANNER_COLUMNS).where(Listing.status == "open", not_expired()))
    return [dict(row._mapping, keywords=row.keywords or [], sectors=row.sectors or []) for row in rows]


def organisation_names(uids):
    """uid to name of the organisations of `uids` we know."""
    if not uids:
        return {}
    return dict(db.session.execute(select(Organisation.uid, Organisation.name).where(Organisation.uid.in_(uids))).all())


def _hosted_by_us():
    """Events we lead or co-host (co_hosts is JSON: filtered in Python, the lists are short)."""
    events = db.session.scalars(select(Event).order_by(Event.starts_at)).all()
    return [e for e in events if is_host(e)]


def upcoming_events(now=None):
    """(events we host, events of partner clusters), both still to end, soonest first; no draft."""
    return _hosted_and_partners(select(Event).where(Event.ends_at >= (now or utcnow()), Event.status != DRAFT)
                                .order_by(Event.starts_at))


def past_events(now=None):
    """(events we host, events of partner clusters), both already ended, newest first; no draft."""
    return _hosted_and_partners(select(Event).where(Event.ends_at < (now or utcnow()), Event.status != DRAFT)
                                .order_by(Event.starts_at.desc()))


def _hosted_and_partners(statement):
    events = db.session.scalars(statement).all()
    return [e for e in events if is_host(e)], [e for e in events if not is_host(e)]


def managed_events(now=None):
    """Events this portal's organisers see in their management, led or co-hosted here: (those still
    to end, soonest first; those over, the latest first), as Indico lists them."""
    now = now or utcnow()
    hosted = _hosted_by_us()
    return [e for e in hosted if e.ends_at >= now], [e for e in reversed(hosted) if e.ends_at < now]


def agenda_items(event):
    """The event's agenda in its order (as `Event.items`), with the listing each item presents
    read in one query for them all: the timeline and the builder show it on every pitch."""
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.event_uid == event.uid)
                               .options(selectinload(AgendaItem.listing))).all()
    return sorted(items, key=agenda_order)


def live_items(event):
    return [i for i in event.items if not i.cancelled]


def unregistered_people(event):
    """(uid, "Name · Organisation") of this portal's people without an active registration for
    `event`, by name: whom its organisers may register. For a co-hosted event, those who share no
    profile are marked: the other hosts would see their registration without a name."""
    registered = select(Registration.person_uid).where(Registration.event_uid == event.uid,
                                                       Registration.status == "registered")
    people = db.session.scalars(select(Person).options(selectinload(Person.organisation)).where(
        Person.origin == local_cluster(), Person.uid.not_in(registered))).all()
    unnamed = " " + _("(profile not shared)") if len(event.hosts) > 1 else ""
    labelled = [(p.uid, " · ".join(filter(None, [p.display_name, getattr(p.organisation, "name", "")]))
                 + ("" if p.share_profile else unnamed)) for p in people]
    return sorted(labelled, key=lambda pair: sort_key(pair[1]))


def people_by_uid(uids, with_organisation=False):
    uids = {u for u in uids if u}
    if not uids:
        return {}
    query = select(Person).where(Person.uid.in_(uids))
    if with_organisation:
        query = query.options(selectinload(Person.organisation))
    return {p.uid: p for p in db.session.scalars(query)}


def speaker_names(items, public=True):
    """Item uid to its speakers we know, "Name (Organisation)". `public`: a page anyone may see,
    where one of our members who does not share their profile stays unnamed (this portal's
    organisers see every name)."""
    people = people_by_uid((u for i in items for u in i.speaker_person_uids or []), with_organisation=True)
    if public:
        people = {uid: person for uid, person in people.items() if public_person(person)}
    return {i.uid: [_with_organisation(people[u]) for u in i.speaker_person_uids or [] if u in people] for i in items}


def _with_organisation(person):
    organisation = getattr(person.organisation, "name", "")
    return f"{person.display_name} ({organisation})" if organisation else person.display_name


def speaker_choices(event):
    """People of every host cluster, local and replicated, with their organisation loaded, as
    (person, registered for the event): the registered first (speakers usually are), then the
    others, each group by name."""
    people = db.session.scalars(select(Person).where(Person.origin.in_(event.hosts))
                                .options(selectinload(Person.organisation))).all()
    registered = set(db.session.scalars(select(Registration.person_uid).where(
        Registration.event_uid == event.uid, Registration.status == "registered")))
    pairs = [(person, person.uid in registered) for person in people]
    return sorted(pairs, key=lambda pair: (not pair[1], sort_key(pair[0].display_name)))


def listing_choices(event):
    """Open listings of the host clusters, for pitches."""
    return db.session.scalars(select(Listing).where(Listing.origin.in_(event.hosts), Listing.status == "open")
                              .order_by(Listing.kind, Listing.title)).all()


def my_listings():
    """Listings of the current member's organisation (they may propose them for a pitch)."""
    org = current_user.organisation_uid if current_user.is_authenticated else None
    if not org:
        return []
    return db.session.scalars(select(Listing).where(Listing.organisation_uid == org, Listing.origin == local_cluster())
                              .order_by(Listing.title)).all()


def attendees(event, checked_in=None):
    """Every registration of the event (all hosts), with person, organisation, cluster, decision."""
    return attendees_of([event.uid], checked_in)[event.uid]


def attendees_of(event_uids, checked_in=None, with_people=True):
    """{event uid: its `attendees`} for several events, in as many statements as for one (the
    impact pages of a year). Without `with_people`, their people and organisations are not read
    (None), for counting them."""
    seen = checked_in_of(event_uids) if checked_in is None else checked_in
    registrations = db.session.scalars(select(Registration).where(Registration.event_uid.in_(event_uids))
                                       .order_by(Registration.received_at)).all()
    people, orgs = {}, {}
    if with_people:
        people = people_by_uid(r.person_uid for r in registrations)
        orgs = {o.uid: o for o in db.session.scalars(select(Organisation).where(
            Organisation.uid.in_({p.organisation_uid for p in people.values() if p.organisation_uid})))}
    decisions = {d.registration_uid: d for d in db.session.scalars(
        select(RegistrationDecision).where(RegistrationDecision.event_uid.in_(event_uids)))}
    rows = {uid: [] for uid in event_uids}
    for r in registrations:
        person = people.get(r.person_uid)
        org = orgs.get(person.organisation_uid) if person else None
        rows[r.event_uid].append(Attendee(r, person, org, r.origin, decisions.get(r.uid), r.uid in seen))
    # By name as people order it ("Élodie" among the E's), profiles not shared last.
    return {uid: sorted(found, key=lambda a: (a.person is None, sort_key(a.person.display_name) if a.person else "",
                                              a.registration.uid))
            for uid, found in rows.items()}


def search_attendees(everyone, text):
    """Among an event's attendees (`attendees`), the active registrations whose name or
    organisation contains `text` (the door page), accents aside."""
    return filter_attendees([a for a in everyone if a.registration.active], text)


def attendee_status(attendee):
    """Where a registration stands, as the attendee list filters it: "cancelled" (by its person),
    else its decision's status, "pending" while the lead has not decided."""
    if not attendee.registration.active:
        return "cancelled"
    return attendee.decision.status if attendee.decision else "pending"


def filter_attendees(everyone, text=None, status=None, cluster=None, role=None, b2b=None, checked_in=None):
    """Those of an event's attendees (`attendees`, in their order) whose name or organisation
    contains `text` (accents aside), of that `status` (`attendee_status`), home `cluster` and
    `role`; `b2b` and `checked_in` are "yes" or "no". A criterion empty or None leaves all."""
    text = folded(text or "").strip()
    wanted = {"yes": True, "no": False}
    return [a for a in everyone
            if (not text or text in folded(a.person.display_name if a.person else "")
                or text in folded(a.organisation.name if a.organisation else ""))
            and (not status or attendee_status(a) == status)
            and (not cluster or a.cluster == cluster)
            and (not role or a.registration.role == role)
            and (b2b not in wanted or bool(a.registration.b2b) == wanted[b2b])
            and (checked_in not in wanted or bool(a.checked_in) == wanted[checked_in])]


def counts(event, everyone=None):
    """Registrations by decision, by decision per home cluster (refused ones left out), the
    confirmed ones seen at the door, and the ones not refused (a cancellation of the event is
    told to them). Cancelled registrations count nowhere.

    `everyone`: the event's `attendees`, when the caller has them already (else its registrations are
    read without their people, which a count does not need: a thousand of them cost a dashboard 300 ms).
    """
    if everyone is None:
        everyone = attendees_of([event.uid], with_people=False)[event.uid]
    rows = [a for a in everyone if a.registration.active]
    by_status = {"confirmed": 0, "waitlisted": 0, "refused": 0, "pending": 0}
    per_cluster = {}
    for a in rows:
        status = a.decision.status if a.decision else "pending"
        by_status[status] += 1
        if status != "refused":
            tally = per_cluster.setdefault(a.cluster, {"confirmed": 0, "waitlisted": 0, "pending": 0})
            tally[status] += 1
    return {"by_status": by_status, "per_cluster": per_cluster, "total": len(rows),
            "checked_in": sum(1 for a in rows if a.checked_in and a.confirmed),
            "not_refused": len(rows) - by_status["refused"]}  # who a cancellation is told to


def places_left(event):
    """The places the confirmed registrations leave free (0 when full, or beyond it): exact on the
    lead (it decides), on a co-host as far as the lead's replicated decisions tell (they may lag a
    little)."""
    confirmed_count = db.session.scalar(
        select(func.count()).select_from(RegistrationDecision)
        .join(Registration, Registration.uid == RegistrationDecision.registration_uid)
        .where(RegistrationDecision.event_uid == event.uid, RegistrationDecision.status == "confirmed",
               Registration.status == "registered"))
    return max(event.capacity - confirmed_count, 0)


def is_full(event):
    return places_left(event) == 0


def decision_for(registration):
    if registration is None:
        return None
    return db.session.scalars(select(RegistrationDecision).where(
        RegistrationDecision.registration_uid == registration.uid)).first()


def special_guest_organisations(event):
    """Special-guest organisations of the host clusters that come as special guests, or whose need is pinned."""
    regs = db.session.scalars(select(Registration.person_uid).where(
        Registration.event_uid == event.uid, Registration.role == "special_guest",
        Registration.status == "registered")).all()
    org_uids = {p.organisation_uid for p in people_by_uid(regs).values()}
    pinned = db.session.scalars(select(Listing.organisation_uid).join(
        EventChallenge, EventChallenge.listing_uid == Listing.uid).where(EventChallenge.event_uid == event.uid)).all()
    org_uids |= set(pinned)
    if not org_uids:
        return []
    return sorted(db.session.scalars(select(Organisation).where(
        Organisation.uid.in_(org_uids), Organisation.special_guest.is_(True))),
        key=lambda organisation: (sort_key(organisation.name), organisation.uid))


def open_needs(org_uids, exclude=()):
    """Open needs by organisation, leaving out the listings in `exclude` (uids)."""
    if not org_uids:
        return {}
    found = {}
    for listing in db.session.scalars(select(Listing).where(
            Listing.organisation_uid.in_(org_uids), Listing.kind == "need", Listing.status == "open",
            Listing.uid.not_in(list(exclude)))
            .order_by(Listing.title)):
        found.setdefault(listing.organisation_uid, []).append(listing)
    return found


def _challenge_candidates(event):
    """Open needs of special-guest organisations of the host clusters."""
    return select(Listing).join(Organisation, Organisation.uid == Listing.organisation_uid).where(
        Organisation.special_guest.is_(True), Listing.kind == "need", Listing.status == "open",
        or_(Listing.origin.in_(event.hosts), Organisation.origin.in_(event.hosts)))


def challenge_candidates(event):
    """The needs an organiser may pin to `event` as challenges (see `_challenge_candidates`)."""
    found = db.session.scalars(_challenge_candidates(event)).all()
    return sorted(found, key=lambda listing: (sort_key(listing.organisation.name), sort_key(listing.title), listing.uid))


def challenge_candidate(event, listing_uid):
    """The candidate `listing_uid` of `challenge_candidates`, or None."""
    return db.session.scalars(_challenge_candidates(event).where(Listing.uid == listing_uid)).first()


def pinned_challenges(event):
    return db.session.scalars(select(Listing).join(EventChallenge, EventChallenge.listing_uid == Listing.uid)
                              .where(EventChallenge.event_uid == event.uid).order_by(Listing.title)).all()
