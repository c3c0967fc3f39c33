"""Agenda arithmetic without Flask: warnings, moves, and days built from a template."""
from datetime import timedelta


def agenda_warnings(items, starts_at, ends_at):
    """Problems of a programme: {item uid: [("outside", None) | ("overlap", other item)]}.

    `items` have `uid`, `starts_at`, `ends_at` and `cancelled`; cancelled items are ignored.
    Touching items (one ends when the next starts) do not overlap. Nothing is refused:
    an organiser may want two parallel sessions; the builder only shows the warnings.
    """
    live = sorted((i for i in items if not i.cancelled), key=lambda i: (i.starts_at, i.ends_at))
    found = {}
    for index, item in enumerate(live):
        if item.starts_at < starts_at or item.ends_at > ends_at:
            found.setdefault(item.uid, []).append(("outside", None))
        for other in live[index + 1:]:
            if other.starts_at >= item.ends_at:
                break
            found.setdefault(item.uid, []).append(("overlap", other))
            found.setdefault(other.uid, []).append(("overlap", item))
    return found


def swapped_slots(first, second):
    """New (start, end) of `first` and `second` (first starts earlier) once swapped.

    Each keeps its length and the gap between them stays: the later one now starts where
    the earlier one started, and the block they form ends where it ended.
    """
    first_length = first.ends_at - first.starts_at
    second_length = second.ends_at - second.starts_at
    gap = max(second.starts_at - first.ends_at, timedelta(0))
    second_start = first.starts_at
    first_start = second_start + second_length + gap
    return (first_start, first_start + first_length), (second_start, second_start + second_length)


def neighbour(items, item, direction):
    """The live item just before (`up`) or after (`down`) `item` in time order, or None."""
    ordered = sorted((i for i in items if not i.cancelled), key=lambda i: (i.starts_at, i.ends_at, i.uid))
    if item not in ordered:
        return None
    index = ordered.index(item) + (-1 if direction == "up" else 1)
    return ordered[index] if 0 <= index < len(ordered) else None


def day_from_template(day_start, template_items, with_b2b=True):
    """Agenda slots for a day starting at `day_start` (aware) from {offset, minutes, kind, title}."""
    slots = []
    for spec in template_items:
        if spec["kind"] == "b2b" and not with_b2b:
            continue
        start = day_start + timedelta(minutes=int(spec["offset"]))
        slots.append({"starts_at": start, "ends_at": start + timedelta(minutes=int(spec["minutes"])),
                      "kind": spec["kind"], "title": spec["title"]})
    return slots


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
