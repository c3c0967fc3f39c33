"""Account deletion across two real portals: the person goes from every peer that had them."""
import re

import pytest
import requests
import sqlalchemy as sa

from tests.portals import peer, sync
from tests.test_meetings_portals import lead_event, member, register

pytestmark = pytest.mark.slow

PASSWORD = "a long and unusual passphrase 42"
#: What only Anne's own records hold: none of it may stay on the peer once she is gone.
ANNE = {"display_name": "Anne Quimperlé-Kerhoas", "job_title": "Head of fibre sensing at Lumiwave",
        "bio": "Twenty years of Bragg gratings in harsh places.", "topics": ["bragg-gratings-anne"]}
REQUEST_MESSAGE = "Anne here: shall we talk about moisture sensing in silos?"


def anne_of(a):
    """Anne, an active member of A who consents to sharing, with a listing; returns her person uid."""
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.directory.models import Listing, Person

    uid = member(a, "Anne", "anne@photonics.example")
    with a.context() as session:
        person = session.get(Person, uid)
        for name, value in ANNE.items():
            setattr(person, name, value)
        person.phone = "+33 2 96 00 11 22"
        session.scalars(sa.select(User).where(User.person_uid == uid)).one().password_hash = hash_password(PASSWORD)
        session.add(Listing(kind="offer", title="Fibre Bragg grating sensors", organisation_uid=person.organisation_uid,
                            person_uid=uid))
        session.commit()
    return uid


def delete_through_the_web(portal, email, password):
    """Log in and delete the account on the portal's real server, CSRF token and all."""
    browser = requests.Session()

    def token(path):
        page = browser.get(portal.url + path, timeout=10)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)

    answer = browser.post(portal.url + "/login", data={"email": email, "password": password,
                                                      "csrf_token": token("/login")}, timeout=10,
                          allow_redirects=False)
    assert answer.status_code == 303, answer.text[:500]
    answer = browser.post(portal.url + "/account/delete", data={"password": password,
                                                               "csrf_token": token("/account/delete")},
                          timeout=10, allow_redirects=False)
    assert answer.status_code == 303, answer.text[:500]


def everything_in(portal):
    """Every row of every table of the portal's database, as text, by table name."""
    from portal.extensions import db

    with portal.context() as session:
        return {table.name: "\n".join(repr(row) for row in session.execute(sa.select(table)).all())
                for table in db.metadata.sorted_tables}


def traces(portal, *more):
    """Where the portal's database still holds Anne's words: "<text> in <table>"."""
    words = (*ANNE["topics"], ANNE["display_name"], ANNE["job_title"], ANNE["bio"], REQUEST_MESSAGE, *more)
    return {f"{text[:20]} in {table}" for table, rows in everything_in(portal).items() for text in words
            if text in rows}


def held_by(portal, person_uid):
    """The records of `portal` that are about the person: theirs, their registrations, their requests."""
    from portal.directory.models import Listing, Person
    from portal.events.registration_models import Registration
    from portal.meetings.models import MeetingRequest

    with portal.context() as session:
        return {
            "person": session.get(Person, person_uid) is not None,
            "registrations": session.scalar(sa.select(sa.func.count()).select_from(Registration)
                                            .where(Registration.person_uid == person_uid)),
            "requests": session.scalar(sa.select(sa.func.count()).select_from(MeetingRequest).where(
                sa.or_(MeetingRequest.from_person_uid == person_uid, MeetingRequest.to_person_uid == person_uid))),
            "listings": session.scalar(sa.select(sa.func.count()).select_from(Listing)
                                       .where(Listing.person_uid == person_uid)),
        }


def test_deleting_an_account_removes_the_person_on_the_peer(portals):
    from portal.events.models import Event
    from portal.federation.models import Record
    from portal.meetings import services
    from portal.meetings.models import MeetingRequest

    a, b = portals("photonics", "agrifood", config={"MAIL_BACKGROUND": False})
    peer(a, b)
    anne = anne_of(a)
    bruno = member(b, "Bruno", "bruno@agrifood.example")
    event_uid = lead_event(a, "agrifood")
    register(a, event_uid, anne)
    sync(b)
    register(b, event_uid, bruno)
    sync(a), sync(b)
    with a.context() as session:  # Anne asks Bruno, on A
        request_uid = services.request_meeting(session.get(Event, event_uid), anne, bruno, REQUEST_MESSAGE).uid
        session.commit()
    sync(b)
    with b.context() as session:  # Bruno accepts, on B
        services.reply_to_request(session.get(MeetingRequest, request_uid), bruno, "accepted", "Gladly")
        session.commit()
    sync(a)
    before = everything_in(b)
    assert ANNE["display_name"] in before["person"] and REQUEST_MESSAGE in before["meeting_request"]  # B had her
    assert held_by(b, anne) == {"person": True, "registrations": 1, "requests": 1, "listings": 1}

    delete_through_the_web(a, "anne@photonics.example", PASSWORD)
    assert held_by(a, anne) == {"person": False, "registrations": 0, "requests": 0, "listings": 0}
    assert not traces(a, "anne@photonics.example"), f"A still holds Anne's {traces(a, 'anne@photonics.example')}"
    sync(b)

    assert held_by(b, anne) == {"person": False, "registrations": 0, "requests": 0, "listings": 0}
    assert not traces(b), f"B still holds Anne's {traces(b)}"
    with b.context() as session:  # the tombstone stays, so an older copy arriving late cannot bring her back
        ledger = session.scalars(sa.select(Record).where(Record.type == "person", Record.uid == anne)).one()
        assert ledger.deleted and ledger.origin == "photonics"
    assert held_by(b, bruno)["person"]  # B's own member is untouched
