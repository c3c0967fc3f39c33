"""A co-hosted event across three real portals: A leads, B co-hosts, C is only a peer."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import select

from tests.portals import converged, peer, sync

pytestmark = pytest.mark.slow

PARIS = ZoneInfo("Europe/Paris")


def member(portal, name):
    """A local person who shares their profile; returns their uid."""
    from portal.directory.models import Organisation, Person

    with portal.context() as session:
        org = Organisation(name=f"{name}'s farm", kind="end_user", country="FR")
        session.add(org)
        session.flush()
        person = Person(display_name=name, organisation_uid=org.uid, share_profile=True)
        session.add(person)
        session.commit()
        return person.uid


def lead_event(portal, co_hosts, capacity):
    from portal.events import services
    from portal.events.formula import FORMULA_KEY

    with portal.context() as session:
        event = services.create_event({
            "title": "Light in the fields", "starts_at": datetime(2049, 3, 18, 9, tzinfo=PARIS),
            "ends_at": datetime(2049, 3, 18, 17, tzinfo=PARIS), "timezone": "Europe/Paris", "venue_city": "Rennes",
            "co_hosts": co_hosts, "capacity": capacity}, FORMULA_KEY)
        session.commit()
        return event.uid


def register(portal, event_uid, person_uid):
    from portal.events.models import Event
    from portal.events.registrations import register as do_register

    with portal.context() as session:
        uid = do_register(session.get(Event, event_uid), person_uid).uid
        session.commit()
        return uid


def cancel(portal, registration_uid):
    from portal.events.registration_models import Registration
    from portal.events.registrations import cancel_registration

    with portal.context() as session:
        cancel_registration(session.get(Registration, registration_uid))
        session.commit()


def decision(portal, registration_uid):
    from portal.events.registration_models import RegistrationDecision

    with portal.context() as session:
        return session.scalars(select(RegistrationDecision.status).where(
            RegistrationDecision.registration_uid == registration_uid)).first()


def registrations(portal):
    from portal.events.registration_models import Registration

    with portal.context() as session:
        return set(session.scalars(select(Registration.uid)))


def test_registration_on_the_home_portal_decided_by_the_lead(portals):
    a, b, c = portals("photonics", "agrifood", "health")
    peer(a, b), peer(a, c), peer(b, c)
    anne, bruno, bea = member(a, "Anne"), member(b, "Bruno"), member(b, "Béa")
    event_uid = lead_event(a, ["agrifood"], capacity=2)
    sync(b), sync(c)

    # B shows the event as co-hosted, with both hosts' names, over HTTP.
    page = requests.get(f"{b.url}/events/{event_uid}", timeout=10).text
    assert "Co-hosted by" in page and "Photonics" in page and "Agrifood" in page
    assert "Light in the fields" in requests.get(f"{c.url}/events", timeout=10).text  # C: a partner's event

    first = register(a, event_uid, anne)
    second, third = register(b, event_uid, bruno), register(b, event_uid, bea)
    assert decision(b, second) is None  # B does not decide
    sync(a)  # A receives B's registrations and decides, in arrival order
    assert (decision(a, first), decision(a, second), decision(a, third)) == ("confirmed", "confirmed", "waitlisted")
    sync(b)
    assert (decision(b, second), decision(b, third)) == ("confirmed", "waitlisted")
    assert first in registrations(b)  # a co-host sees every host's registrations

    cancel(b, second)  # Bruno cancels at home; the lead promotes Béa
    sync(a), sync(b)
    assert decision(a, third) == "confirmed" and decision(b, third) == "confirmed"
    assert decision(b, second) is None

    # The lead's door checks Béa in: B learns it from the decision and publishes it in her
    # registration (only B writes it), so that both hosts count her.
    check_in(a, third)
    sync(b)
    assert checked_in(b, third) is True
    sync(a)
    assert checked_in(a, third) is True

    sync(c)
    assert registrations(c) == set()  # C hosts nothing: it never receives a registration
    assert converged(a, b) and converged(a, c) and converged(b, c)


def check_in(portal, registration_uid):
    from portal.events.registration_models import Registration
    from portal.events.registrations import check_in as do_check_in

    with portal.context() as session:
        do_check_in(session.get(Registration, registration_uid))
        session.commit()


def checked_in(portal, registration_uid):
    from portal.events.registration_models import Registration

    with portal.context() as session:
        return session.get(Registration, registration_uid).checked_in
