"""The demo world across three real portals: every stage through the services, synced between, idempotent."""
import re
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

import requests
from markupsafe import escape
from sqlalchemy import func, select

from portal.config import SURVEY_REMINDER_DAYS, SURVEY_SEND_WINDOW_DAYS
from portal.demo.world import PARIS, PAST, UPCOMING, World
from portal.surveys.schedule import due_at, stage_states
from tests.portals import DEMO_CLUSTERS, DEMO_PASSWORD, build_world

THURSDAY = 3


def test_the_events_are_dated_from_the_anchor_whatever_the_day():
    """On Thursdays: the past one's six-month survey open for a week or more (the post-event one closed),
    the next one fifteen weeks ahead and open for registration until a week before."""
    for anchor in (date(2026, 12, 2) + timedelta(days=n) for n in range(4 * 366)):
        world = World(anchor=anchor)
        past, upcoming = PAST.values(world), UPCOMING.values(world)
        built = world.first_moment()  # and until the end of the day, whenever the world is built
        for moment in (built, built + timedelta(hours=23, minutes=59)):
            assert stage_states(past["ends_at"], moment, SURVEY_SEND_WINDOW_DAYS, PARIS) == {
                "post_event": "closed", "six_months": "open"}, anchor
        reminded = due_at(past["ends_at"], "six_months", PARIS) + timedelta(days=SURVEY_REMINDER_DAYS)
        assert reminded <= built, anchor  # as in the demo's survey answers: the reminders went out
        assert timedelta(weeks=15) <= upcoming["starts_at"] - built < timedelta(weeks=16), anchor
        assert upcoming["registration_closes_at"] == datetime.combine(
            UPCOMING.day(world) - timedelta(days=7), time(18), tzinfo=PARIS)
        for values in (past, upcoming):
            assert values["starts_at"].weekday() == THURSDAY, anchor
            assert (values["b2b_starts_at"].time(), values["b2b_ends_at"].time()) == (time(14), time(17, 20))


def test_the_anchor_of_2_december_2026_gives_the_demo_its_first_dates():
    world = World(anchor=date(2026, 12, 2))
    assert (PAST.day(world), UPCOMING.day(world)) == (date(2026, 5, 21), date(2027, 3, 18))


def state(portal):
    """What a stage could change on a portal: its feed counter and its local (unfederated) rows."""
    from portal.events.local_models import EventChallenge, EventCost, PitchProposal
    from portal.events.registration_models import CheckIn
    from portal.federation.models import Counter
    from portal.meetings.models import ScheduleRun
    from portal.surveys.models import SurveyInvite

    with portal.context() as session:
        counts = {model.__name__: session.scalar(select(func.count()).select_from(model))
                  for model in (EventChallenge, EventCost, PitchProposal, CheckIn, ScheduleRun, SurveyInvite)}
        counts["feed"] = session.scalar(select(Counter.value).where(Counter.name == "feed"))
        return counts


def test_three_portals_show_the_whole_product_and_stages_are_idempotent(demo_portals, demo_world):
    from portal.events.models import Event
    from portal.events.registration_models import Registration
    from portal.accounts.models import User
    from portal.federation.models import Quarantine
    from portal.directory.models import Person
    from portal.meetings.models import Meeting, ScheduleRun
    from portal.surveys.models import SurveyResponse

    lines = []
    build_world(demo_portals, demo_world, lines)
    assert len(lines) == 15 and all(line for _, line in lines)

    with demo_portals["photonics-bretagne"].context() as session:
        clusters = set(session.scalars(select(Registration.origin).where(Registration.event_uid == PAST.uid)))
        assert clusters == set(DEMO_CLUSTERS)
        statuses = set(session.scalars(select(Meeting.status).where(Meeting.event_uid == PAST.uid)))
        assert statuses and statuses <= {"held", "no_show"} and "held" in statuses
        day = datetime.combine(demo_world.anchor, time(0), PARIS)
        joined = session.scalars(select(User.created_at).where(User.status == "active")).all()
        assert len({moment.date() for moment in joined}) > len(joined) / 2  # over the years before, not today
        assert max(joined) < day - timedelta(days=10)
        waiting = session.scalars(select(User.created_at).where(User.status == "pending")).all()
        assert len(waiting) == 2 and all(day - timedelta(days=3) < moment < day for moment in waiting)
        chosen = session.scalars(select(Person.consent_changed_at).join(User, User.person_uid == Person.uid)
                                 .where(Person.consent_changed_at.is_not(None))).all()
        assert chosen and max(chosen) <= max(joined)  # their choice to share, made when they joined
        run = session.scalars(select(ScheduleRun).where(ScheduleRun.event_uid == PAST.uid)).one()
        starts_at = PAST.values(demo_world)["starts_at"]
        assert run.started_at == run.published_at == starts_at - timedelta(days=7)  # as it was then
        assert run.started_at <= run.finished_at < starts_at
        origins = set(session.scalars(select(SurveyResponse.origin).where(SurveyResponse.event_uid == PAST.uid)))
        assert origins == set(DEMO_CLUSTERS)
        stages = set(session.scalars(select(SurveyResponse.stage).where(SurveyResponse.event_uid == PAST.uid)))
        assert stages == {"post_event", "six_months"}

    for cluster_id, portal in demo_portals.items():
        with portal.context() as session:
            refused = session.scalars(select(Quarantine.reason)).all()
            assert refused == [], (cluster_id, refused)  # every portal took every change of the others
            upcoming = session.get(Event, UPCOMING.uid)
            assert upcoming is not None and upcoming.registration_open and len(upcoming.items) >= 8
            assert upcoming.starts_at == UPCOMING.values(demo_world)["starts_at"]  # dated from today
            assert session.get(Event, PAST.uid).starts_at == PAST.values(demo_world)["starts_at"]
            if cluster_id == "photonics-bretagne":  # the lead's own deadline, a week before
                assert upcoming.registration_closes_at == UPCOMING.values(demo_world)["registration_closes_at"]
            assert_demo_member_has_b2b_to_do(session)

    # The welcome's survey link: a participant who has not answered opens their survey, no log-in.
    name, link = demo_portals["photonics-bretagne"].flask("demo", "survey-link").stdout.strip().split("\t")
    assert name == "Anaïs Bonnet"  # the demo member, who has not answered in this world
    assert link.startswith(demo_portals["photonics-bretagne"].url + f"/surveys/{PAST.uid}/six_months/")
    survey = requests.get(link, timeout=10)
    assert survey.status_code == 200 and "contact made at the event lead to something?" in survey.text

    assert_welcome_pages_answer(demo_portals)

    before = {cluster_id: state(portal) for cluster_id, portal in demo_portals.items()}
    build_world(demo_portals, demo_world)
    assert {cluster_id: state(portal) for cluster_id, portal in demo_portals.items()} == before


def assert_welcome_pages_answer(demo_portals):
    """Each page the demo's welcome names answers on every portal (the organisers' pages on the lead),
    for the one it names, logged in through the log-in form; the administrator's members waiting for
    approval are there."""
    from portal.accounts.models import User
    from portal.demo.load import WAITING
    from portal.demo.world import LEAD, MISSPELT_SEARCH, PROFILE_OF, demo_member_uid, welcome_paths

    for cluster_id, portal in demo_portals.items():
        with portal.context() as session:
            accounts = {"administrator": session.scalars(select(User.email).where(User.role == "admin")).first(),
                        "member": session.scalars(select(User.email).where(
                            User.person_uid == demo_member_uid(cluster_id, 7))).one()}
        for who, _what, path, lead_only in welcome_paths(portal.app().url_map):
            if lead_only and cluster_id != LEAD:
                continue
            browser = requests.Session()
            browser.headers["Accept-Language"] = "en"
            if who in accounts:
                form = browser.get(portal.url + "/login", timeout=10).text
                token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
                browser.post(portal.url + "/login", timeout=10, data={
                    "csrf_token": token, "email": accounts[who], "password": DEMO_PASSWORD})
            page = browser.get(portal.url + path, timeout=10, allow_redirects=False)
            assert page.status_code == 200, (cluster_id, who, path, page.headers.get("Location"))
            if path.endswith(urlencode({"q": MISSPELT_SEARCH})):
                assert 'class="suggestion">hyperspectral imaging</a>' in page.text, cluster_id
            if lead_only:  # the upcoming event's accepted requests wait for their first run
                assert "Run the scheduler</button>" in page.text, path
            if "status=pending" in path:
                assert all(escape(name) in page.text for name, *_ in WAITING[PROFILE_OF[cluster_id]]), cluster_id


def assert_demo_member_has_b2b_to_do(session):
    """Registered with B2B for the upcoming event, a request waiting for them, and suggestions."""
    from portal.demo.world_people import demo_member
    from portal.events.models import Event
    from portal.meetings import queries
    from portal.meetings.pages import suggestions_for

    member = demo_member()
    assert member in queries.active_registrations(UPCOMING.uid)
    received, _sent = queries.requests_for(UPCOMING.uid, member)
    assert any(r.state == "pending" for r in received)
    ranked, me, _why = suggestions_for(session.get(Event, UPCOMING.uid), member, include_met=False)
    assert me is not None and ranked


def test_demo_member_uid_is_the_member_demo_accounts_logs_in_with():
    from portal.demo.generate import demo_accounts, generate
    from portal.demo.world import PROFILE_OF, demo_member_uid

    for cluster_id, profile in PROFILE_OF.items():
        email = demo_accounts(profile, 7)["member_email"]
        person = next(p for p in generate(profile, 7)["people"] if p["uid"] == demo_member_uid(cluster_id, 7))
        assert person["email"] == email
