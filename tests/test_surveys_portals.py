"""Surveys across two real portals: each home portal mails and collects its members' answers.

Both hosts end up with both responses, their own in detail and the other's only summed.
"""
import re

import pytest
import requests
from sqlalchemy import select

from tests.portals import peer, sync
from tests.test_meetings_portals import lead_event, member, register

pytestmark = pytest.mark.slow

AFTER = "2049-03-18T17:00:00+00:00"  # the event ends at 17:00 Paris (16:00 UTC)


def mailed_link(portal, email):
    from portal.mail.models import OutboxMessage

    with portal.context() as session:
        body = session.scalars(select(OutboxMessage.body).where(
            OutboxMessage.to == email, OutboxMessage.dedupe_key.startswith("survey:"))).one()
    return re.search(rf"({re.escape(portal.url)}/surveys/\S+)", body).group(1)


def answer(link, satisfaction, next_step):
    """Answer as a participant would, in their browser: no account, the session's CSRF token."""
    browser = requests.Session()
    page = browser.get(link, timeout=10)
    assert page.status_code == 200
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    key = re.search(r'name="meeting\.([0-9a-f]+)\.useful"', page.text).group(1)
    done = browser.post(link, timeout=10, allow_redirects=False, data={
        "csrf_token": csrf, "satisfaction": str(satisfaction), "come_again": "yes",
        f"meeting.{key}.useful": "yes", f"meeting.{key}.next_step": next_step})
    assert done.status_code == 302, done.text


def seen_by(portal):
    """(origin, satisfaction) of every response the portal holds, and the members it details."""
    from portal.events.models import Event
    from portal.impact import dashboard, queries
    from portal.surveys.models import SurveyResponse

    with portal.context() as session:
        rows = sorted((r.origin, r.answers["satisfaction"]) for r in session.scalars(select(SurveyResponse)))
        event = session.scalars(select(Event)).one()
        own = dashboard.answers_table(queries.own_answers(event.uid), {}, lambda uid: {}, "post_event")
        detailed = [row["member"] for row in own.rows]
        facts = queries.event_facts(event)
        rates = {r["cluster"]: r["post_event_rate"] for r in dashboard.response_table(facts, {}).rows}
        return rows, detailed, rates, dashboard.outcomes_table(facts.responses).rows


def test_each_home_portal_asks_its_members_and_both_hosts_see_both(portals):
    from portal.events.models import Event
    from portal.meetings.models import Meeting

    a, b = portals("photonics", "agrifood", config={"MAIL_BACKGROUND": False})
    peer(a, b)
    anne, bruno = member(a, "Anne", "anne@photonics.example"), member(b, "Bruno", "bruno@agrifood.example")
    event_uid = lead_event(a, "agrifood")
    register(a, event_uid, anne)
    sync(b)
    register(b, event_uid, bruno)
    sync(a), sync(b)  # the lead confirms Bruno; B learns it
    with a.context() as session:  # the lead writes the meeting they held
        event = session.get(Event, event_uid)
        session.add(Meeting(event_uid=event_uid, request_uid="00000000-0000-4000-8000-000000000001",
                            person_uids=[anne, bruno], starts_at=event.b2b_starts_at, ends_at=event.b2b_ends_at,
                            table="1", status="held"))
        session.commit()
    sync(b)

    for portal in (a, b):
        sent = portal.flask("surveys", "send-due", "--now", AFTER, "--no-deliver")
        assert "1 invitation(s) and 0 reminder(s) queued." in sent.stdout  # its own member only
    answer(mailed_link(a, "anne@photonics.example"), 5, "nda")
    answer(mailed_link(b, "bruno@agrifood.example"), 3, "quote")
    sync(a), sync(b)

    rows, detailed, rates, outcomes = seen_by(a)
    assert rows == [("agrifood", 3), ("photonics", 5)]
    assert detailed == ["Anne"]  # Bruno's answers: summed only
    assert rates == {"photonics": 1.0, "agrifood": 1.0}
    planned = {r["type"]: r["planned"] for r in outcomes}
    assert planned["A non-disclosure agreement"] == 1 and planned["A quote"] == 1
    rows, detailed, rates, _outcomes = seen_by(b)
    assert rows == [("agrifood", 3), ("photonics", 5)]
    assert detailed == ["Bruno"]

    again = b.flask("surveys", "send-due", "--now", AFTER, "--no-deliver")
    assert "0 invitation(s)" in again.stdout  # nobody is asked twice
