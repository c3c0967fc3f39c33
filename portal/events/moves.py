"""An event that moves: what follows it, each record on the portal that writes it.

The lead moves its agenda with the event's first day: an item keeps its time of day (the
B2B block follows the event's B2B window, `services.sync_b2b_block`). Every portal, the
lead for its own members and each co-host when the moved event reaches it, fits its own
members' B2B availability to the moved B2B block and tells them the new date, times or
place, with what they were. Scheduled B2B meetings are the lead's next scheduler run's to move.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.events.registration_models import Registration


@dataclass(frozen=True)
class Times:
    """When and where an event and its B2B block are: what a move changes. It reads as the
    event does (`event_when`, `event_venue`), in the zone the event had (not itself a move)."""

    starts_at: datetime | None
    ends_at: datetime | None
    b2b_starts_at: datetime | None
    b2b_ends_at: datetime | None
    venue_name: str = ""
    venue_address: str = ""
    venue_city: str = ""
    venue_country: str = ""
    timezone: str = field(default="UTC", compare=False)

    @classmethod
    def of(cls, event):
        return cls(event.starts_at, event.ends_at, event.b2b_starts_at, event.b2b_ends_at, event.venue_name or "",
                   event.venue_address or "", event.venue_city or "", event.venue_country or "", event.timezone)

    @property
    def when(self):
        return self.starts_at, self.ends_at

    @property
    def place(self):
        return self.venue_name, self.venue_address, self.venue_city, self.venue_country

    def day_shift(self, event):
        """Whole days between the event's first day before and now, on its own calendar."""
        if self.starts_at is None:
            return 0
        return (event.starts_at.astimezone(event.zone).date() - self.starts_at.astimezone(event.zone).date()).days


def move_agenda(session, event, before):
    """The lead: every item of a moved event moves by as many days as its first day did (its
    speakers are told)."""
    from portal.events.notify import active_accounts, tell_speakers  # notify imports the models, which call this
    from portal.events.services import event_items  # services calls this module

    days = before.day_shift(event)
    if not days:
        return 0
    slots = {}
    for item in event_items(event):
        slots[item] = item.slot
        item.starts_at, item.ends_at = (_by_days(item.starts_at, days, event), _by_days(item.ends_at, days, event))
    session.flush()
    accounts = active_accounts(session, (uid for item in slots for uid in item.speaker_person_uids or []))
    for item, slot in slots.items():
        tell_speakers(session, item, slot, accounts)
    return days


def _by_days(moment, days, event):
    """The same wall-clock time `days` later on the event's calendar (daylight saving kept)."""
    local = moment.astimezone(event.zone).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=event.zone)


def follow(session, event, before):
    """On any portal: fit our members' B2B windows to the moved block and tell our registered
    members what changed, in one mail for a new date and a new place. Returns the registrations
    whose window changed."""
    # notify imports the models, which call this
    from portal.events.notify import active_accounts, ours_standing, tell_moved

    now = Times.of(event)
    if event.cancelled or now == before:
        return []
    event_moved = now.when != before.when or now.place != before.place
    block_moved = (now.b2b_starts_at, now.b2b_ends_at) != (before.b2b_starts_at, before.b2b_ends_at)
    registrations = session.scalars(ours_standing(select(Registration), event)).all()
    accounts = active_accounts(session, (r.person_uid for r in registrations))
    refitted = []
    for registration in registrations:
        if registration.b2b and block_moved and fit_window(registration, before, now):
            refitted.append(registration)
        if event_moved or (registration.b2b and block_moved):
            tell_moved(event, registration, before, accounts.get(registration.person_uid))
    session.flush()
    return refitted


def fit_window(registration, before, now):
    """Keep a B2B window where it was within the block: a window over the whole old block
    covers the whole new one; another moves with the block's start, cut to the new block (the
    whole block when nothing of it is left: the mail asks the member to check). True if changed."""
    if registration.available_from is None and registration.available_until is None:
        return False  # the whole block, wherever it is
    if not (before.b2b_starts_at and before.b2b_ends_at and now.b2b_starts_at and now.b2b_ends_at):
        return False
    start = registration.available_from or before.b2b_starts_at
    until = registration.available_until or before.b2b_ends_at
    if start <= before.b2b_starts_at and until >= before.b2b_ends_at:
        start, until = now.b2b_starts_at, now.b2b_ends_at
    else:
        shift = now.b2b_starts_at - before.b2b_starts_at
        start, until = max(start + shift, now.b2b_starts_at), min(until + shift, now.b2b_ends_at)
        if start >= until:
            start, until = now.b2b_starts_at, now.b2b_ends_at
    if (registration.available_from, registration.available_until) == (start, until):
        return False
    registration.available_from, registration.available_until = start, until
    return True
