"""The scheduler in the portal: build the instance from the database, run, publish meetings.

Only the event's lead schedules. A run stores its progress in a `ScheduleRun` row that the
organiser's page polls; publishing writes `meeting` records. A re-run passes the published
meetings' slots and tables as `previous_*` so they stay where they are unless they must move,
and held or missed meetings as fixed slots.
"""
import threading
import time
from typing import NamedTuple

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from portal.events.models import Event, as_utc
from portal.events.registrations import lock_event
from portal.extensions import db
from portal.federation.records import utcnow
from portal.matchmaking.scheduler import parse_instance, solve, validate_schedule
from portal.meetings import notify, queries, services
from portal.meetings.models import Meeting, MeetingReply, MeetingRequest, ScheduleRun
from portal.meetings.services import MeetingError
from portal.meetings.times import (begun_slots, slot_count, slot_end, slot_of, slot_start, table_index,
                                   table_label, unavailable_slots)


#: Cancelled meetings that a run may schedule again: moved out by a run, or one side left and came back.
RESCHEDULED = ("schedule", "left")


def ensure_lead(event):
    if event is None or not event.b2b_enabled:
        raise MeetingError(_l("This event has no B2B meetings."))
    if not event.is_local:
        raise MeetingError(_l("Only the lead cluster of the event schedules its meetings."))
    services.ensure_not_cancelled(event)
    if slot_count(event) == 0:
        raise MeetingError(_l("Set the B2B block's start, end and slot length first."))


def block_over(event, now=None):
    """Whether every slot of the B2B block has begun: a run could place nothing any more."""
    return len(begun_slots(event, now or utcnow())) == slot_count(event)


class Eligible(NamedTuple):
    """What a run schedules: the requests, and the event's B2B registrations by person uid."""

    requests: list
    registrations: dict


def eligible_requests(event):
    """Requests to schedule (an `Eligible`): accepted, open, both registrations confirmed and B2B."""
    registrations = queries.active_registrations(event.uid)
    confirmed = {uid for uid, r in registrations.items()
                 if r.decision is not None and r.decision.status == "confirmed"}
    rows = db.session.scalars(select(MeetingRequest).join(
        MeetingReply, MeetingReply.request_uid == MeetingRequest.uid).where(
        MeetingRequest.event_uid == event.uid, MeetingRequest.status == "open",
        MeetingReply.answer == "accepted").order_by(MeetingRequest.created_at, MeetingRequest.uid)).all()
    return Eligible([r for r in rows if r.from_person_uid in confirmed and r.to_person_uid in confirmed],
                    registrations)


def build_instance(event, now=None, eligible=None):
    """The scheduler's instance (JSON-ready) for the event, as of `now` (slots begun by then
    take nothing new). `eligible`: what `eligible_requests(event)` returns, when the caller has it."""
    ensure_lead(event)
    requests, registrations = eligible or eligible_requests(event)
    existing = {m.request_uid: m for m in queries.event_meetings(event.uid)}
    meetings, people, fixed_slots = [], set(), {}
    for request in requests:
        meeting = existing.get(request.uid)
        if meeting is not None and meeting.status == "cancelled" and meeting.cancel_reason not in RESCHEDULED:
            continue  # cancelled by an organiser or a withdrawal: not scheduled again
        item = {"id": request.uid, "participants": [request.from_person_uid, request.to_person_uid],
                "priority": request.priority}
        slot = slot_of(event, meeting.starts_at) if meeting is not None else None
        if meeting is not None and meeting.settled() and slot is not None:
            item["fixed_slot"] = slot
            for pid in item["participants"]:
                fixed_slots.setdefault(pid, set()).add(slot)
        elif meeting is not None and meeting.status == "scheduled" and slot is not None:
            item["previous_slot"] = slot
            previous_table = table_index(meeting.table, event.b2b_tables)
            if previous_table is not None:
                item["previous_table"] = previous_table
        meetings.append(item)
        people.update(item["participants"])
    begun = begun_slots(event, now or utcnow())  # on the day: only what has begun stays there (fixed)
    participants = [{"id": pid, "unavailable": sorted(
        (set(unavailable_slots(event, registrations[pid])) | begun) - fixed_slots.get(pid, set()))}
        for pid in sorted(people)]
    data = {"slots": slot_count(event), "tables": event.b2b_tables, "participants": participants,
            "meetings": meetings}
    return data


def start_run(event, user_id=None, time_limit=None, now=None):
    """Create a run row and solve, in a thread (or inline when SCHEDULER_BACKGROUND is off).

    Commits: the run must be visible to the polling page before the solver starts. `now`: as
    of when (the demo schedules its past event as it was a week before).
    """
    data = build_instance(event, now)
    if block_over(event, now):
        raise MeetingError(_l("Every slot of the B2B block has begun: the schedule stays as it is."))
    current = latest_run(event.uid)
    if current is not None and current.running:
        raise MeetingError(_l("The scheduler is already running for this event."))
    run = ScheduleRun(event_uid=event.uid, status="running", meetings=len(data["meetings"]),
                      time_limit=float(time_limit or current_app.config["SCHEDULER_TIME_LIMIT"]),
                      started_by=user_id, log=[], changes=[], started_at=now or utcnow())
    db.session.add(run)
    db.session.commit()
    if current_app.config.get("SCHEDULER_BACKGROUND"):
        app = current_app._get_current_object()
        threading.Thread(target=_run_in_thread, args=(app, run.id, data), daemon=True,
                         name=f"scheduler-{run.id}").start()
    else:
        execute_run(run.id, data)
    return run


def _run_in_thread(app, run_id, data):
    with app.app_context():
        try:
            execute_run(run_id, data)
        finally:
            db.session.remove()


def execute_run(run_id, data):
    """Solve and store the outcome in the run row; progress is written as it comes.

    The run ends as long after its `started_at` as it took (the demo's run is dated back)."""
    began = utcnow()
    run = db.session.get(ScheduleRun, run_id)
    progress = _ProgressWriter(db.engine, run_id)
    try:
        instance = parse_instance(data)
        output = solve(instance, time_limit=run.time_limit, on_progress=progress)
        problems = validate_schedule(instance, output)
        if problems:
            raise RuntimeError("; ".join(problems[:5]))
    except Exception as error:  # the organiser sees why; the portal keeps running
        current_app.logger.exception("scheduler run %s failed", run_id)
        db.session.rollback()
        run = db.session.get(ScheduleRun, run_id)
        run.status, run.error = "failed", str(error)[:2000]
        run.finished_at = run.started_at + (utcnow() - began)
        db.session.commit()
        return run
    db.session.expire_all()
    run = db.session.get(ScheduleRun, run_id)
    event = db.session.get(Event, run.event_uid)
    run.result = {"output": output, "instance": data}
    run.status = "done" if output["status"] != "infeasible" else "failed"
    if output["status"] == "infeasible":
        run.error = "; ".join(output.get("conflicts", []))[:2000]
    run.phase = output["status"]  # what the run ended with, where its phases were shown
    run.scheduled, run.breaks = len(output["assignments"]), output["breaks"]
    run.bound, run.seconds = output["lower_bound"], output["seconds"]
    run.finished_at = run.started_at + (utcnow() - began)
    run.changes = diff(event, output) if run.status == "done" else []
    db.session.commit()
    return run


class _ProgressWriter:
    """The solver's `on_progress`: it may run on a solver thread, so it uses the engine directly."""

    def __init__(self, engine, run_id):
        self.engine, self.run_id, self.entries, self.last = engine, run_id, [], 0.0

    def __call__(self, info):
        self.entries.append(info)
        now = time.monotonic()
        if now - self.last < 0.5 and info["phase"] != "greedy":
            return
        self.last = now
        with self.engine.begin() as connection:
            connection.execute(update(ScheduleRun).where(ScheduleRun.id == self.run_id).values(
                phase=info["phase"], scheduled=info["scheduled"], breaks=info["breaks"],
                bound=info["bound"], seconds=info["seconds"], log=self.entries[-50:]))


def diff(event, output):
    """What publishing `output` does to the published meetings: new, moved, cancelled."""
    places = {a["meeting"]: a for a in output["assignments"]}
    changes = []
    for meeting in queries.event_meetings(event.uid):
        place = places.pop(meeting.request_uid, None)
        if meeting.settled():
            continue  # held, missed or begun: it stays what it is, wherever a run put it
        before = _where(meeting) if meeting.status == "scheduled" else None
        after = _place(event, place) if place else None
        if before != after:
            kind = "new" if before is None else "cancelled" if after is None else "moved"
            changes.append({"request_uid": meeting.request_uid, "kind": kind, "before": before,
                            "after": after, "person_uids": list(meeting.person_uids)})
    requests = {r.uid: r for r in db.session.scalars(
        select(MeetingRequest).where(MeetingRequest.uid.in_(list(places))))} if places else {}
    for request_uid, place in places.items():
        request = requests[request_uid]
        changes.append({"request_uid": request_uid, "kind": "new", "before": None,
                        "after": _place(event, place),
                        "person_uids": [request.from_person_uid, request.to_person_uid]})
    return sorted(changes, key=lambda c: (c["kind"], (c["after"] or c["before"])["starts_at"]))


def _where(meeting):
    return {"starts_at": meeting.starts_at.isoformat(), "table": meeting.table}


def _place(event, assignment):
    return {"starts_at": slot_start(event, assignment["slot"]).isoformat(),
            "table": table_label(assignment["table"])}


def publish_run(run, now=None):
    """Write the run's schedule as `meeting` records; returns the changes made.

    Requests that stopped being eligible since the run are left out (and their meetings
    cancelled); everything else follows the run. Both participants hear of each change.
    `now` as for `start_run`.
    """
    event = db.session.get(Event, run.event_uid)
    ensure_lead(event)
    lock_event(db.session, event.uid)  # a move by hand meanwhile makes the run out of date, below
    if run.status != "done":
        raise MeetingError(_l("Only a finished run can be published."))
    if latest_run(event.uid).id != run.id:
        raise MeetingError(_l("A newer run exists: publish that one."))
    eligible = eligible_requests(event)
    uids = {r.uid for r in eligible.requests}
    stale = stale_reason(run.result["instance"], build_instance(event, now, eligible), uids)
    if stale:
        raise MeetingError(stale)
    output = dict(run.result["output"])
    output["assignments"] = [a for a in output["assignments"] if a["meeting"] in uids]
    changes = diff(event, output)
    for change in changes:
        _apply(event, change)
    run.status, run.published_at, run.changes = "published", now or utcnow(), changes
    db.session.flush()
    return changes


def out_of_date(event, run, eligible=None):
    """Why a finished run can no longer be published, for the overview to say so, or None.
    `eligible`: what `eligible_requests(event)` returns, when the caller has it."""
    if run is None or run.status != "done":
        return None
    try:
        eligible = eligible or eligible_requests(event)
        return stale_reason(run.result["instance"], build_instance(event, eligible=eligible),
                            {r.uid for r in eligible.requests})
    except MeetingError as error:  # the event was cancelled, or its B2B block cleared
        return str(error)


def stale_reason(then, now, eligible):
    """Why a run made on instance `then` must not be published now (instance `now`), or None.

    Publishing it would undo what organisers did since: a meeting marked held or no-show, or
    cancelled, would be scheduled again where the run put it, and a run made for more tables
    or other slots would place meetings where there are none. Requests that stopped being
    eligible are left out on publishing, and those accepted since wait for the next run.
    """
    if (then["slots"], then["tables"]) != (now["slots"], now["tables"]):
        return _l("The B2B block or its number of tables changed since this run: run the scheduler again.")
    current = {m["id"]: m for m in now["meetings"]}
    for meeting in then["meetings"]:
        if meeting["id"] in eligible and (meeting["id"] not in current
                                          or current[meeting["id"]].get("fixed_slot") != meeting.get("fixed_slot")):
            return _l("Meetings began, were marked held or no-show, or were cancelled since this run: "
                      "run the scheduler again.")
    if any(_published_place(current[m["id"]]) != _published_place(m) for m in then["meetings"] if m["id"] in current):
        return _l("Meetings were moved since this run: run the scheduler again.")
    windows = {p["id"]: p["unavailable"] for p in now["participants"]}
    if any(windows.get(p["id"], p["unavailable"]) != p["unavailable"] for p in then["participants"]):
        return _l("Participants' availability changed, or slots began, since this run: run the scheduler again.")
    return None


def _published_place(meeting):
    return meeting.get("previous_slot"), meeting.get("previous_table")


def _apply(event, change):
    meeting = services.meeting_for_request(change["request_uid"])
    after = change["after"]
    if after is None:
        services.cancel_meeting(meeting, reason="schedule")
        return
    if meeting is None:
        meeting = Meeting(event_uid=event.uid, request_uid=change["request_uid"],
                          person_uids=change["person_uids"])
        db.session.add(meeting)
    place_meeting(event, meeting, slot_of(event, as_utc(after["starts_at"])), after["table"])


def place_meeting(event, meeting, slot, table):
    """Put `meeting` at `slot` and `table`, scheduled, and tell both participants what changed
    (a new meeting, or one that moves, from where)."""
    was = meeting.was_scheduled()
    meeting.starts_at, meeting.ends_at = slot_start(event, slot), slot_end(event, slot)
    meeting.table, meeting.status, meeting.cancel_reason = table, "scheduled", None
    db.session.flush()
    notify.meeting_changed(meeting, was)


def misplaced(event, meetings):
    """Active meetings that the event's B2B block and tables, or a participant's availability, no
    longer hold (edited since)."""
    taking_part = queries.active_registrations(event.uid)
    return [m for m in meetings if m.status != "cancelled" and (
        slot_of(event, m.starts_at) is None or table_index(m.table, event.b2b_tables) is None
        or any(not available(taking_part.get(uid), m) for uid in m.person_uids))]


def available(registration, meeting):
    """The meeting fits in the registration's availability window (none: they left, not "moved")."""
    if registration is None:
        return True
    start, until = registration.available_from, registration.available_until
    return not ((start and as_utc(meeting.starts_at) < as_utc(start))
                or (until and as_utc(meeting.ends_at) > as_utc(until)))


def latest_run(event_uid):
    return db.session.scalars(select(ScheduleRun).where(ScheduleRun.event_uid == event_uid)
                              .order_by(ScheduleRun.id.desc()).limit(1)).first()
