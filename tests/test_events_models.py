"""Event records: protocol data, schemas, hosts and the feed's audience."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from portal.events import services
from portal.events.formula import FORMULA_KEY
from portal.events.models import AgendaItem, Event
from portal.events.registration_models import Registration, RegistrationDecision
from portal.events.registrations import register
from portal.extensions import db
from portal.federation import feed
from portal.federation.models import EventHost, Record

PARIS = ZoneInfo("Europe/Paris")


def ledger(fed_type, uid):
    return db.session.scalars(select(Record).where(Record.type == fed_type, Record.uid == uid)).one()


def feed_keys(caller):
    return {(c["type"], c["uid"]): c for c in feed.changes(caller, 0, 1000)["changes"]}


def test_event_data_uses_the_event_offset_and_round_trips(make_event):
    event = make_event(co_hosts=["agri-ouest"], b2b_enabled=True,
                       b2b_starts_at=datetime(2049, 3, 18, 14, tzinfo=PARIS),
                       b2b_ends_at=datetime(2049, 3, 18, 16, 30, tzinfo=PARIS))
    data = ledger("event", event.uid).data
    assert data["starts_at"] == "2049-03-18T09:00:00+01:00"
    assert data["b2b"] == {"enabled": True, "starts_at": "2049-03-18T14:00:00+01:00",
                           "ends_at": "2049-03-18T16:30:00+01:00", "slot_minutes": 20, "tables": 10}
    assert data["co_hosts"] == ["agri-ouest"] and data["status"] == "scheduled"
    assert event.starts_at == datetime(2049, 3, 18, 8, tzinfo=timezone.utc)

    copy = Event(uid="copy", origin="elsewhere")
    copy.fed_load(Event.fed_receiving_schema().load(data))
    assert copy.fed_data() == data


def test_an_event_without_b2b_sends_times_for_its_block_never_null(make_event):
    """PROTOCOL.md marks none of the block's fields nullable: a strict peer would quarantine an
    event without B2B meetings. It sends the event's own times, with enabled false."""
    event = make_event(b2b_enabled=False)
    assert (event.b2b_starts_at, event.b2b_ends_at) == (None, None)
    block = ledger("event", event.uid).data["b2b"]
    assert block == {"enabled": False, "starts_at": "2049-03-18T09:00:00+01:00",
                     "ends_at": "2049-03-18T17:00:00+01:00", "slot_minutes": 20, "tables": 10}


def test_schema_refuses_a_time_without_offset_and_ignores_unknown_fields(make_event):
    data = dict(ledger("event", make_event().uid).data, extra="ignored")
    assert "extra" not in Event.fed_receiving_schema().load(data)
    with pytest.raises(ValidationError) as error:
        Event.fed_receiving_schema().load(dict(data, starts_at="2049-03-18T09:00:00"))
    assert "starts_at" in error.value.messages


def test_schema_takes_texts_of_any_length_trimmed_and_refuses_guessed_booleans(make_event):
    """PROTOCOL.md gives an event's texts no length limit, trims strings; a boolean is JSON true or false."""
    event = make_event()
    data = ledger("event", event.uid).data
    long = dict(data, title="T" * 300, description="d" * 30000,
                venue=dict(data["venue"], name="v" * 250, country="France"))
    loaded = Event.fed_receiving_schema().load(long)
    assert (loaded["title"], loaded["venue"]["country"]) == ("T" * 300, "France")
    padded = Event.fed_receiving_schema().load(dict(data, title="  Photonics day\n", venue=dict(data["venue"], city=" Brest ")))
    assert (padded["title"], padded["venue"]["city"]) == ("Photonics day", "Brest")  # strings are trimmed
    assert Event.fed_receiving_schema().load(dict(data, co_hosts=[" agrifood-ouest\n"]))["co_hosts"] == ["agrifood-ouest"]
    item = AgendaItem.fed_receiving_schema().load({"event_uid": f" {event.uid} ", "kind": "keynote ",
                                                   "starts_at": "2049-03-18T10:00:00+01:00",
                                                   "ends_at": "2049-03-18T11:00:00+01:00", "title": "x",
                                                   "speaker_person_uids": [], "listing_uid": None})
    assert (item["kind"], item["event_uid"]) == ("keynote", event.uid)  # enums and uids too
    for bad in (dict(data, registration_open="yes"), dict(data, b2b=dict(data["b2b"], enabled=1)), dict(data, title=""),
                dict(data, title=" \t ")):
        with pytest.raises(ValidationError):
            Event.fed_receiving_schema().load(bad)
    with pytest.raises(ValidationError, match="Not a UUID"):
        AgendaItem.fed_receiving_schema().load({"event_uid": "e-1", "starts_at": "2049-03-18T10:00:00+01:00",
                                      "ends_at": "2049-03-18T11:00:00+01:00", "kind": "break", "title": "x"})


def test_schema_refuses_an_item_ending_before_it_starts(make_event):
    event = make_event()
    with pytest.raises(ValidationError):
        AgendaItem.fed_receiving_schema().load({"event_uid": event.uid, "starts_at": "2049-03-18T10:00:00+01:00",
                                      "ends_at": "2049-03-18T09:00:00+01:00", "kind": "break", "title": "x"})


def test_agenda_item_offset_follows_daylight_saving(make_event):
    event = make_event(starts_at=datetime(2049, 3, 28, 1, tzinfo=PARIS), ends_at=datetime(2049, 3, 28, 12, tzinfo=PARIS))
    morning = services.add_item(event, {"starts_at": datetime(2049, 3, 28, 1, 30, tzinfo=PARIS),
                                        "ends_at": datetime(2049, 3, 28, 4, tzinfo=PARIS), "kind": "other", "title": "Night"})
    db.session.commit()
    data = ledger("agenda_item", morning.uid).data
    assert data["starts_at"] == "2049-03-28T01:30:00+01:00" and data["ends_at"] == "2049-03-28T04:00:00+02:00"


def test_new_event_records_its_hosts_and_changing_them_republishes(make_event):
    event = make_event(co_hosts=["agri-ouest"])
    hosts = lambda: {h.cluster_id: h.active for h in db.session.scalars(select(EventHost))}
    assert hosts() == {"test-cluster": True, "agri-ouest": True}
    services.update_event(event, {"co_hosts": ["sante-nord"]})
    db.session.commit()
    assert hosts() == {"test-cluster": True, "agri-ouest": False, "sante-nord": True}


def test_formula_template_fills_the_day_and_the_b2b_block(make_event):
    event = make_event(template=FORMULA_KEY, b2b_enabled=True)
    kinds = [i.kind for i in event.items]
    assert kinds[0] == "opening" and "b2b" in kinds and "pitch_need" in kinds and "pitch_offer" in kinds
    b2b = next(i for i in event.items if i.kind == "b2b")
    assert (event.b2b_starts_at, event.b2b_ends_at) == (b2b.starts_at, b2b.ends_at)
    assert event.items[0].starts_at == event.starts_at


def test_formula_without_b2b_leaves_the_meetings_out(make_event):
    event = make_event(template=FORMULA_KEY)
    assert "b2b" not in [i.kind for i in event.items]


def test_registration_goes_to_hosts_only(make_event, make_person):
    event = make_event(co_hosts=["host-b"])
    registration = register(event, make_person().uid)
    db.session.commit()
    decision = db.session.scalars(select(RegistrationDecision)).one()
    for fed_type, uid in (("registration", registration.uid), ("registration_decision", decision.uid)):
        assert feed_keys("host-b")[(fed_type, uid)]["deleted"] is False
        assert (fed_type, uid) not in feed_keys("outsider")
    assert ("event", event.uid) in feed_keys("outsider")


def test_removed_host_receives_tombstones_of_registrations(make_event, make_person):
    event = make_event(co_hosts=["host-b"])
    registration = register(event, make_person().uid)
    db.session.commit()
    services.update_event(event, {"co_hosts": []})
    db.session.commit()
    change = feed_keys("host-b")[("registration", registration.uid)]
    assert change["deleted"] is True and change["data"] is None


def test_replicated_event_sets_hosts_on_the_receiving_side(make_replica):
    event = make_replica(Event, "lead-a", title="Agrifood sensing day", starts_at=datetime(2049, 5, 1, 9, tzinfo=PARIS),
                         ends_at=datetime(2049, 5, 1, 17, tzinfo=PARIS), timezone="Europe/Paris",
                         co_hosts=["test-cluster"], capacity=10)
    assert {h.cluster_id for h in db.session.scalars(select(EventHost).where(EventHost.event_uid == event.uid))} == \
        {"lead-a", "test-cluster"}
    assert not db.session.scalars(select(Record).where(Record.uid == event.uid)).all()  # never re-published


def test_registration_data_matches_its_schema(make_event, make_person):
    event = make_event(b2b_enabled=True, b2b_starts_at=datetime(2049, 3, 18, 14, tzinfo=PARIS),
                       b2b_ends_at=datetime(2049, 3, 18, 17, tzinfo=PARIS))
    registration = register(event, make_person().uid, role="speaker", b2b=True,
                            available_from=datetime(2049, 3, 18, 14, 30, tzinfo=PARIS),
                            available_until=datetime(2049, 3, 18, 16, tzinfo=PARIS))
    db.session.commit()
    data = ledger("registration", registration.uid).data
    assert data["available_from"] == "2049-03-18T14:30:00+01:00" and data["role"] == "speaker"
    copy = Registration(uid="r", origin="x")
    db.session.add(copy)  # its offsets come from the event, found through the session
    copy.fed_load(Registration.fed_receiving_schema().load(data))
    assert copy.fed_data() == data


def test_the_door_opens_on_the_events_first_day_on_its_own_clock(make_event):
    event = make_event()  # 18 March 2049, 09:00 in Paris (UTC+1)
    assert not event.door_open(now=datetime(2049, 3, 17, 22, 59, tzinfo=timezone.utc))  # 23:59 in Paris
    assert event.door_open(now=datetime(2049, 3, 17, 23, 0, tzinfo=timezone.utc))  # midnight in Paris
    assert event.door_open(now=datetime(2049, 3, 19, 12, tzinfo=timezone.utc))
    tokyo = make_event(timezone="Asia/Tokyo", starts_at=datetime(2049, 3, 18, 9, tzinfo=ZoneInfo("Asia/Tokyo")),
                       ends_at=datetime(2049, 3, 18, 17, tzinfo=ZoneInfo("Asia/Tokyo")))
    assert tokyo.door_open(now=datetime(2049, 3, 17, 15, tzinfo=timezone.utc))  # already the 18th in Tokyo
