"""Moving a published meeting by hand: where it can go, and the move (the lead's organisers).

A place is free for a meeting when its slot has not begun, fits both participants'
availability windows, neither of them meets anyone else then, and no other meeting holds the
table. The next run of the scheduler starts from where the organiser put it, as from any
published meeting.
"""
from flask_babel import lazy_gettext as _l

from portal.events.registrations import lock_event
from portal.extensions import db
from portal.federation.records import utcnow
from portal.meetings import queries
from portal.meetings.scheduling import ensure_lead, place_meeting
from portal.meetings.services import MeetingError, ensure_local
from portal.meetings.times import begun_slots, slot_count, slot_of, table_label, unavailable_slots


def free_places(event, meeting, now=None):
    """[(slot, table label)] where `meeting` could be instead, in time order then table order."""
    people = set(meeting.person_uids)
    taken, busy = set(), set()
    for other in queries.event_meetings(event.uid, active_only=True):
        slot = slot_of(event, other.starts_at)
        if other.uid == meeting.uid or slot is None:
            continue
        taken.add((slot, other.table))
        if people & set(other.person_uids):
            busy.add(slot)
    registrations = queries.active_registrations(event.uid)
    closed = begun_slots(event, now or utcnow()) | busy
    for uid in people & registrations.keys():
        closed.update(unavailable_slots(event, registrations[uid]))
    taken.add((slot_of(event, meeting.starts_at), meeting.table))  # where it is now
    return [(slot, table_label(t)) for slot in range(slot_count(event)) if slot not in closed
            for t in range(event.b2b_tables) if (slot, table_label(t)) not in taken]


def move_meeting(event, meeting, slot, table, now=None):
    """Move a scheduled meeting still to come to a free place (see `free_places`)."""
    ensure_lead(event)
    ensure_local(meeting)
    lock_event(db.session, event.uid)  # two organisers moving meetings to one place take turns
    db.session.refresh(meeting)
    if not meeting.to_come(now):
        raise MeetingError(_l("Only a scheduled meeting that has not begun can move."))
    if (slot, table) not in free_places(event, meeting, now):
        raise MeetingError(_l("This place is no longer free for both participants: choose another."))
    place_meeting(event, meeting, slot, table)
    return meeting
