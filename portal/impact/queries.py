"""Impact reads: the facts of one event (attendance, B2B funnel, survey answers, budget), and the events of a year.

Everything here is what this portal holds as a host: every host's registrations, meetings
and survey responses (event-scoped records reach all hosts), and its own budget lines.
"""
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from portal.directory.models import Person
from portal.events.budget import totals as budget_totals
from portal.events.constants import DRAFT
from portal.events.models import Event
from portal.events.queries import attendees_of, is_host
from portal.extensions import db
from portal.federation.records import local_cluster, utcnow
from portal.impact.aggregate import Answered, pooled
from portal.meetings.funnels import funnels_of
from portal.surveys import queries as survey_queries
from portal.surveys.models import SurveyInvite
from portal.surveys.schedule import stage_states


@dataclass
class Attendance:
    """Confirmed registrations and check-ins of one group."""

    confirmed: int = 0
    checked_in: int = 0


@dataclass
class EventFacts:
    event: Event
    by_cluster: dict = field(default_factory=dict)  # cluster id -> Attendance
    by_kind: dict = field(default_factory=dict)  # organisation kind ("unknown" when not shared) -> Attendance
    by_role: dict = field(default_factory=dict)
    funnel: dict = field(default_factory=dict)  # meetings.funnels.funnel of the whole event
    funnel_by_cluster: dict = field(default_factory=dict)  # requester's cluster -> funnel
    responses: list = field(default_factory=list)  # [Answered], every host's
    pooled: list = field(default_factory=list)  # [Answered] that figures may sum (aggregate.pooled)
    left_out: int = 0  # answers of other clusters too few to sum without pointing at people
    stages: dict = field(default_factory=dict)  # stage -> upcoming | open | closed
    surveyed: dict = field(default_factory=dict)  # cluster id -> members its surveys ask (who_came)
    cost_cents: int = 0
    ended: bool = True  # the event has taken place (its end is past)

    @property
    def confirmed(self):
        return sum(a.confirmed for a in self.by_cluster.values())

    @property
    def checked_in(self):
        return sum(a.checked_in for a in self.by_cluster.values())

    def started(self, stage):
        """The stage is due here, or answers came already (a peer's clock may run ahead of ours)."""
        return self.stages.get(stage) != "upcoming" or any(r.stage == stage for r in self.responses)

    @property
    def participants(self):
        """Who the cost is shared by: those checked in, or the confirmed when nobody was checked in."""
        return self.checked_in or self.confirmed


def _count(groups, key, checked_in):
    row = groups.setdefault(key, Attendance())
    row.confirmed += 1
    row.checked_in += int(bool(checked_in))


def event_facts(event, now=None):
    return events_facts([event], now)[0]


def events_facts(events, now=None):
    """The facts of each of `events`, in their order: each kind of record is read once for all
    of them, so a year's pages send as many statements for twenty events as for one."""
    if not events:
        return []
    now = now or utcnow()
    uids = [e.uid for e in events]
    everyone, ours = attendees_of(uids), survey_queries.participants_of(uids)
    responses, costs = survey_queries.responses_of(uids), budget_totals(uids)
    all_facts = [_facts(event, everyone[event.uid], len(ours[event.uid]), now) for event in events]
    funnels = funnels_of({f.event.uid: f.by_cluster for f in all_facts}, now)
    minimum = current_app.config["SURVEY_MIN_GROUP"]
    for facts in all_facts:
        uid = facts.event.uid
        facts.funnel, facts.funnel_by_cluster = funnels[uid]
        facts.responses = [Answered(r.origin, r.stage, dict(r.answers or {})) for r in responses[uid]]
        facts.pooled, facts.left_out = pooled(facts.responses, local_cluster(), minimum)
        facts.cost_cents = costs[uid]
    return all_facts


def _facts(event, everyone, our_participants, now):
    """An event's attendance, whom each cluster's survey asks, and its survey stages."""
    facts = EventFacts(event, ended=event.ends_at <= now)
    members = {}
    for a in everyone:
        if not a.registration.active or a.decision is None or a.decision.status != "confirmed":
            continue
        members.setdefault(a.cluster, []).append(a)
        _count(facts.by_cluster, a.cluster, a.checked_in)
        _count(facts.by_kind, a.organisation.kind if a.organisation else "unknown", a.checked_in)
        _count(facts.by_role, a.registration.role, a.checked_in)
    for cluster in event.hosts:
        facts.by_cluster.setdefault(cluster, Attendance())
    facts.surveyed = {c: our_participants if c == local_cluster() else surveyed(members.get(c, []))
                      for c in facts.by_cluster}
    facts.stages = stage_states(event.ends_at, now, current_app.config["SURVEY_SEND_WINDOW_DAYS"], event.zone)
    return facts


def surveyed(confirmed):
    """How many people another cluster's survey asks, from its `confirmed` attendees: all but its
    organisers (ours asks exactly `survey_queries.participants`, which also leaves out the members
    who have no account here, or a disabled one)."""
    return len(survey_queries.who_came([a for a in confirmed if a.registration.role != "organiser"],
                                       lambda a: a.registration.checked_in))


def hosted_events(year=None):
    """Events this portal leads or co-hosts, published and not cancelled, oldest first; those starting in
    `year` if given."""
    events = db.session.scalars(select(Event).where(Event.status.not_in(("cancelled", DRAFT)))
                                .order_by(Event.starts_at)).all()
    return [e for e in events if is_host(e) and (year is None or e.starts_at.astimezone(e.zone).year == year)]


def event_years():
    return sorted({e.starts_at.astimezone(e.zone).year for e in hosted_events()}, reverse=True)


def latest_held_year(now):
    """The latest year with an event of ours that has ended by `now`, or None."""
    return max((e.starts_at.astimezone(e.zone).year for e in hosted_events() if e.ends_at <= now), default=None)


def own_answers(event_uid):
    """Our members' responses with who gave them (the link stays on this portal): [(Person|None, SurveyResponse)]."""
    rows = survey_queries.responses(event_uid, origin=local_cluster())
    invites = {i.response_uid: i.person_uid for i in db.session.scalars(select(SurveyInvite).where(
        SurveyInvite.event_uid == event_uid, SurveyInvite.response_uid.is_not(None)))}
    people = {p.uid: p for p in db.session.scalars(select(Person).where(Person.uid.in_(set(invites.values()))))}
    return [(people.get(invites.get(r.uid)), r) for r in rows]
