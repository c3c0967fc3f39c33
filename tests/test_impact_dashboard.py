"""The impact dashboard on a constructed event across two portals, with known totals.

Led here (test-cluster) and co-hosted by peer-b. Confirmed: Anne, Bruno, Chloé (ours; Anne
and Bruno checked in) and R1-R4 (peer-b's; R1 checked in). Requests: Anne→R1 held,
Bruno→R2 no-show, Chloé→Anne declined (ours); R3→Anne held, R4→Bruno unanswered (peer-b's).
Answers: ours 2 right after + 1 at six months; peer-b's 3 + 1. Budget 1 500 €.
"""
import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale, refresh
from sqlalchemy import select

from portal.directory.models import Organisation, Person
from portal.events.budget import add_cost
from portal.events.registration_models import Registration
from portal.events.registrations import check_in
from portal.extensions import db
from portal.federation.records import local_cluster
from portal.impact import aggregate, dashboard, queries
from portal.impact.tables import csv_value
from portal.meetings.models import Meeting, MeetingReply, MeetingRequest
from portal.surveys import services
from portal.surveys.models import SurveyInvite, SurveyResponse
from tests.queries import page_queries

PARIS = ZoneInfo("Europe/Paris")


def respond(user, event, stage, answers):
    registration = db.session.scalars(select(Registration).where(
        Registration.person_uid == user.person_uid, Registration.event_uid == event.uid)).one()
    invite = SurveyInvite(event_uid=event.uid, stage=stage, registration_uid=registration.uid,
                          person_uid=user.person_uid, sent_at=event.ends_at)
    db.session.add(invite)
    db.session.flush()
    services.record_response(invite, answers)
    db.session.commit()


def request(event, origin, make_replica, a, b, answer=None, status=None):
    fields = dict(event_uid=event.uid, from_person_uid=a, to_person_uid=b, status="open")
    if origin == local_cluster():
        req = MeetingRequest(**fields)
        db.session.add(req)
        db.session.commit()
    else:
        req = db.session.merge(MeetingRequest(origin=origin, version=1, **fields))
        db.session.commit()
    if answer:
        db.session.add(MeetingReply(event_uid=event.uid, request_uid=req.uid, answer=answer, origin=origin, version=1))
    if status:
        db.session.add(Meeting(event_uid=event.uid, request_uid=req.uid, person_uids=[a, b], table="1", status=status,
                               starts_at=event.b2b_starts_at, ends_at=event.b2b_ends_at))
    db.session.commit()


@pytest.fixture
def world(make_b2b_event, make_participant, make_replica, make_organisation):
    event = make_b2b_event(title="Sensing the field", co_hosts=["peer-b"], capacity=20,
                           starts_at=datetime(2025, 3, 18, 9, tzinfo=PARIS), ends_at=datetime(2025, 3, 18, 17, tzinfo=PARIS),
                           b2b_starts_at=datetime(2025, 3, 18, 14, tzinfo=PARIS),
                           b2b_ends_at=datetime(2025, 3, 18, 16, tzinfo=PARIS))
    ours = {n: make_participant(event, n, email=f"{n.lower()}@example.org") for n in ("Anne", "Bruno", "Chloé")}
    org = make_replica(Organisation, "peer-b", name="Agri Co", kind="end_user", country="FR")
    remote = {}
    for n in ("R1", "R2", "R3", "R4"):
        person = make_replica(Person, "peer-b", display_name=n, organisation_uid=org.uid)
        remote[n] = make_replica(Registration, "peer-b", event_uid=event.uid, person_uid=person.uid, b2b=True,
                                 status="registered", role="attendee")
    for name in ("Anne", "Bruno"):
        check_in(db.session.scalars(select(Registration).where(Registration.person_uid == ours[name].person_uid)).one())
    check_in(remote["R1"])
    db.session.commit()
    uid = {n: u.person_uid for n, u in ours.items()} | {n: r.person_uid for n, r in remote.items()}
    here = local_cluster()
    request(event, here, make_replica, uid["Anne"], uid["R1"], "accepted", "held")
    request(event, here, make_replica, uid["Bruno"], uid["R2"], "accepted", "no_show")
    request(event, here, make_replica, uid["Chloé"], uid["Anne"], "declined")
    request(event, "peer-b", make_replica, uid["R3"], uid["Anne"], "accepted", "held")
    request(event, "peer-b", make_replica, uid["R4"], uid["Bruno"])
    respond(ours["Anne"], event, "post_event", {"satisfaction": 5, "come_again": True, "new_contacts": 3,
                                                "meeting.a1.useful": True, "meeting.a1.next_step": "nda"})
    respond(ours["Bruno"], event, "post_event", {"satisfaction": 3, "come_again": False, "new_contacts": 1,
                                                 "meeting.b1.useful": False, "meeting.b1.next_step": "none"})
    respond(ours["Anne"], event, "six_months", {"meeting.a1.outcome": "nda", "other_outcome": "nothing_yet",
                                                "comment": "=HYPERLINK(\"x\") signed an NDA"})
    remote_answers = [("post_event", {"satisfaction": 4, "come_again": True, "meeting.r1.next_step": "quote"}),
                      ("post_event", {"satisfaction": 4, "come_again": True, "meeting.r2.next_step": "nda",
                                      "meeting.r2.useful": True}),
                      ("post_event", {"satisfaction": 2, "come_again": False, "comment": "Secret remote comment"}),
                      ("six_months", {"meeting.r1.outcome": "licence", "other_outcome": "quote",
                                      "comment": "Secret remote comment"})]
    for n, (stage, answers) in enumerate(remote_answers):
        make_replica(SurveyResponse, "peer-b", event_uid=event.uid, stage=stage, respondent=f"remote{n}",
                     answers=answers)
    add_cost(event, "room", "Room", 100_000, here)
    add_cost(event, "catering", "Lunch", 50_000, "peer-b")
    db.session.commit()
    return event


def table(tables, key):
    return next(t for t in tables if t.key == key)


def rows_by(t, column):
    return {str(r[column]): r for r in t.rows}


def test_known_totals(world):
    facts = queries.event_facts(world)
    assert (facts.confirmed, facts.checked_in) == (7, 3)
    tables = dashboard.event_tables(facts, {"test-cluster": "Test Cluster", "peer-b": "Peer B"})
    by_cluster = rows_by(table(tables, "attendance-cluster"), "group")
    assert (by_cluster["Test Cluster"]["confirmed"], by_cluster["Test Cluster"]["checked_in"]) == (3, 2)
    assert (by_cluster["Peer B"]["confirmed"], by_cluster["Peer B"]["checked_in"]) == (4, 1)
    kinds = rows_by(table(tables, "attendance-kind"), "group")
    assert kinds["Technology provider"]["confirmed"] == 3 and kinds["End user"]["confirmed"] == 4
    funnel = rows_by(table(tables, "funnel"), "cluster")
    assert {k: funnel["All clusters"][k] for k in ("sent", "accepted", "scheduled", "held", "no_show", "kept_rate")} \
        == {"sent": 5, "accepted": 3, "scheduled": 3, "held": 2, "no_show": 1, "kept_rate": 2 / 3}
    assert funnel["Test Cluster"]["kept_rate"] == 0.5 and funnel["Peer B"]["kept_rate"] == 1.0
    rates = rows_by(table(tables, "responses"), "cluster")
    # Our door checked Anne and Bruno in: our surveys asked those two, not Chloé who stayed away.
    assert (rates["Test Cluster"]["participants"], rates["Test Cluster"]["post_event_rate"],
            rates["Test Cluster"]["six_months_rate"]) == (2, 1.0, 0.5)
    # R1's check-in is this portal's own note; peer-b published none, so it asked its 4 confirmed.
    assert (rates["Peer B"]["participants"], rates["Peer B"]["post_event"], rates["Peer B"]["post_event_rate"],
            rates["Peer B"]["six_months_rate"]) == (4, 3, 0.75, 0.25)
    assert all(c.key in row for t in tables for row in t.rows for c in t.columns)
    assert all(len({str(c.label) for c in t.columns}) == len(t.columns) for t in tables)  # a spreadsheet's headers
    satisfaction = rows_by(table(tables, "satisfaction"), "group")
    assert satisfaction["All clusters"]["mean"] == 3.6 and satisfaction["All clusters"]["come_again_rate"] == 0.6
    assert satisfaction["Peer B"]["mean"] == 10 / 3 and satisfaction["Test Cluster"]["mean"] == 4.0
    # Peer-b's one answer at six months is under the group minimum (3): left out of the totals,
    # or ours subtracted from them would show it.
    assert facts.left_out == 1
    outcomes = rows_by(table(tables, "outcomes"), "type")
    assert (outcomes["A non-disclosure agreement"]["planned"], outcomes["A non-disclosure agreement"]["reported"]) == (2, 1)
    assert outcomes["A quote"]["planned"] == 1 and outcomes["A quote"]["reported"] == 0
    assert outcomes["A licence"]["reported"] == 0
    # Nothing planned (post-event "None") and nothing come of it ("Nothing yet"): one row, one meaning.
    assert (outcomes["Nothing"]["planned"], outcomes["Nothing"]["reported"]) == (1, 1)
    assert "None" not in outcomes and "Nothing yet" not in outcomes
    assert "1 answer of another cluster is left out" in table(tables, "outcomes").note
    [costs] = table(tables, "costs").rows
    assert costs == {"cost": 150_000, "participants": 3, "per_participant": 50_000, "held": 2,
                     "per_meeting": 75_000, "reported": 1, "per_outcome": 150_000}


def test_response_rates_count_whom_the_surveys_ask_not_the_organisers(world, make_participant, make_replica,
                                                                     make_user):
    """Each cluster's survey leaves out its organisers, and ours its members without an active account."""
    check_in(db.session.scalars(select(Registration).where(Registration.person_uid == make_participant(
        world, "Olivia", email="olivia@example.org", role="organiser").person_uid)).one())
    gone = make_participant(world, "Gaspard", email="gaspard@example.org")
    check_in(db.session.scalars(select(Registration).where(Registration.person_uid == gone.person_uid)).one())
    gone.status = "disabled"
    theirs = make_replica(Person, "peer-b", display_name="Their organiser")
    make_replica(Registration, "peer-b", event_uid=world.uid, person_uid=theirs.uid, b2b=False,
                 status="registered", role="organiser")
    db.session.commit()
    tables = dashboard.event_tables(queries.event_facts(world), {"test-cluster": "Test Cluster", "peer-b": "Peer B"})
    rates = rows_by(table(tables, "responses"), "cluster")
    assert (rates["Test Cluster"]["participants"], rates["Test Cluster"]["post_event_rate"]) == (2, 1.0)
    assert (rates["Peer B"]["participants"], rates["Peer B"]["post_event_rate"]) == (4, 0.75)


def test_a_figure_is_rounded_once_where_it_is_shown(app):
    # 10 answers of 29 is 34.48 %: rounded to 0.345 first, it read 35 %.
    rate = aggregate.rate(10, 29)
    with app.test_request_context():
        assert dashboard.cell(rate, "rate") == "34%" and csv_value(rate, "rate") == 0.3448
        assert dashboard.cell(aggregate.mean([4, 4, 4, 5, 5, 4, 4, 4]), "number") == "4.3"  # 4.25: a half up, as rates


def test_another_clusters_small_groups_are_not_shown(app, world):
    app.config["SURVEY_MIN_GROUP"] = 4
    tables = dashboard.event_tables(queries.event_facts(world), {"test-cluster": "Ours", "peer-b": "Theirs"})
    satisfaction = rows_by(table(tables, "satisfaction"), "group")
    assert satisfaction["Theirs"]["responses"] == 3 and satisfaction["Theirs"]["mean"] is None
    assert satisfaction["Ours"]["mean"] == 4.0  # our own members: always
    # The total leaves their three answers out, or it would give them away: (3.6 x 5 - 4.0 x 2) / 3.
    assert satisfaction["All clusters"]["responses"] == 2 and satisfaction["All clusters"]["mean"] == 4.0


def test_event_page_details_our_members_only(client, login, make_user, world):
    login(make_user(role="admin"))
    response = client.get(f"/admin/impact/events/{world.uid}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<svg") >= 6 and "Kept rate" in html
    assert "Anne" in html and "Bruno" in html and "signed an NDA" in html  # our members, in detail
    assert "Secret remote comment" not in html  # theirs only summed
    assert re.search(r'<td class="lines"><ul><li>[^<]+: yes</li></ul></td>', html)  # a line per meeting
    after = client.get(f"/admin/impact/events/{world.uid}/answers-post-event.csv").get_data(as_text=True)
    assert after.startswith("\ufeffMember,")  # the BOM: Excel reads "Chloé" right
    later = client.get(f"/admin/impact/events/{world.uid}/answers-six-months.csv").get_data(as_text=True)
    assert "Secret remote comment" not in after + later and "'=HYPERLINK" in later
    # One table per survey, with its own questions: no column left empty by the other stage's answers.
    after, later = (list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) for text in (after, later))
    assert after[0] == ["Member", "Satisfaction", "Come again", "New contacts", "Useful meetings", "Next steps",
                        "Extra questions"]
    assert sorted(row[0] for row in after[1:]) == ["Anne", "Bruno"] and after[1][1] in ("5", "3")
    assert later[0] == ["Member", "Outcomes", "Other contacts", "Comment", "Extra questions"]
    assert [row[0] for row in later[1:]] == ["Anne"] and later[1][2] == "Nothing yet"
    assert html.count("Download as CSV") == len(dashboard.event_tables(queries.event_facts(world), {})) + 2


def test_csv_of_every_table(client, login, make_user, world):
    login(make_user(role="admin"))
    facts = queries.event_facts(world)
    for t in dashboard.event_tables(facts, {}):
        response = client.get(f"/admin/impact/events/{world.uid}/{t.key}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv", t.key
        assert "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))
        assert rows[0] == [str(c.label) for c in t.columns] and len(rows) == 1 + len(t.rows)
    costs = list(csv.reader(io.StringIO(client.get(f"/admin/impact/events/{world.uid}/costs.csv").get_data(as_text=True))))
    assert costs[1][0] == "1500.00" and costs[1][2] == "500.00"
    with client.session_transaction() as session:
        session["lang"] = "fr"
    refresh()  # the test's requests share one `g`: choose the language afresh
    french = client.get(f"/admin/impact/events/{world.uid}/costs.csv")
    costs = list(csv.reader(io.StringIO(french.get_data(as_text=True).removeprefix("\ufeff")), delimiter=";"))
    assert costs[0][0] == "Coût sur ce portail" and costs[1][0] == "1500,00" and costs[1][2] == "500,00"
    assert client.get(f"/admin/impact/events/{world.uid}/nope.csv").status_code == 404
    for key in ("trends", "clusters", "outcomes-all"):
        response = client.get(f"/admin/impact/tables/{key}.csv?year=2025")
        assert response.status_code == 200 and response.get_data(as_text=True).startswith("\ufeff"), key


def test_what_an_event_yields_once_held_reads_dash_until_one_has(client, login, make_user, make_b2b_event,
                                                                 make_participant):
    event = make_b2b_event(title="Later", starts_at=datetime(2099, 5, 6, 9, tzinfo=PARIS),
                           ends_at=datetime(2099, 5, 6, 17, tzinfo=PARIS))
    make_participant(event, "Anne")
    login(make_user(role="admin"))
    clusters = list(csv.reader(io.StringIO(client.get("/admin/impact/tables/clusters.csv?year=2099").text)))
    assert clusters[0][1:] == ["Confirmed", "Checked in", "Meeting requests", "Meetings held", "Answers right after",
                               "Answers at six months", "Reported outcomes"]
    assert clusters[1][1:] == ["1", "", "0", "", "", "", ""]  # not 0 checked in: the event is to come


def test_overview_and_reports(client, login, make_user, world, make_b2b_event, monkeypatch):
    make_b2b_event(title="Next spring", starts_at=datetime(2025, 5, 6, 9, tzinfo=PARIS),
                   ends_at=datetime(2025, 5, 6, 17, tzinfo=PARIS))
    login(make_user(role="admin"))
    html = client.get("/admin/impact/?year=2025").get_data(as_text=True)
    assert "Sensing the field" in html and "Next spring" in html and "Trends across events" in html
    trends = list(csv.reader(io.StringIO(client.get("/admin/impact/tables/trends.csv?year=2025").get_data(as_text=True))))
    assert [row[0] for row in trends[1:]] == ["Sensing the field", "Next spring"]
    assert trends[1][2:5] == ["7", "3", "2"]  # confirmed, checked in, meetings held
    assert re.fullmatch(r"2025-\d\d-\d\d", trends[1][1])  # a date to any spreadsheet, not "21 mai 2025"
    clusters = list(csv.reader(io.StringIO(client.get("/admin/impact/tables/clusters.csv?year=2025").get_data(as_text=True))))
    assert sorted(row[1] for row in clusters[1:]) == ["3", "4"]
    # each survey counted apart: one sum read as if every participant had answered
    assert {row[0]: row[5:7] for row in clusters[1:]} == {"Test Cluster": ["2", "1"], "peer-b": ["3", "1"]}
    report = client.get(f"/admin/impact/events/{world.uid}/report").get_data(as_text=True)
    assert "data-print" in report and "impact.js" in report and "<svg" in report
    assert "Secret remote comment" not in report and "signed an NDA" not in report
    read = []
    monkeypatch.setattr(queries, "events_facts",
                        lambda events, real=queries.events_facts: read.append(events) or real(events))
    yearly = client.get("/admin/impact/report/2025")
    assert yearly.status_code == 200 and "Impact report 2025" in yearly.get_data(as_text=True)
    # The year's figures read once, for the trends and each event's own tables.
    assert [[e.title for e in events] for events in read] == [["Sensing the field", "Next spring"]]
    assert client.get("/admin/impact/report/20x5").status_code == 404


def test_only_administrators_of_a_host(client, login, make_user, world, make_replica):
    from portal.events.models import Event

    login(make_user())
    assert client.get(f"/admin/impact/events/{world.uid}").status_code == 403
    login(make_user(role="admin"))
    other = make_replica(Event, "peer-c", title="Not ours", starts_at=world.starts_at, ends_at=world.ends_at,
                         co_hosts=[], timezone="Europe/Paris")
    assert client.get(f"/admin/impact/events/{other.uid}").status_code == 403
    assert client.get(f"/admin/impact/events/{other.uid}/funnel.csv").status_code == 403


def test_the_dashboard_opens_on_the_latest_year_with_an_event_held(client, login, make_user, world, make_b2b_event,
                                                                   make_participant):
    coming = make_b2b_event(title="Next year's edition")  # 18 March 2049, not held yet
    make_participant(coming, "Zoé")
    add_cost(coming, "room", "Room", 60_000, local_cluster())
    db.session.commit()
    login(make_user(role="admin"))
    html = client.get("/admin/impact/").get_data(as_text=True)
    assert "Impact of our events · 2025" in html and "Sensing the field" in html
    assert "Next year&#39;s edition" not in html
    trends = list(csv.reader(io.StringIO(client.get("/admin/impact/tables/trends.csv?year=2049").get_data(as_text=True))))
    # Confirmed and the budget are known; what happens at the event is not, yet: empty, not 0.
    assert trends[1][2:] == ["1", "", "", "", "", "", "", "", "600.00", ""]
    [row] = table(dashboard.overview_tables([queries.event_facts(coming)], {}), "trends").rows
    assert dashboard.cell(row["checked_in"], "int") == "–" and dashboard.cell(row["per_participant"], "money") == "–"


def test_the_trends_chart_dates_each_event_as_the_page_s_language_does(client, login, make_user, world):
    """Its labels read '2025-…-… · Sensing the field' in every language, where the table beside it
    reads '… 2025' in words."""
    login(make_user(role="admin"))
    html = client.get("/admin/impact/?year=2025", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    start = html.index('class="chart-svg"')
    chart = html[start:html.index("</svg>", start)]
    assert re.search(r">\d{1,2} [a-zéû]+\.? 2025 · Sensing", chart) and not re.search(r"2025-\d\d-\d\d", chart)


def test_the_dashboard_opens_on_this_year_when_no_event_has_ended(client, login, make_user, make_b2b_event):
    make_b2b_event(title="Next year's edition")
    login(make_user(role="admin"))
    html = client.get("/admin/impact/").get_data(as_text=True)
    assert f"Impact of our events · {datetime.now().year}" in html


def test_headers_count_people_apart_from_a_registrations_status(client, login, make_user, world, proposed_french):
    login(make_user(role="admin"))
    proposed_french(("Confirmed", "Confirmés", "counts"), ("Checked in", "Présents", "counts"))
    html = client.get(f"/admin/impact/events/{world.uid}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert ">Confirmés<" in html and ">Présents<" in html
    assert ">Confirmée<" not in html and ">Présent<" not in html  # one registration's status


def test_our_members_answers_name_whom_each_meeting_was_with(app):
    """In the order the survey asked them: "Katell Mercier: a quote", "Sandrine Chauvin: nothing yet"."""
    from types import SimpleNamespace

    person = SimpleNamespace(uid="p1", display_name="Anne")
    response = SimpleNamespace(stage="six_months", answers={"meeting.k2.outcome": "nothing_yet",
                                                            "meeting.k1.outcome": "quote", "meeting.k9.outcome": "nda"})
    with app.test_request_context():
        table = dashboard.answers_table([(person, response)], {},
                                        lambda uid: {"k1": "Katell Mercier", "k2": "Sandrine Chauvin"}, "six_months")
        steps = table.rows[0]["steps"]
    quote, nothing, nda = (str(dashboard.STEP_LABELS[k]) for k in ("quote", "nothing_yet", "nda"))
    assert steps == [f"Katell Mercier: {quote}", f"Sandrine Chauvin: {nothing}", f"A participant: {nda}"]
    steps_column = next(c for c in table.columns if c.key == "steps")  # one cell in a spreadsheet
    assert csv_value(steps, steps_column.kind) == f"Katell Mercier: {quote}; Sandrine Chauvin: {nothing}; A participant: {nda}"
    with app.test_request_context(), force_locale("fr"):  # French puts a (no-break) space before a colon
        table = dashboard.answers_table([(person, response)], {}, lambda uid: {"k1": "Katell Mercier"}, "six_months")
        assert table.rows[0]["steps"][0].startswith("Katell Mercier\u00a0: ")


def test_the_event_page_reads_as_many_times_for_twice_the_answers(client, login, make_user, make_b2b_event,
                                                                  make_participant, make_replica):
    event = make_b2b_event(starts_at=datetime(2025, 3, 18, 9, tzinfo=PARIS), ends_at=datetime(2025, 3, 18, 17, tzinfo=PARIS),
                           b2b_starts_at=datetime(2025, 3, 18, 14, tzinfo=PARIS),
                           b2b_ends_at=datetime(2025, 3, 18, 16, tzinfo=PARIS))
    login(make_user(role="admin"))
    counts = []
    for _ in range(2):  # two members who answered about the person they met, then four
        for _ in range(2):
            member, other = make_participant(event), make_participant(event)
            request(event, local_cluster(), make_replica, member.person_uid, other.person_uid, "accepted", "held")
            respond(member, event, "post_event", {"satisfaction": 4, "meeting.x.useful": True})
        counts.append(page_queries(client, f"/admin/impact/events/{event.uid}"))
    assert counts[1] == counts[0]


def test_the_event_page_reads_as_many_times_for_twice_the_clusters(client, login, make_user, make_b2b_event):
    event = make_b2b_event(co_hosts=["peer-1"])
    login(make_user(role="admin"))
    counts = [page_queries(client, f"/admin/impact/events/{event.uid}")]  # ours and a co-host's, then four
    event.co_hosts = ["peer-1", "peer-2", "peer-3"]
    db.session.commit()
    counts.append(page_queries(client, f"/admin/impact/events/{event.uid}"))
    assert counts[1] == counts[0]


def held_event(n, make_b2b_event, make_participant, make_replica):
    """A past event led here with peer-b: two members checked in and a meeting held between them,
    a registration of peer-b's, answers of both clusters, a budget line."""
    day = datetime(2025, 3, 1 + n, 9, tzinfo=PARIS)
    event = make_b2b_event(title=f"Held {n}", co_hosts=["peer-b"], starts_at=day, ends_at=day.replace(hour=17),
                           b2b_starts_at=day.replace(hour=14), b2b_ends_at=day.replace(hour=16))
    member, other = make_participant(event), make_participant(event)
    check_in(db.session.scalars(select(Registration).where(Registration.person_uid == member.person_uid)).one())
    theirs = make_replica(Person, "peer-b", display_name=f"Theirs {n}")
    make_replica(Registration, "peer-b", event_uid=event.uid, person_uid=theirs.uid, b2b=True, status="registered",
                 role="attendee")
    request(event, local_cluster(), make_replica, member.person_uid, other.person_uid, "accepted", "held")
    respond(member, event, "post_event", {"satisfaction": 4, "meeting.x.useful": True})
    make_replica(SurveyResponse, "peer-b", event_uid=event.uid, stage="post_event", respondent=f"theirs{n}",
                 answers={"satisfaction": 3})
    add_cost(event, "room", "Room", 10_000, local_cluster())
    db.session.commit()


@pytest.mark.parametrize("page", ["/admin/impact/?year=2025", "/admin/impact/report/2025"])
def test_a_year_s_pages_read_as_many_times_for_twice_the_events(page, client, login, make_user, make_b2b_event,
                                                                make_participant, make_replica):
    login(make_user(role="admin"))
    counts = []
    for events in (range(2), range(2, 4)):  # two events held in the year, then four
        for n in events:
            held_event(n, make_b2b_event, make_participant, make_replica)
        counts.append(page_queries(client, page))
    assert counts[1] == counts[0]


def test_our_members_answers_read_by_name_as_a_list_of_people_does(app):
    """They came in the order they were stored: "Aïcha" after "Aurélie", "émilie" after "Zoé"."""
    from types import SimpleNamespace

    own = [(SimpleNamespace(uid=f"p{n}", display_name=name), SimpleNamespace(stage="post_event", answers={}))
           for n, name in enumerate(("Zoé", "Aurélie", "émilie", "Aïcha"))]
    with app.test_request_context():
        table = dashboard.answers_table(own, {}, lambda uid: {}, "post_event")
    assert [row["member"] for row in table.rows] == ["Aïcha", "Aurélie", "émilie", "Zoé"]


def test_an_event_to_come_shows_no_cost_per_participant_as_its_trends_row(make_b2b_event, make_participant):
    """Its dashboard read €750.00 per participant (the cost shared by the confirmed so far) and 0 meetings
    held, where the year's trends show "–" for the same event."""
    event = make_b2b_event()  # 2049
    make_participant(event, "Anne")
    make_participant(event, "Bruno")
    add_cost(event, "room", "Room", 150_000, local_cluster())
    db.session.commit()
    facts = queries.event_facts(event)
    assert not facts.ended
    costs = dashboard.cost_table(facts).rows[0]
    assert costs["cost"] == 150_000 and costs["participants"] == 2
    assert [costs[key] for key in ("per_participant", "held", "per_meeting", "reported", "per_outcome")] == [None] * 5
    assert dashboard.trend_row(facts)["per_participant"] is None  # the same on both pages
