"""Demo world, B2B and after: stages `requests`, `replies` (and the door), `schedule` (the lead), `surveys`."""
import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from portal.demo.world import CO_HOSTS, LEAD, PAST, PLANS, admin_person_uid, demo_member_uid, hosted_event, is_lead
from portal.demo.world_people import demo_member
from portal.events.registration_models import Registration
from portal.events.registrations import check_in, checked_in_uids
from portal.extensions import db
from portal.federation.records import local_cluster, utcnow
from portal.matchmaking.suggestions import suggest
from portal.meetings import queries, scheduling
from portal.meetings.models import MeetingRequest
from portal.meetings.pages import as_plain
from portal.meetings.services import MeetingError, mark_meeting, reply_to_request, request_meeting
from portal.surveys.demo import seed_demo_responses

#: The clusters in a ring: each portal asks the next one's demo member for a meeting.
RING = (LEAD, *CO_HOSTS)
NEED_ASKS = ("Your offer “{theirs}” looks like an answer to our need “{mine}”. Could we meet at the B2B?",
             "We are looking for a partner on “{mine}”, and “{theirs}” caught our eye. Twenty minutes?",
             "“{mine}” is our priority this year. I would like to hear how “{theirs}” could help.")
OFFER_ASKS = ("Our “{mine}” could answer your need “{theirs}”. Shall we meet to see whether it fits?",
              "We would like to understand your need “{theirs}” better: our “{mine}” may fit.",
              "I read “{theirs}” with interest: we have a demonstrator that could help. Can we meet?")
ACCEPTS = ("With pleasure, see you at the B2B tables.", "Yes, happy to meet.", "", "Good idea, let us talk.")
DECLINES = ("Thank you, but this is not a priority for us this year.",
            "We already work with a partner on this; good luck with your project!",
            "Sorry, my afternoon is already full.")


def stage_requests(world):
    """This portal's B2B participants ask people their suggestions rank high (once per event)."""
    parts = []
    for plan in PLANS:
        event = hosted_event(plan)
        if event is None:
            continue
        exists = db.session.scalar(select(MeetingRequest.uid).where(
            MeetingRequest.event_uid == event.uid, MeetingRequest.origin == local_cluster()).limit(1))
        sent = "sent already" if exists else f"{send_requests(event, plan, world)} sent"
        parts.append(f"“{event.title}”: {sent}")
    return "requests: " + "; ".join(parts)


def send_requests(event, plan, world):
    found = [p for p in queries.participants(event.uid) if plan is not PAST or p.confirmed]
    plains = [as_plain(p) for p in found]
    cluster_of = {p.uid: p.cluster for p in found}
    members = {demo_member_uid(c, world.seed) for c in RING} if plan is not PAST else set()
    made = 0
    if plan is not PAST:
        made += ask_demo_members(event, found, plains, world)
    for me in found:
        if me.cluster != local_cluster() or queries.local_user_of(me.uid) is None:
            continue
        rng = world.rng("requests", plan.key, me.uid)
        wanted = rng.choice((1, 2, 2, 2, 3, 3) if plan is PAST else (0, 0, 1, 1, 2))
        if me.uid in members:
            wanted = 0  # the demo member asks once, below, and is asked by the previous cluster
        # Only the people this portal may ask are ranked (suggest is quadratic in listings).
        others = [x for x in plains if x["id"] not in members and asks(me.uid, x["id"], cluster_of)]
        fitting = suggest(as_plain(me), others, met=queries.met_before(me.uid, event))
        for suggestion in rng.sample(fitting[:max(3, 2 * wanted)], min(wanted, len(fitting))):
            made += ask(event, me.uid, suggestion.person_id, suggestion, rng, _asked_at(event, plan, rng))
    return made


def asks(a, b, cluster_of):
    """Who of two people of different portals sends the request, so that both portals never do."""
    if a == b:
        return False
    if cluster_of.get(a) == cluster_of.get(b):
        return True  # the same portal sees its own requests (request_between)
    pair = sorted((a, b))
    return pair[hashlib.sha256(":".join(pair).encode()).digest()[0] % 2] == a


def ask_demo_members(event, found, plains, world):
    """The next cluster's demo member is asked by our best match; ours asks someone of the next cluster.

    In a ring, so that no two portals write a request between the same two people.
    """
    here = RING.index(local_cluster())
    following = RING[(here + 1) % len(RING)]
    target, mine = demo_member_uid(following, world.seed), demo_member_uid(local_cluster(), world.seed)
    by_uid = {p.uid: p for p in found}
    cluster_of = {p.uid: p.cluster for p in found}
    rng = world.rng("requests", "members", local_cluster())
    made = 0
    if target in by_uid:
        ours = [x for x in plains if cluster_of[x["id"]] == local_cluster() and x["id"] != mine]
        askers = [x for x in ours if queries.local_user_of(x["id"]) is not None]
        ranked = suggest(as_plain(by_uid[target]), askers)
        # Nobody here matches well enough to be suggested: the first of ours asks all the same.
        pick = ranked[0].person_id if ranked else next((x["id"] for x in askers), None)
        if pick is not None:  # the reasons, seen from the one who asks
            reasons = suggest(as_plain(by_uid[pick]), [as_plain(by_uid[target])])
            made += ask(event, pick, target, reasons[0] if reasons else None, rng,
                        utcnow() - timedelta(hours=2))
    if mine in by_uid:
        theirs = [x for x in plains if cluster_of[x["id"]] == following and x["id"] != target]
        pick = next(iter(suggest(as_plain(by_uid[mine]), theirs)), None)
        if pick is not None:
            made += ask(event, mine, pick.person_id, pick, rng, utcnow() - timedelta(hours=5), starred=True)
    return made


def ask(event, from_uid, to_uid, suggestion, rng, when, starred=None):
    """One request with a message drawn from why they match; 0 when the service refuses it."""
    reason = suggestion.reasons[0] if suggestion is not None and suggestion.reasons else None
    text = ""
    if reason is not None:
        template = rng.choice(NEED_ASKS if reason.my_kind == "need" else OFFER_ASKS)
        text = template.format(mine=reason.my_title, theirs=reason.their_title)
    starred = rng.random() < 0.2 if starred is None else starred
    try:
        request_meeting(event, from_uid, to_uid, text, starred=starred, now=when)
    except MeetingError:
        return 0
    return 1


def _asked_at(event, plan, rng):
    if plan is PAST:
        return event.starts_at - timedelta(days=rng.randint(3, 15), hours=rng.randint(0, 9))
    return utcnow() - timedelta(hours=rng.randint(3, 30))


def stage_replies(world):
    """Our members answer the requests they received; at the past event, most came through the door."""
    parts = []
    member = demo_member()
    for plan in PLANS:
        event = hosted_event(plan)
        if event is None:
            continue
        counts = answer_requests(event, plan, world, member)
        part = f"“{event.title}”: {counts['accepted']} accepted, {counts['declined']} declined"
        if plan is PAST:
            part += f", {check_in_members(event, world, member)} checked in"
        parts.append(part)
    return "replies: " + "; ".join(parts)


def answer_requests(event, plan, world, member):
    counts = {"accepted": 0, "declined": 0}
    rows = db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.event_uid == event.uid, MeetingRequest.status == "open").order_by(MeetingRequest.uid)).all()
    for request in rows:
        if request.reply is not None or queries.local_user_of(request.to_person_uid) is None:
            continue
        if plan is not PAST and request.to_person_uid == member:
            continue  # left for the demo member to answer
        # Drawn by the pair, not the request's uid (random): the same answers on every build.
        rng = world.rng("reply", plan.key, request.from_person_uid, request.to_person_uid)
        answer = choose_answer(plan, request, rng)
        if answer is None:
            continue
        when = event.starts_at - timedelta(days=rng.randint(1, 2)) if plan is PAST else None
        message = rng.choice(ACCEPTS if answer == "accepted" else DECLINES)
        try:
            reply_to_request(request, request.to_person_uid, answer, message, now=when)
        except MeetingError:  # a full afternoon: decline instead
            answer = "declined"
            reply_to_request(request, request.to_person_uid, answer, DECLINES[-1], now=when)
        counts[answer] += 1
    return counts


def choose_answer(plan, request, rng):
    """Past event: 85 % accepted. Upcoming: a starred request is accepted, many others still wait."""
    draw = rng.random()
    if plan is PAST:
        return "accepted" if draw < 0.85 else "declined"
    if request.starred:
        return "accepted"
    return None if draw < 0.4 else "accepted" if draw < 0.9 else "declined"


def check_in_members(event, world, member):
    """Our confirmed members at the door: speakers, guests, the demo member, and most of the others."""
    made = 0
    rows = db.session.scalars(select(Registration).where(
        Registration.event_uid == event.uid, Registration.origin == local_cluster(),
        Registration.status == "registered").order_by(Registration.uid)).all()
    for registration in rows:
        if registration.checked_in or registration.decision is None or registration.decision.status != "confirmed":
            continue
        rng = world.rng("door", event.uid, registration.person_uid)
        if registration.person_uid == member or registration.role != "attendee" or rng.random() < 0.94:
            check_in(registration)
            made += 1
    return made


def stage_schedule(world):
    """The lead solves the past event's schedule, publishes it, and marks who met."""
    if not is_lead():
        return f"schedule: nothing to write here ({LEAD} schedules)"
    event = hosted_event(PAST)
    if event is None:
        return "schedule: the past event does not exist yet"
    published = queries.event_meetings(event.uid)
    if published:
        return f"schedule: {len(published)} meetings published already for “{event.title}”"
    background = current_app.config.get("SCHEDULER_BACKGROUND")
    current_app.config["SCHEDULER_BACKGROUND"] = False
    before = event.starts_at - timedelta(days=7)  # scheduled, as it was, the week before
    try:
        run = scheduling.start_run(event, time_limit=world.time_limit, now=before)
    finally:
        current_app.config["SCHEDULER_BACKGROUND"] = background
    if run.status != "done":
        return f"schedule: the scheduler failed for “{event.title}”: {run.error}"
    changes = scheduling.publish_run(run, now=before)
    held, missed = mark_attendance(event, world)
    return (f"schedule: {len(changes)} meetings published for “{event.title}” ({run.scheduled} of "
            f"{run.meetings} accepted requests placed, {run.seconds:.1f} s); {held} held, {missed} no-show")


def mark_attendance(event, world):
    """Held when both came through the door (nearly always), else a no-show; marked by the
    administrator as each meeting ended."""
    organiser = queries.local_user_of(admin_person_uid())
    seen = checked_in_uids(event.uid)
    registrations = queries.active_registrations(event.uid)
    counts = {"held": 0, "no_show": 0}
    for meeting in queries.event_meetings(event.uid, active_only=True):
        present = all(p in registrations and registrations[p].uid in seen for p in meeting.person_uids)
        draw = world.rng("meeting", *sorted(meeting.person_uids)).random()
        status = "held" if present and draw < 0.97 else "no_show"
        mark_meeting(meeting, status, now=meeting.ends_at, by=organiser.id if organiser else None)
        counts[status] += 1
    return counts["held"], counts["no_show"]


def stage_surveys(world):
    """Our members' answers about the past event, for every stage already due."""
    event = hosted_event(PAST)
    if event is None:
        return "surveys: the past event is not here yet"
    # The stages due as of the anchor day, not the clock: the same answers for a pinned anchor, even one to come.
    made = seed_demo_responses(event, world.rng("surveys", local_cluster()), now=world.first_moment(),
                               waiting={demo_member_uid(local_cluster(), world.seed)})
    return (f"surveys: {made['post_event']} post-event and {made['six_months']} six-month answers "
            f"for “{event.title}”")
