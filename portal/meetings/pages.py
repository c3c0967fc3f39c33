"""What the meetings views share: guards, page contexts, and the template filters."""
from datetime import timedelta

from flask import abort, current_app, flash, g, make_response, redirect, render_template, url_for
from flask_babel import format_timedelta, gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal.directory import vocabulary
from portal.events.models import Event, as_utc
from portal.events.registration_models import Registration
from portal.events.queries import cluster_names, hidden_draft
from portal.extensions import db
from portal.forms import options
from portal.federation.records import local_cluster, utcnow
from portal.htmx import is_htmx
from portal.matchmaking.suggestions import explain, suggest, why_none
from portal.i18n import percent
from portal.meetings import queries, services
from portal.meetings.forms import ActionForm, ReplyForm, RequestForm
from portal.meetings.models import MeetingRequest
from portal.meetings.times import event_time

STATE_LABELS = {"pending": _l("Waiting for an answer"), "accepted": _l("Accepted"),
                "declined": _l("Declined"), "withdrawn": _l("Withdrawn"), "expired": _l("Expired"),
                "closed": _l("Closed")}


def request_state_label(state, incoming=False):
    """A request's state for one side of it: a pending request received waits for *your* answer."""
    return _l("Waiting for your answer") if incoming and state == "pending" else STATE_LABELS.get(state, state)


MEETING_LABELS = {"scheduled": _l("Scheduled"), "cancelled": _l("Cancelled"), "held": _l("Held"),
                  "no_show": _l("No-show")}
#: Why the lead cancelled a meeting (Meeting.cancel_reason), as its organisers read it.
CANCEL_REASONS = {"organiser": _l("by an organiser"), "withdrawn": _l("the request was withdrawn"),
                  "event": _l("the event is cancelled"), "left": _l("a participant left the B2B meetings"),
                  "schedule": _l("no longer in the schedule")}
KIND_LABELS = {"offer": _l("offer"), "need": _l("need")}
RUN_LABELS = {"running": _l("Running"), "done": _l("Done"), "failed": _l("Failed"), "published": _l("Published")}
PHASE_LABELS = {"greedy": _l("First draft"), "schedule": _l("Most meetings"), "moves": _l("Fewest moves"),
                "breaks": _l("Fewest breaks"), "fairness": _l("Fair breaks"),
                # a finished run's outcome
                "optimal": _l("Proved optimal"), "feasible": _l("The best found in the time limit"),
                "infeasible": _l("No schedule")}


def register_filters(bp):
    bp.add_app_template_filter(request_state_label, "meeting_request_state")
    bp.add_app_template_filter(lambda status: MEETING_LABELS.get(status, status), "meeting_status")
    bp.add_app_template_filter(lambda reason: CANCEL_REASONS.get(reason, ""), "meeting_cancel_reason")
    bp.add_app_template_filter(lambda status: RUN_LABELS.get(status, status), "meeting_run_status")
    bp.add_app_template_filter(lambda phase: PHASE_LABELS.get(phase, phase), "meeting_run_phase")
    bp.add_app_template_filter(percent, "meeting_percent")
    bp.add_app_template_global(event_time, "meeting_time")
    bp.add_app_template_global(reason_text, "meeting_reason")
    bp.add_app_template_global(can_request_meeting, "can_request_meeting")
    bp.add_app_template_global(b2b_events_with, "b2b_events_with")
    bp.add_app_template_global(request_state, "meeting_request_state_of")
    bp.add_app_template_global(closed_note, "meeting_closed_note")
    bp.add_app_template_global(deadline_note, "meeting_deadline_note")



def reason_text(reason):
    """Why a suggestion: "your need X and their offer Y share: a, b", translated."""
    return explain(reason, _("your {my_kind} “{mine}” and their {their_kind} “{theirs}” share: {terms}"),
                   {k: str(v) for k, v in KIND_LABELS.items()})


def can_request_meeting(person_uid, event_uid):
    """Whether to show "request a meeting": both take part in the event's B2B (the view still checks)."""
    if not (current_user.is_authenticated and current_user.can_publish and person_uid and event_uid):
        return False
    if person_uid == current_user.person_uid:
        return False
    event = db.session.get(Event, event_uid)  # the identity map's, after the first card
    if event is None or event.over:
        return False
    taking_part = _taking_part(event_uid)
    return person_uid in taking_part and current_user.person_uid in taking_part


def b2b_events_with(person_uid):
    """The coming events whose B2B meetings both the visitor and `person_uid` take part in, at
    this portal: where a listing's contact or a profile offers "request a meeting"."""
    if not (current_user.is_authenticated and current_user.can_publish and person_uid):
        return []
    mine = select(Registration.event_uid).where(Registration.person_uid == current_user.person_uid,
                                                Registration.status == "registered", Registration.b2b.is_(True))
    events = db.session.scalars(select(Event).where(
        Event.uid.in_(mine), Event.b2b_enabled.is_(True), Event.status != "cancelled", Event.ends_at > utcnow())
        .order_by(Event.starts_at)).all()
    return [event for event in events if can_request_meeting(person_uid, event.uid)]


def _taking_part(event_uid):
    """The B2B participants of an event this portal hosts, once per request."""
    known = g.setdefault("b2b_participants", {})
    if event_uid not in known:
        event = db.session.get(Event, event_uid)
        hosted = event is not None and event.b2b_enabled and local_cluster() in event.hosts
        known[event_uid] = set(queries.active_registrations(event_uid)) if hosted else set()
    return known[event_uid]


def request_state(meeting_request):
    """A request's state as people see it: "closed" once either side left the B2B meetings."""
    return queries.request_state(meeting_request, _taking_part(meeting_request.event_uid))


def closed_note(meeting_request, person_uid):
    """Why a closed request is closed, for one side of it: they left, or the other did."""
    if person_uid not in _taking_part(meeting_request.event_uid):
        return _("Closed: you no longer take part in the B2B meetings of this event.")
    return _("Closed: someone in this request no longer takes part in the B2B meetings of this event.")


def deadline_note(meeting_request, incoming, now=None):
    """When a request waiting for an answer was sent and when it expires without one, as the
    expiry job counts (a peer's request from its arrival here, as its reminder is)."""
    now = now or utcnow()
    sent = as_utc(meeting_request.created_at)
    left = sent + timedelta(hours=current_app.config["MEETING_REQUEST_TTL_HOURS"]) - now
    # Whole units only past one of them: "in 22 hours", not "in 1 day".
    ago = format_timedelta(sent - now, threshold=1, add_direction=True)
    if left <= timedelta(0):
        return _("Sent %(ago)s; it expires at any moment without an answer.", ago=ago)
    within = format_timedelta(left, threshold=1, add_direction=True)
    if incoming:
        return _("Sent %(ago)s; without your answer, it expires %(within)s.", ago=ago, within=within)
    return _("Sent %(ago)s; without an answer, it expires %(within)s.", ago=ago, within=within)


def get_event_or_404(event_uid):
    """An event with B2B meetings that this portal hosts (not a draft, but to our organisers)."""
    event = db.session.get(Event, event_uid)
    if event is None or hidden_draft(event) or not event.b2b_enabled or local_cluster() not in event.hosts:
        abort(404)
    return event


def my_person_uid():
    if not current_user.person_uid:
        abort(403)
    return current_user.person_uid


def get_request_or_404(request_uid):
    """A request the current user is part of (someone else's is not found)."""
    found = db.session.get(MeetingRequest, request_uid)
    if found is None or my_person_uid() not in (found.from_person_uid, found.to_person_uid):
        abort(404)
    return found


def my_context(event):
    """Whether I take part, and my request with each person, for the request buttons."""
    me = current_user.person_uid
    received, sent = queries.requests_for(event.uid, me) if me else ([], [])
    with_people = {r.other_person_uid(me): r for r in received + sent if r.status == "open"}
    i_take_part = me in queries.active_registrations(event.uid)
    return {"my_uid": me, "i_take_part": i_take_part, "requests_with": with_people,
            "i_wait": bool(me) and not i_take_part and queries.waitlisted(event.uid, me)}


def request_form_context(event, other):
    """The request page: why it may not be sent (then no form), and what the other will see of me."""
    me = current_user.person_uid
    try:
        services.check_request(event, me, other.uid)
    except services.MeetingError as refused:
        refusal = str(refused)
    else:
        refusal = None
    mine = queries.people([me]).get(me)
    # A profile not shared stays here: a member of another portal sees only "a participant".
    unshared = mine is not None and not mine.share_profile and other.cluster != local_cluster()
    return {"event": event, "other": other, "refusal": refusal, "form": None if refusal else RequestForm(),
            "existing": queries.request_between(event.uid, me, other.uid), "unshared": unshared}


def catalogue_choices(form, event, found):
    names = cluster_names()
    form.cluster.choices = options([("", _("Every cluster"))] + [(c, names.get(c, c)) for c in event.hosts])
    sectors = sorted({s for p in found for s in p.sectors})
    form.sector.choices = options([("", _("Every sector"))] + [(s, vocabulary.label("sectors", s)) for s in sectors])


def as_plain(participant):
    """A participant as the pure suggestion module wants it."""
    listings = [{"id": x.uid, "kind": x.kind, "title": x.title, "summary": x.summary,
                 "description": x.description, "keywords": list(x.keywords or []),
                 "sectors": list(x.sectors or [])} for x in participant.offers + participant.needs]
    return {"id": participant.uid, "organisation_id": participant.person.organisation_uid,
            "sectors": participant.sectors, "listings": listings}


def suggestions_for(event, person_uid, include_met):
    """(ranked [(suggestion, participant)], my participant or None, why there are none or None)."""
    found = queries.participants(event.uid)
    by_uid = {p.uid: p for p in found}
    me = by_uid.get(person_uid)
    if me is None:
        return [], None, None
    met = queries.met_before(person_uid, event)
    mine, plain = as_plain(me), [as_plain(p) for p in found]
    ranked = suggest(mine, plain, met=met, include_met=include_met)
    none_because = None if ranked else why_none(mine, plain, met=met, include_met=include_met)
    return [(s, by_uid[s.person_id]) for s in ranked], me, none_because


def requests_context(event, person_uid):
    received, sent = queries.requests_for(event.uid, person_uid)
    rows = received + sent
    return {"received": received, "sent": sent, "counters": queries.counters(event.uid, person_uid, (received, sent)),
            "people": queries.people(r.other_person_uid(person_uid) for r in rows),
            "starred": queries.starred_uids(person_uid, [r.uid for r in rows]),
            "my_uid": person_uid, "action_form": ActionForm(), "reply_form": ReplyForm()}


def done_message(meeting_request, me, done, people):
    """What the row says was done ("You accepted the request from Anne."), or None."""
    other = people.get(meeting_request.other_person_uid(me))
    who = other.display_name if other else _("this participant")
    texts = {"accepted": lambda: _("You accepted the request from %(who)s.", who=who),
             "declined": lambda: _("You declined the request from %(who)s.", who=who),
             "withdrawn": lambda: _("You withdrew your request to %(who)s.", who=who)}
    return texts[done]() if done in texts else None


def row_response(meeting_request, error, done=None):
    """The request's row after an action (htmx), with the counters swapped out of band; `done`
    ("accepted", "declined", "withdrawn") has the row say what was done. Without htmx, the
    dashboard again, the same words flashed on it."""
    db.session.expire_all()
    meeting_request = db.session.get(MeetingRequest, meeting_request.uid)
    me = current_user.person_uid
    people = queries.people([meeting_request.other_person_uid(me)])
    done = None if error else done_message(meeting_request, me, done, people)
    if not is_htmx():
        if error or done:
            flash(error or done, "error" if error else "success")
        return redirect(url_for("meetings.dashboard", event_uid=meeting_request.event_uid))
    context = {"r": meeting_request, "my_uid": me, "error": error, "done": done, "people": people,
               "starred": queries.starred_uids(me, [meeting_request.uid]),
               "action_form": ActionForm(), "reply_form": ReplyForm(),
               "counters": queries.counters(meeting_request.event_uid, me),
               "event": meeting_request.event, "oob": True}
    body = render_template("meetings/_request_row.html", **context)
    body += render_template("meetings/_counters.html", **context)
    response = make_response(body, 422 if error else 200)
    response.vary.add("HX-Request")
    return response


def my_events(person_uid):
    """[(event, taking part in its B2B, counters, waitlisted)] for the B2B events this portal hosts:
    those to come or under way first, soonest first, then the past ones, latest first."""
    cluster = local_cluster()
    now = utcnow()
    events = queries.b2b_events()  # latest first
    coming = sorted((e for e in events if as_utc(e.ends_at) > now), key=lambda e: e.starts_at)
    listed = [e for e in coming + [e for e in events if as_utc(e.ends_at) <= now] if cluster in e.hosts]
    standings = queries.b2b_standings(person_uid, [e.uid for e in listed]) if person_uid else {}
    counters = queries.counters_at([uid for uid, standing in standings.items() if standing == "taking_part"],
                                   person_uid)
    return [(event, standings.get(event.uid) == "taking_part", counters.get(event.uid),
             standings.get(event.uid) == "waitlisted") for event in listed]


def events_of(meetings):
    uids = {m.event_uid for m in meetings}
    return {e.uid: e for e in db.session.scalars(select(Event).where(Event.uid.in_(uids)))} if uids else {}
