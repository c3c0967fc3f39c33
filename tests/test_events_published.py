"""iCalendar and JSON-LD of events, parsed back and checked."""
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from markupsafe import Markup

from portal.events import services
from portal.events.formula import FORMULA_KEY
from portal.events.published import json_script
from portal.extensions import db

PARIS = ZoneInfo("Europe/Paris")


def calendar(client, event, agenda=True):
    response = client.get(f"/events/{event.uid}.ics" + ("?agenda=1" if agenda else ""))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(response.data)


def vevents(cal):
    return {str(v["uid"]): v for v in cal.walk("VEVENT")}


def test_ics_has_the_event_and_its_items_with_stable_uids(client, make_event):
    event = make_event(template=FORMULA_KEY)
    found = vevents(calendar(client, event))
    assert f"{event.uid}@test-cluster" in found
    assert {f"{i.uid}@test-cluster" for i in event.items} <= set(found)
    main = found[f"{event.uid}@test-cluster"]
    assert main.decoded("dtstart") == datetime(2049, 3, 18, 9, tzinfo=PARIS)
    assert str(main["status"]) == "CONFIRMED" and "Brest" in str(main["location"])


def test_the_plain_ics_is_one_entry_with_the_agenda_in_its_description(client, make_event):
    event = make_event(template=FORMULA_KEY)
    services.set_item_cancelled(event.items[2])
    db.session.commit()
    cal = calendar(client, event, agenda=False)
    assert [str(v["uid"]) for v in cal.walk("VEVENT")] == [f"{event.uid}@test-cluster"]
    description = str(cal.walk("VEVENT")[0]["description"])
    first = event.items[0]
    assert f"{first.starts_at.astimezone(PARIS):%H:%M}–{first.ends_at.astimezone(PARIS):%H:%M} {first.title}" in description
    assert event.items[2].title not in description  # cancelled
    detailed = vevents(calendar(client, event))
    assert all("Brest" in str(v["location"]) for v in detailed.values())  # every item at the venue


def test_ics_declares_its_time_zone(client, make_event):
    cal = calendar(client, make_event())
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    main = cal.walk("VEVENT")[0]
    assert main["dtstart"].params["TZID"] == "Europe/Paris"


def test_an_edit_keeps_uids_and_raises_sequence(client, make_event):
    event = make_event(template=FORMULA_KEY)
    before = vevents(calendar(client, event))
    item = event.items[0]
    services.update_item(item, {"title": "Welcome, coffee, opening"})
    services.update_event(event, {"title": "Photonics meets agrifood, 2nd edition"})
    db.session.commit()
    after = vevents(calendar(client, event))
    assert set(after) == set(before)
    key, item_key = f"{event.uid}@test-cluster", f"{item.uid}@test-cluster"
    assert int(after[key]["sequence"]) > int(before[key]["sequence"])
    assert int(after[item_key]["sequence"]) > int(before[item_key]["sequence"])
    assert str(after[item_key]["summary"]) == "Welcome, coffee, opening"


def test_cancelling_marks_event_and_items_cancelled(client, make_event):
    event = make_event(template=FORMULA_KEY)
    before = vevents(calendar(client, event))
    services.cancel_event(event)
    db.session.commit()
    after = vevents(calendar(client, event))
    assert {str(v["status"]) for v in after.values()} == {"CANCELLED"}
    assert all(int(after[k]["sequence"]) > int(before[k]["sequence"]) for k in after)
    assert not event.registration_open


def test_a_cancelled_item_alone_is_cancelled(client, make_event):
    event = make_event(template=FORMULA_KEY)
    services.set_item_cancelled(event.items[2])
    db.session.commit()
    statuses = {k: str(v["status"]) for k, v in vevents(calendar(client, event)).items()}
    assert statuses.pop(f"{event.items[2].uid}@test-cluster") == "CANCELLED"
    assert set(statuses.values()) == {"CONFIRMED"}


def test_times_are_right_across_a_daylight_saving_change(client, make_event):
    """2049-03-28: Paris moves from UTC+1 to UTC+2 at 02:00 local time."""
    event = make_event(starts_at=datetime(2049, 3, 28, 0, 30, tzinfo=PARIS), ends_at=datetime(2049, 3, 28, 12, tzinfo=PARIS))
    night = services.add_item(event, {"starts_at": datetime(2049, 3, 28, 1, 0, tzinfo=PARIS),
                                      "ends_at": datetime(2049, 3, 28, 4, 0, tzinfo=PARIS), "kind": "other",
                                      "title": "Across the change"})
    db.session.commit()
    vevent = vevents(calendar(client, event))[f"{night.uid}@test-cluster"]
    start, end = vevent.decoded("dtstart"), vevent.decoded("dtend")
    assert (start.hour, end.hour) == (1, 4) and str(start.tzinfo) == "Europe/Paris"
    real = end.astimezone(ZoneInfo("UTC")) - start.astimezone(ZoneInfo("UTC"))
    assert real.total_seconds() == 2 * 3600  # three hours on the clock, two in reality
    assert start.utcoffset().total_seconds() == 3600 and end.utcoffset().total_seconds() == 7200
    page = client.get(f"/events/{event.uid}/agenda").get_data(as_text=True)
    assert "01:00 CET–04:00 CEST" in page


def test_json_script_cannot_close_its_script_element():
    out = json_script({"name": "</script><script>alert(1)</script>", "x": "<!-- a", "y": "R&D"})
    assert isinstance(out, Markup) and not {"<", ">", "&"} & set(str(out))
    assert json.loads(str(out)) == {"name": "</script><script>alert(1)</script>", "x": "<!-- a", "y": "R&D"}


def test_a_title_that_opens_a_comment_and_a_script_leaves_the_event_page_whole(client, make_event):
    """`<!--<script` in JSON-LD would make the HTML parser read the rest of the page as script."""
    event = make_event(title='Photonics "><img src=x onerror=alert(1)><!--<script>')
    html = client.get(f"/events/{event.uid}").text
    start = html.index('<script type="application/ld+json">')
    block = html[start:html.index("</script>", start)]
    assert "<!--" not in block and "<script>" not in block.removeprefix('<script type="application/ld+json">')
    assert json.loads(block.split(">", 1)[1])["name"] == event.title
    assert "<h1" in html[html.index("</script>", start):]  # the page goes on after the block


def test_json_ld_of_a_cancelled_event(client, make_event):
    event = make_event(template=FORMULA_KEY)
    services.cancel_event(event)
    db.session.commit()
    html = client.get(f"/events/{event.uid}").get_data(as_text=True)
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    data = json.loads(html[start:html.index("</script>", start)])
    assert data["eventStatus"] == "https://schema.org/EventCancelled" and "subEvent" not in data
    assert "This event is cancelled." in html


@pytest.mark.parametrize("name", ["Europe", "Mars/Olympus", "x" * 300])
def test_a_peer_zone_name_that_is_no_zone_is_read_as_utc(client, make_event, name):
    """A name tzdata has as a folder ("Europe") or cannot open (over 255 characters) took the pages down."""
    event = make_event()
    event.timezone = name
    db.session.commit()
    for url in ("/events", f"/events/{event.uid}", f"/events/{event.uid}/agenda", f"/events/{event.uid}.ics"):
        assert client.get(url).status_code == 200, url
