"""Agenda arithmetic without Flask: warnings, moves, and days built from a template."""
from datetime import timedelta


PITCH_KINDS = ("pitch_offer", "pitch_need")


def is_session(item):
    """A pitch session: a pitch item presenting no listing and naming no speaker ("Technology
    providers present their offers"), which the pitches of its kind, each presenting one, fill."""
    return item.kind in PITCH_KINDS and not item.listing_uid and not item.speaker_person_uids


def holds(session, item):
    """`item` is one of the pitches of `session`: of its kind, presenting a listing, within its times."""
    return (is_session(session) and item.kind == session.kind and bool(item.listing_uid)
            and session.starts_at <= item.starts_at and item.ends_at <= session.ends_at)


def agenda_order(item):
    """An agenda's order: by start, a pitch session before the pitches it holds when they start
    together, then by end (`Event.items` and `event_items` are in this order)."""
    return item.starts_at, not is_session(item), item.ends_at, item.uid


def agenda_warnings(items, starts_at, ends_at):
    """Problems of a programme: {item uid: [("outside", None) | ("overlap", other item)]}.

    `items` have `uid`, `starts_at`, `ends_at`, `cancelled`, `kind`, `listing_uid` and `speaker_person_uids`;
    cancelled items are ignored. Touching items (one ends when the next starts) do not
    overlap, nor do a pitch session and the pitches within it. Nothing is refused: an
    organiser may want two parallel sessions; the builder only shows the warnings.
    """
    live = sorted((i for i in items if not i.cancelled), key=lambda i: (i.starts_at, i.ends_at))
    found = {}
    for index, item in enumerate(live):
        if item.starts_at < starts_at or item.ends_at > ends_at:
            found.setdefault(item.uid, []).append(("outside", None))
        for other in live[index + 1:]:
            if other.starts_at >= item.ends_at:
                break
            if holds(item, other) or holds(other, item):
                continue
            found.setdefault(item.uid, []).append(("overlap", other))
            found.setdefault(other.uid, []).append(("overlap", item))
    return found


def next_pitch_slot(items, kind, length, default_start):
    """(start, end) of a new pitch of `kind` lasting `length`: the first session of its kind (long
    enough for two pitches: a shorter one is a pitch without its listing) with room left after
    its pitches; else after the last item of its kind, else after the programme (from
    `default_start` when empty)."""
    live = [i for i in items if not i.cancelled]
    sessions = [i for i in live if is_session(i) and i.kind == kind and i.ends_at - i.starts_at >= 2 * length]
    for session in sorted(sessions, key=lambda i: i.starts_at):
        start = max((i.ends_at for i in live if holds(session, i)), default=session.starts_at)
        if start + length <= session.ends_at:
            return start, start + length
    same = [i for i in live if i.kind == kind]
    start = max((i.ends_at for i in (same or live)), default=default_start)
    return start, start + length


def swapped_slots(first, second):
    """New (start, end) of `first` and `second` (first starts earlier) once swapped.

    Each keeps its length and the gap between them stays: the later one now starts where
    the earlier one started, and the block they form ends where it ended. Two items that
    overlap (parallel sessions) stay within the time they took together.
    """
    first_length = first.ends_at - first.starts_at
    second_length = second.ends_at - second.starts_at
    gap = max(second.starts_at - first.ends_at, timedelta(0))
    block_end = max(first.ends_at, second.ends_at)
    second_start = first.starts_at
    first_start = min(second_start + second_length + gap, block_end - first_length)
    return (first_start, first_start + first_length), (second_start, second_start + second_length)


def neighbour(items, item, direction):
    """The live item just before (`up`) or after (`down`) `item` in time order, or None."""
    ordered = sorted((i for i in items if not i.cancelled), key=agenda_order)
    if item not in ordered:
        return None
    index = ordered.index(item) + (-1 if direction == "up" else 1)
    return ordered[index] if 0 <= index < len(ordered) else None


#: Item kinds that give way first when a template is longer than the event.
OPTIONAL_KINDS = frozenset({"break"})
#: Shortest item a squeezed day keeps (a break squeezed below SHORTEST_BREAK is dropped).
SHORTEST_ITEM, SHORTEST_BREAK, STEP = 5, 10, 5


def day_from_template(day_start, template_items, with_b2b=True, day_end=None):
    """Agenda slots for a day starting at `day_start` (aware) from {offset, minutes, kind, title}.

    The template is fitted to the event: without B2B its B2B slot goes and the later items
    move up to close the gap. When the day (to `day_end`) is shorter than the template, the
    breaks give way first (shrunk together, dropped when under SHORTEST_BREAK or when even
    dropping them all is not enough), then every other item and gap shrinks in proportion,
    rounded to STEP minutes, SHORTEST_ITEM at least. A day long enough keeps the template's
    times. Whatever still would not fit is cut at the end, so every slot lies in the event.
    """
    specs = sorted((dict(s, offset=int(s["offset"]), minutes=int(s["minutes"])) for s in template_items
                    if with_b2b or s["kind"] != "b2b"), key=lambda s: s["offset"])
    removed = [s for s in template_items if not with_b2b and s["kind"] == "b2b"]
    length = None if day_end is None else int((day_end - day_start).total_seconds() // 60)
    timeline = _Timeline(specs, removed)
    if length is not None and timeline.span() > length:
        specs = timeline.squeeze(length)
    slots = []
    for spec in specs:
        start, end = timeline.place(spec)
        if length is not None:
            if start >= length:
                continue
            end = min(end, length)
        slots.append({"starts_at": day_start + timedelta(minutes=start),
                      "ends_at": day_start + timedelta(minutes=end),
                      "kind": spec["kind"], "title": spec["title"]})
    return slots


def day_around_b2b(day_start, template_items, b2b_start, b2b_end, day_end, with_b2b=True):
    """Agenda slots from a template, fitted around the event's own B2B window.

    The template's items before its B2B slot fit between the day's start and the window,
    those after it between the window and the day's end (each part as `day_from_template`
    fits a day); the B2B slot itself takes the window (left out without `with_b2b`, when
    the agenda shows the window already). A template without a B2B slot is laid out as is.
    """
    block = next((s for s in template_items if s["kind"] == "b2b"), None)
    if block is None:
        return day_from_template(day_start, template_items, with_b2b=with_b2b, day_end=day_end)
    block_start, block_end = int(block["offset"]), int(block["offset"]) + int(block["minutes"])
    before = [s for s in template_items if s["kind"] != "b2b" and int(s["offset"]) < block_start]
    after = [dict(s, offset=max(0, int(s["offset"]) - block_end)) for s in template_items
             if s["kind"] != "b2b" and int(s["offset"]) >= block_start]
    slots = day_from_template(day_start, before, day_end=b2b_start) if before and b2b_start > day_start else []
    if with_b2b:
        slots.append({"starts_at": b2b_start, "ends_at": b2b_end, "kind": "b2b", "title": block["title"]})
    if after and b2b_end < day_end:
        slots += day_from_template(b2b_end, after, day_end=day_end)
    return slots


class _Timeline:
    """The template's minutes as segments between item boundaries, each with a scale.

    A segment covered only by a removed item (the B2B slot of a day without B2B) has scale 0,
    which closes its gap; one covered only by breaks scales like the breaks; every other
    segment (sessions, and the gaps between items) like the sessions.
    """

    def __init__(self, specs, removed):
        self.specs, self.removed = specs, removed
        self.break_scale = self.session_scale = 1.0
        self.dropped = set()
        self.rounded = False

    def _kept(self):
        return [s for s in self.specs if id(s) not in self.dropped]

    def _segments(self):
        kept = self._kept()
        items = [(s["offset"], s["offset"] + s["minutes"], s["kind"]) for s in kept]
        items += [(int(s["offset"]), int(s["offset"]) + int(s["minutes"]), None) for s in self.removed]
        items += [(s["offset"], s["offset"] + s["minutes"], None) for s in self.specs if id(s) in self.dropped]
        bounds = sorted({0} | {b for start, end, _ in items for b in (start, end)})
        for low, high in zip(bounds, bounds[1:]):
            over = [kind for start, end, kind in items if start < high and end > low]
            kept_kinds = [kind for kind in over if kind is not None]
            if over and not kept_kinds:
                yield low, high, "gone"
            elif kept_kinds and all(kind in OPTIONAL_KINDS for kind in kept_kinds):
                yield low, high, "break"
            else:
                yield low, high, "session"

    def _scale(self, what):
        return {"gone": 0.0, "break": self.break_scale, "session": self.session_scale}[what]

    def at(self, minute):
        """Where template minute `minute` lands on the fitted day."""
        total = 0.0
        for low, high, what in self._segments():
            if minute <= low:
                break
            total += (min(minute, high) - low) * self._scale(what)
        return total

    def span(self):
        return self.at(max((s["offset"] + s["minutes"] for s in self._kept()), default=0))

    def lengths(self):
        totals = {"gone": 0, "break": 0, "session": 0}
        end = max((s["offset"] + s["minutes"] for s in self._kept()), default=0)
        for low, high, what in self._segments():
            totals[what] += max(0, min(high, end) - low)
        return totals["session"], totals["break"]

    def squeeze(self, length):
        """Fit the kept items into `length` minutes; returns the items still on the day."""
        self.rounded = True
        sessions, breaks = self.lengths()
        if sessions < length and breaks:
            self.break_scale = (length - sessions) / breaks
            self.dropped = {id(s) for s in self.specs
                            if s["kind"] in OPTIONAL_KINDS and s["minutes"] * self.break_scale < SHORTEST_BREAK}
        else:
            self.dropped = {id(s) for s in self.specs if s["kind"] in OPTIONAL_KINDS}
            self.break_scale = 0.0
            sessions, _ = self.lengths()
            self.session_scale = min(1.0, length / sessions) if sessions else 1.0
        return self._kept()

    def place(self, spec):
        """(start, end) in minutes from the day's start."""
        start, end = self.at(spec["offset"]), self.at(spec["offset"] + spec["minutes"])
        if not self.rounded:
            return int(start), int(end)
        start, end = int(start // STEP * STEP), int(end // STEP * STEP)
        return start, max(end, start + SHORTEST_ITEM)


def template_from_items(day_start, items):
    """The reverse: a template's item list from an event's live items."""
    return [{"offset": int((i.starts_at - day_start).total_seconds() // 60), "minutes": i.minutes,
             "kind": i.kind, "title": i.title}
            for i in sorted(items, key=lambda i: i.starts_at) if not i.cancelled]


def b2b_span(slots):
    """The (start, end) of the first B2B slot of a built day, or None."""
    for slot in slots:
        if slot["kind"] == "b2b":
            return slot["starts_at"], slot["ends_at"]
    return None
