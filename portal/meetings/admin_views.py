"""Organiser pages of the lead's portal: run the scheduler, publish, grid, table sheets, funnel."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import current_user
from sqlalchemy import select

from portal.accounts.auth import admin_required
from portal.directory.queries import cluster_names
from portal.events.formatting import event_file_name, sheet_time
from portal.events.models import Event, as_utc
from portal.extensions import db
from portal.htmx import is_htmx, render
from portal.meetings import funnels, grid, moves, queries, scheduling, services
from portal.meetings.forms import ActionForm, MeetingStatusForm, MoveForm
from portal.meetings.models import Meeting, MeetingRequest, ScheduleRun
from portal.meetings.pages import CANCEL_REASONS, MEETING_LABELS
from portal.meetings.services import MeetingError
from portal.meetings.times import event_time, slot_count, slot_end, slot_of, slot_start, table_index
from portal.security import access
from portal.spreadsheet import csv_response, defused
from portal.text import sort_key

bp = Blueprint("meeting_admin", __name__, url_prefix="/admin/b2b")


def get_led_event_or_404(event_uid):
    """An event with B2B meetings that this portal leads (only the lead schedules)."""
    event = db.session.get(Event, event_uid)
    if event is None or not event.b2b_enabled or not event.is_local:
        abort(404)
    return event


def get_meeting_or_404(event, meeting_uid):
    """A meeting of the event (one of another event is not found)."""
    meeting = db.session.get(Meeting, meeting_uid)
    if meeting is None or meeting.event_uid != event.uid:
        abort(404)
    return meeting


@bp.get("/events/<event_uid>/")
@access("admin")
@admin_required
def overview(event_uid):
    event = get_led_event_or_404(event_uid)
    return render("meetings/admin/overview.html", "meetings/admin/_meetings.html",
                  **_overview_context(event))


def _overview_context(event):
    eligible = scheduling.eligible_requests(event)  # read once for the page
    meetings = queries.event_meetings(event.uid)
    uids = {uid for m in meetings for uid in m.person_uids}
    run = scheduling.latest_run(event.uid)
    placed = {m.request_uid for m in meetings}
    return {"event": event, "run": run, "eligible": len(eligible.requests), "block_over": scheduling.block_over(event),
            # Accepted since the schedule was published: only a new run places them (not once it is over).
            "waiting": sum(1 for r in eligible.requests if r.uid not in placed) if meetings and not event.over else 0,
            "slots": slot_count(event), "meetings": meetings, "people": queries.people(uids),
            "markers": queries.markers(meetings),
            "action_form": ActionForm(), "status_form": MeetingStatusForm(),
            "funnel": funnels.funnel(event_uid=event.uid), "changes": change_rows(event, run), "unplaced": unplaced_pairs(run),
            "out_of_date": scheduling.out_of_date(event, run, eligible), "misplaced": len(scheduling.misplaced(event, meetings))}


@bp.post("/events/<event_uid>/runs")
@access("admin")
@admin_required
def start_run(event_uid):
    event = get_led_event_or_404(event_uid)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        run = scheduling.start_run(event, user_id=current_user.id)
    except MeetingError as error:
        flash(str(error), "error")
        return redirect(url_for("meeting_admin.overview", event_uid=event.uid))
    if is_htmx():
        return _run_fragment(event, run)
    return redirect(url_for("meeting_admin.overview", event_uid=event.uid))


@bp.get("/events/<event_uid>/runs/<int:run_id>")
@access("admin")
@admin_required
def run_status(event_uid, run_id):
    event = get_led_event_or_404(event_uid)
    run = db.session.get(ScheduleRun, run_id)
    if run is None or run.event_uid != event.uid:
        abort(404)
    return _run_fragment(event, run)


def _run_fragment(event, run):
    return render("meetings/admin/_run.html", "meetings/admin/_run.html", event=event, run=run,
                  action_form=ActionForm(), changes=change_rows(event, run), unplaced=unplaced_pairs(run),
                  out_of_date=scheduling.out_of_date(event, run))


CHANGE_LABELS = {"new": _l("New"), "moved": _l("Moved"), "cancelled": _l("Cancelled")}


def unplaced_pairs(run):
    """Who of the run's accepted requests it could not place ("Anne – Bruno"), by name."""
    uids = (run.result.get("output") or {}).get("unscheduled") if run is not None and run.result else None
    if not uids:
        return []
    pairs = [(r.from_person_uid, r.to_person_uid)
             for r in db.session.scalars(select(MeetingRequest).where(MeetingRequest.uid.in_(uids)))]
    names = queries.people(uid for pair in pairs for uid in pair)
    return sorted(_pair_names(names, pair) for pair in pairs)


def _pair_names(names, person_uids):
    return " – ".join(names[u].display_name if u in names else "?" for u in person_uids)


def change_rows(event, run):
    """A run's changes as the page shows them: names, and times in the event's zone (the time
    alone, as in the list of meetings: the page's heading gives the day)."""
    changes = (run.changes or []) if run is not None else []
    names = queries.people(uid for change in changes for uid in change["person_uids"])

    def place(where):
        if where is None:
            return None
        return {"table": where["table"], "when": event_time(as_utc(where["starts_at"]), event, with_date=False)}
    return [{"kind": c["kind"], "label": CHANGE_LABELS[c["kind"]], "before": place(c["before"]),
             "after": place(c["after"]),
             "names": _pair_names(names, c["person_uids"])}
            for c in changes]


@bp.post("/events/<event_uid>/runs/<int:run_id>/publish")
@access("admin")
@admin_required
def publish(event_uid, run_id):
    event = get_led_event_or_404(event_uid)
    run = db.session.get(ScheduleRun, run_id)
    if run is None or run.event_uid != event.uid or not ActionForm().validate_on_submit():
        abort(404)
    try:
        changes = scheduling.publish_run(run)
    except MeetingError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(ngettext("Schedule published: %(num)d change.", "Schedule published: %(num)d changes.", len(changes)),
              "success")
    return redirect(url_for("meeting_admin.overview", event_uid=event.uid))


@bp.post("/events/<event_uid>/meetings/<meeting_uid>/status")
@access("admin")
@admin_required
def set_status(event_uid, meeting_uid):
    event = get_led_event_or_404(event_uid)
    meeting = get_meeting_or_404(event, meeting_uid)
    form = MeetingStatusForm()
    error = None
    if form.validate_on_submit():
        try:
            services.mark_meeting(meeting, form.status.data, by=current_user.id)
        except MeetingError as refused:
            error = str(refused)
        else:
            db.session.commit()
    else:
        error = _("Unknown meeting status.")
    if not is_htmx():
        flash(error or _("Meeting at table %(table)s, %(when)s: %(status)s.", table=meeting.table,
                         when=event_time(meeting.starts_at, event), status=MEETING_LABELS[meeting.status]),
              "error" if error else "success")
        return redirect(url_for("meeting_admin.overview", event_uid=event.uid))
    response = render("meetings/admin/_meeting_row.html", "meetings/admin/_meeting_row.html", 422 if error else 200,
                      event=event, m=meeting, error=error, status_form=MeetingStatusForm(),
                      people=queries.people(meeting.person_uids), markers=queries.markers([meeting]))
    if not error:
        response.headers["HX-Trigger"] = "b2b-funnel-changed"
    return response


@bp.route("/events/<event_uid>/meetings/<meeting_uid>/move", methods=["GET", "POST"])
@access("admin")
@admin_required
def move(event_uid, meeting_uid):
    """Another time or table for a meeting still to come, among the places free for both."""
    event = get_led_event_or_404(event_uid)
    meeting = get_meeting_or_404(event, meeting_uid)
    form = MoveForm()
    places = moves.free_places(event, meeting)
    form.place.choices = _place_choices(event, places)
    who = _pair_names(queries.people(meeting.person_uids), meeting.person_uids)
    if form.validate_on_submit():
        slot, _sep, table = (form.place.data or "").partition(":")
        try:
            moves.move_meeting(event, meeting, int(slot) if slot.isdigit() else None, table)
        except MeetingError as refused:
            form.place.errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("The meeting %(who)s is now at %(when)s, table %(table)s; both participants are told.",
                    who=who, when=event_time(meeting.starts_at, event), table=meeting.table), "success")
            return redirect(url_for("meeting_admin.overview", event_uid=event.uid, _anchor=f"meeting-{meeting.uid}"))
    return render_template("meetings/admin/move.html", event=event, meeting=meeting, form=form,
                           places=places, who=who), 422 if form.errors else 200


def _place_choices(event, places):
    """The free places as a select's groups: one per time, its free tables inside."""
    groups = {}
    for slot, table in places:
        when = f"{event_time(slot_start(event, slot), event, with_date=False)}–" \
               f"{event_time(slot_end(event, slot), event, with_date=False)}"
        groups.setdefault(when, []).append((f"{slot}:{table}", _("%(when)s, table %(table)s", when=when, table=table)))
    return groups


@bp.get("/events/<event_uid>/funnel-line")
@access("admin")
@admin_required
def funnel_line(event_uid):
    """The overview's funnel line, fetched again after a meeting's status changes."""
    event = get_led_event_or_404(event_uid)
    if not is_htmx():
        return redirect(url_for("meeting_admin.overview", event_uid=event.uid))
    return render_template("meetings/admin/_funnel_line.html", event=event, funnel=funnels.funnel(event_uid=event.uid))


@bp.get("/events/<event_uid>/grid")
@access("admin")
@admin_required
def grid_page(event_uid):
    event = get_led_event_or_404(event_uid)
    misplaced = scheduling.misplaced(event, queries.event_meetings(event.uid, active_only=True))
    return render("meetings/admin/grid.html", "meetings/admin/grid.html", event=event, misplaced=len(misplaced))


@bp.get("/events/<event_uid>/grid.svg")
@access("admin")
@admin_required
def grid_svg(event_uid):
    event = get_led_event_or_404(event_uid)
    meetings = queries.event_meetings(event.uid, active_only=True)
    names = queries.people(uid for m in meetings for uid in m.person_uids)
    cells = {}
    for m in meetings:
        # Every table in use is drawn, also past the event's count after it was lowered.
        slot, table = slot_of(event, m.starts_at), table_index(m.table, len(meetings) + event.b2b_tables)
        if slot is not None and table is not None:
            cells[(table, slot)] = {"status": m.status, "names": tuple(
                names[uid].display_name if uid in names else "?" for uid in m.person_uids)}
    labels = [event_time(slot_start(event, s), event, with_date=False) for s in range(slot_count(event))]
    tables = max([event.b2b_tables, *(table + 1 for table, _slot in cells)])
    body = grid.svg(labels, tables, cells, title=f"{_('B2B grid')} · {event.title}")
    return Response(body, mimetype="image/svg+xml", headers={"Cache-Control": "no-cache"})


@bp.get("/events/<event_uid>/tables")
@access("admin")
@admin_required
def table_sheets(event_uid):
    event = get_led_event_or_404(event_uid)
    meetings = queries.event_meetings(event.uid, active_only=True)
    by_table = {}
    for m in meetings:
        by_table.setdefault(m.table, []).append(m)
    tables = sorted(by_table.items(), key=lambda item: queries.table_order(item[0]))
    return render("meetings/admin/tables.html", "meetings/admin/tables.html", event=event, tables=tables,
                  people=queries.people(uid for m in meetings for uid in m.person_uids))


@bp.get("/events/<event_uid>/meetings.csv")
@access("admin")
@admin_required
def meetings_csv(event_uid):
    """Every published meeting, cancelled ones too, for the organisers' spreadsheet."""
    event = get_led_event_or_404(event_uid)
    meetings = queries.event_meetings(event.uid)
    people, names = queries.people(uid for m in meetings for uid in m.person_uids), cluster_names()
    return csv_response(([defused(v) for v in row] for row in _meeting_rows(event, meetings, people, names)),
                        event_file_name("b2b-meetings", event) + ".csv")


def _meeting_rows(event, meetings, people, names):
    zone = event.timezone
    sides = [[_("Participant %(n)d", n=n), _("Organisation %(n)d", n=n), _("Cluster %(n)d", n=n)] for n in (1, 2)]
    yield [_("Starts (%(zone)s)", zone=zone), _("Ends (%(zone)s)", zone=zone), _("Table"), *sides[0], *sides[1],
           _("Status"), _("Why cancelled")]
    for m in meetings:
        cells = []
        for uid in m.person_uids:
            person = people.get(uid)
            cells += [person.display_name, person.organisation.name if person.organisation else "",
                      names.get(person.origin, person.origin)] if person else [_("(profile not shared)"), "", ""]
        yield [sheet_time(m.starts_at, zone), sheet_time(m.ends_at, zone), m.table, *cells,
               str(MEETING_LABELS.get(m.status, m.status)),
               str(CANCEL_REASONS.get(m.cancel_reason, "")) if m.status == "cancelled" else ""]


@bp.get("/events/<event_uid>/schedules")
@access("admin")
@admin_required
def participant_sheets(event_uid):
    """Each participant's meetings on a page of their own, for the welcome desk to hand out
    (a participant who does not share their profile is listed last, unnamed)."""
    event = get_led_event_or_404(event_uid)
    meetings = queries.event_meetings(event.uid, active_only=True)
    people = queries.people(uid for m in meetings for uid in m.person_uids)
    by_person = {}
    for m in meetings:
        for uid in m.person_uids:
            by_person.setdefault(uid, []).append(m)
    sheets = sorted(by_person.items(), key=lambda item: (
        item[0] not in people, sort_key(people[item[0]].display_name) if item[0] in people else ""))
    return render("meetings/admin/schedules.html", "meetings/admin/schedules.html", event=event, sheets=sheets,
                  people=people)


@bp.get("/funnel")
@access("admin")
@admin_required
def funnel():
    return render("meetings/admin/funnel.html", "meetings/admin/funnel.html", groups=funnels.funnel_groups(),
                  total=funnels.funnel())

