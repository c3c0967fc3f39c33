"""Meeting writes: request, reply, withdraw, star, cancel and mark, expire. They only flush.

Every write checks that this portal is the record's single writer: the requester's home
writes a request, the recipient's home its reply, the event's lead the meetings.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from portal.events.models import Event
from portal.extensions import db
from portal.federation.records import local_cluster, new_uid, utcnow
from portal.mail.models import OutboxMessage
from portal.meetings import notify, queries
from portal.meetings.models import CalendarToken, Meeting, MeetingReply, MeetingRequest, MeetingStar
from portal.meetings.schemas import MESSAGE_MAX


class MeetingError(Exception):
    """An action refused, with the reason to show the person."""


def ensure_local(record):
    """Nobody edits another cluster's records: a replica is read-only here."""
    if record.origin != local_cluster():
        raise MeetingError(_l("This record belongs to another portal; only it can change it."))


EVENT_CANCELLED = _l("This event is cancelled: its B2B meetings are off.")


def ensure_host(event):
    if event is None or not event.b2b_enabled:
        raise MeetingError(_l("This event has no B2B meetings."))
    if local_cluster() not in event.hosts:
        raise MeetingError(_l("This portal does not host this event."))
    ensure_not_cancelled(event)


def ensure_not_cancelled(event):
    """Nothing new is asked, answered or scheduled for a cancelled event."""
    if event is not None and event.cancelled:
        raise MeetingError(EVENT_CANCELLED)


def _home_member(person_uid):
    if queries.local_user_of(person_uid) is None:
        raise MeetingError(_l("Only a member of this portal can do this here."))


def check_request(event, from_person_uid, to_person_uid, now=None):
    """Refuse (MeetingError) a request that may not be sent; the request page checks it up front."""
    ensure_host(event)
    _home_member(from_person_uid)
    if event.over_at(now or utcnow()):
        raise MeetingError(_l("This event is over: its B2B meetings are closed."))
    if from_person_uid == to_person_uid:
        raise MeetingError(_l("You cannot request a meeting with yourself."))
    registered = queries.active_registrations(event.uid)
    if from_person_uid not in registered and queries.waitlisted(event.uid, from_person_uid):
        raise MeetingError(_l("You are on the waiting list: you request meetings once your place is confirmed."))
    if from_person_uid not in registered:
        raise MeetingError(_l("Register for the B2B meetings of this event first."))
    if to_person_uid not in registered and queries.waitlisted(event.uid, to_person_uid):
        raise MeetingError(_l("This person is on the waiting list: they take part in the B2B meetings once "
                              "their place is confirmed."))
    if to_person_uid not in registered:
        raise MeetingError(_l("This person does not take part in the B2B meetings."))
    found = queries.people([from_person_uid, to_person_uid])
    mine, theirs = found.get(from_person_uid), found.get(to_person_uid)
    if mine and theirs and mine.organisation_uid and mine.organisation_uid == theirs.organisation_uid:
        raise MeetingError(_l("You cannot request a meeting with someone of your own organisation."))
    if queries.request_between(event.uid, from_person_uid, to_person_uid) is not None:
        raise MeetingError(_l("There is already a request between you two."))
    if queries.open_sent_count(event.uid, from_person_uid) >= current_app.config["MEETING_MAX_REQUESTS"]:
        raise MeetingError(_l("You have reached the number of requests one person may send."))


def request_meeting(event, from_person_uid, to_person_uid, message="", starred=False, now=None):
    """A new request from a member of this portal to another B2B participant of the event."""
    check_request(event, from_person_uid, to_person_uid, now)
    request = MeetingRequest(uid=new_uid(), event_uid=event.uid, from_person_uid=from_person_uid,
                             to_person_uid=to_person_uid, message=(message or "").strip()[:MESSAGE_MAX],
                             status="open", starred=bool(starred), created_at=now or utcnow())
    db.session.add(request)
    if starred:
        db.session.add(MeetingStar(request_uid=request.uid, person_uid=from_person_uid))
    db.session.flush()
    notify.request_received(request)
    return request


def reply_to_request(request, person_uid, answer, message="", now=None):
    """The recipient's answer, written on the recipient's home portal."""
    if request.to_person_uid != person_uid:
        raise MeetingError(_l("Only the person asked can answer this request."))
    _home_member(person_uid)
    if request.status != "open":
        raise MeetingError(_l("This request was withdrawn."))
    if request.reply is not None:
        raise MeetingError(_l("This request is already answered."))
    if answer not in ("accepted", "declined"):
        raise MeetingError(_l("Accept or decline."))
    ensure_not_cancelled(db.session.get(Event, request.event_uid))
    taking_part = queries.active_registrations(request.event_uid)
    if request.from_person_uid not in taking_part:
        raise MeetingError(_l("The person who asked no longer takes part in the B2B meetings of this event: "
                              "the request is closed."))
    if person_uid not in taking_part:
        raise MeetingError(_l("Register for the B2B meetings of this event first."))
    if answer == "accepted":
        limit = current_app.config["MEETING_MAX_MEETINGS"]
        if queries.accepted_count(request.event_uid, person_uid) >= limit:
            raise MeetingError(_l("You have reached the number of meetings one person may have."))
        if queries.accepted_count(request.event_uid, request.from_person_uid) >= limit:
            raise MeetingError(_l("They have reached the number of meetings one person may have."))
    starred = db.session.get(MeetingStar, (request.uid, person_uid)) is not None
    reply = MeetingReply(event_uid=request.event_uid, request_uid=request.uid, answer=answer,
                         message=(message or "").strip()[:MESSAGE_MAX], starred=starred,
                         created_at=now or utcnow())
    db.session.add(reply)
    db.session.flush()
    db.session.expire(request, ["reply"])
    notify.reply_received(reply)
    return reply


def withdraw_request(request, person_uid, now=None, expired=False):
    """The requester takes a request back (expiry does it for them); a scheduled meeting goes too."""
    if request.from_person_uid != person_uid:
        raise MeetingError(_l("Only the person who asked can withdraw this request."))
    ensure_local(request)
    if request.status == "withdrawn":
        raise MeetingError(_l("This request was already withdrawn."))
    if request.met:
        raise MeetingError(_l("The meeting has begun: it is marked held or no-show, not withdrawn."))
    request.status = "withdrawn"
    if expired:
        request.expired_at = now or utcnow()
    db.session.flush()
    if expired:
        notify.request_expired(request)
    notify.request_received(request)
    on_request_withdrawn(request)
    return request


def on_request_withdrawn(request):
    """On the lead's portal, a withdrawn request cancels its meeting (its slot is free again)."""
    meeting = request.meeting
    if meeting is not None and meeting.origin == local_cluster() and meeting.cancellable:
        cancel_meeting(meeting, reason="withdrawn")


def close_requests_of(registration, now=None):
    """On a participant's home portal, their open requests at an event close when they leave its B2B.

    Leaving is cancelling the registration or taking the B2B part out of it. Each record
    keeps its single writer: the requests they sent are withdrawn (we write them), and the
    requests they received get a "declined" reply (we write their replies), an accepted one
    too, so that nobody waits for them or counts a meeting with them. The other side is
    told; the lead frees the slots of their scheduled meetings (`release_meetings`). Each
    remembers that leaving closed it: coming back reopens it (`reopen_requests_of`).
    """
    if not registration.is_local or (registration.active and registration.b2b):
        return []
    person_uid = registration.person_uid
    found = db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.event_uid == registration.event_uid, MeetingRequest.status == "open",
        or_(MeetingRequest.from_person_uid == person_uid, MeetingRequest.to_person_uid == person_uid))
        .order_by(MeetingRequest.created_at, MeetingRequest.uid)).all()
    closed = []
    for request in found:
        if request.met:
            continue  # it happened, or is happening: the organisers mark it
        if request.from_person_uid == person_uid and request.is_local:
            request.closed_on_leaving = True
            withdraw_request(request, person_uid, now=now)
            closed.append(request)
        elif request.to_person_uid == person_uid and _decline_for_leaver(request, now):
            closed.append(request)
    return closed


def _decline_for_leaver(request, now=None):
    reply = request.reply
    if reply is None:
        reply = MeetingReply(event_uid=request.event_uid, request_uid=request.uid, message="",
                             starred=False, created_at=now or utcnow(), answer_before_leaving="")
        db.session.add(reply)
    elif not reply.is_local or reply.answer == "declined":
        return False
    else:
        reply.answer_before_leaving = reply.answer
    reply.answer = "declined"
    db.session.flush()
    db.session.expire(request, ["reply"])
    notify.reply_received(reply)
    return True


def reopen_requests_of(registration, now=None):
    """On a participant's home portal, coming back to an event's B2B reopens what leaving closed.

    The requests they sent are open again (dated now, for expiry and reminders), and the
    answers leaving wrote are undone: a request they had not answered waits for their answer
    again (the reply goes, a tombstone), one they had accepted is accepted again (the lead
    schedules it on its next run). A request the other side withdrew meanwhile stays closed.
    The other side is told (`tell_reopened`).
    """
    if not (registration.is_local and registration.active and registration.b2b):
        return []
    person_uid = registration.person_uid
    sent = db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.event_uid == registration.event_uid, MeetingRequest.from_person_uid == person_uid,
        MeetingRequest.closed_on_leaving.is_(True))).all()
    for request in sent:
        request.status, request.closed_on_leaving, request.created_at = "open", False, now or utcnow()
    replies = db.session.scalars(select(MeetingReply).join(
        MeetingRequest, MeetingRequest.uid == MeetingReply.request_uid).where(
        MeetingReply.event_uid == registration.event_uid, MeetingRequest.to_person_uid == person_uid,
        MeetingReply.answer_before_leaving.is_not(None))).all()
    reopened = [(request, request) for request in sent] + [(reply.request, reply) for reply in replies]
    for reply in replies:
        if reply.answer_before_leaving:
            reply.answer, reply.answer_before_leaving = reply.answer_before_leaving, None
        else:
            db.session.delete(reply)
    db.session.flush()
    for request, cause in reopened:
        tell_reopened(request, person_uid, cause)
    return [request for request, _cause in reopened]


def tell_reopened(request, person_uid, cause):
    """A request that `person_uid`'s leaving closed is open again: their coming back reopened it.

    On every portal that holds it, whether it wrote the change (`reopen_requests_of`) or applied
    it from the returner's home (`cause`, the request or the reply whose new version reopened
    it): the request remembers whose return it was, for both sides' pages, and the other side
    is mailed if their home is here.
    """
    db.session.execute(update(MeetingRequest).where(MeetingRequest.uid == request.uid)
                       .values(reopened_by=person_uid))  # a local column: no new version to publish
    db.session.expire(request, ["reply", "reopened_by"])
    notify.request_reopened(request, person_uid, cause)


def toggle_star(request, person_uid):
    """Star or unstar a request; the star travels in the record this person writes."""
    if person_uid not in (request.from_person_uid, request.to_person_uid):
        raise MeetingError(_l("This is not your request."))
    star = db.session.get(MeetingStar, (request.uid, person_uid))
    if star is None:
        db.session.add(MeetingStar(request_uid=request.uid, person_uid=person_uid))
    else:
        db.session.delete(star)
    starred = star is None
    if person_uid == request.from_person_uid and request.is_local and request.status == "open":
        request.starred = starred
    reply = request.reply
    if person_uid == request.to_person_uid and reply is not None and reply.is_local:
        reply.starred = starred
    db.session.flush()
    return starred


def cancel_meeting(meeting, reason="organiser", now=None):
    """Cancel a meeting still to come (the lead only); its slot is free, both participants are told.

    Never one held or missed: it happened (or not), and the funnel and the impact figures
    count it; nor one that has begun: it is marked held or no-show. The cancellations that
    follow from something else (an event or a registration cancelled, a request withdrawn)
    pass over those (`Meeting.cancellable`).
    """
    ensure_local(meeting)
    if meeting.status == "cancelled":
        return meeting
    if meeting.status in ("held", "no_show"):
        raise MeetingError(_l("A meeting marked held or no-show cannot be cancelled."))
    if meeting.begun(now):
        raise MeetingError(_l("A meeting that has begun cannot be cancelled: mark it held or no-show."))
    meeting.status, meeting.cancel_reason = "cancelled", reason
    db.session.flush()
    notify.meeting_changed(meeting)
    return meeting


def cancel_event_meetings(event):
    """The event is cancelled: its coming meetings are too (the lead writes them), so that
    schedules and calendar feeds drop them; both sides are told of each."""
    meetings = db.session.scalars(select(Meeting).where(Meeting.event_uid == event.uid, Meeting.status == "scheduled"))
    return [cancel_meeting(m, reason="event") for m in meetings.all() if m.is_local and m.cancellable]


def release_meetings(event_uid, session=None):
    """At an event we lead, cancel the coming meetings of anyone no longer taking part.

    Someone cancelled their registration or its B2B part, was refused, or was erased (their
    home portal's tombstone): their scheduled meetings free their slots, and both sides are told.
    """
    session = session or db.session
    taking_part = set(queries.active_registrations(event_uid, session))
    meetings = session.scalars(select(Meeting).where(Meeting.event_uid == event_uid, Meeting.status == "scheduled"))
    return [cancel_meeting(m, reason="left") for m in meetings.all()
            if m.is_local and m.cancellable and not set(m.person_uids or []) <= taking_part]


def mark_meeting(meeting, status, now=None, by=None):
    """At the event: held, no_show, or back to scheduled (the lead only); `by`: the organiser's
    user id, kept with the time of the mark.

    Held or no-show only once the meeting has begun: a mark made beforehand would count in
    the funnel and the impact figures for a meeting that has not happened.
    """
    ensure_local(meeting)
    if status == "cancelled":
        return cancel_meeting(meeting, now=now)
    if status not in ("scheduled", "held", "no_show"):
        raise MeetingError(_l("Unknown meeting status."))
    if meeting.status == "cancelled" and status != "scheduled":
        raise MeetingError(_l("A cancelled meeting cannot be marked."))
    if status in ("held", "no_show") and not meeting.begun(now):
        raise MeetingError(_l("A meeting is marked held or no-show once it has begun."))
    if meeting.status != status:
        meeting.status = status
        meeting.cancel_reason = None
        meeting.marked_by_user_id, meeting.marked_at = by, now or utcnow()
        db.session.flush()
        notify.meeting_changed(meeting)
    return meeting


def expire_requests(now=None):
    """The cron job: withdraw our members' requests nobody answered in time, remind before.

    Expiry is done by the requester's home portal (it writes the request); reminders by
    the recipient's, which dates a peer's request from when it first received it.
    """
    now = now or utcnow()
    ttl = timedelta(hours=current_app.config["MEETING_REQUEST_TTL_HOURS"])
    before = timedelta(hours=current_app.config["MEETING_REMINDER_BEFORE_HOURS"])
    pending = db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.status == "open", MeetingRequest.created_at <= now - ttl + before)).all()
    expired = reminded = 0
    for request in pending:
        if request.reply is not None:
            continue
        if request.is_local and request.created_at <= now - ttl:
            withdraw_request(request, request.from_person_uid, now=now, expired=True)
            expired += 1
        elif request.created_at > now - ttl and _remind(request):
            reminded += 1
    return {"expired": expired, "reminded": reminded}


def _remind(request):
    """Queue the reminder once; True when it is new."""
    before = db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.dedupe_key.like(f"meetings:%:request:{request.uid}:reminder")))
    return before is None and notify.request_reminder(request) is not None


def reset_calendar_token(person_uid):
    """A new calendar feed address for the person; the old one stops working."""
    token = db.session.get(CalendarToken, person_uid)
    if token is None:
        token = CalendarToken(person_uid=person_uid, generation=0)
        db.session.add(token)
    token.generation = (token.generation or 0) + 1
    token.changed_at = utcnow()
    db.session.flush()
    return token


def meeting_for_request(request_uid):
    return db.session.scalars(select(Meeting).where(Meeting.request_uid == request_uid)).first()
