"""The B2B block's slots and tables, and times shown in the event's time zone."""
from datetime import timedelta

from babel.dates import format_time

from portal.events.models import as_utc, zone
from portal.i18n import format_day, formatting_locale


def slot_count(event):
    """Whole slots that fit in the B2B block (0 when the block is not set)."""
    if not (event.b2b_enabled and event.b2b_starts_at and event.b2b_ends_at and event.b2b_slot_minutes):
        return 0
    minutes = (event.b2b_ends_at - event.b2b_starts_at).total_seconds() // 60
    return max(int(minutes // event.b2b_slot_minutes), 0)


def slot_start(event, slot):
    return event.b2b_starts_at + timedelta(minutes=slot * event.b2b_slot_minutes)


def slot_end(event, slot):
    return slot_start(event, slot + 1)


def slot_of(event, moment):
    """The slot starting at `moment`, or None when it is not a slot boundary of the block."""
    if moment is None or not event.b2b_starts_at:
        return None
    minutes = (moment - event.b2b_starts_at).total_seconds() / 60
    slot = int(minutes // event.b2b_slot_minutes)
    if minutes != slot * event.b2b_slot_minutes or not 0 <= slot < slot_count(event):
        return None
    return slot


def unavailable_slots(event, registration):
    """Slots outside a participant's availability window (a slot must fit in it whole)."""
    start, until = registration.available_from, registration.available_until
    return [s for s in range(slot_count(event))
            if (start and slot_start(event, s) < start) or (until and slot_end(event, s) > until)]


def begun_slots(event, now):
    """Slots that have started by `now`: a run on the day of the event places nothing new there."""
    return {s for s in range(slot_count(event)) if as_utc(slot_start(event, s)) <= now}


def table_label(index):
    """Table numbers as people read them: 0 -> "T1"."""
    return f"T{index + 1}"


def table_index(label, tables):
    """The scheduler's table index of a label like "T7" (None if it is not one of ours)."""
    if label and label[:1] == "T" and label[1:].isdigit() and 1 <= int(label[1:]) <= tables:
        return int(label[1:]) - 1
    return None


def event_time(moment, event, with_date=True):
    """A datetime in the event's zone, as the rest of the site shows it: "18 Mar 2027, 14:00 CET".

    24-hour clock whatever the language (like the events' `event_clock` filter); the zone's
    abbreviation follows a date, a bare time sits under a heading that names the day.
    """
    if moment is None:
        return ""
    tz = event.zone if event is not None else zone("UTC")
    local = moment.astimezone(tz)
    time = format_time(local, "HH:mm", locale=formatting_locale())
    if not with_date:
        return time
    return f"{format_day(local.date())}, {time} {local.tzname()}"
