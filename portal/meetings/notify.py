"""Meeting e-mails through the outbox: each portal writes only to its own members.

Called by the services for local changes and by `fed_after_apply` for records received
from peers, so a member hears of a change whichever portal made it. Dedupe keys name the
request or meeting and what happened, so a record applied twice (or republished when the
hosts change) never mails twice.
"""
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from flask_babel import format_timedelta, gettext as _

from portal.i18n import in_language_of
from portal.links import external_url
from portal.mail.services import queue_mail
from portal.meetings import queries
from portal.meetings.times import event_time


def _send(user, key, subject, body):
    """Queue a message to an account of this portal (see `_recipient`), greeting them and signed
    by the portal as its other mails are."""
    if user is None or not user.email:
        return None
    name = getattr(user.person, "display_name", "")
    greeting = _("Hello %(name)s,", name=name) if name else _("Hello,")
    footer = _("Your B2B meetings: %(url)s", url=external_url("meetings.dashboard", event_uid=key[1]))
    body = _sentence(body)  # "a participant …" may open it
    # A member may take part in several events: the subject names which.
    subject = _("%(what)s – %(event)s", what=_sentence(subject), event=_title(key[1]))
    text = f"{greeting}\n\n{body}\n\n{footer}\n\n-- \n{current_app.config['CLUSTER_NAME']}\n"
    return queue_mail(user.email, subject, text, dedupe_key=":".join(key)[:200])


def _sentence(text):
    return text[:1].upper() + text[1:]


@contextmanager
def _recipient(person_uid):
    """The account of a person whose home is here (None: their portal writes to them), with
    the mail's language set to theirs, whoever or whatever caused the mail."""
    user = queries.local_user_of(person_uid)
    with in_language_of(user):
        yield user


def _name(person_uid):
    person = queries.people([person_uid]).get(person_uid)
    return person.display_name if person else _("a participant")


def _title(event_uid):
    from portal.events.models import Event
    from portal.extensions import db

    event = db.session.get(Event, event_uid)
    return event.title if event else _("the event")


def _left(event_uid, person_uid):
    """Whether a person no longer takes part in the B2B meetings of an event."""
    return person_uid not in queries.active_registrations(event_uid)


def _meeting_tells(request):
    """Whether the lead made a meeting of the request: when a side leaves, that meeting's
    cancellation is the one mail the other side gets."""
    return queries.meeting_status(request.uid) in ("scheduled", "cancelled")


def request_received(request):
    """Tell the recipient of a new request, or of its withdrawal."""
    with _recipient(request.to_person_uid) as user:
        key = ("meetings", request.event_uid, "request", request.uid)
        who, event = _name(request.from_person_uid), _title(request.event_uid)
        if request.status == "open" and request.reply is None:
            body = _("%(who)s would like to meet you at %(event)s.", who=who, event=event)
            if request.message:
                body += "\n\n" + request.message
            ttl = timedelta(hours=current_app.config["MEETING_REQUEST_TTL_HOURS"])
            body += "\n\n" + _("Please answer on your B2B page: without an answer, the request expires "
                               "%(within)s.", within=format_timedelta(ttl, add_direction=True))
            return _send(user, key + ("received",),
                         _("Meeting request from %(who)s", who=who), body)
        if request.status == "withdrawn" and _left(request.event_uid, request.from_person_uid):
            if _meeting_tells(request):
                return None
            return _send(user, key + ("withdrawn",),
                         _("%(who)s no longer takes part in the B2B meetings", who=who),
                         _("%(who)s no longer takes part in the B2B meetings of %(event)s: their request "
                           "to meet you is closed.", who=who, event=event))
        if request.status == "withdrawn":
            if _meeting_tells(request):  # the meeting's cancellation is the one mail
                return None
            if request.expired_at is not None:  # known on the requester's portal only: a peer's reads "withdrew"
                return _send(user, key + ("withdrawn",), _("Meeting request expired: %(who)s", who=who),
                             _("%(who)s asked to meet you at %(event)s; without an answer, the request "
                               "expired and is closed.", who=who, event=event))
            return _send(user, key + ("withdrawn",),
                         _("%(who)s withdrew a meeting request", who=who),
                         _("%(who)s withdrew their request to meet you at %(event)s.", who=who, event=event))
    return None


def request_reopened(request, returner_uid, cause):
    """Tell the other side that a request closed by someone's leaving is open again, and whom
    it waits for. `cause` (the request, or the returner's reply) names the mail: each return
    is told once."""
    reply = request.reply
    if reply is not None and reply.answer == "declined":
        return None  # the other side's own "no" still stands
    other_uid = request.other_person_uid(returner_uid)
    with _recipient(other_uid) as user:
        who, event = _name(returner_uid), _title(request.event_uid)
        if reply is not None:
            waiting = _("The meeting is agreed again: the organisers will give you a time and a table.")
        elif request.to_person_uid == other_uid:
            waiting = _("It waits for your answer.")
        else:
            waiting = _("It waits for an answer from %(who)s.", who=who)
        key = ("meetings", request.event_uid, "request", request.uid, "reopened", cause.uid[:8], str(cause.version))
        return _send(user, key, _("%(who)s is back in the B2B meetings", who=who),
                     _("%(who)s is back in the B2B meetings of %(event)s: the meeting request between "
                       "you is open again.", who=who, event=event) + " " + waiting)


def request_gone(request):
    """Tell the recipient that a request still open to them, or accepted, is gone: its author
    left Passerelle (their portal erased it). Nothing names them any more."""
    if request.status != "open" or (request.reply is not None and request.reply.answer != "accepted") \
            or _meeting_tells(request):
        return None
    with _recipient(request.to_person_uid) as user:
        return _send(user, ("meetings", request.event_uid, "request", request.uid, "gone"),
                     _("A meeting request is closed"),
                     _("A participant who asked to meet you at %(event)s has left Passerelle: their request "
                       "is closed.", event=_title(request.event_uid)))


def request_expired(request):
    """Tell the requester that nobody answered in time."""
    with _recipient(request.from_person_uid) as user:
        who, event = _name(request.to_person_uid), _title(request.event_uid)
        return _send(user, ("meetings", request.event_uid, "request", request.uid, "expired"),
                     _("Your meeting request to %(who)s expired", who=who),
                     _("%(who)s did not answer your request to meet at %(event)s in time; it was withdrawn.",
                       who=who, event=event))


def request_reminder(request):
    """Remind the recipient that a request will expire soon."""
    with _recipient(request.to_person_uid) as user:
        who, event = _name(request.from_person_uid), _title(request.event_uid)
        return _send(user, ("meetings", request.event_uid, "request", request.uid, "reminder"),
                     _("Reminder: %(who)s is waiting for your answer", who=who),
                     _("%(who)s asked to meet you at %(event)s. The request expires soon without an answer.",
                       who=who, event=event))


def reply_received(reply):
    """Tell the requester what the recipient answered."""
    request = reply.request
    if request is None:
        return None
    with _recipient(request.from_person_uid) as user:
        who, event = _name(request.to_person_uid), _title(request.event_uid)
        if reply.answer == "declined" and _left(request.event_uid, request.to_person_uid):
            if _meeting_tells(request):
                return None
            subject = _("%(who)s no longer takes part in the B2B meetings", who=who)
            body = _("%(who)s no longer takes part in the B2B meetings of %(event)s: your request to "
                     "meet them is closed.", who=who, event=event)
        elif reply.answer == "accepted":
            subject = _("%(who)s accepted your meeting request", who=who)
            body = _("%(who)s accepted to meet you at %(event)s. The organisers will give you a time "
                     "and a table.", who=who, event=event)
        else:
            subject = _("%(who)s declined your meeting request", who=who)
            body = _("%(who)s cannot meet you at %(event)s.", who=who, event=event)
        if reply.message:
            body += "\n\n" + reply.message
        return _send(user, ("meetings", request.event_uid, "request", request.uid, "reply", reply.answer),
                     subject, body)


def meeting_changed(meeting, was=None):
    """Tell both participants (those whose home is here) of a scheduled, moved or cancelled meeting.

    `was`: (starts_at, table) where it was scheduled before this change, if it was; a meeting
    that moves says from where. A meeting cancelled with its event is named in the event's
    cancellation mail instead, and one cancelled because a participant cancelled their
    registration in the confirmation of that cancellation (the other participant is mailed);
    whoever withdrew the request is not told of the cancellation they made.
    """
    if meeting.status == "cancelled" and meeting.event is not None and meeting.event.cancelled:
        return
    moved = meeting.status == "scheduled" and was is not None and was != meeting.was_scheduled()
    for person_uid in meeting.person_uids or []:
        if meeting.status == "cancelled" and queries.cancelled_registration(meeting.event_uid, person_uid):
            continue  # the confirmation of their cancellation named this meeting
        if meeting.status == "cancelled" and _withdrew(meeting, person_uid):
            continue
        with _recipient(person_uid) as user:
            when = event_time(meeting.starts_at, meeting.event)
            event = _title(meeting.event_uid)
            other = _name(meeting.other_person_uid(person_uid))
            key = ("meetings", meeting.event_uid, "meeting", meeting.uid, meeting.status,
                   meeting.starts_at.strftime("%Y%m%dT%H%M"), meeting.table, person_uid[:8])
            if moved:
                subject, body = _moved_text(other, event, when, meeting.table, event_time(was[0], meeting.event),
                                            was[1])
            else:
                subject, body = _meeting_text(meeting.status, other, event, when, meeting.table)
            _send(user, key, subject, body)


def _withdrew(meeting, person_uid):
    request = meeting.request
    return request is not None and request.status == "withdrawn" and request.from_person_uid == person_uid


def _moved_text(other, event, when, table, before, table_before):
    return (_("Meeting with %(who)s moved: %(when)s, table %(table)s", who=other, when=when, table=table),
            _("Your meeting with %(who)s at %(event)s moves from %(before)s at table %(table_before)s to "
              "%(when)s at table %(table)s.", who=other, event=event, before=before, table_before=table_before,
              when=when, table=table))


def _meeting_text(status, other, event, when, table):
    if status == "cancelled":
        return (_("Meeting with %(who)s cancelled", who=other),
                _("Your meeting with %(who)s at %(event)s (%(when)s) is cancelled.", who=other, event=event,
                  when=when))
    if status == "held":
        return (_("Meeting with %(who)s recorded", who=other),
                _("Your meeting with %(who)s at %(event)s is recorded as held.", who=other, event=event))
    if status == "no_show":
        return (_("Meeting with %(who)s missed", who=other),
                _("Your meeting with %(who)s at %(event)s is recorded as missed.", who=other, event=event))
    return (_("Meeting with %(who)s: %(when)s, table %(table)s", who=other, when=when, table=table),
            _("You meet %(who)s at %(event)s on %(when)s at table %(table)s.", who=other, event=event,
              when=when, table=table))
