"""Greedy B2B schedule: priority order, break-aware slot choice, one-step repair."""

import time

from .schedule import build_output, fixed_conflicts, infeasible_output, metrics


class Board:
    """Mutable slot assignment with the bookkeeping needed to test moves quickly."""

    def __init__(self, instance):
        self.instance = instance
        self.busy = {p.id: {} for p in instance.participants}  # pid -> {slot: meeting id}
        self.load = [0] * instance.slots
        self.pairs = set()
        self.slot_of = {}
        self.candidates = {m.id: instance.candidate_slots(m) for m in instance.meetings}

    def fits(self, meeting, slot, ignore=()):
        if self.load[slot] >= self.instance.tables:
            return False
        return all(self.busy[pid].get(slot, None) in (None, *ignore)
                   for pid in meeting.participants)

    def place(self, meeting, slot):
        self.slot_of[meeting.id] = slot
        self.load[slot] += 1
        self.pairs.add(frozenset(meeting.participants))
        for pid in meeting.participants:
            self.busy[pid][slot] = meeting.id

    def remove(self, meeting):
        slot = self.slot_of.pop(meeting.id)
        self.load[slot] -= 1
        self.pairs.discard(frozenset(meeting.participants))
        for pid in meeting.participants:
            del self.busy[pid][slot]

    def added_breaks(self, meeting, slot):
        return sum(_added_breaks(self.busy[pid], slot) for pid in meeting.participants)

    def best_slot(self, meeting):
        """Free slot adding the fewest breaks; the previous slot, then the earliest wins ties."""
        options = [s for s in self.candidates[meeting.id] if self.fits(meeting, s)]
        if not options:
            return None
        return min(options, key=lambda s: (self.added_breaks(meeting, s),
                                           s != meeting.previous_slot, s))


def _added_breaks(busy, slot):
    left = max((s for s in busy if s < slot), default=None)
    right = min((s for s in busy if s > slot), default=None)
    before = left is not None and right is not None and right - left > 1
    after = (left is not None and slot - left > 1) + (right is not None and right - slot > 1)
    return after - before


def greedy_slots(instance):
    """Meeting id -> slot for a valid schedule (fixed slots must be conflict-free).

    Insertion in priority order decides which meetings fit; a slot-by-slot sweep then
    re-times that same set to keep people's meetings back to back, if it places them all.
    """
    board = Board(instance)
    for m in instance.meetings:
        if m.fixed_slot is not None:
            board.place(m, m.fixed_slot)
    for m in priority_order(instance):
        if m.fixed_slot is None and frozenset(m.participants) not in board.pairs:
            slot = board.best_slot(m)
            if slot is not None:
                board.place(m, slot)
    _fill(board, priority_order(instance))
    chosen = [m for m in priority_order(instance) if m.id in board.slot_of]
    swept = sweep(instance, chosen)
    if swept is not None and _breaks(instance, swept) < _breaks(instance, board.slot_of):
        return swept
    return dict(board.slot_of)


def sweep(instance, chosen):
    """Re-time ``chosen`` slot by slot, continuing people who met in the previous slot."""
    board = Board(instance)
    todo = []
    for m in chosen:
        if m.fixed_slot is not None:
            board.place(m, m.fixed_slot)
        else:
            todo.append(m)
    remaining = {p.id: set() for p in instance.participants}
    for m in todo:
        for pid in m.participants:
            remaining[pid].add(m.id)
    for slot in range(instance.slots):
        urgency = _urgency(board, remaining, slot)
        ranked = sorted(
            ((_sweep_value(board, m, slot, urgency), i) for i, m in enumerate(todo)
             if m.id not in board.slot_of and slot in board.candidates[m.id]),
            reverse=True)
        for _, i in ranked:
            m = todo[i]
            if board.fits(m, slot):
                board.place(m, slot)
                for pid in m.participants:
                    remaining[pid].discard(m.id)
    _fill(board, todo)
    return dict(board.slot_of) if len(board.slot_of) == len(chosen) else None


def _urgency(board, remaining, slot):
    """Per participant: meetings left over the slots still open to them (>= 1: must meet)."""
    result = {}
    for pid, left in remaining.items():
        if left:
            future = {s for mid in left for s in board.candidates[mid] if s >= slot}
            result[pid] = len(left) / max(len(future), 1)
    return result


def _sweep_value(board, meeting, slot, urgency):
    value = 5.0 / sum(1 for s in board.candidates[meeting.id] if s >= slot)
    for pid in meeting.participants:
        met = board.busy[pid]
        if slot - 1 in met:
            value += 100  # continuing avoids a break
        elif met:
            value += 50  # resuming ends an idle run already started
        value += 20 * urgency.get(pid, 0)
    return value


def _fill(board, meetings):
    """Place what is still unplaced: best free slot, else move blockers aside."""
    for m in meetings:
        if m.id in board.slot_of or frozenset(m.participants) in board.pairs:
            continue
        slot = board.best_slot(m)
        if slot is not None:
            board.place(m, slot)
        else:
            _repair(board, m)


def _breaks(instance, slot_of):
    return metrics(instance, slot_of)["breaks"]


def priority_order(instance):
    """Meetings starred by both sides first, then by one side, then oldest first."""
    indexed = sorted(enumerate(instance.meetings), key=lambda im: (-im[1].priority, im[0]))
    return [m for _, m in indexed]


def _repair(board, meeting):
    """Schedule ``meeting`` by moving the (non-fixed) meetings blocking one of its slots."""
    by_id = {m.id: m for m in board.instance.meetings}
    for slot in board.candidates[meeting.id]:
        if board.load[slot] >= board.instance.tables:
            continue
        blockers = {board.busy[pid][slot] for pid in meeting.participants
                    if slot in board.busy[pid]}
        if any(by_id[b].fixed_slot is not None for b in blockers):
            continue
        moved = {}
        for b in blockers:
            blocker = by_id[b]
            board.remove(blocker)
            target = next((s for s in board.candidates[b]
                           if s != slot and board.fits(blocker, s)), None)
            board.place(blocker, slot if target is None else target)
            moved[b] = target
            if target is None:
                break
        if moved and all(t is not None for t in moved.values()):
            board.place(meeting, slot)
            return True
        for b, target in moved.items():  # undo
            if target is not None:
                board.remove(by_id[b])
                board.place(by_id[b], slot)
    return False


def greedy(instance):
    """Fast valid schedule (status "feasible"), or "infeasible" when fixed slots clash."""
    started = time.perf_counter()
    conflicts = fixed_conflicts(instance)
    if conflicts:
        return infeasible_output(instance, conflicts, time.perf_counter() - started)
    slot_of = greedy_slots(instance)
    return build_output(instance, slot_of, "feasible", 0, time.perf_counter() - started)
