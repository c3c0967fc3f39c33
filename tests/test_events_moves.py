"""An event that moves: its agenda, its members' B2B availability and their mail follow it."""
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import select

from portal.events import services
from portal.events.formatting import wall_clock
from portal.events.formula import FORMULA_KEY
from portal.events.registrations import register
from portal.extensions import db
from portal.mail.models import OutboxMessage
from tests.portals import peer, sync

PARIS = ZoneInfo("Europe/Paris")


def paris(day, hour, minute=0):
    return datetime(2049, 3, day, hour, minute, tzinfo=PARIS)


def b2b_event(make_event):
    """18 March 2049 (before daylight saving), B2B 14:00-16:00, the proven formula's agenda."""
    return make_event(template=FORMULA_KEY, b2b_enabled=True, b2b_starts_at=paris(18, 14), b2b_ends_at=paris(18, 16))


def settings(event, **changes):
    values = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    values.update(co_hosts=event.co_hosts, **changes)
    return values


def mails(to):
    """The move mails to `to` (a registration's confirmation is another feature's)."""
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to == to, OutboxMessage.dedupe_key.like("event-moved:%")).order_by(OutboxMessage.id)).all()


def test_a_new_day_moves_the_agenda_and_the_b2b_windows_and_tells_the_members(make_event, make_user):
    event = b2b_event(make_event)
    items = {i.uid: (i.starts_at.astimezone(PARIS).time(), i.ends_at.astimezone(PARIS).time())
             for i in services.event_items(event)}
    whole, late = make_user(email="whole@example.org"), make_user(email="late@example.org", display_name="Late")
    register(event, whole.person_uid, b2b=True, available_from=paris(18, 14), available_until=paris(18, 16))
    late_one = register(event, late.person_uid, b2b=True, available_from=paris(18, 15), available_until=paris(18, 16))
    db.session.commit()

    # A week and a half later, across the change to summer time (28 March), the B2B block an hour earlier.
    services.update_event(event, settings(event, starts_at=paris(30, 9), ends_at=paris(30, 17),
                                          b2b_starts_at=paris(30, 13), b2b_ends_at=paris(30, 15)))
    db.session.commit()

    moved = services.event_items(event)
    assert {i.starts_at.astimezone(PARIS).date() for i in moved} == {paris(30, 9).date()}
    assert {i.uid: (i.starts_at.astimezone(PARIS).time(), i.ends_at.astimezone(PARIS).time())
            for i in moved if i.kind != "b2b"} == {uid: times for uid, times in items.items()
                                                   if uid != services.live_b2b_block(event).uid}
    assert (services.live_b2b_block(event).starts_at, services.live_b2b_block(event).ends_at) == (
        paris(30, 13), paris(30, 15))
    windows = {r.person_uid: (r.available_from, r.available_until)
               for r in db.session.scalars(select(type(late_one)))}
    assert windows[whole.person_uid] == (paris(30, 13), paris(30, 15))  # the whole block, as before
    assert windows[late.person_uid] == (paris(30, 14), paris(30, 15))  # its last hour, as before
    [mail] = mails("late@example.org")
    assert mail.subject == "New date or times: Photonics meets agrifood"
    assert "Tuesday, 30 March 2049" in mail.body and "14:00–15:00" in mail.body
    # The confirmed place's calendar entry moves too: the event again, under the same UID.
    calendar = icalendar.Calendar.from_ical(mail.calendar)
    [entry] = [c for c in calendar.walk("VEVENT") if str(c["UID"]).startswith(event.uid)]
    assert entry.decoded("DTSTART") == paris(30, 9) and "event.ics" in mail.body

    services.update_event(event, settings(event, title="Photonics meets agrifood, again"))
    db.session.commit()
    assert len(mails("late@example.org")) == 1  # a new title moves nothing and mails nobody


def test_the_move_mail_dates_the_b2b_block_and_the_members_window(make_event, make_user):
    """A two-day event, its B2B meetings on the second day: "14:00–16:00" alone would not say which."""
    event = make_event(starts_at=paris(18, 9), ends_at=paris(19, 17), b2b_enabled=True,
                       b2b_starts_at=paris(19, 14), b2b_ends_at=paris(19, 16))
    member = make_user(email="anne@example.org")
    register(event, member.person_uid, b2b=True, available_from=paris(19, 15), available_until=paris(19, 16))
    db.session.commit()
    services.update_event(event, settings(event, venue_name="La Carène"))
    db.session.commit()
    [mail] = mails("anne@example.org")
    assert "B2B meetings: 19 Mar 2049, 14:00–16:00 CET." in mail.body
    assert "Your availability for them now reads 19 Mar 2049, 15:00–16:00 CET" in mail.body


def test_a_window_the_moved_block_leaves_out_becomes_the_whole_block(make_event, make_user):
    event = b2b_event(make_event)
    user = make_user(email="early@example.org")
    registration = register(event, user.person_uid, b2b=True, available_from=paris(18, 14),
                            available_until=paris(18, 14, 40))
    db.session.commit()
    services.update_event(event, settings(event, b2b_starts_at=paris(18, 15), b2b_ends_at=paris(18, 16)))
    db.session.commit()
    assert (registration.available_from, registration.available_until) == (paris(18, 15), paris(18, 15, 40))
    services.update_event(event, settings(event, b2b_starts_at=paris(18, 10), b2b_ends_at=paris(18, 10, 30)))
    db.session.commit()
    assert (registration.available_from, registration.available_until) == (paris(18, 10), paris(18, 10, 30))
    assert "Your availability for them now reads 18 Mar 2049, 10:00–10:30" in mails("early@example.org")[-1].body


def test_the_edit_page_says_what_moved_and_what_is_left_to_do(client, login, make_user, make_event):
    event = b2b_event(make_event)
    login(make_user(role="admin"))
    response = client.post(f"/admin/events/{event.uid}/edit", follow_redirects=True, data={
        "title": event.title, "timezone": "Europe/Paris", "starts_at": "2049-03-25T09:00",
        "ends_at": "2049-03-25T17:00", "capacity": "50", "registration_open": "y", "b2b_enabled": "y",
        "b2b_starts_at": "2049-03-25T14:00", "b2b_ends_at": "2049-03-25T16:00", "b2b_slot_minutes": "20",
        "b2b_tables": "10"})
    page = response.get_data(as_text=True)
    assert "The agenda moved with the event&#39;s first day; each item keeps its time of day." in page
    assert "their B2B availability follows the B2B block" in page


def test_a_new_day_typed_for_the_event_alone_takes_the_b2b_block_with_it(client, login, make_user, make_event):
    """The organiser moves the day and leaves the B2B block's times as the form showed them: the
    block moves with the day, as the agenda does, instead of the save being refused as outside."""
    event = b2b_event(make_event)
    login(make_user(role="admin"))
    response = client.post(f"/admin/events/{event.uid}/edit", data={
        "title": event.title, "timezone": "Europe/Paris", "starts_at": "2049-03-25T09:00",
        "ends_at": "2049-03-25T17:00", "capacity": "50", "registration_open": "y", "b2b_enabled": "y",
        "b2b_starts_at": "2049-03-18T14:00", "b2b_ends_at": "2049-03-18T16:00", "b2b_slot_minutes": "20",
        "b2b_tables": "10"})
    assert response.status_code == 303  # saved, to the overview
    assert (event.b2b_starts_at, event.b2b_ends_at) == (paris(25, 14), paris(25, 16))
    block = services.live_b2b_block(event)
    assert (block.starts_at, block.ends_at) == (paris(25, 14), paris(25, 16))


def edit_form(event, **changes):
    """What the edit page posts for `event` (no B2B), with `changes`."""
    typed = {name: f"{wall_clock(getattr(event, name), event.timezone):%Y-%m-%dT%H:%M}" for name in ("starts_at", "ends_at")}
    data = {"title": event.title, "timezone": "Europe/Paris", **typed, "capacity": "50", "registration_open": "y",
            "venue_name": event.venue_name, "venue_address": event.venue_address, "venue_city": event.venue_city,
            "venue_country": event.venue_country}
    data.update(changes)
    return data


def test_a_new_place_or_date_is_mailed_once_saying_what_it_was(client, login, make_user, make_event):
    event = make_event()
    register(event, make_user(email="anne@example.org").person_uid)
    db.session.commit()
    login(make_user(role="admin"))
    moved = client.post(f"/admin/events/{event.uid}/edit", follow_redirects=True, data=edit_form(
        event, venue_name="Les Champs Libres", venue_address="10 cours des Alliés", venue_city="Rennes"))
    assert "Registered members are told by e-mail" in moved.text
    [mail] = mails("anne@example.org")
    assert mail.subject == "New place: Photonics meets agrifood"
    assert ("Where:\nwas: Le Quartz, 60 rue du Château, Brest, France\n"
            "now: Les Champs Libres, 10 cours des Alliés, Rennes, France\n") in mail.body
    assert "When:\nThursday, 18 March 2049, 09:00–17:00 CET (Europe/Paris)\n" in mail.body

    client.post(f"/admin/events/{event.uid}/edit", data=edit_form(
        event, starts_at="2049-03-25T09:00", ends_at="2049-03-25T17:00", venue_address="12 cours des Alliés"))
    client.post(f"/admin/events/{event.uid}/edit", data=edit_form(event, title="Photonics meets agrifood again"))
    both = mails("anne@example.org")[1:]
    assert [m.subject for m in both] == ["New date or times and new place: Photonics meets agrifood"]
    assert ("When:\nwas: Thursday, 18 March 2049, 09:00–17:00 CET (Europe/Paris)\n"
            "now: Thursday, 25 March 2049, 09:00–17:00 CET (Europe/Paris)\n") in both[0].body
    assert ("was: Les Champs Libres, 10 cours des Alliés, Rennes, France\n"
            "now: Les Champs Libres, 12 cours des Alliés, Rennes, France\n") in both[0].body


@pytest.mark.slow
def test_a_co_hosts_members_follow_the_lead_s_move(portals):
    """A moves its event; B, the co-host, fits its member's window (it writes her registration)
    and mails her; A then sees the new window."""
    from portal.accounts.models import User
    from portal.directory.models import Organisation, Person
    from portal.events.models import Event
    from portal.events.registration_models import Registration

    a, b = portals("photonics", "agrifood", config={"MAIL_BACKGROUND": False})
    peer(a, b)
    with a.context() as session:
        event_uid = services.create_event({
            "title": "Light in the fields", "starts_at": paris(18, 9), "ends_at": paris(18, 17),
            "timezone": "Europe/Paris", "co_hosts": ["agrifood"], "capacity": 20, "b2b_enabled": True,
            "b2b_starts_at": paris(18, 14), "b2b_ends_at": paris(18, 16)}).uid
        session.commit()
    sync(b)
    with b.context() as session:
        org = Organisation(name="Ferme", kind="end_user", country="FR")
        session.add(org)
        session.flush()
        person = Person(display_name="Élodie", organisation_uid=org.uid, share_profile=True)
        session.add(person)
        session.flush()
        session.add(User(email="elodie@agrifood.example", person_uid=person.uid, status="active", password_hash="!"))
        registration_uid = register(session.get(Event, event_uid), person.uid, b2b=True,
                                    available_from=paris(18, 15), available_until=paris(18, 16)).uid
        session.commit()
    sync(a)
    with a.context() as session:
        event = session.get(Event, event_uid)
        services.update_event(event, settings(event, starts_at=paris(19, 9), ends_at=paris(19, 17),
                                              b2b_starts_at=paris(19, 14), b2b_ends_at=paris(19, 16)))
        session.commit()
    sync(b), sync(a)
    with b.context() as session:
        mine = session.get(Registration, registration_uid)
        assert (mine.available_from, mine.available_until, mine.version) == (paris(19, 15), paris(19, 16), 2)
        [mail] = session.scalars(select(OutboxMessage).where(OutboxMessage.to == "elodie@agrifood.example")
                                 .where(OutboxMessage.dedupe_key.like("event-moved:%"))).all()
        assert "Friday, 19 March 2049" in mail.body
    with a.context() as session:
        assert session.get(Registration, registration_uid).available_from == paris(19, 15)
