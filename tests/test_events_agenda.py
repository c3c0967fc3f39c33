"""The agenda: warnings, moves, templates, and the builder's inline (htmx) changes."""
import re
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.events import agenda, services
from portal.events.formula import FORMULA_KEY
from portal.events.local_models import EventTemplate
from portal.events.models import AgendaItem
from portal.extensions import db
from tests.queries import page_queries

PARIS = ZoneInfo("Europe/Paris")
HTMX = {"HX-Request": "true"}
DAY = datetime(2049, 3, 18, 9, tzinfo=timezone.utc)


def slot(uid, start, minutes, cancelled=False, kind="other", listing_uid=None):
    begin = DAY + timedelta(minutes=start)
    return SimpleNamespace(uid=uid, title=uid, starts_at=begin, ends_at=begin + timedelta(minutes=minutes),
                           cancelled=cancelled, kind=kind, listing_uid=listing_uid, speaker_person_uids=[])


def test_overlaps_are_flagged_on_both_sides_and_touching_items_are_fine():
    items = [slot("a", 0, 30), slot("b", 30, 30), slot("c", 45, 30)]
    found = agenda.agenda_warnings(items, DAY, DAY + timedelta(hours=8))
    assert "a" not in found
    assert [(code, other.uid) for code, other in found["b"]] == [("overlap", "c")]
    assert [(code, other.uid) for code, other in found["c"]] == [("overlap", "b")]


def test_items_outside_the_event_are_flagged_and_cancelled_ones_ignored():
    items = [slot("early", -30, 45), slot("late", 470, 30), slot("gone", 0, 60, cancelled=True), slot("ok", 60, 30)]
    found = agenda.agenda_warnings(items, DAY, DAY + timedelta(hours=8))
    assert found["early"] == [("outside", None)] and found["late"] == [("outside", None)]
    assert "gone" not in found and "ok" not in found


def test_pitches_fill_their_session_and_do_not_overlap_it():
    session = slot("offers", 60, 30, kind="pitch_offer")  # a formula's "Technology providers present their offers"
    lunch = slot("lunch", 90, 60, kind="break")
    first = slot("p1", 60, 10, kind="pitch_offer", listing_uid="l1")
    other_kind = slot("n1", 65, 10, kind="pitch_need", listing_uid="l2")
    found = agenda.agenda_warnings([session, lunch, first, other_kind], DAY, DAY + timedelta(hours=8))
    assert [other.uid for _, other in found["p1"]] == ["n1"]  # not its session
    assert sorted(other.uid for _, other in found["n1"]) == ["offers", "p1"]  # not a pitch of the session's kind
    ten = timedelta(minutes=10)
    assert agenda.next_pitch_slot([session, lunch, first], "pitch_offer", ten, DAY) == (DAY + 70 * ten / 10,
                                                                                       DAY + 80 * ten / 10)
    full = [session, lunch, first, slot("p2", 70, 10, kind="pitch_offer", listing_uid="l3"),
            slot("p3", 80, 10, kind="pitch_offer", listing_uid="l4")]
    # The session is full: after the last pitch (over lunch, which the builder then flags).
    assert agenda.next_pitch_slot(full, "pitch_offer", ten, DAY)[0] == DAY + timedelta(minutes=90)
    assert agenda.next_pitch_slot([lunch], "pitch_need", ten, DAY)[0] == DAY + timedelta(minutes=150)  # no session


def test_a_pitch_session_comes_before_the_pitches_that_start_with_it(make_event):
    session = slot("offers", 60, 30, kind="pitch_offer")
    first = slot("p1", 60, 10, kind="pitch_offer", listing_uid="l1")
    talk = slot("talk", 60, 5)  # not a session: the shorter first, as before
    assert [i.uid for i in sorted([first, talk, session], key=agenda.agenda_order)] == ["offers", "talk", "p1"]
    event = make_event()
    times = {"starts_at": event.starts_at, "ends_at": event.starts_at + timedelta(minutes=30)}
    db.session.add(AgendaItem(event_uid=event.uid, kind="pitch_offer", title="Pitch", listing_uid="l1",
                              **dict(times, ends_at=times["starts_at"] + timedelta(minutes=10))))
    db.session.add(AgendaItem(event_uid=event.uid, kind="pitch_offer", title="Session", **times))
    db.session.commit()
    assert [i.title for i in services.event_items(event)] == [i.title for i in event.items] == ["Session", "Pitch"]


def test_swapping_keeps_lengths_and_the_gap():
    first, second = slot("a", 0, 30), slot("b", 40, 60)
    (a_start, a_end), (b_start, b_end) = agenda.swapped_slots(first, second)
    assert b_start == DAY and b_end == DAY + timedelta(minutes=60)
    assert a_start == DAY + timedelta(minutes=70) and a_end == DAY + timedelta(minutes=100)


def test_swapping_overlapping_items_keeps_them_within_the_time_they_took():
    # A long session with a short one in parallel: moving the short one up must not push the
    # long one past where it ended (at the event's end, it would leave the event's hours).
    first, second = slot("a", 0, 60), slot("b", 30, 15)
    (a_start, a_end), (b_start, b_end) = agenda.swapped_slots(first, second)
    assert (b_start, b_end) == (DAY, DAY + timedelta(minutes=15))
    assert (a_start, a_end) == (DAY, DAY + timedelta(minutes=60))
    moved = [slot("a", 0, 60), slot("b", 0, 15)]
    moved[0].starts_at, moved[0].ends_at, moved[1].starts_at, moved[1].ends_at = a_start, a_end, b_start, b_end
    assert agenda.neighbour(moved, moved[1], "down") is moved[0]  # the short one now comes first
    first, second = slot("a", 0, 30), slot("b", 20, 30)  # a partial overlap: the same
    (a_start, a_end), (b_start, b_end) = agenda.swapped_slots(first, second)
    assert (b_start, b_end, a_start, a_end) == (DAY, DAY + timedelta(minutes=30), DAY + timedelta(minutes=20),
                                                DAY + timedelta(minutes=50))


def test_template_round_trip():
    items = [slot("a", 0, 30), slot("b", 60, 45), slot("x", 200, 10, cancelled=True)]
    for item in items:
        item.kind, item.minutes = "other", int((item.ends_at - item.starts_at).total_seconds() // 60)
    template = agenda.template_from_items(DAY, items)
    assert template == [{"offset": 0, "minutes": 30, "kind": "other", "title": "a"},
                        {"offset": 60, "minutes": 45, "kind": "other", "title": "b"}]
    rebuilt = agenda.day_from_template(DAY + timedelta(days=7), template)
    assert rebuilt[1]["starts_at"] == DAY + timedelta(days=7, minutes=60)


def test_moving_an_item_swaps_it_with_its_neighbour(make_event):
    event = make_event(template=FORMULA_KEY)
    first, second = event.items[0], event.items[1]
    start = first.starts_at
    assert services.move_item(second, "up") is True
    db.session.commit()
    assert second.starts_at == start and first.starts_at == second.ends_at
    assert services.move_item(second, "up") is False  # already first


def test_saved_template_starts_a_new_event(make_event):
    event = make_event(template=FORMULA_KEY)
    services.delete_item(event.items[-1])
    template = services.save_template(event, "Short day")
    db.session.commit()
    other = make_event(template=template, starts_at=datetime(2049, 9, 9, 10, tzinfo=PARIS),
                       ends_at=datetime(2049, 9, 9, 18, tzinfo=PARIS))
    assert len(other.items) == len(template.items) == len(event.items)
    assert other.items[0].starts_at == datetime(2049, 9, 9, 10, tzinfo=PARIS)


def within(event):
    return all(event.starts_at <= i.starts_at < i.ends_at <= event.ends_at for i in event.items)


def test_formula_without_b2b_closes_the_gap_of_the_b2b_block(make_event):
    event = make_event(template=FORMULA_KEY)  # 9:00-17:00, no B2B
    closing = event.items[-1]
    assert (closing.starts_at, closing.ends_at) == (datetime(2049, 3, 18, 14, 15, tzinfo=PARIS),
                                                    datetime(2049, 3, 18, 15, tzinfo=PARIS))


def test_formula_on_an_evening_drops_the_breaks_and_shrinks_the_rest(make_event):
    event = make_event(template=FORMULA_KEY, starts_at=datetime(2049, 3, 18, 20, tzinfo=PARIS),
                       ends_at=datetime(2049, 3, 18, 23, 30, tzinfo=PARIS))
    assert [i.kind for i in event.items] == ["opening", "keynote", "pitch_need", "pitch_offer", "other"]
    assert within(event)
    assert event.items[0].starts_at == event.starts_at
    assert all(i.minutes % 5 == 0 and i.minutes >= 5 for i in event.items)
    assert all(a.ends_at == b.starts_at for a, b in zip(event.items, event.items[1:]))  # no hole


def test_formula_on_a_shorter_day_shrinks_the_breaks_first(make_b2b_event):
    event = make_b2b_event(template=FORMULA_KEY, ends_at=datetime(2049, 3, 18, 16, tzinfo=PARIS),
                           b2b_starts_at=None, b2b_ends_at=None)
    minutes = {i.title: i.minutes for i in event.items}
    assert within(event)
    assert minutes["Lunch and networking"] == 45 and minutes["Networking break"] == 15
    assert minutes["B2B meetings"] == 120 and minutes["End users present their needs"] == 60
    assert (event.b2b_starts_at, event.b2b_ends_at) == (datetime(2049, 3, 18, 13, 15, tzinfo=PARIS),
                                                        datetime(2049, 3, 18, 15, 15, tzinfo=PARIS))


@pytest.mark.parametrize("window", [(14, 0, 16, 0), (10, 30, 12, 0), (15, 0, 16, 30)])
def test_formula_fits_around_the_b2b_block_the_event_has(make_b2b_event, window):
    """The organiser's B2B window stays, and no item of the formula overlaps it: nothing to look at."""
    b2b_start = datetime(2049, 3, 18, window[0], window[1], tzinfo=PARIS)
    b2b_end = datetime(2049, 3, 18, window[2], window[3], tzinfo=PARIS)
    event = make_b2b_event(template=FORMULA_KEY, b2b_starts_at=b2b_start, b2b_ends_at=b2b_end)
    assert [(i.starts_at, i.ends_at) for i in event.items if i.kind == "b2b"] == [(b2b_start, b2b_end)]
    assert agenda.agenda_warnings(event.items, event.starts_at, event.ends_at) == {}
    if window[0] >= 14:  # an afternoon B2B: lunch before it and the closing drinks after it, as in the formula
        assert [i.kind for i in event.items][-3:] == ["break", "b2b", "other"]
    assert all(i.ends_at <= b2b_start or i.starts_at >= b2b_end for i in event.items if i.kind != "b2b")


def test_saved_template_fits_a_shorter_event(make_event):
    template = services.save_template(make_event(template=FORMULA_KEY), "Full day")
    db.session.commit()
    other = make_event(template=template, starts_at=datetime(2049, 9, 9, 18, tzinfo=PARIS),
                       ends_at=datetime(2049, 9, 9, 20, tzinfo=PARIS))
    assert other.items and within(other)
    assert "break" not in [i.kind for i in other.items]


def test_a_tiny_day_still_keeps_every_slot_inside():
    ten_hours = [{"offset": 60 * n, "minutes": 60, "kind": "other", "title": str(n)} for n in range(10)]
    slots = agenda.day_from_template(DAY, ten_hours, day_end=DAY + timedelta(minutes=20))
    assert slots and all(DAY <= s["starts_at"] < s["ends_at"] <= DAY + timedelta(minutes=20) for s in slots)


@pytest.fixture
def organiser(login, make_user):
    return login(make_user(role="admin"))


def test_builder_adds_an_item_and_flags_an_overlap(client, organiser, make_event):
    event = make_event(template=FORMULA_KEY)
    response = client.post(f"/admin/events/{event.uid}/agenda", headers=HTMX, data={
        "new-starts_at": "2049-03-18T09:15", "new-ends_at": "2049-03-18T09:45", "new-kind": "keynote",
        "new-title": "Surprise keynote", "new-listing_uid": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="agenda-builder"')
    assert "Surprise keynote" in html and "Overlaps with" in html
    # Were the form an item's edit page opened on its own, the address is the builder's again.
    assert response.headers["HX-Replace-Url"] == f"/admin/events/{event.uid}/agenda"
    assert db.session.scalars(select(AgendaItem).where(AgendaItem.title == "Surprise keynote")).one().kind == "keynote"


def test_the_add_form_starts_where_a_new_item_fits_never_after_the_event(client, organiser, make_event):
    """On a full day the form started where the programme ends, the event's end: an item that
    could not be saved as it was."""
    def new_start(event):
        html = client.get(f"/admin/events/{event.uid}/agenda").get_data(as_text=True)
        return re.search(r'id="new-starts_at"[^>]*value="([^"]+)"', html).group(1)

    def cancel(event, kind):
        next(i for i in event.items if i.kind == kind).status = "cancelled"
        db.session.commit()

    assert new_start(make_event()) == "2049-03-18T09:00"  # an empty day
    full = make_event(template=FORMULA_KEY, ends_at=datetime(2049, 3, 18, 15, tzinfo=PARIS))  # no B2B: 9:00-15:00
    assert new_start(full) == "2049-03-18T09:00"  # no room anywhere: the organiser chooses
    cancel(full, "pitch_need")
    assert new_start(full) == "2049-03-18T10:15"  # the gap it left
    cancel(full, "other")
    assert new_start(full) == "2049-03-18T14:15"  # after the programme, which now ends early


def test_a_pitch_presents_a_listing_of_its_kind(client, organiser, make_event, make_listing):
    event = make_event()
    need = make_listing(kind="need", title="Sorting cauliflowers")
    offer = make_listing(kind="offer", title="Hyperspectral line scanner")
    form = client.get(f"/admin/events/{event.uid}/agenda").get_data(as_text=True)
    assert re.search(r'<optgroup label="Offers"><option value="[^"]+">Hyperspectral line scanner · [^<]+</option>'
                     r'</optgroup>', form)
    typed = {"new-starts_at": "2049-03-18T11:00", "new-ends_at": "2049-03-18T11:10", "new-kind": "pitch_offer",
             "new-title": "Pitch"}
    refused = client.post(f"/admin/events/{event.uid}/agenda", headers=HTMX, data=dict(typed, **{"new-listing_uid": need.uid}))
    assert refused.status_code == 422 and "choose one among the offers" in refused.text
    assert "HX-Replace-Url" not in refused.headers  # the form stays, where it was
    assert client.post(f"/admin/events/{event.uid}/agenda", headers=HTMX,
                       data=dict(typed, **{"new-listing_uid": offer.uid})).status_code == 200
    assert db.session.scalars(select(AgendaItem.listing_uid).where(AgendaItem.title == "Pitch")).all() == [offer.uid]


def test_an_event_or_an_item_sent_twice_is_made_once(client, organiser, make_event):
    """A double click sends the form twice: its key, the new record's uid, finds the first one."""
    form = client.get("/admin/events/new").text
    key = re.search(r'name="key" type="hidden" value="([0-9a-f-]{36})"', form).group(1)
    typed = {"key": key, "title": "Twice", "timezone": "Europe/Paris", "starts_at": "2049-03-18T09:00",
             "ends_at": "2049-03-18T17:00", "capacity": "60", "b2b_slot_minutes": "20", "b2b_tables": "12",
             "template": ""}
    first, second = (client.post("/admin/events/new", headers=HTMX, data=typed) for _ in range(2))
    assert first.headers["HX-Redirect"] == second.headers["HX-Redirect"] == f"/admin/events/{key}/agenda"
    from portal.events.models import Event
    assert db.session.scalars(select(Event.uid).where(Event.title == "Twice")).all() == [key]
    builder = client.get(f"/admin/events/{key}/agenda").text
    item_key = re.search(r'name="new-key" type="hidden" value="([0-9a-f-]{36})"', builder).group(1)
    item = {"new-key": item_key, "new-starts_at": "2049-03-18T10:10", "new-ends_at": "2049-03-18T10:15",
            "new-kind": "other", "new-title": "Group photo", "new-listing_uid": ""}
    for _ in range(2):
        assert client.post(f"/admin/events/{key}/agenda", headers=HTMX, data=item).status_code == 200
    assert db.session.scalars(select(AgendaItem.uid).where(AgendaItem.title == "Group photo")).all() == [item_key]
    again = client.post(f"/admin/events/{key}/agenda", headers=HTMX, data=dict(item, **{"new-key": "not a uid"}))
    assert again.status_code == 200  # no key: an item like any other
    assert len(db.session.scalars(select(AgendaItem.uid).where(AgendaItem.title == "Group photo")).all()) == 2


def test_the_builders_quotes_are_the_translations_own(client, organiser, make_event):
    """Quotes around a title belong to the translatable text: French uses « », not English “ ”."""
    event = make_event(template=FORMULA_KEY)
    response = client.post(f"/admin/events/{event.uid}/agenda", headers=dict(HTMX, **{"Accept-Language": "fr"}), data={
        "new-starts_at": "2049-03-18T09:15", "new-ends_at": "2049-03-18T09:45", "new-kind": "keynote",
        "new-title": "Surprise keynote", "new-listing_uid": ""})
    html = response.get_data(as_text=True)
    assert "Chevauche «\u00a0Surprise keynote\u00a0»." in html and 'aria-label="Modifier «\u00a0Surprise keynote\u00a0»"' in html
    assert "“" not in html and "”" not in html


def test_builder_answers_422_with_errors_beside_the_fields(client, organiser, make_event):
    event = make_event()
    response = client.post(f"/admin/events/{event.uid}/agenda", headers=HTMX, data={
        "new-starts_at": "2049-03-18T10:00", "new-ends_at": "2049-03-18T09:00", "new-kind": "other", "new-title": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "The end must come after the start." in html
    assert 'value="2049-03-18T10:00"' in html  # what was typed stays


def test_speakers_to_choose_from_start_with_the_people_registered(client, organiser, make_event, make_person,
                                                                  make_organisation):
    from portal.events.registrations import register

    event = make_event(template=FORMULA_KEY)
    lab = make_organisation(name="Lumiwave")
    make_person(display_name="Aline Absent", organisation_uid=lab.uid)
    register(event, make_person(display_name="Zoé Speaker", organisation_uid=lab.uid).uid)
    db.session.commit()
    form = client.get(f"/admin/events/{event.uid}/agenda/{event.items[1].uid}/edit", headers=HTMX).text
    registered, others = form.index('label="Registered for this event"'), form.index('label="Other people')
    assert registered < form.index("Zoé Speaker · Lumiwave") < others < form.index("Aline Absent · Lumiwave")


def test_the_listing_pitched_names_its_organisation(client, organiser, make_event, make_organisation, make_listing):
    """Two organisations may pitch the same title: the choice said it twice, and nothing else."""
    event = make_event(template=FORMULA_KEY)
    for name in ("Lumiwave", "Kerlum Optics"):
        make_listing(organisation_uid=make_organisation(name=name).uid, title="Hyperspectral camera")
    form = client.get(f"/admin/events/{event.uid}/agenda/{event.items[1].uid}/edit", headers=HTMX).text
    assert "Hyperspectral camera · Lumiwave" in form and "Hyperspectral camera · Kerlum Optics" in form


def test_builder_edits_moves_cancels_and_deletes_inline(client, organiser, make_event, make_person):
    event = make_event(template=FORMULA_KEY)
    speaker = make_person(display_name="Dr Keynote")
    second = event.items[1]
    form = client.get(f"/admin/events/{event.uid}/agenda/{second.uid}/edit", headers=HTMX).get_data(as_text=True)
    assert 'name="edit-title"' in form and "Dr Keynote" in form
    client.post(f"/admin/events/{event.uid}/agenda/{second.uid}", headers=HTMX, data={
        "edit-starts_at": "2049-03-18T09:30", "edit-ends_at": "2049-03-18T10:15", "edit-kind": "keynote",
        "edit-title": "Keynote of the guests", "edit-speakers": [speaker.uid], "edit-listing_uid": ""})
    db.session.refresh(second)
    assert second.title == "Keynote of the guests" and second.speaker_person_uids == [speaker.uid]
    assert "Dr Keynote (Lumiwave Photonics)" in client.get(f"/events/{event.uid}").get_data(as_text=True)
    client.post(f"/admin/events/{event.uid}/agenda/{second.uid}/move/up", headers=HTMX)
    db.session.refresh(second)
    assert second.starts_at == event.starts_at
    before = client.get(f"/admin/events/{event.uid}/agenda").get_data(as_text=True).count("Mark as cancelled")
    html = client.post(f"/admin/events/{event.uid}/agenda/{second.uid}/cancel", headers=HTMX).get_data(as_text=True)
    assert before and html.count("Mark as cancelled") == before - 1
    assert "Restore" in html and db.session.get(AgendaItem, second.uid).cancelled
    client.post(f"/admin/events/{event.uid}/agenda/{second.uid}/delete", headers=HTMX)
    assert db.session.get(AgendaItem, second.uid) is None


def test_builder_works_without_javascript(client, organiser, make_event):
    event = make_event()
    response = client.post(f"/admin/events/{event.uid}/agenda", data={
        "new-starts_at": "2049-03-18T09:00", "new-ends_at": "2049-03-18T09:30", "new-kind": "opening",
        "new-title": "Welcome"})
    assert response.status_code == 302 and response.location.endswith(f"/admin/events/{event.uid}/agenda")
    assert "Welcome" in client.get(response.location).get_data(as_text=True)


def test_without_javascript_each_change_of_the_agenda_says_what_it_did(client, organiser, make_event):
    """A plain form post came back to the builder's top saying nothing: the change was somewhere below."""
    event = make_event(template=FORMULA_KEY)
    base = f"/admin/events/{event.uid}/agenda"

    def said(response):
        assert response.status_code == 302 and response.location == base
        return client.get(base).text

    assert "“Welcome” is added to the agenda." in said(client.post(base, data={
        "new-starts_at": "2049-03-18T17:00", "new-ends_at": "2049-03-18T17:30", "new-kind": "other",
        "new-title": "Welcome"}))
    item = db.session.scalars(select(AgendaItem).where(AgendaItem.title == "Welcome")).one()
    assert "“Farewell” is saved." in said(client.post(f"{base}/{item.uid}", data={
        "edit-starts_at": "2049-03-18T17:00", "edit-ends_at": "2049-03-18T17:30", "edit-kind": "other",
        "edit-title": "Farewell"}))
    moved = said(client.post(f"{base}/{item.uid}/move/up"))
    db.session.refresh(item)
    assert f"“Farewell” is moved, to {item.starts_at.astimezone(PARIS):%H:%M}–{item.ends_at.astimezone(PARIS):%H:%M} CET: the two" in moved
    assert "“Farewell” is marked as cancelled." in said(client.post(f"{base}/{item.uid}/cancel"))
    assert "“Farewell” is restored." in said(client.post(f"{base}/{item.uid}/cancel"))
    assert "“Farewell” is deleted." in said(client.post(f"{base}/{item.uid}/delete"))


def test_a_time_skipped_by_daylight_saving_is_refused(client, organiser, make_event):
    event = make_event(starts_at=datetime(2049, 3, 28, 0, tzinfo=PARIS), ends_at=datetime(2049, 3, 28, 12, tzinfo=PARIS))
    response = client.post(f"/admin/events/{event.uid}/agenda", headers=HTMX, data={
        "new-starts_at": "2049-03-28T02:30", "new-ends_at": "2049-03-28T03:30", "new-kind": "other", "new-title": "x"})
    assert response.status_code == 422 and "does not exist in Europe/Paris" in response.get_data(as_text=True)


def test_save_as_template_and_create_an_event_from_it(client, organiser, make_event):
    event = make_event(template=FORMULA_KEY)
    client.post(f"/admin/events/{event.uid}/agenda/template", data={"name": "Our day"})
    template = db.session.scalars(select(EventTemplate)).one()
    assert template.name == "Our day" and len(template.items) == len(event.items)
    response = client.post("/admin/events/new", data={
        "title": "Second edition", "timezone": "Europe/Paris", "starts_at": "2049-10-07T08:30",
        "ends_at": "2049-10-07T17:30", "capacity": "80", "registration_open": "y", "template": str(template.id),
        "b2b_slot_minutes": "20", "b2b_tables": "10"})
    assert response.status_code == 303
    created = [e for e in db.session.scalars(select(AgendaItem)) if e.event_uid != event.uid]
    assert min(i.starts_at for i in created) == datetime(2049, 10, 7, 8, 30, tzinfo=PARIS)


def test_create_event_with_the_formula_and_b2b_block(client, organiser, make_peer):
    make_peer("agri-ouest", "Agri Ouest")
    make_peer("not-yet", "Not Yet", state="pending")
    form = client.get("/admin/events/new").get_data(as_text=True)
    assert "Agri Ouest" in form and "Not Yet" not in form
    response = client.post("/admin/events/new", data={
        "title": "Light in the fields", "timezone": "Europe/Paris", "starts_at": "2049-03-28T09:00",
        "ends_at": "2049-03-28T17:00", "capacity": "60", "registration_open": "y", "co_hosts": ["agri-ouest"],
        "b2b_enabled": "y", "b2b_slot_minutes": "20", "b2b_tables": "12", "template": FORMULA_KEY})
    assert response.status_code == 303
    items = db.session.scalars(select(AgendaItem).order_by(AgendaItem.starts_at)).all()
    b2b = next(i for i in items if i.kind == "b2b")
    assert b2b.starts_at == datetime(2049, 3, 28, 14, 15, tzinfo=PARIS)  # CEST that day: 12:15 UTC
    assert b2b.starts_at.astimezone(timezone.utc).hour == 12


def test_event_form_refuses_a_b2b_block_outside_the_event(client, organiser):
    response = client.post("/admin/events/new", headers=HTMX, data={
        "title": "x", "timezone": "Europe/Paris", "starts_at": "2049-03-18T09:00", "ends_at": "2049-03-18T17:00",
        "capacity": "60", "b2b_enabled": "y", "b2b_starts_at": "2049-03-18T16:00", "b2b_ends_at": "2049-03-18T18:00",
        "b2b_slot_minutes": "20", "b2b_tables": "12", "template": ""})
    assert response.status_code == 422 and "inside the event" in response.get_data(as_text=True)


def test_every_event_form_error_shows_at_once(client, organiser, make_event):
    """The order of the times is checked even when another field failed: not in a second round."""
    typed = {"title": "", "timezone": "Europe/Paris", "starts_at": "2049-03-18T17:00", "ends_at": "2049-03-18T09:00",
             "capacity": "0", "b2b_slot_minutes": "20", "b2b_tables": "12", "template": ""}
    for url in ("/admin/events/new", f"/admin/events/{make_event().uid}/edit"):
        page = client.post(url, headers=HTMX, data=typed).get_data(as_text=True)
        assert all(re.search(f'id="{name}-error"', page) for name in ("title", "capacity", "ends_at")), url
        assert "The end must come after the start." in page


def test_an_unreadable_number_or_time_says_so_rather_than_missing(client, organiser):
    """A value that is there but unreadable (or a capacity of 0) is not "required"."""
    response = client.post("/admin/events/new", headers=HTMX, data={
        "title": "x", "timezone": "Europe/Paris", "starts_at": "tomorrow morning", "ends_at": "2049-03-18T17:00",
        "capacity": "0", "b2b_slot_minutes": "20", "b2b_tables": "12", "template": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "This field is required." not in page
    assert "Not a valid datetime value." in page and "Number must be between 1 and 100000." in page
    response = client.post("/admin/events/new", headers=HTMX, data={
        "title": "x", "timezone": "Europe/Paris", "starts_at": "2049-03-18T09:00", "ends_at": "2049-03-18T17:00",
        "capacity": "sixty", "b2b_slot_minutes": "20", "b2b_tables": "12", "template": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "This field is required." not in page
    # What could not be read is said alone, not with the range a missing number then misses.
    assert 'id="capacity-error" class="field-error" role="alert">Not a valid integer value.</small>' in page


def test_editing_an_event_keeps_what_was_typed_and_checks_the_b2b_block(client, organiser, make_event):
    event = make_event()
    form = client.get(f"/admin/events/{event.uid}/edit").get_data(as_text=True)
    assert 'value="2049-03-18T09:00"' in form and 'name="template"' not in form
    response = client.post(f"/admin/events/{event.uid}/edit", headers=HTMX, data={
        "title": "Renamed", "timezone": "Europe/Paris", "starts_at": "2049-03-18T09:00",
        "ends_at": "2049-03-18T17:00", "capacity": "50", "b2b_enabled": "y", "b2b_slot_minutes": "20",
        "b2b_tables": "10"})
    assert response.status_code == 422 and "Give the start and end of the B2B block." in response.get_data(as_text=True)
    response = client.post(f"/admin/events/{event.uid}/edit", headers=HTMX, data={
        "title": "Renamed", "timezone": "Europe/Paris", "starts_at": "2049-03-18T09:00",
        "ends_at": "2049-03-18T17:00", "capacity": "50", "registration_open": "y", "b2b_enabled": "y",
        "b2b_starts_at": "2049-03-18T14:00", "b2b_ends_at": "2049-03-18T16:00", "b2b_slot_minutes": "15",
        "b2b_tables": "8"})
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith(f"/admin/events/{event.uid}")
    db.session.refresh(event)
    assert (event.title, event.b2b_slot_minutes, event.b2b_starts_at) == (
        "Renamed", 15, datetime(2049, 3, 18, 14, tzinfo=PARIS))


def test_a_published_events_overview_says_when_a_shorter_day_leaves_agenda_items_after_its_end(
        client, organiser, make_event):
    """Only a draft's overview said so: a published day cut short left its closing item after
    the end on every host's agenda, and the organiser, sent to the overview, was told nothing."""
    event = make_event(template=FORMULA_KEY)  # without B2B, the formula's day ends at 15:00
    assert not event.draft
    assert "needs a look" not in client.get(f"/admin/events/{event.uid}").text
    response = client.post(f"/admin/events/{event.uid}/edit", data={
        "title": event.title, "timezone": "Europe/Paris", "starts_at": "2049-03-18T09:00",
        "ends_at": "2049-03-18T14:30", "capacity": "50", "registration_open": "y"})
    assert response.status_code == 303
    overview = client.get(f"/admin/events/{event.uid}").text
    assert "1 agenda item needs a look (an overlap, or a time outside the event's)." in overview
    assert f'href="/admin/events/{event.uid}/agenda">Open the agenda builder' in overview


def test_lowering_the_capacity_below_who_is_confirmed_says_they_keep_their_places(client, organiser, make_event,
                                                                                   make_person):
    from portal.events.registrations import register

    event = make_event()
    for _ in range(3):
        register(event, make_person().uid)
    db.session.commit()
    client.post(f"/admin/events/{event.uid}/edit", data={
        "title": event.title, "timezone": "Europe/Paris", "starts_at": "2049-03-18T09:00",
        "ends_at": "2049-03-18T17:00", "capacity": "2", "registration_open": "y"})
    page = client.get(f"/admin/events/{event.uid}").text
    assert "3 people are confirmed, more than the capacity of 2: they keep their places" in page


def b2b_item(event):
    return db.session.scalars(select(AgendaItem).where(AgendaItem.event_uid == event.uid,
                                                       AgendaItem.kind == "b2b")).one()


def test_the_zone_list_is_canonical_and_an_event_keeps_an_alias_it_already_has(client, organiser, make_b2b_event):
    page = client.get("/admin/events/new").get_data(as_text=True)
    form = re.search(r'<select[^>]* id="timezone".*?</select>', page, re.S)[0]
    assert '<option value="Europe/Amsterdam">' in form and '<option value="Asia/Kolkata">' in form
    assert '"US/Eastern"' not in form and '"Asia/Calcutta"' not in form and '"GB"' not in form
    event = make_b2b_event()
    event.timezone = "Europe/Kiev"  # chosen when the list still offered aliases
    db.session.commit()
    edit = client.get(f"/admin/events/{event.uid}/edit").get_data(as_text=True)
    assert '<option selected value="Europe/Kiev">' in edit or '<option value="Europe/Kiev" selected>' in edit
    assert client.post(f"/admin/events/{event.uid}/edit", data=event_form(timezone="Europe/Kiev")).status_code == 303
    db.session.refresh(event)
    assert event.timezone == "Europe/Kiev"


def test_an_upcoming_event_with_registrations_is_not_moved_into_the_past_by_mistake(client, organiser, make_b2b_event,
                                                                                  make_person):
    from portal.events.registrations import register

    event = make_b2b_event()
    past = event_form(starts_at="2026-03-18T09:00", ends_at="2026-03-18T17:00", b2b_starts_at="2026-03-18T14:00",
                      b2b_ends_at="2026-03-18T16:00")
    assert client.post(f"/admin/events/{event.uid}/edit", data=past).status_code == 303  # nobody registered yet
    event = make_b2b_event()
    register(event, make_person().uid)
    db.session.commit()
    refused = client.post(f"/admin/events/{event.uid}/edit", data=past)
    assert refused.status_code == 422 and "survey invitations would go out at once" in refused.text
    db.session.refresh(event)
    assert event.ends_at.year == 2049


def event_form(**overrides):
    data = {"title": "Photonics meets agrifood", "timezone": "Europe/Paris", "starts_at": "2049-03-18T09:00",
            "ends_at": "2049-03-18T17:00", "capacity": "50", "registration_open": "y", "b2b_enabled": "y",
            "b2b_starts_at": "2049-03-18T14:00", "b2b_ends_at": "2049-03-18T16:00", "b2b_slot_minutes": "20",
            "b2b_tables": "2"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_agenda_b2b_block_is_the_events_b2b_window(client, organiser, make_b2b_event):
    event = make_b2b_event(template=FORMULA_KEY)  # the formula's B2B slot (14:15) takes the event's window
    block = b2b_item(event)
    assert (block.starts_at, block.ends_at) == (event.b2b_starts_at, event.b2b_ends_at)
    event_version, block_version = event.version, block.version
    response = client.post(f"/admin/events/{event.uid}/agenda/{block.uid}", headers=HTMX, data={
        "edit-starts_at": "2049-03-18T14:30", "edit-ends_at": "2049-03-18T16:30", "edit-kind": "b2b",
        "edit-title": block.title, "edit-listing_uid": ""})
    assert response.status_code == 200
    db.session.refresh(event)
    assert (event.b2b_starts_at, event.b2b_ends_at) == (datetime(2049, 3, 18, 14, 30, tzinfo=PARIS),
                                                        datetime(2049, 3, 18, 16, 30, tzinfo=PARIS))
    assert event.version == event_version + 1  # partner portals see the new window
    assert "14:30" in client.get(f"/admin/events/{event.uid}").get_data(as_text=True)
    client.post(f"/admin/events/{event.uid}/edit", data=event_form(b2b_starts_at="2049-03-18T15:00",
                                                                 b2b_ends_at="2049-03-18T17:00"))
    db.session.refresh(block)
    assert block.starts_at == datetime(2049, 3, 18, 15, tzinfo=PARIS) and block.version == block_version + 2
    outside = client.post(f"/admin/events/{event.uid}/agenda/{block.uid}", headers=HTMX, data={
        "edit-starts_at": "2049-03-18T16:00", "edit-ends_at": "2049-03-18T18:00", "edit-kind": "b2b",
        "edit-title": block.title, "edit-listing_uid": ""})
    assert outside.status_code == 422 and "must lie inside the event" in outside.get_data(as_text=True)
    db.session.refresh(event)
    assert event.b2b_ends_at == datetime(2049, 3, 18, 17, tzinfo=PARIS)


def test_the_b2b_block_is_cancelled_only_by_turning_b2b_off(client, organiser, make_b2b_event):
    event = make_b2b_event()  # an empty agenda: the block is made from the window
    block = b2b_item(event)
    builder = client.get(f"/admin/events/{event.uid}/agenda").get_data(as_text=True)
    assert "To cancel them, turn B2B off in the event" in builder and "Mark as cancelled" not in builder
    for action in ("cancel", "delete"):
        response = client.post(f"/admin/events/{event.uid}/agenda/{block.uid}/{action}", headers=HTMX)
        assert response.status_code == 422 and "turn them off in the event" in response.get_data(as_text=True)
        assert not db.session.get(AgendaItem, block.uid).cancelled
    second = client.post(f"/admin/events/{event.uid}/agenda", headers=HTMX, data={
        "new-starts_at": "2049-03-18T10:00", "new-ends_at": "2049-03-18T11:00", "new-kind": "b2b",
        "new-title": "More meetings", "new-listing_uid": ""})
    assert second.status_code == 422 and "The event has one B2B block" in second.get_data(as_text=True)
    client.post(f"/admin/events/{event.uid}/edit", data=event_form(b2b_enabled=None))
    db.session.refresh(block)
    assert block.cancelled and block.version == 2
    assert "Restore" in client.get(f"/admin/events/{event.uid}/agenda").get_data(as_text=True)
    restored = client.post(f"/admin/events/{event.uid}/agenda/{block.uid}/cancel", headers=HTMX)
    assert restored.status_code == 422 and "This event has no B2B meetings" in restored.get_data(as_text=True)
    client.post(f"/admin/events/{event.uid}/edit", data=event_form())
    db.session.refresh(block)
    assert not block.cancelled and db.session.scalars(select(AgendaItem)).all() == [block]


def test_moving_the_b2b_block_moves_the_window(make_b2b_event):
    event = make_b2b_event(template=FORMULA_KEY)
    services.move_item(b2b_item(event), "down")  # swapped with the closing drinks
    db.session.commit()
    assert event.b2b_starts_at == b2b_item(event).starts_at != datetime(2049, 3, 18, 14, tzinfo=PARIS)


def test_a_cancelled_events_settings_and_agenda_are_read_only(client, organiser, make_event):
    event = make_event(template=FORMULA_KEY)
    services.cancel_event(event)
    db.session.commit()
    form = client.get(f"/admin/events/{event.uid}/edit").get_data(as_text=True)
    assert "This event is cancelled: its settings and agenda stay as they were" in form
    assert '<fieldset class="form-body" disabled>' in form and ">Save</button>" not in form
    response = client.post(f"/admin/events/{event.uid}/edit", data=event_form(title="Renamed", b2b_enabled=None))
    assert response.status_code == 409 and db.session.get(type(event), event.uid).title != "Renamed"
    builder = client.get(f"/admin/events/{event.uid}/agenda").get_data(as_text=True)
    assert "can no longer be changed" in builder and "Delete" not in builder and "Add an item" not in builder
    item = event.items[0]
    for path in (f"agenda/{item.uid}/cancel", f"agenda/{item.uid}/delete", f"agenda/{item.uid}/move/down"):
        assert client.post(f"/admin/events/{event.uid}/{path}", headers=HTMX).status_code == 409
    assert client.get(f"/admin/events/{event.uid}/agenda/{item.uid}/edit").status_code == 409
    added = client.post(f"/admin/events/{event.uid}/agenda", headers=HTMX, data={
        "new-starts_at": "2049-03-18T09:00", "new-ends_at": "2049-03-18T09:30", "new-kind": "other", "new-title": "x"})
    assert added.status_code == 409 and db.session.get(AgendaItem, item.uid).cancelled
    assert len(db.session.scalars(select(AgendaItem)).all()) == len(event.items)


def test_the_builders_safe_actions_lead_and_delete_stays_in_outline(client, organiser, make_event):
    event = make_event(template=FORMULA_KEY)
    html = client.get(f"/admin/events/{event.uid}/agenda").get_data(as_text=True)
    assert re.search(r'class="small" role="button" aria-label="[^"]*">Edit</a>', html)
    assert 'class="outline danger small" name="confirm_question" value="Delete this item?">Delete</button>' in html
    assert 'class="secondary small"' not in html


def test_a_speaker_who_does_not_share_their_profile_is_named_only_to_our_organisers(client, organiser, make_event,
                                                                                    make_person):
    """Public pages leave them unnamed and peers do not get their uid, until they share."""
    from portal.federation.models import Record

    event = make_event(template=FORMULA_KEY)
    shy, open_ = make_person(display_name="Philippe Discret", share_profile=False), make_person(display_name="Dr Open")
    item = event.items[1]
    item.speaker_person_uids = [shy.uid, open_.uid]
    db.session.commit()
    for path in (f"/events/{event.uid}", f"/events/{event.uid}/agenda"):
        page = client.get(path).text
        assert "Dr Open" in page and "Philippe Discret" not in page
    assert "Philippe Discret" in client.get(f"/admin/events/{event.uid}/agenda").text
    assert item.fed_data()["speaker_person_uids"] == [open_.uid]
    version = item.version
    shy.set_sharing(True)
    db.session.commit()
    assert item.version > version and item.fed_data()["speaker_person_uids"] == [shy.uid, open_.uid]
    published = db.session.get(Record, ("agenda_item", item.uid))
    assert published.version == item.version and published.data["speaker_person_uids"] == [shy.uid, open_.uid]
    assert "Philippe Discret" in client.get(f"/events/{event.uid}/agenda").text


def speaker_mails(to):
    from portal.mail.models import OutboxMessage

    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == to, OutboxMessage.dedupe_key.like(
        "agenda-item:%")).order_by(OutboxMessage.id)).all()


def test_our_speakers_are_mailed_when_their_item_is_cancelled_or_moved(client, organiser, make_event, make_user,
                                                                      make_person):
    event = make_event(template=FORMULA_KEY)
    speaker = make_user(email="keynote@example.org", display_name="Dr Keynote")
    item = event.items[1]
    item.speaker_person_uids = [speaker.person_uid, make_person().uid]  # the second has no account here
    db.session.commit()
    was = f"{item.starts_at.astimezone(PARIS):%H:%M}–{item.ends_at.astimezone(PARIS):%H:%M}"
    edit = {"edit-starts_at": "2049-03-18T11:00", "edit-ends_at": "2049-03-18T11:45", "edit-kind": item.kind,
            "edit-title": item.title, "edit-speakers": item.speaker_person_uids, "edit-listing_uid": ""}
    client.post(f"/admin/events/{event.uid}/agenda/{item.uid}", headers=HTMX, data=edit)
    client.post(f"/admin/events/{event.uid}/agenda/{item.uid}", headers=HTMX,
                data=dict(edit, **{"edit-title": "The guests' keynote"}))  # a new title: nothing to tell
    client.post(f"/admin/events/{event.uid}/agenda/{item.uid}/cancel", headers=HTMX)
    client.post(f"/admin/events/{event.uid}/agenda/{item.uid}/cancel", headers=HTMX)  # restored
    mails = speaker_mails("keynote@example.org")
    title = edit["edit-title"]
    assert [m.subject for m in mails] == [f"Programme change at Photonics meets agrifood: {title}"] + [
        "Programme change at Photonics meets agrifood: The guests' keynote"] * 2
    moved, cancelled, restored = mails
    assert moved.body.startswith("Hello Dr Keynote,\n")
    assert (f"“{title}”, where you are a speaker:\nwas: 18 Mar 2049, {was} CET\n"
            "now: 18 Mar 2049, 11:00–11:45 CET\n") in moved.body
    assert f"Agenda:\nhttp://test-cluster.example/events/{event.uid}/agenda\n" in moved.body
    assert "was: 18 Mar 2049, 11:00–11:45 CET\nnow: Cancelled\n" in cancelled.body
    assert "was: Cancelled\nnow: 18 Mar 2049, 11:00–11:45 CET\n" in restored.body


def test_a_drafts_speakers_are_not_mailed(client, organiser, make_event, make_user):
    from portal.events.constants import DRAFT

    event = make_event(template=FORMULA_KEY)
    event.status = DRAFT
    item = event.items[1]
    item.speaker_person_uids = [make_user(email="keynote@example.org").person_uid]
    db.session.commit()
    client.post(f"/admin/events/{event.uid}/agenda/{item.uid}/cancel", headers=HTMX)
    assert db.session.get(AgendaItem, item.uid).cancelled and speaker_mails("keynote@example.org") == []


def test_a_co_hosts_speaker_is_mailed_at_home_when_the_lead_cancels_the_item(app, make_replica, make_user):
    from portal.events.models import Event
    from portal.federation import apply
    from tests.portals import change

    event = make_replica(Event, "lead-a", title="Sensing for vineyards", timezone="Europe/Paris",
                         starts_at=datetime(2049, 6, 3, 9, tzinfo=PARIS),
                         ends_at=datetime(2049, 6, 3, 17, tzinfo=PARIS),
                         co_hosts=["test-cluster"], capacity=20)
    speaker = make_user(email="ours@example.org", display_name="Nolwenn Tanguy")
    uid = "00000000-0000-4000-8000-000000000001"
    data = {"event_uid": event.uid, "starts_at": "2049-06-03T10:00:00+02:00", "ends_at": "2049-06-03T10:30:00+02:00",
            "kind": "keynote", "title": "Vines and light", "speaker_person_uids": [speaker.person_uid],
            "listing_uid": None, "status": "scheduled"}
    for version, status in ((1, "scheduled"), (2, "cancelled"), (2, "cancelled")):  # the last: a repeat
        apply.apply_changes(db.session, "lead-a", [change(version, uid, "agenda_item", origin="lead-a",
                                                          version=version, data=dict(data, status=status))], "e1")
        db.session.commit()
    [mail] = speaker_mails("ours@example.org")
    assert mail.subject == "Programme change at Sensing for vineyards: Vines and light"
    assert "was: 3 Jun 2049, 10:00–10:30 CEST\nnow: Cancelled\n" in mail.body


@pytest.mark.parametrize("page", ["/events/{uid}", "/events/{uid}/agenda", "/admin/events/{uid}/agenda"])
def test_the_agenda_reads_as_many_times_for_twice_the_pitches(client, login, make_event, make_user, make_listing, page):
    event = make_event()
    login(make_user(role="admin"))
    counts = []
    for round in range(2):  # two pitches, each presenting its listing, then four
        for n in range(2):
            author = make_user()
            listing = make_listing(title=f"Offer {round}{n}", person_uid=author.person_uid,
                                   organisation_uid=author.person.organisation_uid)
            start = event.starts_at + timedelta(minutes=10 * (2 * round + n))
            db.session.add(AgendaItem(event_uid=event.uid, kind="pitch_offer", title=f"Pitch {round}{n}",
                                      listing_uid=listing.uid, starts_at=start, ends_at=start + timedelta(minutes=10)))
        db.session.commit()
        counts.append(page_queries(client, page.format(uid=event.uid)))
    assert counts[1] == counts[0]
