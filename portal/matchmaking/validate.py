"""Independent checker for schedules; deliberately shares no code with the solvers."""


def validate_schedule(instance, output):
    """Problems found in ``output`` for ``instance`` (an empty list when it is valid)."""
    problems = []
    meetings = {m.id: m for m in instance.meetings}
    unavailable = {p.id: set(p.unavailable) for p in instance.participants}
    if output.get("status") == "infeasible":
        if output.get("assignments"):
            problems.append("an infeasible result lists assignments")
        return problems

    placed = {}
    for a in output.get("assignments", []):
        problems += _check_assignment(instance, meetings, unavailable, a, placed)
    problems += _check_clashes(instance, meetings, placed)
    problems += _check_coverage(instance, output, placed)
    problems += _check_figures(instance, output, meetings, placed)
    return problems


def _check_assignment(instance, meetings, unavailable, a, placed):
    mid, slot, table = a.get("meeting"), a.get("slot"), a.get("table")
    if mid not in meetings:
        return [f"unknown meeting {mid!r} in assignments"]
    if mid in placed:
        return [f"meeting {mid!r} is assigned twice"]
    if not (isinstance(slot, int) and 0 <= slot < instance.slots):
        return [f"meeting {mid!r} has slot {slot!r} outside the block"]
    if not (isinstance(table, int) and 0 <= table < instance.tables):
        return [f"meeting {mid!r} has table {table!r}, which does not exist"]
    placed[mid] = (slot, table)
    meeting, found = meetings[mid], []
    if meeting.allowed_slots is not None and slot not in meeting.allowed_slots:
        found.append(f"meeting {mid!r} is at slot {slot}, not among its allowed slots")
    for pid in meeting.participants:
        if slot in unavailable[pid]:
            found.append(f"meeting {mid!r} is at slot {slot}, when {pid!r} is unavailable")
    if meeting.fixed_slot is not None and slot != meeting.fixed_slot:
        found.append(f"meeting {mid!r} is fixed at slot {meeting.fixed_slot} but placed at {slot}")
    return found


def _check_clashes(instance, meetings, placed):
    found, person_at, table_at, per_slot, pair_seen = [], {}, {}, {}, {}
    for mid, (slot, table) in placed.items():
        for pid in meetings[mid].participants:
            if (pid, slot) in person_at:
                found.append(f"{pid!r} has two meetings at slot {slot}: "
                             f"{person_at[pid, slot]!r} and {mid!r}")
            person_at[pid, slot] = mid
        if (slot, table) in table_at:
            found.append(f"table {table} at slot {slot} holds {table_at[slot, table]!r} "
                         f"and {mid!r}")
        table_at[slot, table] = mid
        per_slot[slot] = per_slot.get(slot, 0) + 1
        pair = tuple(sorted(meetings[mid].participants))
        if pair in pair_seen:
            found.append(f"pair {pair} meets twice: {pair_seen[pair]!r} and {mid!r}")
        pair_seen[pair] = mid
    for slot, count in per_slot.items():
        if count > instance.tables:
            found.append(f"slot {slot} holds {count} meetings for {instance.tables} tables")
    return found


def _check_coverage(instance, output, placed):
    found = []
    unscheduled = list(output.get("unscheduled", []))
    if len(set(unscheduled)) != len(unscheduled):
        found.append("a meeting is listed twice as unscheduled")
    for mid in unscheduled:
        if mid in placed:
            found.append(f"meeting {mid!r} is both assigned and unscheduled")
    listed = set(placed) | set(unscheduled)
    for m in instance.meetings:
        if m.id not in listed:
            found.append(f"meeting {m.id!r} is neither assigned nor unscheduled")
        if m.fixed_slot is not None and m.id not in placed:
            found.append(f"fixed meeting {m.id!r} is not scheduled")
    return found


def _check_figures(instance, output, meetings, placed):
    timeline = {p.id: [] for p in instance.participants}
    for mid, (slot, _) in placed.items():
        for pid in meetings[mid].participants:
            timeline[pid].append(slot)
    breaks, idle, worst = 0, 0, 0
    for slots in timeline.values():
        if not slots:
            continue
        slots.sort()
        mine = sum(1 for i in range(1, len(slots)) if slots[i] != slots[i - 1] + 1)
        breaks += mine
        worst = max(worst, mine)
        idle += (slots[-1] - slots[0] + 1) - len(slots)
    found = []
    for key, actual in (("breaks", breaks), ("idle_slots", idle), ("max_breaks", worst)):
        if output.get(key) != actual:
            found.append(f"{key} reported as {output.get(key)!r}, recomputed {actual}")
    if not isinstance(output.get("lower_bound"), int) or output["lower_bound"] > breaks:
        found.append(f"lower_bound {output.get('lower_bound')!r} exceeds breaks {breaks}")
    found += _check_moves(instance, output, placed)
    return found


def _check_moves(instance, output, placed):
    if not any(m.previous_slot is not None for m in instance.meetings):
        return []
    expected = sorted(
        (m.id, m.previous_slot, placed[m.id][0] if m.id in placed else None)
        for m in instance.meetings
        if m.previous_slot is not None
        and (m.id not in placed or placed[m.id][0] != m.previous_slot)
    )
    reported = sorted((mv["meeting"], mv["from_slot"], mv["to_slot"])
                      for mv in output.get("moved", []))
    return [] if expected == reported else [f"moved lists {reported}, expected {expected}"]
