"""Accessibility in the rendered HTML: headings, names of controls, scroll regions, announcements."""
import re
import xml.etree.ElementTree as ET

import pytest

from portal.events.formula import FORMULA_KEY
from portal.extensions import db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def admin(login, make_user):
    return login(make_user(role="admin", display_name="Organiser"))


def test_directory_results_are_headed_by_their_count_and_announced_through_one_stable_region(client, make_listing):
    make_listing(title="Laser welding cell")
    page = client.get("/directory").get_data(as_text=True)
    assert page.count('role="status"') == 1 and 'id="announcer"' in page
    assert "autofocus" not in page
    assert re.search(r'<h2 class="result-count" data-announce>\s*1 offer', page)
    fragment = client.get("/directory?q=laser", headers=HTMX).get_data(as_text=True)
    assert "aria-live" not in fragment and "data-announce" in fragment
    organisations = client.get("/organisations").get_data(as_text=True)
    assert '<h2 class="result-count" data-announce>' in organisations and "aria-live" not in organisations


def test_agenda_builder_controls_name_their_item(client, admin, make_event):
    event = make_event(template=FORMULA_KEY)
    title = event.items[0].title
    html = client.get(f"/admin/events/{event.uid}/agenda").get_data(as_text=True)
    assert f'aria-label="Move earlier: {title}"' in html and f'aria-label="Move later: {title}"' in html
    assert f'aria-label="Edit “{title}”">Edit</a>' in html
    assert '<span aria-hidden="true">↑</span>' in html


def test_agenda_and_attendee_row_actions_name_their_item_or_person(client, admin, make_event, make_person):
    """'Mark as cancelled', 'Delete', 'Role' and 'Refuse' were read alone, the same on every row: each
    is described by its row's title or person, as the meetings overview's buttons are."""
    from portal.events.registrations import register

    event = make_event(template=FORMULA_KEY)
    item = event.items[1]
    html = client.get(f"/admin/events/{event.uid}/agenda").get_data(as_text=True)
    assert f'<strong id="item-{item.uid}-title">' in html
    for label in ("Mark as cancelled", "Delete"):
        assert re.search(rf'aria-describedby="item-{item.uid}-title"[^>]*>{label}</button>', html), label
    registration = register(event, make_person(display_name="Yann Kerouac").uid)
    db.session.commit()
    html = client.get(f"/admin/events/{event.uid}/attendees").get_data(as_text=True)
    name = f"attendee-{registration.uid}-name"
    assert re.search(rf'<td class="row-title" id="{name}">Yann Kerouac</td>', html)
    for label in ("Role", "Refuse"):
        assert f'<summary aria-describedby="{name}">{label}</summary>' in html, label


def test_check_in_buttons_name_the_person_and_the_door_keeps_autofocus(client, admin, make_event, make_person):
    from portal.events.registrations import register

    event = make_event(today=True)
    register(event, make_person(display_name="Yann Kerouac").uid)
    db.session.commit()
    html = client.get(f"/admin/events/{event.uid}/checkin").get_data(as_text=True)
    assert re.search(r'Check in<span class="visually-hidden"> Yann Kerouac</span></button>', html)
    assert "autofocus" in html


def test_star_button_names_the_other_person(client, login, make_b2b_event, make_participant):
    from portal.meetings import services

    event = make_b2b_event()
    anne, bruno = make_participant(event, "Anne"), make_participant(event, "Bruno")
    services.request_meeting(event, anne.person_uid, bruno.person_uid, "Hello")
    db.session.commit()
    login(anne)
    html = client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True)
    assert '<span aria-hidden="true">☆</span><span class="visually-hidden">Star Bruno</span>' in html


def test_empty_action_headers_are_named(client, admin, make_event):
    make_event()
    html = client.get("/admin/events/").get_data(as_text=True)
    assert "<th></th>" not in html and "<th>This cluster</th>" in html  # every column is named


def test_impact_tables_scroll_in_a_keyboard_reachable_region(client, admin, make_b2b_event):
    event = make_b2b_event()
    html = client.get(f"/admin/impact/events/{event.uid}").get_data(as_text=True)
    regions = re.findall(r'<div class="overflow-auto"[^>]*>', html)
    assert regions and all('tabindex="0"' in r and 'role="region"' in r and "aria-labelledby=" in r for r in regions)


def test_grid_has_a_legend_a_title_marks_besides_colour_and_prints_landscape(client, admin, make_b2b_event,
                                                                          make_participant, make_meeting):
    event = make_b2b_event()
    anne, bruno = make_participant(event, "Anne"), make_participant(event, "Bruno")
    make_meeting(event, anne.person_uid, bruno.person_uid, status="held", table="T1")
    page = client.get(f"/admin/b2b/events/{event.uid}/grid").get_data(as_text=True)
    assert 'class="print-landscape"' in page
    assert re.search(r'<figure class="b2b-grid-figure">\s*<div class="b2b-grid" tabindex="0" role="region" aria-label="B2B grid">', page)
    legend = re.search(r'<ul class="grid-legend".*?</ul>', page, re.S).group(0)
    assert "Scheduled" in legend and "Held" in legend and "No-show" in legend and "✓" in legend
    root = ET.fromstring(client.get(f"/admin/b2b/events/{event.uid}/grid.svg").data)
    svg = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{svg}title").text == f"B2B grid · {event.title}"
    assert "✓" in [t.text for t in root.iter(f"{svg}text")]


def test_table_sheets_have_one_page_heading_and_silent_boxes(client, admin, make_b2b_event, make_participant,
                                                            make_meeting):
    event = make_b2b_event()
    anne, bruno = make_participant(event, "Anne"), make_participant(event, "Bruno")
    make_meeting(event, anne.person_uid, bruno.person_uid, status="scheduled", table="T1")
    html = client.get(f"/admin/b2b/events/{event.uid}/tables").get_data(as_text=True)
    assert html.count("<h1") == 1 and "<h1>Table sheets</h1>" in html
    assert '<h2 class="table-sheet-title">Table T1</h2>' in html
    assert '<span aria-hidden="true">☐</span>' in html


def test_planner_announces_its_totals_and_its_table_scrolls_in_a_named_region(client, admin, make_listing):
    make_listing(title="Laser welding cell", keywords=["laser"])
    html = client.get("/admin/events/planner?keywords=laser", headers=HTMX).get_data(as_text=True)
    assert re.search(r'<p class="visually-hidden" data-announce>1 offer, 0 needs</p>', html)
    assert '<div class="overflow-auto" tabindex="0" role="region" aria-label="Topic planner">' in html
    assert "aria-live" not in html


def test_reply_and_withdraw_buttons_are_described_by_the_other_person(client, login, make_b2b_event,
                                                                    make_participant):
    """Accept, Decline and Withdraw were the same on every request: each is described by the row's name."""
    from portal.meetings import services

    event = make_b2b_event()
    anne, bruno = make_participant(event, "Anne"), make_participant(event, "Bruno")
    request = services.request_meeting(event, anne.person_uid, bruno.person_uid, "Hello")
    db.session.commit()
    name = f"request-{request.uid}-who"
    login(bruno)
    html = client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True)
    assert f'<strong id="{name}"><a href="/people/{anne.person_uid}">Anne</a></strong>' in html  # its text: "Anne"
    assert html.count(f'aria-describedby="{name}"') == 3  # the message, Accept and Decline
    login(anne)
    html = client.get(f"/events/{event.uid}/b2b/").get_data(as_text=True)
    assert re.search(rf'aria-describedby="{name}"[^>]*>Withdraw</button>', html)


def test_the_event_management_menu_marks_the_page_it_is_on(client, admin, make_event):
    """Fifteen links and none said which was the page shown, to a screen reader or on screen."""
    event = make_event()
    html = client.get(f"/admin/events/{event.uid}/attendees").get_data(as_text=True)
    assert f'<a href="/admin/events/{event.uid}/attendees" aria-current="page">Attendees</a>' in html
    assert html.count('aria-current="page"') == 1
    agenda = client.get(f"/admin/events/{event.uid}/agenda").get_data(as_text=True)
    assert f'<a href="/admin/events/{event.uid}/agenda" aria-current="page">Agenda</a>' in agenda
