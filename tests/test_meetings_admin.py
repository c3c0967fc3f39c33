"""Organiser pages: run and publish over HTTP, progress, grid picture, table sheets, statuses, funnel."""
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from markupsafe import escape
from sqlalchemy import select

from portal.directory.models import Person
from portal.events.models import Event
from portal.events.registration_models import Registration
from portal.extensions import db
from portal.meetings import funnels, queries, services
from portal.meetings.models import Meeting, MeetingRequest
from tests.queries import page_queries

AT_THE_EVENT = datetime(2100, 1, 1, tzinfo=timezone.utc)  # meetings are marked once begun

HTMX = {"HX-Request": "true"}


@pytest.fixture
def event(app, make_b2b_event):
    app.config.update(SCHEDULER_BACKGROUND=False, SCHEDULER_TIME_LIMIT=3)
    return make_b2b_event(co_hosts=["peer-b"])


@pytest.fixture
def admin(make_user):
    return make_user(role="admin", display_name="Organiser")


@pytest.fixture
def pairs(event, make_participant):
    a, b, c = (make_participant(event, name) for name in ("Anne", "<b>Bruno</b>", "Carla"))
    for x, y in ((a, b), (a, c)):
        request = services.request_meeting(event, x.person_uid, y.person_uid)
        services.reply_to_request(request, y.person_uid, "accepted")
    db.session.commit()
    return a, b, c


def test_event_management_links_to_the_b2b_organisation_of_a_b2b_event(client, login, event, admin, make_event):
    login(admin)
    page = client.get(f"/admin/events/{event.uid}").get_data(as_text=True)
    assert f'href="/admin/b2b/events/{event.uid}/"' in page
    plain = make_event()
    assert "/admin/b2b/events/" not in client.get(f"/admin/events/{plain.uid}").get_data(as_text=True)


def test_only_this_portals_admins_organise_and_only_events_it_leads(client, login, event, make_user, make_replica):
    base = f"/admin/b2b/events/{event.uid}/"
    assert client.get(base).status_code == 302
    login(make_user())
    assert client.get(base).status_code == 403
    assert client.post(base + "runs").status_code == 403
    login(make_user(role="admin"))
    assert client.get(base).status_code == 200
    paris = ZoneInfo("Europe/Paris")
    theirs = make_replica(Event, "peer-b", title="Theirs", starts_at=datetime(2049, 4, 1, 9, tzinfo=paris),
                          ends_at=datetime(2049, 4, 1, 17, tzinfo=paris), timezone="Europe/Paris",
                          co_hosts=["test-cluster"], b2b_enabled=True, b2b_starts_at=datetime(2049, 4, 1, 14, tzinfo=paris),
                          b2b_ends_at=datetime(2049, 4, 1, 16, tzinfo=paris))
    assert client.get(f"/admin/b2b/events/{theirs.uid}/").status_code == 404
    assert client.post(f"/admin/b2b/events/{theirs.uid}/runs").status_code == 404


def test_run_publish_and_mark_over_http(client, login, event, admin, pairs, monkeypatch):
    login(admin)
    run = client.post(f"/admin/b2b/events/{event.uid}/runs", headers=HTMX)
    body = run.get_data(as_text=True)
    assert run.status_code == 200 and 'id="schedule-run"' in body and "every 1s" not in body
    assert "2 / 2" in body and "Changes if published" in body and body.count('class="change-new"') == 2
    assert len(re.findall(r"<small>now \d\d:\d\d, table T\d+</small>", body)) == 2  # the heading gives the day
    assert "<dt>Result</dt><dd>Proved optimal</dd>" in body  # the outcome, not the last phase shown
    assert re.search(r"Scheduler run of \d+ \w+ \d{4}, \d\d:\d\d", body)  # when, not a number across events
    run_id = int(re.search(r"/runs/(\d+)/publish", body)[1])
    status = client.get(f"/admin/b2b/events/{event.uid}/runs/{run_id}", headers=HTMX)
    assert status.status_code == 200
    published = client.post(f"/admin/b2b/events/{event.uid}/runs/{run_id}/publish")
    assert published.status_code == 302
    meetings = queries.event_meetings(event.uid)
    assert len(meetings) == 2 and {m.status for m in meetings} == {"scheduled"}
    overview = client.get(f"/admin/b2b/events/{event.uid}/").get_data(as_text=True)
    assert "&lt;b&gt;Bruno&lt;/b&gt;" in overview and "<b>Bruno</b>" not in overview
    assert '<nav class="event-admin-nav"' in overview  # the event's tabs, as on its other organiser pages
    # The 24-hour clock with the zone, as on the event pages; never "2:00 PM".
    assert "14:00–16:00 CET" in overview and " PM" not in overview.replace("\u202f", " ")
    early = client.post(f"/admin/b2b/events/{event.uid}/meetings/{meetings[0].uid}/status",
                        data={"status": "held"}, headers=HTMX)
    assert early.status_code == 422 and "once it has begun" in early.get_data(as_text=True)
    assert "HX-Trigger" not in early.headers  # nothing changed: the funnel line stays
    monkeypatch.setattr("portal.meetings.models.utcnow", lambda: AT_THE_EVENT)  # the day of the event
    marked = client.post(f"/admin/b2b/events/{event.uid}/meetings/{meetings[0].uid}/status",
                         data={"status": "held"}, headers=HTMX)
    assert marked.status_code == 200 and "Held" in marked.get_data(as_text=True)
    assert "marked by Organiser, " in marked.text  # whose mark the funnel and the impact figures count
    # The overview's funnel line listens for the trigger and fetches itself again.
    line_url = f"/admin/b2b/events/{event.uid}/funnel-line"
    assert marked.headers["HX-Trigger"] == "b2b-funnel-changed"
    assert f'hx-get="{line_url}"' in overview and 'hx-trigger="b2b-funnel-changed from:body"' in overview
    assert "held 0" in overview
    line = client.get(line_url, headers=HTMX).get_data(as_text=True)
    assert line.startswith('<p id="funnel-line"') and "held 1" in line and "<html" not in line
    assert client.get(line_url).status_code == 302  # without htmx: the overview
    bad = client.post(f"/admin/b2b/events/{event.uid}/meetings/{meetings[0].uid}/status",
                      data={"status": "lost"}, headers=HTMX)
    assert bad.status_code == 422
    db.session.expire_all()
    assert db.session.get(Meeting, meetings[0].uid).status == "held"


def test_publishing_says_how_many_changes_in_the_right_number(client, login, event, admin, make_participant):
    anne, bruno = make_participant(event, "Anne"), make_participant(event, "Bruno")
    services.reply_to_request(services.request_meeting(event, anne.person_uid, bruno.person_uid), bruno.person_uid,
                              "accepted")
    db.session.commit()
    login(admin)
    body = client.post(f"/admin/b2b/events/{event.uid}/runs", headers=HTMX).get_data(as_text=True)
    run_id = int(re.search(r"/runs/(\d+)/publish", body)[1])
    page = client.post(f"/admin/b2b/events/{event.uid}/runs/{run_id}/publish", follow_redirects=True)
    assert "Schedule published: 1 change." in page.get_data(as_text=True)


def test_after_publishing_the_overview_folds_the_changes_and_counts_what_was_accepted_since(
        client, login, event, admin, pairs, make_participant):
    login(admin)
    body = client.post(f"/admin/b2b/events/{event.uid}/runs", headers=HTMX).text
    run_id = re.search(r"/runs/(\d+)/publish", body)[1]
    client.post(f"/admin/b2b/events/{event.uid}/runs/{run_id}/publish")
    overview = client.get(f"/admin/b2b/events/{event.uid}/").text
    assert '<details class="run-changes-folded">' in overview and "2 changes published" in overview
    assert "not in the published schedule" not in overview
    anne, dora = pairs[0], make_participant(event, "Dora")
    services.reply_to_request(services.request_meeting(event, dora.person_uid, anne.person_uid),
                              anne.person_uid, "accepted")
    db.session.commit()
    overview = client.get(f"/admin/b2b/events/{event.uid}/").text
    assert "1 accepted request is not in the published schedule: run the scheduler again to place it." in overview
    event.starts_at, event.ends_at = event.starts_at - timedelta(days=9000), event.ends_at - timedelta(days=9000)
    db.session.commit()
    assert "not in the published schedule" not in client.get(f"/admin/b2b/events/{event.uid}/").text  # over


def test_a_run_names_the_accepted_requests_it_could_not_place(client, login, event, admin, pairs):
    from portal.events.registrations import register

    anne, bruno, carla = pairs
    slot = timedelta(minutes=20)
    register(event, anne.person_uid, b2b=True, available_until=event.b2b_starts_at + slot)
    register(event, carla.person_uid, b2b=True, available_from=event.b2b_ends_at - slot)  # never both free
    db.session.commit()
    login(admin)
    body = client.post(f"/admin/b2b/events/{event.uid}/runs", headers=HTMX).text
    assert "1 / 2" in body and "Not placed (no slot free for both, or no table left): Anne – Carla" in body
    page = client.get(f"/admin/b2b/events/{event.uid}/").text  # the whole page, as the fragment
    assert "Not placed (no slot free for both, or no table left): Anne – Carla" in page


def test_once_every_slot_has_begun_the_schedule_stays_as_it_is(client, login, event, admin, pairs, monkeypatch):
    from portal.meetings import scheduling
    from portal.meetings.models import ScheduleRun

    scheduling.publish_run(scheduling.start_run(event))
    db.session.commit()
    login(admin)
    overview = f"/admin/b2b/events/{event.uid}/"
    assert "Run the scheduler again" in client.get(overview).text
    monkeypatch.setattr("portal.meetings.scheduling.utcnow", lambda: event.b2b_ends_at - timedelta(minutes=19))
    page = client.get(overview).text
    assert "Every slot of the B2B block has begun: the schedule stays as it is." in page
    assert "Run the scheduler" not in page and f"/admin/b2b/events/{event.uid}/runs" not in page
    refused = client.post(f"/admin/b2b/events/{event.uid}/runs", follow_redirects=True)
    assert "Every slot of the B2B block has begun: the schedule stays as it is." in refused.text
    assert len(db.session.scalars(select(ScheduleRun)).all()) == 1


def test_a_cancelled_events_overview_offers_no_run(client, login, event, admin, pairs):
    from portal.events.services import cancel_event

    cancel_event(event)
    db.session.commit()
    login(admin)
    page = client.get(f"/admin/b2b/events/{event.uid}/").text
    assert "This event is cancelled: its B2B meetings are off." in page and "Run the scheduler" not in page


def test_running_run_is_polled(client, login, event, admin, pairs):
    from portal.meetings.models import ScheduleRun

    run = ScheduleRun(event_uid=event.uid, status="running", meetings=2)
    db.session.add(run)
    db.session.commit()
    login(admin)
    body = client.get(f"/admin/b2b/events/{event.uid}/runs/{run.id}", headers=HTMX).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in body and "<progress" in body


def test_a_run_that_changes_nothing_offers_nothing_to_publish(client, login, event, admin, pairs):
    login(admin)
    body = client.post(f"/admin/b2b/events/{event.uid}/runs", headers=HTMX).text
    run_id = re.search(r"/runs/(\d+)/publish", body)[1]
    client.post(f"/admin/b2b/events/{event.uid}/runs/{run_id}/publish")
    again = client.post(f"/admin/b2b/events/{event.uid}/runs", headers=HTMX).text
    assert "Nothing changes." in again and "Publish this schedule" not in again
    assert "Nothing to publish: the meetings stand as they are." in again


def test_a_run_without_accepted_requests_says_there_is_nothing_to_schedule(client, login, event, admin):
    login(admin)
    body = client.post(f"/admin/b2b/events/{event.uid}/runs", headers=HTMX).text
    assert "0 / 0" in body and "Publish this schedule" not in body
    assert "Nothing to publish: no accepted request to schedule yet." in body


def test_run_seconds_are_written_as_the_page_writes_numbers(client, login, event, admin):
    from portal.meetings.models import ScheduleRun

    run = ScheduleRun(event_uid=event.uid, status="running", meetings=2, seconds=2.34, time_limit=4)
    db.session.add(run)
    db.session.commit()
    login(admin)
    body = client.get(f"/admin/b2b/events/{event.uid}/runs/{run.id}",
                      headers={**HTMX, "Accept-Language": "fr"}).get_data(as_text=True)
    assert "<dd>2,3 s sur 4 s</dd>" in body


def test_a_run_made_before_the_b2b_block_moved_is_out_of_date(client, login, event, admin, pairs):
    login(admin)
    body = client.post(f"/admin/b2b/events/{event.uid}/runs", headers=HTMX).get_data(as_text=True)
    run_id = int(re.search(r"/runs/(\d+)/publish", body)[1])
    event.b2b_tables += 1
    db.session.commit()
    for page in (client.get(f"/admin/b2b/events/{event.uid}/"),
                 client.get(f"/admin/b2b/events/{event.uid}/runs/{run_id}", headers=HTMX)):
        html = page.get_data(as_text=True)
        assert "This run is out of date and cannot be published. The B2B block or its number of tables changed " \
               "since this run: run the scheduler again." in html
        assert "/publish" not in html and "Changes if published" not in html


def test_grid_picture_and_table_sheets(client, login, event, admin, pairs):
    from portal.meetings import scheduling

    run = scheduling.start_run(event)
    scheduling.publish_run(run)
    db.session.commit()
    login(admin)
    svg = client.get(f"/admin/b2b/events/{event.uid}/grid.svg")
    assert svg.mimetype == "image/svg+xml"
    root = ET.fromstring(svg.data)  # well-formed: names are escaped
    texts = [t.text.replace("\u202f", " ") for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "T1" in texts and "T2" in texts and "<b>Bruno</b>" in texts and "14:00" in texts
    assert "style=" not in svg.get_data(as_text=True)
    sheets = client.get(f"/admin/b2b/events/{event.uid}/tables").get_data(as_text=True)
    assert "Table T1" in sheets and "Anne" in sheets
    grid = client.get(f"/admin/b2b/events/{event.uid}/grid").get_data(as_text=True)
    assert "outside the B2B block" not in grid and "Scroll the grid sideways" in grid  # it may be wider than the page


def test_the_meetings_download_as_a_spreadsheet_cancelled_ones_too(client, login, event, admin, pairs):
    import csv
    import io

    from portal.meetings import scheduling

    scheduling.publish_run(scheduling.start_run(event))
    first, second = queries.event_meetings(event.uid)
    services.cancel_meeting(second)
    db.session.commit()
    login(admin)
    assert f'href="/admin/b2b/events/{event.uid}/meetings.csv" download' in client.get(f"/admin/b2b/events/{event.uid}/").text
    response = client.get(f"/admin/b2b/events/{event.uid}/meetings.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    header, *rows = csv.reader(io.StringIO(response.data.decode("utf-8-sig")))
    assert header == ["Starts (Europe/Paris)", "Ends (Europe/Paris)", "Table", "Participant 1", "Organisation 1",
                      "Cluster 1", "Participant 2", "Organisation 2", "Cluster 2", "Status", "Why cancelled"]
    by_status = {row[9]: row for row in rows}
    assert len(rows) == 2 and set(by_status) == {"Scheduled", "Cancelled"}
    assert by_status["Cancelled"][10] == "by an organiser" and by_status["Scheduled"][10] == ""
    scheduled = by_status["Scheduled"]
    assert scheduled[0] == first.starts_at.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%d %H:%M")
    assert scheduled[2] == first.table and scheduled[3] == "Anne" and scheduled[5] == "Test Cluster"
    assert {scheduled[6], by_status["Cancelled"][6]} == {"<b>Bruno</b>", "Carla"}  # text, as typed
    from flask_babel import refresh

    client.post("/language", data={"lang": "fr", "next": "/"})
    refresh()  # the test's requests share one `g`: choose the language afresh
    french = client.get(f"/admin/b2b/events/{event.uid}/meetings.csv").data.decode("utf-8-sig")
    assert french.startswith("Début (Europe/Paris);Fin (Europe/Paris);Table;")  # a French spreadsheet's cells


def test_participant_sheets_give_each_participant_their_meetings_on_a_page(client, login, event, admin, pairs):
    from portal.meetings import scheduling

    scheduling.publish_run(scheduling.start_run(event))
    db.session.commit()
    login(admin)
    assert "/schedules" in client.get(f"/admin/b2b/events/{event.uid}/").get_data(as_text=True)
    page = client.get(f"/admin/b2b/events/{event.uid}/schedules").get_data(as_text=True)
    names = re.findall(r'<h2 class="table-sheet-title">(.*?)</h2>', page)
    assert names == ["&lt;b&gt;Bruno&lt;/b&gt;", "Anne", "Carla"]  # by name as a list orders it ("<" first)
    anne = page[page.index(">Anne</h2>"):page.index(">Carla</h2>")]
    assert anne.count("<tr>") == 3 and "&lt;b&gt;Bruno&lt;/b&gt;" in anne and "Carla" in anne  # head + 2 meetings


def test_grid_keeps_meetings_on_tables_the_event_no_longer_has(client, login, event, admin, pairs):
    """After the organiser lowers the number of tables, published meetings stay visible, with a warning."""
    from portal.meetings import scheduling

    scheduling.publish_run(scheduling.start_run(event))
    meeting = queries.event_meetings(event.uid)[0]
    meeting.table, event.b2b_tables = "T4", 2
    db.session.commit()
    login(admin)
    texts = [t.text for t in ET.fromstring(client.get(f"/admin/b2b/events/{event.uid}/grid.svg").data)
             .iter("{http://www.w3.org/2000/svg}text")]
    assert "T4" in texts
    for page in ("grid", ""):
        html = client.get(f"/admin/b2b/events/{event.uid}/{page}").get_data(as_text=True)
        assert "1 published meeting is outside the B2B block, its 2 tables or a participant's availability" in html, page


def test_a_meeting_outside_a_participants_new_availability_is_flagged(client, login, event, admin, pairs):
    """A participant narrowed their window after the schedule was published: the organisers are told."""
    from portal.meetings import scheduling

    scheduling.publish_run(scheduling.start_run(event))
    db.session.commit()
    login(admin)
    assert "published meeting is outside" not in client.get(f"/admin/b2b/events/{event.uid}/").text
    meeting = queries.event_meetings(event.uid)[0]
    registration = db.session.scalars(select(Registration).where(
        Registration.event_uid == event.uid, Registration.person_uid == meeting.person_uids[1])).one()
    registration.available_from = meeting.ends_at  # from the end of that meeting on
    db.session.commit()
    html = client.get(f"/admin/b2b/events/{event.uid}/").text
    assert "1 published meeting is outside the B2B block, its" in html and "a participant's availability" in html


def test_the_organiser_cannot_cancel_a_meeting_held_or_begun(client, login, event, admin, pairs):
    from portal.meetings import scheduling

    scheduling.publish_run(scheduling.start_run(event))
    first, second = queries.event_meetings(event.uid)
    services.mark_meeting(first, "held", now=AT_THE_EVENT)
    db.session.commit()
    login(admin)
    page = client.get(f"/admin/b2b/events/{event.uid}/").get_data(as_text=True)
    row = lambda m: re.search(rf'<tr id="meeting-{m.uid}".*?</tr>', page, re.S).group(0)
    assert 'value="cancelled"' not in row(first) and 'value="cancelled"' in row(second)
    assert 'value="no_show"' not in row(second)  # still to come: nothing to mark yet
    answer = client.post(f"/admin/b2b/events/{event.uid}/meetings/{first.uid}/status",
                         data={"status": "cancelled"}, headers=HTMX)
    assert answer.status_code == 422 and "cannot be cancelled" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Meeting, first.uid).status == "held"


def test_funnel_per_cluster_and_event(client, login, event, admin, pairs, make_replica):
    a, b, c = pairs
    from portal.meetings import scheduling

    run = scheduling.start_run(event)
    scheduling.publish_run(run)
    db.session.commit()
    first = queries.event_meetings(event.uid)[0]
    services.mark_meeting(first, "held", now=AT_THE_EVENT)
    db.session.commit()
    person = make_replica(Person, "peer-b", display_name="Chloé")
    make_replica(Registration, "peer-b", event_uid=event.uid, person_uid=person.uid, b2b=True, status="registered")
    remote = make_replica(MeetingRequest, "peer-b", event_uid=event.uid, from_person_uid=person.uid,
                          to_person_uid=a.person_uid, message="", status="open")
    services.reply_to_request(remote, a.person_uid, "declined")
    db.session.commit()
    assert funnels.funnel(event_uid=event.uid, now=AT_THE_EVENT) == {
        "sent": 3, "accepted": 2, "scheduled": 2, "held": 1, "no_show": 0, "due": 2, "kept_rate": 0.5}
    assert funnels.funnel(cluster_id="peer-b")["sent"] == 1
    assert funnels.funnel(cluster_id="peer-b")["kept_rate"] is None
    assert funnels.funnel(cluster_id="test-cluster")["held"] == 1
    login(admin)
    page = client.get("/admin/b2b/funnel").get_data(as_text=True)
    assert "peer-b" in page and "100%" in page  # the other meeting is still to come
    assert "<td>Test Cluster</td>" in page and "<td>test-cluster</td>" not in page  # a known cluster by its name


def test_kept_rate_counts_only_meetings_whose_time_has_come(client, login, event, admin, pairs):
    from portal.meetings import scheduling

    scheduling.publish_run(scheduling.start_run(event))
    db.session.commit()
    first, second = queries.event_meetings(event.uid)
    before = first.starts_at - timedelta(minutes=1)
    assert funnels.funnel(event_uid=event.uid, now=before)["kept_rate"] is None  # nothing due yet
    login(admin)
    page = client.get("/admin/b2b/funnel").get_data(as_text=True)
    assert "%</td>" not in page and page.count('<td class="number">–</td>') == 3  # the cluster's row, the event's, the total
    services.mark_meeting(first, "held", now=AT_THE_EVENT)
    assert funnels.funnel(event_uid=event.uid, now=before)["kept_rate"] == 1.0
    assert funnels.funnel(event_uid=event.uid, now=second.starts_at)["kept_rate"] == 0.5  # begun, not marked
    services.mark_meeting(second, "no_show", now=AT_THE_EVENT)
    assert funnels.funnel(event_uid=event.uid, now=before)["kept_rate"] == 0.5


def test_meeting_replica_from_the_lead_mails_our_member(event, make_participant, make_replica):
    from sqlalchemy import select

    from portal.mail.models import OutboxMessage

    anne = make_participant(event, "Anne", email="anne@example.org")
    person = make_replica(Person, "peer-b", display_name="Chloé")
    request = make_replica(MeetingRequest, "peer-b", event_uid=event.uid, from_person_uid=person.uid,
                           to_person_uid=anne.person_uid, status="open")
    start = event.b2b_starts_at
    meeting = make_replica(Meeting, "peer-b", event_uid=event.uid, request_uid=request.uid,
                           person_uids=[person.uid, anne.person_uid], starts_at=start,
                           ends_at=start + timedelta(minutes=20), table="T3", status="scheduled")
    meeting.fed_after_apply(db.session)  # applied twice: still one message
    db.session.commit()
    subjects = db.session.scalars(select(OutboxMessage.subject).where(
        OutboxMessage.to == "anne@example.org", OutboxMessage.subject.startswith("Meeting with"))).all()
    assert [s.replace("\u202f", " ") for s in subjects] == [
        "Meeting with Chloé: 18 Mar 2049, 14:00 CET, table T3 – Photonics meets agrifood"]


def test_each_meeting_button_names_its_meeting_to_a_screen_reader(client, login, event, admin, pairs):
    from portal.meetings import scheduling

    scheduling.publish_run(scheduling.start_run(event))
    db.session.commit()
    login(admin)
    html = client.get(f"/admin/b2b/events/{event.uid}/").text
    meeting = queries.event_meetings(event.uid)[0]
    described = re.findall(rf'aria-describedby="meeting-{meeting.uid}-time meeting-{meeting.uid}-who"', html)
    assert described and f'id="meeting-{meeting.uid}-time"' in html and f'id="meeting-{meeting.uid}-who"' in html
    row = html.split(f'<tr id="meeting-{meeting.uid}"')[1].split("</tr>")[0]
    assert row.count("<form") == 1 and 'name="confirm_question"' in row  # to come: Cancel (asking first) alone
    names = queries.people(meeting.person_uids)
    first, second = (names[uid] for uid in meeting.person_uids)  # each name links to the profile
    assert (f'id="meeting-{meeting.uid}-who"><a href="/people/{first.uid}">{escape(first.display_name)}</a> – '
            f'<a href="/people/{second.uid}">{escape(second.display_name)}</a></td>') in html


def test_the_overview_reads_as_many_times_for_twice_the_participants(client, login, event, admin, make_participant):
    from portal.meetings import scheduling

    login(admin)
    counts = []
    for _ in range(2):  # three participants and two meetings, then six and four
        a, b, c = (make_participant(event) for _ in range(3))
        for x, y in ((a, b), (a, c)):
            services.reply_to_request(services.request_meeting(event, x.person_uid, y.person_uid), y.person_uid, "accepted")
        scheduling.publish_run(scheduling.start_run(event))
        db.session.commit()
        counts.append(page_queries(client, f"/admin/b2b/events/{event.uid}/"))
    assert len(queries.event_meetings(event.uid)) == 4
    assert counts[1] == counts[0]


def test_without_javascript_marking_a_meeting_says_so_and_a_run_can_be_followed(client, login, event, admin, pairs,
                                                                                 monkeypatch):
    """A plain form post came back to the overview saying nothing, and a running scheduler's progress
    refreshed only through htmx."""
    from portal.meetings.models import ScheduleRun

    login(admin)
    run_id = int(re.search(r"/runs/(\d+)/publish", client.post(f"/admin/b2b/events/{event.uid}/runs",
                                                                headers=HTMX).text)[1])
    client.post(f"/admin/b2b/events/{event.uid}/runs/{run_id}/publish")
    meeting = queries.event_meetings(event.uid)[0]
    monkeypatch.setattr("portal.meetings.models.utcnow", lambda: AT_THE_EVENT)
    marked = client.post(f"/admin/b2b/events/{event.uid}/meetings/{meeting.uid}/status", data={"status": "held"})
    assert marked.status_code == 302 and marked.location == f"/admin/b2b/events/{event.uid}/"
    flashed = client.get(marked.location).text
    assert f"Meeting at table {meeting.table}, " in flashed and ": Held.</" in flashed
    monkeypatch.undo()
    db.session.add(ScheduleRun(event_uid=event.uid, status="running"))
    db.session.commit()
    overview = client.get(f"/admin/b2b/events/{event.uid}/").text
    assert (f'<noscript><p><a href="/admin/b2b/events/{event.uid}/">Reload the page to follow the run</a></p>'
            "</noscript>") in overview


def test_the_funnel_page_lists_events_in_the_order_they_take_place(client, login, admin, make_b2b_event):
    """Rows came in the order of the events' uids, random: last spring's forum could sit under next year's."""
    one, other = make_b2b_event(title="Forum one"), make_b2b_event(title="Forum two")
    later, earlier = sorted((one, other), key=lambda e: e.uid)  # the later forum has the smaller uid
    later.title, earlier.title = "Later forum", "Earlier forum"
    earlier.starts_at, earlier.ends_at = (datetime(2026, 5, 21, h, tzinfo=timezone.utc) for h in (9, 17))
    for event in (later, earlier):
        db.session.add(MeetingRequest(event_uid=event.uid, from_person_uid="p1", to_person_uid="p2", message="",
                                      status="open"))
    db.session.commit()
    assert [(row["event"].title, row["cluster"]) for row in funnels.funnel_table()] == [
        ("Earlier forum", "test-cluster"), ("Earlier forum", None), ("Later forum", "test-cluster"), ("Later forum", None)]
    login(admin)
    page = client.get("/admin/b2b/funnel").get_data(as_text=True)
    assert page.index("Earlier forum") < page.index("Later forum")


def test_the_funnel_page_heads_each_event_s_rows_once_with_its_date_and_aligns_its_numbers(
        client, login, admin, make_b2b_event):
    """The event's title repeated on each of its rows, no date said which edition it was, and the
    counts sat to the left, where digits of different widths do not line up."""
    event = make_b2b_event(title="Photonics forum")
    event.starts_at, event.ends_at = (datetime(2026, 5, 21, h, tzinfo=timezone.utc) for h in (9, 17))
    db.session.add(MeetingRequest(event_uid=event.uid, from_person_uid="p1", to_person_uid="p2", message="",
                                  status="open"))
    db.session.commit()
    login(admin)
    page = client.get("/admin/b2b/funnel").get_data(as_text=True)
    group = page[page.index("<tbody>"):page.index("</tbody>")]
    assert page.count("Photonics forum") == 1
    assert re.search(r'<th scope="rowgroup" rowspan="2">Photonics forum</th>\s*<td rowspan="2"[^>]*>21 May 2026</td>',
                     group)
    assert group.count("<tr") == 2 and group.count('<td class="number">') == 12
    assert page.count('<th scope="col" class="number">') == 6
