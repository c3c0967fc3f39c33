"""The demo world: two co-hosted events with agenda, registrations, B2B meetings and survey answers.

Records have single writers (PROTOCOL.md section 5), so the world is built in stages run
on each portal in turn, each pulling from its peers before it writes (`build_steps`;
portal/demo/run.py drives them with `flask demo stage NAME --peer ...`):

  events         the lead: both events, their day from the proven formula, pitches, challenges
  registrations  every host: its own members' registrations, and the budget lines it pays
  decisions      the lead: refusals (capacity and the waiting list decide themselves on arrival)
  requests       every host: its members' meeting requests, picked from their suggestions
  replies        every host: its members' replies, and the past event's check-ins at the door
  schedule       the lead: the past event's schedule solved, published, meetings held or missed
  surveys        every host: its members' survey answers about the past event

Every stage writes through the portal's own services, draws from a seeded random.Random
(one per stage and item, so a second run draws the same), skips what already exists, and
returns one summary line. A stage that is not this portal's to run says so and writes nothing.

The events' days follow the world's anchor, the day it was first built (run.py keeps it), so
that a demo built any day looks the same: the past event six months and one to two weeks
before (its six-month survey open), the upcoming one fifteen weeks after.
"""
import functools
import importlib
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal.accounts.models import User
from portal.directory.models import Organisation, Person
from portal.events.models import Event
from portal.extensions import db
from portal.federation.records import local_cluster
from portal.surveys.schedule import add_months

LEAD = "photonics-bretagne"
CO_HOSTS = ("agrifood-ouest", "sante-atlantique")
PROFILE_OF = {"photonics-bretagne": "photonics", "agrifood-ouest": "agrifood", "sante-atlantique": "health"}
PARIS = ZoneInfo("Europe/Paris")
#: Sectors that make a listing or an organisation fit both events' theme.
THEME_SECTORS = frozenset({"agrifood", "health", "medtech"})
_NAMESPACE = uuid.UUID("5b0c1f8e-3c52-4d0e-9a57-64a3e0b1d7c2")

#: Stage name to "module:function" (imported when the stage runs).
STAGES = {
    "events": "portal.demo.world_events:stage_events",
    "registrations": "portal.demo.world_people:stage_registrations",
    "decisions": "portal.demo.world_people:stage_decisions",
    "requests": "portal.demo.world_b2b:stage_requests",
    "replies": "portal.demo.world_b2b:stage_replies",
    "schedule": "portal.demo.world_b2b:stage_schedule",
    "surveys": "portal.demo.world_b2b:stage_surveys",
}
STAGE_NAMES = tuple(STAGES)
#: Stages only the lead writes anything in (run.py runs them there alone).
LEAD_STAGES = frozenset({"events", "decisions", "schedule"})


def writers(stage, cluster_ids):
    """The portals a stage runs on, in order."""
    return [LEAD] if stage in LEAD_STAGES else list(cluster_ids)


def build_steps(cluster_ids):
    """The whole build as [(portal, peers to pull first in this order, stage or None)].

    One portal at a time, each pulling from every peer before it writes: so it sees what
    the stages before wrote, the lead receives registrations in the peers' order, and no
    pull ever reads a database that is being written. A last round of pulls spreads the
    survey answers.
    """
    steps = []
    for stage in STAGE_NAMES:
        for cluster_id in writers(stage, cluster_ids):
            steps.append((cluster_id, [c for c in cluster_ids if c != cluster_id], stage))
    return steps + [(cluster_id, [c for c in cluster_ids if c != cluster_id], None) for cluster_id in cluster_ids]


@dataclass(frozen=True)
class World:
    """The options of a build: the data seed, its size, the scheduler's time limit, and its anchor."""

    seed: int = 7
    people: int = 35  # registrations per cluster for the past event
    time_limit: float = 4.0  # seconds the B2B scheduler may take
    anchor: date = field(default_factory=date.today)  # the day the world is dated from

    def first_moment(self):
        """The start of the anchor day: what the world shows as of then is the same whenever it is built."""
        return datetime.combine(self.anchor, time(0), tzinfo=PARIS)

    def rng(self, *parts):
        """A random stream of its own for one stage and item: the same draws on every run."""
        return random.Random(":".join(str(p) for p in ("passerelle-world", self.seed, *parts)))


@dataclass(frozen=True)
class Plan:
    """One event of the world, as the lead's organisers set it up."""

    key: str
    title: str
    topic: str
    description: str
    place: Callable[[date], date]  # the event's day, from the world's anchor
    venue_name: str
    venue_address: str
    venue_city: str
    registration_open: bool
    tables: int
    need_pitches: int  # per co-host
    offer_pitches: int  # accepted
    offers_pending: int  # proposals still waiting for the organisers
    share: float  # registrations per cluster, as a share of World.people

    @property
    def uid(self):
        return str(uuid.uuid5(_NAMESPACE, f"passerelle-demo:{self.key}"))

    def day(self, world):
        return self.place(world.anchor)

    def at(self, world, hour, minute=0):
        return datetime.combine(self.day(world), time(hour, minute), tzinfo=PARIS)

    def capacity(self, world):
        """The past event was a little overbooked (a short waiting list); the next one is not yet.

        Small worlds (tests) keep room for everyone: speakers alone outnumber their share.
        """
        if world.people < 20:
            return 100
        return 3 * world.people - 5 if self.key == "past" else 120 * world.people // 35

    def values(self, world):
        at = functools.partial(self.at, world)
        return {
            "title": self.title, "topic": self.topic, "description": self.description,
            "starts_at": at(8, 45), "ends_at": at(18), "timezone": "Europe/Paris",
            "venue_name": self.venue_name, "venue_address": self.venue_address,
            "venue_city": self.venue_city, "venue_country": "FR", "co_hosts": list(CO_HOSTS),
            "registration_open": self.registration_open, "capacity": self.capacity(world),
            # The upcoming event's registration closes a week before, in the evening. (The past one's
            # registrations are written now, so a deadline would have its lead refuse them as late.)
            "registration_closes_at": (datetime.combine(self.day(world) - timedelta(days=7), time(18), tzinfo=PARIS)
                                       if self.registration_open else None),
            "b2b_enabled": True, "b2b_starts_at": at(14), "b2b_ends_at": at(17, 20),
            "b2b_slot_minutes": 20, "b2b_tables": self.tables,
        }


def thursday_before(day):
    """The Thursday on or before `day` (a believable forum day)."""
    return day - timedelta(days=(day.weekday() - 3) % 7)


def six_months_ago(anchor):
    """A Thursday six months and one to two weeks before: its six-month survey opened 8 to 17 days ago,
    so its invitations and reminders went out and it is still open (SURVEY_SEND_WINDOW_DAYS)."""
    return thursday_before(add_months(anchor - timedelta(days=8), -6))


def in_fifteen_weeks(anchor):
    """The first Thursday fifteen weeks or more after: its registration stays open for three months yet."""
    return thursday_before(anchor + timedelta(weeks=15, days=6))


PAST = Plan(
    key="past", title="Photonics for agrifood and health",
    topic="Optical sensing and imaging for food quality, farming and medical devices",
    description=(
        "Photonics Bretagne, Agrifood Ouest and Santé Atlantique Medtech bring technology "
        "providers and end users together for one day in Rennes. Special guests open the day "
        "with their challenges, end users present their needs, photonics companies their "
        "offers; the afternoon is for pre-arranged B2B meetings of twenty minutes."),
    place=six_months_ago, venue_name="Couvent des Jacobins, Rennes Métropole convention centre",
    venue_address="20 place Sainte-Anne, 35000 Rennes", venue_city="Rennes",
    registration_open=False, tables=14, need_pitches=3, offer_pitches=6, offers_pending=0, share=1.0)

UPCOMING = Plan(
    key="upcoming", title="Light for food safety and medtech",
    topic="Spectroscopy, hyperspectral imaging and photonic sensors for safe food and better care",
    description=(
        "The second technology-meets-application day of the three clusters, in Brest: "
        "contaminant detection, in-line quality control, point-of-care diagnostics and "
        "surgical imaging. Register with the B2B meetings to receive suggestions of people "
        "to meet, and request your meetings before the schedule is built."),
    place=in_fifteen_weeks, venue_name="Le Quartz, centre de congrès",
    venue_address="60 rue du Château, 29200 Brest", venue_city="Brest",
    registration_open=True, tables=12, need_pitches=3, offer_pitches=4, offers_pending=2, share=0.35)

PLANS = (PAST, UPCOMING)


def run_stage(name, world):
    """Run one stage on this portal; returns its summary line (the caller commits)."""
    module, function = STAGES[name].split(":")
    return getattr(importlib.import_module(module), function)(world)


def is_lead():
    return local_cluster() == LEAD


def hosted_event(plan):
    """The plan's event when this portal hosts it (None before the lead's records arrived)."""
    event = db.session.get(Event, plan.uid)
    return event if event is not None and local_cluster() in event.hosts else None


def local_members():
    """[(person, organisation)] of this portal's members who share their profile, by uid."""
    rows = db.session.execute(
        select(Person, Organisation).join(User, User.person_uid == Person.uid)
        .join(Organisation, Organisation.uid == Person.organisation_uid)
        .where(Person.origin == local_cluster(), Person.share_profile.is_(True), User.status == "active",
               User.role == "member").order_by(Person.uid)).all()
    return [tuple(row) for row in rows]


def admin_person_uid():
    """The person of this portal's demo administrator (an organiser of the events)."""
    return db.session.scalar(select(User.person_uid).where(User.role == "admin", User.status == "active",
                                                           User.person_uid.is_not(None)).order_by(User.id))


@functools.lru_cache(maxsize=None)
def demo_member_uid(cluster_id, seed):
    """The person uid of a portal's demo member (`generate.demo_member`: uids are seeded)."""
    from portal.demo.generate import demo_member

    return demo_member(PROFILE_OF[cluster_id], seed)["uid"]


def weighted_sample(rng, items, weights, count):
    """`count` items without replacement, heavier ones likelier (Efraimidis-Spirakis keys)."""
    keyed = sorted(zip(items, weights), key=lambda pair: -rng.random() ** (1.0 / pair[1]))
    return [item for item, _weight in keyed[:count]]


def b2b_window(rng, event):
    """A believable availability window: mostly the whole block, else its first or last part."""
    start, end = event.b2b_starts_at, event.b2b_ends_at
    draw = rng.random()
    if draw < 0.6:
        return None, None
    if draw < 0.75:
        return start, start + timedelta(hours=2)
    if draw < 0.9:
        return start + timedelta(hours=1), end
    return start + timedelta(minutes=40), end - timedelta(minutes=40)


#: A search the directory corrects ("hyperspectral imaging"): nothing is spelt so.
MISSPELT_SEARCH = "hyperspectal imaging"


def welcome_paths(url_map):
    """What to try first: [(who, what, path, lead_only)], the paths built from the portal's URL map;
    `lead_only` pages (the organisers' side of the co-hosted events) answer on the lead alone."""
    adapter = url_map.bind("127.0.0.1")
    everywhere = [
        ("anyone", "the directory's live search, as you type",
         adapter.build("directory.search", {"q": "hyperspectral"})),
        ("anyone", "a search with a typing error, and the correction it offers",
         adapter.build("directory.search", {"q": MISSPELT_SEARCH})),
        ("anyone", "the upcoming event: agenda, special guests, registration",
         adapter.build("events.show", {"uid": UPCOMING.uid})),
        ("member", "your B2B requests (one waits for your answer) and suggestions",
         adapter.build("meetings.dashboard", {"event_uid": UPCOMING.uid})),
        ("administrator", "the impact dashboard of the past event",
         adapter.build("impact.event_dashboard", {"event_uid": PAST.uid})),
        ("member", "the home page once logged in: your events, what waits for your answer, surveys to answer",
         adapter.build("main.home")),
        ("administrator", "two people who signed up this week, waiting for your approval",
         adapter.build("accounts.admin_members", {"status": "pending"})),
    ]
    lead = [
        ("administrator", "the B2B organiser's page of the upcoming event: run the scheduler, publish, move a meeting",
         adapter.build("meeting_admin.overview", {"event_uid": UPCOMING.uid})),
    ]
    return [(*entry, False) for entry in everywhere] + [(*entry, True) for entry in lead]
