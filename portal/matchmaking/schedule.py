"""Shared schedule helpers: meeting weights, break counting, table assignment, output."""

# Priority weight of a meeting: starred by both sides (2) counts as three plain
# meetings, starred by one side (1) as two. Age only breaks ties between equal weights.
PRIORITY_WEIGHT = {0: 1, 1: 2, 2: 3}


def age_scale(instance):
    """Multiplier that makes one weight unit outrank every possible age bonus."""
    n = len(instance.meetings)
    return n * (n + 1) // 2 + 1


def meeting_score(instance, index):
    """Integer objective coefficient: weight first, then older (earlier) meetings."""
    meeting = instance.meetings[index]
    return PRIORITY_WEIGHT[meeting.priority] * age_scale(instance) + len(instance.meetings) - index


def schedule_score(instance, slot_of):
    return sum(meeting_score(instance, i) for i, m in enumerate(instance.meetings)
               if slot_of.get(m.id) is not None)


def busy_slots(instance, slot_of):
    """Participant id -> sorted list of slots where they meet."""
    busy = {p.id: [] for p in instance.participants}
    for m in instance.meetings:
        slot = slot_of.get(m.id)
        if slot is not None:
            for pid in m.participants:
                busy[pid].append(slot)
    return {pid: sorted(slots) for pid, slots in busy.items()}


def breaks_of(slots):
    """Number of idle runs between consecutive meetings (slots sorted)."""
    return sum(1 for a, b in zip(slots, slots[1:]) if b - a > 1)


def idle_of(slots):
    return slots[-1] - slots[0] + 1 - len(slots) if slots else 0


def metrics(instance, slot_of):
    busy = busy_slots(instance, slot_of).values()
    per_participant = [breaks_of(s) for s in busy]
    return {
        "breaks": sum(per_participant),
        "idle_slots": sum(idle_of(s) for s in busy),
        "max_breaks": max(per_participant, default=0),
    }


def fixed_conflicts(instance):
    """Reasons why the fixed slots cannot all be honoured (empty when they can)."""
    problems, load, seen = [], {}, {}
    for m in instance.meetings:
        s = m.fixed_slot
        if s is None:
            continue
        if s not in instance.candidate_slots(m):
            problems.append(f'meeting "{m.id}" is fixed at slot {s}, which is not allowed '
                            "or a participant is unavailable")
            continue
        load[s] = load.get(s, 0) + 1
        for pid in m.participants:
            other = seen.setdefault((pid, s), m.id)
            if other != m.id:
                problems.append(f'meetings "{other}" and "{m.id}" are both fixed at slot {s} '
                                f'with participant "{pid}"')
    for s in sorted(load):
        if load[s] > instance.tables:
            problems.append(f"slot {s} has {load[s]} fixed meetings for "
                            f"{instance.tables} table(s)")
    pairs = {}
    for m in instance.meetings:
        if m.fixed_slot is not None:
            key = frozenset(m.participants)
            if key in pairs:
                problems.append(f'meetings "{pairs[key]}" and "{m.id}" are the same pair '
                                "and both fixed, but a pair meets at most once")
            pairs.setdefault(key, m.id)
    return problems


def assign_tables(instance, slot_of):
    """Meeting id -> table; a slot's meetings take tables 0..k-1, keeping previous tables."""
    by_slot = {}
    for m in instance.meetings:
        if slot_of.get(m.id) is not None:
            by_slot.setdefault(slot_of[m.id], []).append(m)
    tables = {}
    for slot, meetings in by_slot.items():
        taken = set()
        # Meetings that stay in their previous slot claim their table first.
        keepers = sorted((m for m in meetings if m.previous_table is not None),
                         key=lambda m: m.previous_slot != slot)
        for m in keepers:
            if m.previous_table not in taken:
                tables[m.id] = m.previous_table
                taken.add(m.previous_table)
        free = (t for t in range(instance.tables) if t not in taken)
        for m in meetings:
            if m.id not in tables:
                tables[m.id] = next(free)
    return tables


def moves(instance, slot_of):
    """Meetings whose slot differs from their previous one (to_slot None: dropped)."""
    return [
        {"meeting": m.id, "from_slot": m.previous_slot, "to_slot": slot_of.get(m.id)}
        for m in instance.meetings
        if m.previous_slot is not None and slot_of.get(m.id) != m.previous_slot
    ]


def build_output(instance, slot_of, status, lower_bound, seconds):
    """The public JSON-ready result for a slot assignment."""
    tables = assign_tables(instance, slot_of)
    assignments = sorted(
        ({"meeting": m.id, "slot": slot_of[m.id], "table": tables[m.id]}
         for m in instance.meetings if slot_of.get(m.id) is not None),
        key=lambda a: (a["slot"], a["table"]),
    )
    figures = metrics(instance, slot_of)
    output = {
        "status": status,
        "assignments": assignments,
        "unscheduled": [m.id for m in instance.meetings if slot_of.get(m.id) is None],
        "breaks": figures["breaks"],
        "lower_bound": lower_bound,
        "idle_slots": figures["idle_slots"],
        "max_breaks": figures["max_breaks"],
        "seconds": round(seconds, 3),
    }
    if instance.has_previous:
        output["moved"] = moves(instance, slot_of)
    return output


def infeasible_output(instance, conflicts, seconds):
    output = build_output(instance, {}, "infeasible", 0, seconds)
    output["conflicts"] = conflicts
    return output
