"""Writes of the lead cluster: events, their agenda, and day templates. They only flush."""
from sqlalchemy import select

from portal.events import agenda
from portal.events.formula import FORMULA_KEY, formula_items
from portal.events.local_models import EventTemplate
from portal.events.models import AgendaItem, Event
from portal.extensions import db
from portal.federation.records import set_event_hosts

EVENT_FIELDS = (
    "title", "topic", "description", "starts_at", "ends_at", "timezone", "venue_name",
    "venue_address", "venue_city", "venue_country", "co_hosts", "registration_open", "capacity",
    "b2b_enabled", "b2b_starts_at", "b2b_ends_at", "b2b_slot_minutes", "b2b_tables",
)
ITEM_FIELDS = ("starts_at", "ends_at", "kind", "title", "speaker_person_uids", "listing_uid")


def _assign(obj, fields, values):
    for name in fields:
        if name in values:
            setattr(obj, name, values[name])


def create_event(values, template=None):
    """A new event led by this cluster; `template` (formula key or EventTemplate) fills the day."""
    event = Event(**{name: values[name] for name in EVENT_FIELDS if name in values})
    event.co_hosts = list(values.get("co_hosts") or [])
    db.session.add(event)
    db.session.flush()
    set_event_hosts(db.session, event.uid, event.hosts)
    if template is not None:
        apply_template(event, template)
    return event


def update_event(event, values):
    _assign(event, EVENT_FIELDS, values)
    event.co_hosts = list(values.get("co_hosts", event.co_hosts) or [])
    db.session.flush()
    set_event_hosts(db.session, event.uid, event.hosts)
    return event


def cancel_event(event):
    """Cancel an event: registration closes, every item is marked cancelled (new versions)."""
    event.status, event.registration_open = "cancelled", False
    for item in event_items(event):
        item.status = "cancelled"
    db.session.flush()


def template_items(template):
    if template == FORMULA_KEY:
        return formula_items()
    return list(template.items or [])


def apply_template(event, template):
    """Add the template's slots to the event's first day; sets the B2B block from its slot."""
    slots = agenda.day_from_template(event.starts_at, template_items(template),
                                     with_b2b=bool(event.b2b_enabled))
    for slot in slots:
        db.session.add(AgendaItem(event_uid=event.uid, speaker_person_uids=[], **slot))
    span = agenda.b2b_span(slots)
    if span and event.b2b_enabled and not (event.b2b_starts_at and event.b2b_ends_at):
        event.b2b_starts_at, event.b2b_ends_at = span
    db.session.flush()
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
    return db.session.scalars(select(AgendaItem).where(AgendaItem.event_uid == event.uid)
                              .order_by(AgendaItem.starts_at, AgendaItem.ends_at)).all()


def add_item(event, values):
    item = AgendaItem(event_uid=event.uid, speaker_person_uids=[])
    _assign(item, ITEM_FIELDS, values)
    db.session.add(item)
    db.session.flush()
    return item


def update_item(item, values):
    _assign(item, ITEM_FIELDS, values)
    db.session.flush()
    return item


def move_item(item, direction):
    """Swap `item` with its neighbour in time (`up` or `down`); False when it has none."""
    other = agenda.neighbour(event_items(item.event), item, direction)
    if other is None:
        return False
    first, second = (other, item) if direction == "up" else (item, other)
    (first.starts_at, first.ends_at), (second.starts_at, second.ends_at) = agenda.swapped_slots(first, second)
    db.session.flush()
    return True


def set_item_cancelled(item, cancelled=True):
    item.status = "cancelled" if cancelled else "scheduled"
    db.session.flush()


def delete_item(item):
    db.session.delete(item)
    db.session.flush()
