"""A registration deadline, from the lead's organisers to its pages and its co-hosts.

Set by the lead's organisers, kept by the lead's pages and decisions, told to the co-hosts as
`registration_open` false when it passes.
"""
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.events.models import Event
from portal.events.registration_models import Registration
from portal.events.registrations import reconsider
from portal.events.services import close_due_registrations
from portal.extensions import db
from portal.federation import feed
from portal.federation.records import utcnow

PARIS = ZoneInfo("Europe/Paris")
HTMX = {"HX-Request": "true"}
EVENT_FORM = {"title": "Photonics meets agrifood", "timezone": "Europe/Paris", "starts_at": "2049-03-18T09:00",
              "ends_at": "2049-03-18T17:00", "capacity": "50", "registration_open": "y", "b2b_slot_minutes": "20",
              "b2b_tables": "10"}


@pytest.fixture
def organiser(login, make_user):
    return login(make_user(role="admin"))


def past_deadline(event):
    """The deadline passed a minute ago, and nothing has closed the event yet (the timer's round
    is still to come)."""
    event.registration_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert event.registration_open
    return event


def event_changes(event, since):
    return [c for c in feed.changes("host-b", since, 1000)["changes"] if c["uid"] == event.uid]


def test_the_organiser_sets_the_deadline_in_the_events_zone_and_sees_it(client, organiser, make_event):
    event = make_event()
    response = client.post(f"/admin/events/{event.uid}/edit",
                           data=dict(EVENT_FORM, registration_closes_at="2049-03-11T18:00"))
    assert response.status_code == 303
    db.session.refresh(event)
    assert event.registration_closes_at == datetime(2049, 3, 11, 18, tzinfo=PARIS) and event.registration_open
    form = client.get(f"/admin/events/{event.uid}/edit").text
    assert 'name="registration_closes_at"' in form and 'value="2049-03-11T18:00"' in form
    overview = client.get(f"/admin/events/{event.uid}").text
    assert "Registration is open." in overview
    assert "Registration closes on Thursday, 11 March 2049, 18:00 (CET, Europe/Paris)." in overview


def test_the_deadline_comes_before_the_event_ends(client, organiser, make_event):
    event = make_event()
    refused = client.post(f"/admin/events/{event.uid}/edit", headers=HTMX,
                          data=dict(EVENT_FORM, registration_closes_at="2049-03-18T17:00"))
    assert refused.status_code == 422
    assert ('<small id="registration_closes_at-error" class="field-error" role="alert">'
            "Registration must close before the event ends.</small>") in refused.text
    db.session.refresh(event)
    assert event.registration_closes_at is None
    created = client.post("/admin/events/new", data=dict(EVENT_FORM, title="Later", template="",
                                                          registration_closes_at="2049-03-19T09:00"))
    assert created.status_code == 422 and "Registration must close before the event ends." in created.text
    assert db.session.scalars(select(Event).where(Event.title == "Later")).first() is None


def test_the_event_page_says_when_registration_closes_then_that_it_closed(client, login, make_user, make_event):
    event = make_event(registration_closes_at=datetime(2049, 3, 11, 18, tzinfo=PARIS))
    login(make_user())
    page = client.get(f"/events/{event.uid}").text
    assert "Registration closes on Thursday, 11 March 2049, 18:00 (CET, Europe/Paris)." in page
    assert f'href="/events/{event.uid}/register"' in page
    past_deadline(event)
    page = client.get(f"/events/{event.uid}").text
    assert "Registration closed on" in page and "Registration closes on" not in page
    assert f'href="/events/{event.uid}/register"' not in page


def test_past_the_deadline_a_member_is_refused_clearly_even_before_the_timer(client, login, make_user, make_event):
    event = make_event(registration_closes_at=datetime(2049, 3, 11, 18, tzinfo=PARIS))
    login(make_user())
    assert client.get(f"/events/{event.uid}/register").status_code == 200  # before: nothing changes
    past_deadline(event)
    assert client.get(f"/events/{event.uid}/register").status_code == 303
    # The form was open in the browser when the deadline passed: htmx is sent to the page, which says why.
    sent = client.post(f"/events/{event.uid}/register", headers=HTMX, data={"role": "attendee", "consent": "y"})
    assert sent.status_code == 204 and sent.headers["HX-Redirect"] == f"/events/{event.uid}"
    assert "Registration closed on" in client.get(f"/events/{event.uid}").text
    assert db.session.scalars(select(Registration)).all() == []


def test_a_co_hosts_registration_reaching_the_lead_after_the_deadline_is_refused(make_event, make_person,
                                                                                 make_replica):
    event = make_event(co_hosts=["host-b"], registration_closes_at=datetime(2049, 3, 11, 18, tzinfo=PARIS))
    early = make_replica(Registration, "host-b", event_uid=event.uid, person_uid="p-early", role="attendee",
                         b2b=False, status="registered")
    assert early.decision.status == "confirmed"
    past_deadline(event)
    late = make_replica(Registration, "host-b", event_uid=event.uid, person_uid="p-late", role="attendee",
                        b2b=False, status="registered")
    assert late.decision.status == "refused" and late.decision.message.startswith("Registration closed on ")
    assert late.decision.uid in {c["uid"] for c in feed.changes("host-b", 0, 1000)["changes"]}  # sent home
    # A change to a registration decided in time keeps its place.
    early.b2b = True
    db.session.flush()
    early.fed_after_apply(db.session)
    db.session.commit()
    assert early.decision.status == "confirmed"
    # The organisers may still let the late one in.
    reconsider(late)
    db.session.commit()
    db.session.refresh(late)
    assert late.decision.status == "confirmed"


def test_the_close_job_publishes_the_event_closed_once(runner, make_event):
    event = make_event(co_hosts=["host-b"], registration_closes_at=datetime(2049, 3, 11, 18, tzinfo=PARIS))
    assert close_due_registrations(now=datetime(2049, 3, 11, 17, 59, tzinfo=PARIS)) == []
    past_deadline(event)
    version = event.version
    since = feed.head()
    result = runner.invoke(args=["events", "close-registrations"])
    assert result.exit_code == 0 and "1 event closed." in result.output
    db.session.refresh(event)
    assert not event.registration_open and event.version == version + 1
    published = event_changes(event, since)
    assert [(c["version"], c["data"]["registration_open"]) for c in published] == [(version + 1, False)]
    assert "registration_closes_at" not in published[0]["data"]  # the lead's own: no new protocol field
    since = feed.head()
    again = runner.invoke(args=["events", "close-registrations"])
    assert "0 events closed." in again.output and event_changes(event, since) == []


def test_the_sync_worker_closes_what_is_due(app, monkeypatch, make_event):
    from portal.federation import worker as workers

    event = past_deadline(make_event(registration_closes_at=datetime(2049, 3, 11, 18, tzinfo=PARIS)))
    runner = workers.Worker(app, tick=0.01)
    monkeypatch.setattr(workers, "heartbeat", runner.stop.set)  # one round
    runner.run()
    db.session.refresh(event)
    assert not event.registration_open


def test_a_co_host_shows_registration_closed_from_the_published_record(client, login, make_user, make_replica):
    event = make_replica(Event, "lead-a", title="Sensing for vineyards", timezone="Europe/Paris",
                         starts_at=datetime(2049, 6, 3, 9, tzinfo=PARIS), ends_at=datetime(2049, 6, 3, 17, tzinfo=PARIS),
                         co_hosts=["test-cluster"], capacity=20, registration_open=False)
    login(make_user())
    page = client.get(f"/events/{event.uid}").text
    assert "Registration is closed." in page and f'href="/events/{event.uid}/register"' not in page


def test_ticking_registration_open_past_the_deadline_asks_to_move_it(client, organiser, make_event):
    """Saved so, registration would close at once: the organiser is told beside the field."""
    event = past_deadline(make_event())
    passed = event.registration_closes_at.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(f"/admin/events/{event.uid}/edit", headers=HTMX,
                          data=dict(EVENT_FORM, registration_closes_at=passed))
    assert refused.status_code == 422
    assert ('<small id="registration_closes_at-error" class="field-error" role="alert">'
            "This time has passed: move it or clear it to keep registration open.</small>") in refused.text
    closed = client.post(f"/admin/events/{event.uid}/edit", data=dict(
        {k: v for k, v in EVENT_FORM.items() if k != "registration_open"}, registration_closes_at=passed))
    assert closed.status_code == 303  # closed by hand as well: nothing to say
    db.session.refresh(event)
    assert not event.registration_open


@pytest.mark.parametrize("new_deadline, admitted", [(None, True), ("later", True), ("earlier", False)])
def test_reopening_lets_in_those_refused_as_late_who_are_late_no_more(client, organiser, make_event, make_replica,
                                                                      new_deadline, admitted):
    event = make_event(co_hosts=["host-b"], registration_closes_at=datetime(2049, 3, 11, 18, tzinfo=PARIS))
    past_deadline(event)
    late = make_replica(Registration, "host-b", event_uid=event.uid, person_uid="p-late", role="attendee",
                        b2b=False, status="registered")
    refused_uid = late.decision.uid
    assert late.decision.status == "refused"
    moved = {None: "", "later": "2049-03-12T18:00",
             "earlier": (late.received_at - timedelta(hours=1)).astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")}
    data = dict(EVENT_FORM, registration_closes_at=moved[new_deadline])
    if new_deadline == "earlier":
        data.pop("registration_open")  # still closed
    assert client.post(f"/admin/events/{event.uid}/edit", data=data).status_code == 303
    db.session.expire_all()
    assert late.decision.status == ("confirmed" if admitted else "refused")
    assert (late.decision.uid != refused_uid) == admitted  # a new decision, mailed by the member's portal


def test_closed_by_hand_a_co_hosts_registration_reaching_the_lead_later_is_refused_until_it_reopens(
        client, organiser, make_event, make_replica):
    """The co-host's page still showed registration open when its member registered: as after a
    deadline, the lead refuses what arrives once its organisers closed registration, and lets it
    in when they open it again."""
    event = make_event(co_hosts=["host-b"])
    early = make_replica(Registration, "host-b", event_uid=event.uid, person_uid="p-early", role="attendee",
                         b2b=False, status="registered")
    closed = {k: v for k, v in EVENT_FORM.items() if k != "registration_open"}
    assert client.post(f"/admin/events/{event.uid}/edit", data=closed).status_code == 303
    db.session.expire_all()
    assert not event.registration_open and event.registration_closed_at is not None
    closed_at = event.registration_closed_at.astimezone(PARIS)
    assert re.search(rf"Registration closed on [^<]*, {closed_at:%H:%M} \(CET", client.get(f"/admin/events/{event.uid}").text)
    late = make_replica(Registration, "host-b", event_uid=event.uid, person_uid="p-late", role="attendee",
                        b2b=False, status="registered")
    assert early.decision.status == "confirmed"
    assert late.decision.status == "refused" and late.decision.message.startswith("Registration closed on ")
    # Saved again while closed, the moment it closed stays.
    closed_at = event.registration_closed_at
    assert client.post(f"/admin/events/{event.uid}/edit", data=closed).status_code == 303
    db.session.expire_all()
    assert event.registration_closed_at == closed_at and late.decision.status == "refused"
    assert client.post(f"/admin/events/{event.uid}/edit", data=EVENT_FORM).status_code == 303
    db.session.expire_all()
    assert event.registration_closed_at is None and late.decision.status == "confirmed"


def test_reopening_lifts_a_late_refusal_made_under_an_earlier_cutoff(client, organiser, make_event, make_replica):
    """Closed by hand, then given a deadline before that moment, then opened again: the refusal
    dated by the closing by hand is lifted too (it was found by its message, which named the
    cutoff of its moment, and stayed)."""
    event = make_event(co_hosts=["host-b"])
    closed = {k: v for k, v in EVENT_FORM.items() if k != "registration_open"}
    assert client.post(f"/admin/events/{event.uid}/edit", data=closed).status_code == 303
    late = make_replica(Registration, "host-b", event_uid=event.uid, person_uid="p-late", role="attendee",
                        b2b=False, status="registered")
    assert late.decision.status == "refused"
    earlier = (event.registration_closed_at - timedelta(days=1)).astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")
    assert client.post(f"/admin/events/{event.uid}/edit",
                       data=dict(closed, registration_closes_at=earlier)).status_code == 303
    db.session.expire_all()
    assert late.decision.status == "refused"
    assert client.post(f"/admin/events/{event.uid}/edit",
                       data=dict(EVENT_FORM, registration_closes_at="")).status_code == 303
    db.session.expire_all()
    assert late.decision.status == "confirmed"


def test_an_organisers_refusal_stays_when_registration_opens_again(client, organiser, make_event, make_replica):
    from portal.events.registrations import refuse

    event = make_event(co_hosts=["host-b"])
    guest = make_replica(Registration, "host-b", event_uid=event.uid, person_uid="p-guest", role="attendee",
                         b2b=False, status="registered")
    refuse(guest, "Not this time.")
    db.session.commit()
    closed = {k: v for k, v in EVENT_FORM.items() if k != "registration_open"}
    for data in (closed, EVENT_FORM):
        assert client.post(f"/admin/events/{event.uid}/edit", data=data).status_code == 303
    db.session.expire_all()
    assert guest.decision.status == "refused" and guest.decision.message == "Not this time."
