"""Demo world, stage `events` (the lead): both events, their day from the formula, pitches, challenges."""
from datetime import timedelta

from sqlalchemy import select

from portal.demo.world import CO_HOSTS, LEAD, PLANS, THEME_SECTORS, is_lead
from portal.directory.models import Listing, Organisation, Person
from portal.events import pitches, services
from portal.events.formula import FORMULA_KEY
from portal.events.local_models import PitchProposal
from portal.events.models import Event
from portal.extensions import db
from portal.federation.records import local_cluster

PITCH_LINES = (
    "A live demonstration on a sample brought by the audience.",
    "Five minutes on the results of our last pilot, five on what we are looking for.",
    "What the technology does, what it costs, and where it was deployed.",
    "We bring the prototype; come and see it at the B2B meetings.",
)
DECLINED = "Thank you: the programme is full. We kept your listing for the B2B suggestions."


def stage_events(world):
    """Create the events that do not exist yet; an existing event is left as it is."""
    if not is_lead():
        return f"events: nothing to write here ({LEAD} leads both events)"
    made = []
    for plan in PLANS:
        if db.session.get(Event, plan.uid) is not None:
            continue
        event = create(plan, world)
        counts = build_day(event, plan, world)
        made.append(f"“{event.title}” ({counts})")
    return "events: " + ("; ".join(made) if made else "both events exist already")


def create(plan, world):
    """`services.create_event` with a fixed uid (the welcome text links to it): add, then update."""
    event = Event(uid=plan.uid)
    db.session.add(event)
    services.update_event(event, plan.values(world))
    services.apply_template(event, FORMULA_KEY)
    return event


def build_day(event, plan, world):
    """The formula's day made concrete: a longer B2B block, named speakers, one slot per pitch."""
    rng = world.rng("events", plan.key)
    items = {item.kind: item for item in services.event_items(event)}
    services.update_item(items["b2b"], {"starts_at": event.b2b_starts_at, "ends_at": event.b2b_ends_at})
    services.update_item(items["other"], {"starts_at": event.b2b_ends_at, "ends_at": event.ends_at})
    services.update_item(items["opening"], {"speaker_person_uids": cluster_speakers(event)})
    guests = guest_speakers(event)
    services.update_item(items["keynote"], {"speaker_person_uids": [person.uid for person, _ in guests]})
    for _person, organisation in guests:
        challenge = first_need(organisation)
        if challenge is not None:
            pitches.pin_challenge(event, challenge)
    needs = need_pitches(event, items["pitch_need"], plan, rng)
    offers = offer_pitches(event, items["pitch_offer"], plan, rng)
    return f"{len(guests)} special guests, {needs} need pitches, {offers} offer pitches"


def cluster_speakers(event):
    """The opening: one person of each host's cluster organisation."""
    speakers = []
    for cluster_id in event.hosts:
        person = db.session.scalars(select(Person).join(Organisation, Organisation.uid == Person.organisation_uid)
                                    .where(Organisation.kind == "cluster", Organisation.origin == cluster_id,
                                           Person.origin == cluster_id).order_by(Person.uid)).first()
        if person is not None:
            speakers.append(person.uid)
    return speakers


def guest_speakers(event):
    """[(person, organisation)]: one person of each co-host's special-guest organisation."""
    found = []
    organisations = db.session.scalars(select(Organisation).where(
        Organisation.special_guest.is_(True), Organisation.origin.in_(CO_HOSTS)).order_by(Organisation.name)).all()
    for organisation in organisations:
        person = db.session.scalars(select(Person).where(Person.organisation_uid == organisation.uid)
                                    .order_by(Person.uid)).first()
        if person is not None:
            found.append((person, organisation))
    return found


def first_need(organisation):
    return db.session.scalars(select(Listing).where(
        Listing.organisation_uid == organisation.uid, Listing.kind == "need", Listing.status == "open")
        .order_by(Listing.title)).first()


def _slots(block, count):
    """`count` pitch slots from the start of the formula's block."""
    start = block.starts_at
    return [(start + timedelta(minutes=pitches.PITCH_MINUTES * i),
             start + timedelta(minutes=pitches.PITCH_MINUTES * (i + 1))) for i in range(count)]


def need_pitches(event, block, plan, rng):
    """End users of the co-hosts present a need: their organisers asked the lead, who adds the item."""
    chosen = []
    for cluster_id in CO_HOSTS:
        chosen += _distinct_organisations(rng, pitch_candidates(event, "need", cluster_id), plan.need_pitches)
    slots = _slots(block, len(chosen))
    services.delete_item(block)
    for listing, (start, end) in zip(chosen, slots):
        services.add_item(event, {"starts_at": start, "ends_at": end, "kind": "pitch_need", "title": listing.title,
                                  "speaker_person_uids": [listing.person_uid], "listing_uid": listing.uid})
    return len(chosen)


def offer_pitches(event, block, plan, rng):
    """Technology providers of the lead answer the call for pitches; the organisers accept most."""
    wanted = plan.offer_pitches + plan.offers_pending + 1
    chosen = _distinct_organisations(rng, pitch_candidates(event, "offer", LEAD), wanted)
    proposals = [pitches.propose_pitch(event, listing, listing.person_uid, rng.choice(PITCH_LINES))
                 for listing in chosen]
    accepted = proposals[:plan.offer_pitches]
    slots = _slots(block, len(accepted))
    for proposal, (start, end) in zip(accepted, slots):
        item = pitches.accept_pitch(event, proposal, "Accepted: see you on stage.")
        services.update_item(item, {"starts_at": start, "ends_at": end})
    if len(proposals) > plan.offer_pitches + plan.offers_pending:
        pitches.decline_pitch(proposals[-1], DECLINED)
    left = block.ends_at - (slots[-1][1] if slots else block.starts_at)
    if plan.offers_pending and left > timedelta(0):
        # The call for pitches is still open: the rest of the block waits for its speakers.
        services.update_item(block, {"starts_at": block.ends_at - left,
                                     "title": "More technology offers (call for pitches open)"})
    else:
        services.delete_item(block)
    return len(accepted)


def pitch_candidates(event, kind, cluster_id):
    """Listings of `cluster_id` a pitch may present (`pitches.pitchable`), on the theme, by a named
    person we may show (a replica is shared).

    Offers come from technology providers, needs from end users; a listing pitched at
    another event already is left for someone else.
    """
    organisation_kind = "technology_provider" if kind == "offer" else "end_user"
    pitched = set(db.session.scalars(select(PitchProposal.listing_uid).where(PitchProposal.event_uid != event.uid)))
    pitched |= {uid for other in db.session.scalars(select(Event).where(Event.uid != event.uid))
                for uid in (item.listing_uid for item in other.items) if uid}
    rows = db.session.execute(
        select(Listing, Organisation).join(Organisation, Organisation.uid == Listing.organisation_uid)
        .join(Person, Person.uid == Listing.person_uid)
        .where(Listing.origin == cluster_id, Listing.kind == kind, Listing.status == "open",
               Organisation.kind == organisation_kind,
               Person.share_profile.is_(True) | (Person.origin != local_cluster()))
        .order_by(Listing.uid)).all()
    return [(listing, organisation) for listing, organisation in rows
            if listing.uid not in pitched and set(listing.sectors or []) & THEME_SECTORS
            and pitches.pitchable(listing, event)]


def _distinct_organisations(rng, candidates, count):
    """Up to `count` listings, at most one per organisation, drawn at random."""
    shuffled = list(candidates)
    rng.shuffle(shuffled)
    chosen, seen = [], set()
    for listing, organisation in shuffled:
        if organisation.uid not in seen:
            chosen.append(listing)
            seen.add(organisation.uid)
        if len(chosen) == count:
            break
    return chosen
