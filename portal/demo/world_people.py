"""Demo world, stages `registrations` (every host: its members, its budget lines) and `decisions` (the lead)."""
from sqlalchemy import select

from portal.accounts.models import User
from portal.demo.world import (LEAD, PLANS, PROFILE_OF, THEME_SECTORS, admin_person_uid, b2b_window,
                               demo_member_uid, hosted_event, is_lead, local_members, weighted_sample)
from portal.directory.models import Listing, Organisation, Person
from portal.events import budget, queries
from portal.events.local_models import EventCost
from portal.events.registration_models import Registration
from portal.events.registrations import decide_registrations, refuse, register
from portal.extensions import db
from portal.federation.records import local_cluster
from portal.matchmaking.suggestions import COMPLEMENT, suggest
from portal.meetings.pages import as_plain
from portal.meetings.queries import Participant

#: (event, host) to the lines that host pays: (category, label, euros).
COSTS = {
    ("past", "photonics-bretagne"): [("room", "Couvent des Jacobins: plenary room and B2B hall", 4800),
                                     ("other", "Sound, screens and streaming", 950),
                                     ("communication", "Programme, badges and signage", 620)],
    ("past", "agrifood-ouest"): [("catering", "Lunch buffet from regional producers", 3150),
                                 ("guest_travel", "Special guests' travel", 420)],
    ("past", "sante-atlantique"): [("catering", "Coffee breaks and closing drinks", 1280),
                                   ("guest_travel", "Special guest's travel", 380),
                                   ("communication", "Social media campaign", 350)],
    ("upcoming", "photonics-bretagne"): [("room", "Le Quartz: deposit for the conference room", 1500)],
    ("upcoming", "agrifood-ouest"): [("catering", "Catering deposit", 900)],
    ("upcoming", "sante-atlantique"): [("communication", "Save-the-date mailing and posters", 450)],
}
ATTENDING_KINDS = ("technology_provider", "end_user", "integrator", "research")
#: How much more often each kind comes: the lead brings technology, the co-hosts its users.
LEAD_BRINGS = {"technology_provider": 3, "end_user": 0.5}
CO_HOSTS_BRING = {"end_user": 2}
REFUSAL = ("This day is for technology providers and end users; we have kept you a seat at the "
           "investors' breakfast of the three clusters in the autumn.")


def stage_registrations(world):
    """This portal's members register for the events it hosts; it records the costs it pays."""
    parts = []
    for plan in PLANS:
        event = hosted_event(plan)
        if event is None:
            parts.append(f"“{plan.title}” not received yet")
            continue
        made, lines = register_members(event, plan, world), add_costs(event, plan)
        parts.append(f"{made} for “{event.title}”" + (f" and {lines} budget line{'s' if lines > 1 else ''}" if lines else ""))
    return "registrations: " + "; ".join(parts)


def register_members(event, plan, world):
    """Register the chosen members in order (organisers and speakers first: the lead decides in arrival order)."""
    already = db.session.scalar(select(Registration.uid).where(
        Registration.event_uid == event.uid, Registration.origin == local_cluster()).limit(1))
    if already is not None:
        return 0
    rng = world.rng("registrations", plan.key, local_cluster())
    chosen = registrants(event, plan, world, rng)
    member = demo_member()
    for person_uid, (role, b2b) in chosen.items():
        # Attendees give a window; speakers, guests and the demo member keep the whole block. The
        # organisers register the speakers, guests and themselves, as they would on the attendees page.
        partial = b2b and role == "attendee" and person_uid != member
        start, until = b2b_window(rng, event) if partial else (None, None)
        register(event, person_uid, role=role, b2b=b2b, available_from=start, available_until=until,
                 by_organiser=role != "attendee")
    return len(chosen)


def registrants(event, plan, world, rng):
    """{person uid: (role, b2b)}: the organiser, our speakers, the demo member, then a weighted draw."""
    members = local_members()
    organisation_of = {person.uid: organisation for person, organisation in members}
    chosen = {}
    admin = admin_person_uid()
    if admin:
        chosen[admin] = ("organiser", False)
    for item in sorted(event.items, key=lambda i: i.starts_at):
        for uid in item.speaker_person_uids or []:
            if uid in organisation_of and uid not in chosen:
                chosen[uid] = speaker_role(item, organisation_of[uid], rng)
    member = demo_member()
    if member in organisation_of:  # the demo member always takes part in the B2B meetings
        chosen[member] = (chosen.get(member, ("attendee", True))[0], True)
    if plan.key != "past":
        for uid in counterparts(world, members, member):
            chosen.setdefault(uid, ("attendee", True))
    if plan.key == "past" and not is_lead():
        # Someone the lead will refuse: the day is not for investors (see stage_decisions).
        outsider = next((p.uid for p, o in members if o.kind == "other" and p.uid not in chosen), None)
        if outsider:
            chosen[outsider] = ("attendee", False)
    target = max(4, round(world.people * plan.share))
    pool = [(p, o) for p, o in members if p.uid not in chosen and o.kind in ATTENDING_KINDS]
    weights = attendance_weights(pool)
    for person, _organisation in weighted_sample(rng, pool, weights, max(0, target - len(chosen))):
        chosen[person.uid] = ("attendee", rng.random() < 0.85)
    return chosen


def speaker_role(item, organisation, rng):
    if item.kind == "opening":
        return "organiser", False
    if item.kind == "keynote" and organisation.special_guest:
        return "special_guest", rng.random() < 0.7
    return "speaker", True


def demo_member():
    """The person of this portal's demo member: the one member whose password the loader set."""
    return db.session.scalar(select(User.person_uid).where(
        User.role == "member", User.password_hash.is_not(None), User.person_uid.is_not(None)).order_by(User.id))


def attendance_weights(pool):
    """Who comes: people posting listings, on the theme, and of the kind this cluster brings."""
    uids = [person.uid for person, _ in pool]
    sectors = {}
    for person_uid, listing_sectors in db.session.execute(
            select(Listing.person_uid, Listing.sectors).where(Listing.person_uid.in_(uids))):
        sectors.setdefault(person_uid, set()).update(listing_sectors or [])
    brings = LEAD_BRINGS if is_lead() else CO_HOSTS_BRING
    return [(1 + 2 * (person.uid in sectors)
             + 3 * bool((sectors.get(person.uid, set()) | set(organisation.sectors or [])) & THEME_SECTORS))
            * brings.get(organisation.kind, 1) for person, organisation in pool]


COUNTERPARTS = 3


def counterparts(world, members, member):
    """Our members who best match each portal's demo member (ours too): they come to the upcoming event.

    Suggestions need real matches, so the demo member's own portal brings some as well; three
    each, since the best may have met the demo member at the past event already (hidden then).
    """
    candidates = plain_people([(p, o) for p, o in members if p.uid != member and o.kind in ATTENDING_KINDS])
    found = []
    for cluster_id in PROFILE_OF:
        person = db.session.get(Person, demo_member_uid(cluster_id, world.seed))
        if person is None or not candidates:
            continue
        wanted = plain_people([(person, person.organisation)])[0]
        kinds = {COMPLEMENT[x["kind"]] for x in wanted["listings"]}
        ranked = suggest(wanted, [c for c in candidates if any(x["kind"] in kinds for x in c["listings"])])
        found += [suggestion.person_id for suggestion in ranked[:COUNTERPARTS]]
    return found


def plain_people(pairs):
    """[(person, organisation)] as the suggestion module wants them, with the listings a participant has."""
    org_uids = {p.organisation_uid for p, _ in pairs if p.organisation_uid}
    listings = db.session.scalars(select(Listing).where(
        Listing.status == "open", Listing.organisation_uid.in_(org_uids)).order_by(Listing.title)).all()
    present = {p.uid for p, _ in pairs}
    plains = []
    for person, organisation in pairs:
        # As at the event (meetings.queries.participants): a colleague stands in for an absent contact.
        mine = [x for x in listings if x.person_uid == person.uid
                or (x.person_uid not in present and x.organisation_uid == person.organisation_uid)]
        plains.append(as_plain(Participant(person, None, organisation, [x for x in mine if x.kind == "offer"],
                                           [x for x in mine if x.kind == "need"])))
    return plains


def add_costs(event, plan):
    """The lines this host pays (kept on this portal only), once."""
    if db.session.scalar(select(EventCost.id).where(EventCost.event_uid == event.uid).limit(1)) is not None:
        return 0
    lines = COSTS.get((plan.key, local_cluster()), [])
    for category, label, euros in lines:
        budget.add_cost(event, category, label, euros * 100, local_cluster())
    return len(lines)


def stage_decisions(world):
    """The lead decides what arrived (capacity and waiting list) and refuses the day's outsiders."""
    if not is_lead():
        return f"decisions: nothing to write here ({LEAD} decides)"
    parts = []
    for plan in PLANS:
        event = hosted_event(plan)
        if event is None:
            continue
        decide_registrations(event.uid)
        refused = refuse_outsiders(event)
        seen = queries.counts(event)
        parts.append(f"“{event.title}”: {seen['by_status']['confirmed']} confirmed, "
                     f"{seen['by_status']['waitlisted']} waitlisted, {seen['by_status']['refused']} refused"
                     + (f" ({refused} now)" if refused else "")
                     + f", from {len(seen['per_cluster'])} clusters")
    return "decisions: " + "; ".join(parts)


def refuse_outsiders(event):
    """Registrations from organisations of kind `other` (investors, consultants) are refused."""
    rows = db.session.scalars(
        select(Registration).join(Person, Person.uid == Registration.person_uid)
        .join(Organisation, Organisation.uid == Person.organisation_uid)
        .where(Registration.event_uid == event.uid, Registration.status == "registered",
               Organisation.kind == "other").order_by(Registration.uid)).all()
    refused = 0
    for registration in rows:
        if registration.decision is None or registration.decision.status != "refused":
            refuse(registration, REFUSAL)
            refused += 1
    return refused
