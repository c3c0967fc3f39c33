"""Greedy B2B schedule: priority-order insertion, then slot-by-slot re-timing sweeps."""

import random
import time

from .bounds import total_floor
from .schedule import build_output, fixed_conflicts, infeasible_output, metrics

# Sweeps tried by ``retime``: forward, backward, then four with a little noise.
SWEEP_ATTEMPTS = 6


class Board:
    """Mutable slot assignment with the bookkeeping needed to test moves quickly."""

    def __init__(self, instance):
        self.instance = instance
        self.busy = {p.id: {} for p in instance.participants}  # pid -> {slot: meeting id}
        self.load = [0] * instance.slots
        self.pairs = set()
        self.slot_of = {}
        self.at = [set() for _ in range(instance.slots)]  # slot -> meeting ids
        self.by_id = {m.id: m for m in instance.meetings}
        self.candidates = {m.id: instance.candidate_slots(m) for m in instance.meetings}

    def fits(self, meeting, slot):
        if self.load[slot] >= self.instance.tables:
            return False
        return all(slot not in self.busy[pid] for pid in meeting.participants)

    def place(self, meeting, slot):
        self.slot_of[meeting.id] = slot
        self.at[slot].add(meeting.id)
        self.load[slot] += 1
        self.pairs.add(frozenset(meeting.participants))
        for pid in meeting.participants:
            self.busy[pid][slot] = meeting.id

    def remove(self, meeting):
        slot = self.slot_of.pop(meeting.id)
        self.at[slot].discard(meeting.id)
        self.load[slot] -= 1
        self.pairs.discard(frozenset(meeting.participants))
        for pid in meeting.participants:
            del self.busy[pid][slot]

    def added_breaks(self, meeting, slot):
        return sum(_added_breaks(self.busy[pid], slot) for pid in meeting.participants)

    def best_slot(self, meeting):
        """The previous slot if free, else the free slot adding the fewest breaks."""
        options = [s for s in self.candidates[meeting.id] if self.fits(meeting, s)]
        if not options:
            return None
        return min(options, key=lambda s: (s != meeting.previous_slot,
                                           self.added_breaks(meeting, s), s))


def _added_breaks(busy, slot):
    left = max((s for s in busy if s < slot), default=None)
    right = min((s for s in busy if s > slot), default=None)
    before = left is not None and right is not None and right - left > 1
    after = (left is not None and slot - left > 1) + (right is not None and right - slot > 1)
    return after - before


def greedy_slots(instance):
    """Meeting id -> slot for a valid schedule (fixed slots must be conflict-free)."""
    return retime(instance, insertion_slots(instance))


def insertion_slots(instance):
    """Insert meetings in priority order, each where it adds the fewest breaks."""
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
    return dict(board.slot_of)


def retime(instance, slot_of, attempts=SWEEP_ATTEMPTS, deadline=None):
    """Same meetings, fewer breaks: the best complete sweep, else ``slot_of`` unchanged.

    With a ``deadline`` (a ``time.perf_counter()`` value), no sweep starts after it.
    """
    if instance.has_previous:  # moving meetings costs more than breaks
        return slot_of
    chosen = [m for m in priority_order(instance) if m.id in slot_of]
    best, best_breaks = slot_of, _breaks(instance, slot_of)
    for attempt in range(attempts):
        if deadline is not None and time.perf_counter() > deadline:
            break
        rng = random.Random(attempt) if attempt >= 2 else None
        swept = sweep(instance, chosen, backward=attempt % 2 == 1, rng=rng)
        if swept is not None and _breaks(instance, swept) < best_breaks:
            best, best_breaks = swept, _breaks(instance, swept)
    return best


def sweep(instance, chosen, backward=False, rng=None):
    """Re-time ``chosen`` slot by slot, continuing people who met in the previous slot.

    Returns None unless every chosen meeting found a slot. ``backward`` sweeps from the
    last slot; ``rng`` adds a little noise to the ranking for another attempt.
    """
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
    step = -1 if backward else 1
    order = range(instance.slots - 1, -1, -1) if backward else range(instance.slots)
    for slot in order:
        urgency = _urgency(board, remaining, slot, step)
        ranked = sorted(
            ((_sweep_value(board, m, slot, step, urgency) + (rng.random() if rng else 0), i)
             for i, m in enumerate(todo)
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


def _urgency(board, remaining, slot, step):
    """Per participant: meetings left over the slots still open to them (>= 1: must meet)."""
    result = {}
    for pid, left in remaining.items():
        if left:
            future = {s for mid in left for s in board.candidates[mid] if s * step >= slot * step}
            result[pid] = len(left) / max(len(future), 1)
    return result


def _sweep_value(board, meeting, slot, step, urgency):
    left = sum(1 for s in board.candidates[meeting.id] if s * step >= slot * step)
    value = 5.0 / left + (1000 if left == 1 else 0)  # last chance for this meeting
    for pid in meeting.participants:
        met = board.busy[pid]
        if slot - step in met:
            value += 100  # continuing avoids a break
        elif met:
            value += 50  # resuming ends an idle run already started
        value += 20 * urgency.get(pid, 0) + (500 if urgency.get(pid, 0) >= 1 else 0)
    return value


def _fill(board, meetings):
    """Place what is still unplaced: best free slot, else move blockers aside."""
    capacity = board.instance.slots * board.instance.tables
    for m in meetings:
        if len(board.slot_of) >= capacity:
            return
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
    """Schedule ``meeting`` by moving aside the meetings that block one of its slots.

    Blockers are the participants' own meetings in that slot and, when the slot is
    full, one more meeting of that slot; each must fit in another slot as it is.
    """
    for slot in board.candidates[meeting.id]:
        journal = []
        blockers = {board.busy[pid][slot] for pid in meeting.participants
                    if slot in board.busy[pid]}
        if all(_move_aside(board, board.by_id[b], slot, journal) for b in blockers):
            if board.load[slot] >= board.instance.tables:
                for other in sorted(board.at[slot]):
                    if _move_aside(board, board.by_id[other], slot, journal):
                        break
            if board.fits(meeting, slot):
                board.place(meeting, slot)
                return True
        for moved, origin in reversed(journal):  # undo
            board.remove(moved)
            board.place(moved, origin)
    return False


def _move_aside(board, meeting, slot, journal):
    if meeting.fixed_slot is not None:
        return False
    board.remove(meeting)
    target = next((s for s in board.candidates[meeting.id]
                   if s != slot and board.fits(meeting, s)), None)
    board.place(meeting, slot if target is None else target)
    if target is not None:
        journal.append((meeting, slot))
    return target is not None


def greedy(instance):
    """Fast valid schedule (status "feasible"), or "infeasible" when fixed slots clash."""
    started = time.perf_counter()
    conflicts = fixed_conflicts(instance)
    if conflicts:
        return infeasible_output(instance, conflicts, time.perf_counter() - started)
    slot_of = greedy_slots(instance)
    # Every meeting held: every schedule of the same weight holds them all, so the
    # participant floors bound its breaks.
    bound = total_floor(instance) if len(slot_of) == len(instance.meetings) else 0
    return build_output(instance, slot_of, "feasible", bound, time.perf_counter() - started)
