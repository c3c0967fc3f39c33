"""The organisers' attendee list at a thousand registrations: its search and filters (GET, live to
htmx), its pages, and the CSV and printed list that follow the filters."""
import csv
import io
import re

import pytest

from portal.events import attendee_views
from portal.events.registration_models import Registration
from portal.events.registrations import cancel_registration, check_in, refuse, register
from portal.extensions import db
from tests.queries import page_queries

HTMX = {"HX-Request": "true"}


@pytest.fixture
def crowd(make_event, make_person, make_organisation, make_replica):
    """A small event (capacity 3) of this portal with one of a partner's members: Anne confirmed and
    checked in, Bruno confirmed with B2B, Chloé refused (her place went to Denis, of Quai
    Photonique), Élise a speaker on the waiting list, Fanny cancelled; Zoé of host-b, on the
    waiting list too (nobody awaits a decision: this portal leads, it decides at once)."""
    event = make_event(co_hosts=["host-b"], capacity=3, today=True)
    quai = make_organisation(name="Quai Photonique")
    people = {name: make_person(display_name=name, organisation_uid=quai.uid if name == "Denis Morvan" else None)
              for name in ("Anne Le Goff", "Bruno Kervella", "Chloé Martin", "Denis Morvan", "Élise Tanguy",
                           "Fanny Riou")}
    made = {name: register(event, person.uid, b2b=name == "Bruno Kervella",
                           role="speaker" if name == "Élise Tanguy" else "attendee")
            for name, person in people.items()}
    db.session.commit()
    refuse(made["Chloé Martin"])
    check_in(made["Anne Le Goff"])
    db.session.commit()
    cancel_registration(made["Fanny Riou"])
    db.session.commit()
    make_replica(Registration, "host-b", event_uid=event.uid, person_uid=make_person(display_name="Zoé Bihan").uid,
                 role="attendee", b2b=False, status="registered")
    return event, made


NAMES = ("Anne Le Goff", "Bruno Kervella", "Chloé Martin", "Denis Morvan", "Élise Tanguy", "Fanny Riou", "Zoé Bihan")


def shown(page):
    return [name for name in NAMES if f">{name}</td>" in page]


@pytest.mark.parametrize("query, expected", [
    ("", NAMES),
    ("q=MORV", ("Denis Morvan",)),  # accents and case aside
    ("q=quai+photo", ("Denis Morvan",)),  # by organisation
    ("q=elise", ("Élise Tanguy",)),
    ("status=confirmed", ("Anne Le Goff", "Bruno Kervella", "Denis Morvan")),
    ("status=waitlisted", ("Élise Tanguy", "Zoé Bihan")),
    ("status=refused", ("Chloé Martin",)),
    ("status=cancelled", ("Fanny Riou",)),
    ("status=pending", ()),
    ("cluster=host-b", ("Zoé Bihan",)),
    ("role=speaker", ("Élise Tanguy",)),
    ("b2b=yes", ("Bruno Kervella",)),
    ("checked_in=yes", ("Anne Le Goff",)),
    ("checked_in=no&status=confirmed", ("Bruno Kervella", "Denis Morvan")),
    ("status=waitlisted&q=tang", ("Élise Tanguy",)),
    ("status=confirmed&q=tang", ()),
    ("status=nonsense", ()),
])
def test_the_attendee_list_is_searched_and_filtered(client, login, make_user, crowd, query, expected):
    event, _ = crowd
    login(make_user(role="admin"))
    page = client.get(f"/admin/events/{event.uid}/attendees?{query}").text
    assert shown(page) == list(expected)
    assert f"{len(expected)} of 7 registrations" in page
    if not expected:
        assert "Nobody matches." in page


def test_the_filters_are_a_plain_form_and_live_to_htmx(client, login, make_user, crowd):
    event, _ = crowd
    login(make_user(role="admin"))
    page = client.get(f"/admin/events/{event.uid}/attendees?status=waitlisted&q=tang").text
    form = re.search(r'<form method="get" action="/admin/events/[^"]+/attendees"[^>]*>', page).group(0)
    assert 'hx-target="#attendee-results"' in form and 'hx-push-url="true"' in form
    assert re.search(r'<input[^>]*name="q"[^>]*value="tang"', page)  # the form shows what it filters
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # the filters' ids are not the "Register someone" form's ("role")
    assert re.search(r'<option selected value="waitlisted">|<option value="waitlisted" selected>', page)
    fragment = client.get(f"/admin/events/{event.uid}/attendees?status=waitlisted&q=tang", headers=HTMX).text
    assert fragment.lstrip().startswith('<section id="attendee-results">') and "<search" not in fragment
    assert shown(fragment) == ["Élise Tanguy"] and "1 of 7 registrations" in fragment
    # The address htmx shows names the filters set, not the form's every field ("status=&cluster=&...").
    response = client.get(f"/admin/events/{event.uid}/attendees?q=tang&status=&cluster=&role=&b2b=&checked_in=",
                          headers=HTMX)
    assert response.headers["HX-Push-Url"] == f"/admin/events/{event.uid}/attendees?q=tang"


def test_the_csv_and_the_printed_list_follow_the_filters(client, login, make_user, crowd):
    event, _ = crowd
    login(make_user(role="admin"))
    page = client.get(f"/admin/events/{event.uid}/attendees?status=confirmed").text
    assert f'href="/admin/events/{event.uid}/attendees.csv?status=confirmed"' in page
    text = client.get(f"/admin/events/{event.uid}/attendees.csv?status=confirmed").text.lstrip("\ufeff")
    assert [row["Name"] for row in csv.DictReader(io.StringIO(text))] == ["Anne Le Goff", "Bruno Kervella",
                                                                          "Denis Morvan"]
    printed = client.get(f"/admin/events/{event.uid}/attendees?status=confirmed&print=1").text
    assert shown(printed) == ["Anne Le Goff", "Bruno Kervella", "Denis Morvan"] and 'class="row-actions' not in printed
    assert "data-print" in printed


def test_the_attendee_list_is_paged_and_its_pages_keep_the_filters(client, login, make_user, crowd, monkeypatch):
    event, _ = crowd
    monkeypatch.setattr(attendee_views, "PAGE_SIZE", 2)
    login(make_user(role="admin"))
    first = client.get(f"/admin/events/{event.uid}/attendees?checked_in=no").text
    assert shown(first) == ["Bruno Kervella", "Chloé Martin"] and "6 of 7 registrations" in first
    assert "Page 1 of 3" in first
    assert f'href="/admin/events/{event.uid}/attendees?checked_in=no&amp;page=2"' in first
    second = client.get(f"/admin/events/{event.uid}/attendees?checked_in=no&page=2").text
    assert shown(second) == ["Denis Morvan", "Élise Tanguy"]
    assert shown(client.get(f"/admin/events/{event.uid}/attendees?checked_in=no&page=99").text) == [
        "Fanny Riou", "Zoé Bihan"]  # the last page
    # Several pages: the printed list is every row the filters let through, on a page of its own.
    assert f'href="/admin/events/{event.uid}/attendees?checked_in=no&amp;print=1"' in first
    printed = client.get(f"/admin/events/{event.uid}/attendees?checked_in=no&print=1").text
    assert shown(printed) == [name for name in NAMES if name != "Anne Le Goff"] and "Page 1" not in printed


def test_the_actions_of_a_filtered_page_come_back_to_it(client, login, make_user, crowd):
    event, made = crowd
    login(make_user(role="admin"))
    bruno = made["Bruno Kervella"]
    page = client.get(f"/admin/events/{event.uid}/attendees?status=confirmed&q=kerv").text
    refusal = f"/admin/events/{event.uid}/decisions/{bruno.uid}/refuse?q=kerv&amp;status=confirmed"
    assert f'action="{refusal}"' in page
    response = client.post(refusal.replace("&amp;", "&"), data={"message": ""})
    assert response.status_code == 302
    assert response.location == f"/admin/events/{event.uid}/attendees?q=kerv&status=confirmed"
    assert db.session.get(Registration, bruno.uid).decision.status == "refused"
    role = f"/admin/events/{event.uid}/attendees/{bruno.uid}/role?q=kerv&status=confirmed"
    assert client.post(role, data={"role": "speaker"}).location == (
        f"/admin/events/{event.uid}/attendees?q=kerv&status=confirmed")


def test_the_attendee_lists_statements_do_not_grow_with_its_rows(client, login, make_user, make_event, make_person):
    event = make_event(capacity=500)
    login(make_user(role="admin"))
    url = f"/admin/events/{event.uid}/attendees?status=confirmed&q=e"

    def add(count, start):
        for i in range(start, start + count):
            register(event, make_person(display_name=f"Person {i:03d}").uid, b2b=bool(i % 2))
        db.session.commit()

    add(3, 0)
    few = page_queries(client, url)
    add(30, 3)
    assert page_queries(client, url) == few
    assert page_queries(client, url + "&page=2", headers=HTMX) <= few


def test_in_french_each_filters_first_choice_agrees_with_its_field(client, login, make_user, crowd):
    event, _made = crowd
    login(make_user(role="admin"))
    page = client.get(f"/admin/events/{event.uid}/attendees", headers={"Accept-Language": "fr"}).text
    first = dict(re.findall(r'<select[^>]*id="filter-([a-z0-9-]+)"[^>]*>\s*<option[^>]*>([^<]*)</option>', page))
    assert first == {"status": "Toutes", "cluster": "Tous les pôles", "role": "Tous", "b2b": "Tous",
                     "checked-in": "Tous"}  # la décision; le pôle, le rôle, le B2B, le pointage
