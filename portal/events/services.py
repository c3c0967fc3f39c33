"""Writes of the lead cluster: events, their agenda, and day templates. They only flush.

The event's B2B window (`b2b_starts_at`, `b2b_ends_at`: what the scheduler, the overview and
partner portals use) and the agenda's B2B block are one truth shown twice: changing either
changes the other, and the block cannot be cancelled while B2B meetings are on.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from portal.events import agenda, moves
from portal.events.constants import DRAFT
from portal.events.formula import FORMULA_KEY, b2b_title, formula_items
from portal.events.local_models import EventTemplate
from portal.events.models import AgendaItem, Event
from portal.events.notify import tell_cancellation, tell_speakers
from portal.events.registrations import decide_registrations, unrefuse_late
from portal.meetings.services import cancel_event_meetings
from portal.extensions import db
from portal.federation.models import EventHost
from portal.federation.records import local_cluster, new_uid, set_event_hosts, utcnow
from portal.forms import FieldRefusal

EVENT_FIELDS = (
    "title", "topic", "description", "starts_at", "ends_at", "timezone", "venue_name",
    "venue_address", "venue_city", "venue_country", "co_hosts", "registration_open", "registration_closes_at",
    "capacity", "b2b_enabled", "b2b_starts_at", "b2b_ends_at", "b2b_slot_minutes", "b2b_tables",
)
ITEM_FIELDS = ("starts_at", "ends_at", "kind", "title", "speaker_person_uids", "listing_uid")

B2B_IS_ON = _l("B2B meetings are on: to cancel their block, turn them off in the event's settings.")
B2B_IS_OFF = _l("This event has no B2B meetings: turn them on in the event's settings, the block then appears here.")
ONE_B2B_BLOCK = _l("The event has one B2B block: edit it to change its times.")
B2B_OUTSIDE = _l("The B2B block must lie inside the event and end after it starts.")


class AgendaError(FieldRefusal):
    """A change of the agenda refused, with the form field it concerns (None: the whole row)."""


def _assign(obj, fields, values):
    for name in fields:
        if name in values:
            setattr(obj, name, values[name])


def create_event(values, template=None, draft=False, uid=None):
    """A new event led by this cluster (of `uid` if given); `template` (formula key or
    EventTemplate) fills the day. A draft stays here, seen by our organisers only, until
    `publish_event`."""
    event = Event(uid=uid or new_uid(), **{name: values[name] for name in EVENT_FIELDS if name in values})
    event.co_hosts = list(values.get("co_hosts") or [])
    if draft:
        event.status = DRAFT
    close_registration_if_due(event)
    db.session.add(event)
    db.session.flush()
    set_event_hosts(db.session, event.uid, event.hosts)
    if template is not None:
        apply_template(event, template)
    sync_b2b_block(event)
    return event


def update_event(event, values):
    """Save the event's settings; the agenda moves with the event's first day and its B2B
    block follows the B2B window, our members' availability follows the block and they are
    told of a move (`moves`), and places a raised capacity opens go to the waiting list in its
    order, as do the registrations refused as late under a deadline now cleared or moved, or
    once registration closed by hand opens again. Returns the registration decisions it wrote."""
    before, was_open = moves.Times.of(event), event.registration_open
    _assign(event, EVENT_FIELDS, values)
    if event.registration_open:
        event.registration_closed_at = None
    elif was_open:
        event.registration_closed_at = utcnow()
    event.co_hosts = list(values.get("co_hosts", event.co_hosts) or [])
    close_registration_if_due(event)
    db.session.flush()
    set_event_hosts(db.session, event.uid, event.hosts)
    moves.move_agenda(db.session, event, before)
    sync_b2b_block(event)
    moves.follow(db.session, event, before)
    unrefuse_late(event)
    return decide_registrations(event.uid)


def publish_event(event):
    """A draft goes out: to our members' pages and to every peer, its agenda with it (each item
    written again, now shared)."""
    if not event.draft:
        return event
    event.status = "scheduled"
    for item in event_items(event):
        item.updated_at = utcnow()  # a new version for the ledger, now shared
    db.session.flush()
    return event


def discard_draft(event):
    """A draft nobody but our organisers saw is deleted, agenda and all (no peer ever had it)."""
    for item in event_items(event):
        db.session.delete(item)
    db.session.execute(delete(EventHost).where(EventHost.event_uid == event.uid))
    db.session.delete(event)
    db.session.flush()


def cancel_event(event):
    """Cancel an event before it begins: registration closes, every item is marked cancelled
    (new versions), and our registered members are told (each co-host tells its own), their
    coming B2B meetings named in the same mail, before those are cancelled with the event."""
    event.status, event.registration_open = "cancelled", False
    for item in event_items(event):
        item.status = "cancelled"
    db.session.flush()
    tell_cancellation(db.session, event)
    cancel_event_meetings(event)


def close_registration_if_due(event, now=None):
    """Past its deadline, an event we lead closes registration: a new version of it, with
    `registration_open` false, tells the co-hosts (the deadline itself stays here). True when
    it closed now."""
    if not (event.registration_open and event.past_deadline(now)):
        return False
    event.registration_open = False
    return True


def close_due_registrations(now=None):
    """Close registration of every event we lead whose deadline has passed (the sync worker's
    round and `flask events close-registrations`); what is closed stays closed, so a second
    run writes nothing. Returns the events closed."""
    now = now or utcnow()
    due = db.session.scalars(select(Event).where(
        Event.origin == local_cluster(), Event.registration_open.is_(True),
        Event.registration_closes_at.is_not(None), Event.registration_closes_at <= now)).all()
    closed = [event for event in due if close_registration_if_due(event, now)]
    db.session.flush()
    return closed


def template_items(template):
    if template == FORMULA_KEY:
        return formula_items()
    return list(template.items or [])


def apply_template(event, template):
    """Add the template's slots to the event's first day, fitted to the event's hours.

    Its B2B slot sets the B2B window when the event has none yet; when it has one, the
    window wins and the other slots fit around it (no lunch over the meetings), and an
    event that already shows its B2B block gets no second one.
    """
    with_b2b = bool(event.b2b_enabled) and live_b2b_block(event) is None
    if event.b2b_enabled and event.b2b_starts_at and event.b2b_ends_at:
        slots = agenda.day_around_b2b(event.starts_at, template_items(template), event.b2b_starts_at,
                                      event.b2b_ends_at, event.ends_at, with_b2b=with_b2b)
    else:
        slots = agenda.day_from_template(event.starts_at, template_items(template), with_b2b=with_b2b,
                                         day_end=event.ends_at)
    for slot in slots:
        db.session.add(AgendaItem(event_uid=event.uid, speaker_person_uids=[], **slot))
    span = agenda.b2b_span(slots)
    if span and event.b2b_enabled and not (event.b2b_starts_at and event.b2b_ends_at):
        event.b2b_starts_at, event.b2b_ends_at = span
    db.session.flush()
    sync_b2b_block(event)
    return slots


def save_template(event, name):
    """Keep this event's live agenda as a template of the day."""
    template = EventTemplate(name=name, items=agenda.template_from_items(event.starts_at, event_items(event)))
    db.session.add(template)
    db.session.flush()
    return template


def delete_template(template):
    db.session.delete(template)
    db.session.flush()


def event_items(event):
    return sorted(db.session.scalars(select(AgendaItem).where(AgendaItem.event_uid == event.uid)),
                  key=agenda.agenda_order)


def live_b2b_block(event, items=None):
    """The agenda item that shows the event's B2B window: its live B2B item, or None."""
    return next((i for i in (items if items is not None else event_items(event))
                 if i.kind == "b2b" and not i.cancelled), None)


def _set(obj, **values):
    """Assign only what differs, so that an unchanged record keeps its version."""
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)


def sync_b2b_block(event):
    """Make the agenda's B2B block show the event's B2B window (new versions for what changes).

    B2B on: the block exists (created when missing, restored when cancelled) at the
    window's times. B2B off: it is marked cancelled. A cancelled event is left as it is.
    """
    if event.cancelled:
        return None
    items = event_items(event)
    block = live_b2b_block(event, items)
    if event.b2b_enabled and event.b2b_starts_at and event.b2b_ends_at:
        if block is None:
            block = next((i for i in items if i.kind == "b2b"), None)
        if block is None:
            block = AgendaItem(event_uid=event.uid, kind="b2b", title=b2b_title(), speaker_person_uids=[])
            db.session.add(block)
        _set(block, starts_at=event.b2b_starts_at, ends_at=event.b2b_ends_at, status="scheduled")
    elif block is not None:
        block.status = "cancelled"
    db.session.flush()
    return block


def _is_block(event, kind, cancelled):
    return kind == "b2b" and not cancelled and bool(event.b2b_enabled)


def _check_inside(event, kind, cancelled, starts_at, ends_at):
    """Refuse, before anything changes, times of the B2B block outside the event."""
    if _is_block(event, kind, cancelled) and not (event.starts_at <= starts_at < ends_at <= event.ends_at):
        raise AgendaError("ends_at", B2B_OUTSIDE)


def _window_from_block(event, item):
    """A live B2B item's times become the event's B2B window."""
    if _is_block(event, item.kind, item.cancelled):
        _set(event, b2b_starts_at=item.starts_at, b2b_ends_at=item.ends_at)


def _check_b2b_kind(event, item, kind):
    """Refuse a second B2B block, a B2B block while B2B is off, and retyping the block."""
    block = live_b2b_block(event)
    if kind == "b2b" and (item is None or item.kind != "b2b"):
        if not event.b2b_enabled:
            raise AgendaError("kind", B2B_IS_OFF)
        if block is not None:
            raise AgendaError("kind", ONE_B2B_BLOCK)
    if item is not None and item is block and kind != "b2b" and event.b2b_enabled:
        raise AgendaError("kind", B2B_IS_ON)


def add_item(event, values, uid=None):
    """Add an item (of `uid` if given); a B2B item is accepted only as the block of an event with
    B2B on and none yet."""
    _check_b2b_kind(event, None, values.get("kind"))
    _check_inside(event, values.get("kind"), False, values["starts_at"], values["ends_at"])
    item = AgendaItem(uid=uid or new_uid(), event_uid=event.uid, speaker_person_uids=[])
    _assign(item, ITEM_FIELDS, values)
    db.session.add(item)
    _window_from_block(event, item)
    db.session.flush()
    return item


def update_item(item, values):
    """Change an item; new times of the B2B block are the event's new B2B window, new times of
    another are mailed to its speakers."""
    event, before = item.event, item.slot
    _check_b2b_kind(event, item, values.get("kind", item.kind))
    _check_inside(event, values.get("kind", item.kind), item.cancelled, values.get("starts_at", item.starts_at),
                  values.get("ends_at", item.ends_at))
    _assign(item, ITEM_FIELDS, values)
    _window_from_block(event, item)
    db.session.flush()
    tell_speakers(db.session, item, before)
    return item


def move_item(item, direction):
    """Swap `item` with its neighbour in time (`up` or `down`); False when it has none."""
    other = agenda.neighbour(event_items(item.event), item, direction)
    if other is None:
        return False
    first, second = (other, item) if direction == "up" else (item, other)
    slots = agenda.swapped_slots(first, second)
    for moved, (start, end) in zip((first, second), slots):
        _check_inside(item.event, moved.kind, moved.cancelled, start, end)
    before = [first.slot, second.slot]
    (first.starts_at, first.ends_at), (second.starts_at, second.ends_at) = slots
    for moved in (first, second):
        _window_from_block(item.event, moved)
    db.session.flush()
    for moved, slot in zip((first, second), before):
        tell_speakers(db.session, moved, slot)
    return True


def _check_b2b_removal(item):
    """The B2B block goes only with the B2B meetings (turned off in the event's settings)."""
    if item.kind == "b2b" and not item.cancelled and item.event.b2b_enabled:
        raise AgendaError(None, B2B_IS_ON)


def set_item_cancelled(item, cancelled=True):
    """Cancel or restore an item, and tell its speakers; the B2B block follows the event's B2B
    setting instead."""
    if cancelled:
        _check_b2b_removal(item)
    elif item.kind == "b2b" and item.cancelled:
        _check_b2b_kind(item.event, None, "b2b")
        _check_inside(item.event, item.kind, False, item.starts_at, item.ends_at)
    before = item.slot
    item.status = "cancelled" if cancelled else "scheduled"
    if not cancelled:
        _window_from_block(item.event, item)
    db.session.flush()
    tell_speakers(db.session, item, before)


def delete_item(item):
    _check_b2b_removal(item)
    db.session.delete(item)
    db.session.flush()
