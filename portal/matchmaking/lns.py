"""Large-neighbourhood search on breaks: free a few meetings, re-solve them exactly.

The set of scheduled meetings stays the same (phase 1 fixed its weight) and the
number of moved meetings never grows; each step minimises (total breaks, max breaks)
over the freed meetings with a small CP-SAT model, every other meeting held in place.
"""

import random
import time

from .schedule import breaks_of

STEP_LIMIT = 0.1  # seconds per sub-problem


class Neighbourhoods:
    """Picks meetings to free: time windows, people with breaks, random samples."""

    def __init__(self, instance, rng):
        self.instance, self.rng = instance, rng
        self.partners = {p.id: [] for p in instance.participants}
        for m in instance.meetings:
            a, b = m.participants
            self.partners[a].append(m)
            self.partners[b].append(m)

    def pick(self, slot_of, timeline, size):
        kind = self.rng.random()
        movable = self.movable(slot_of)
        if kind < 0.4:
            chosen = self._window(movable, slot_of, size)
        elif kind < 0.85:
            chosen = self._people(slot_of, timeline, size)
        else:
            chosen = self.rng.sample(movable, min(size, len(movable)))
        return chosen

    def movable(self, slot_of):
        return [m for m in self.instance.meetings if m.id in slot_of and m.fixed_slot is None]

    def _window(self, movable, slot_of, size):
        per_slot = max(len(movable) / self.instance.slots, 1)
        width = max(1, min(self.instance.slots, round(size / per_slot)))
        start = self.rng.randrange(0, self.instance.slots - width + 1)
        inside = [m for m in movable if start <= slot_of[m.id] < start + width]
        self.rng.shuffle(inside)
        return inside[:size]

    def _people(self, slot_of, timeline, size):
        with_breaks = [pid for pid, slots in timeline.items() if breaks_of(slots)]
        pool = with_breaks or list(timeline)
        chosen, seen, queue = [], set(), [self.rng.choice(pool)]
        while queue and len(chosen) < size:
            pid = queue.pop(0)
            mine = [m for m in self.partners[pid]
                    if m.id in slot_of and m.fixed_slot is None and m.id not in seen]
            for m in mine:
                seen.add(m.id)
                chosen.append(m)
                other = m.participants[0] if m.participants[1] == pid else m.participants[1]
                queue.append(other)
            self.rng.shuffle(queue)
        return chosen[:size]


def improve(instance, slot_of, deadline, cp_model, on_improve=None, seed=0):
    """Return a schedule with no more (breaks, max breaks) than ``slot_of``."""
    rng = random.Random(seed)
    picker = Neighbourhoods(instance, rng)
    current = dict(slot_of)
    size = 30
    while time.perf_counter() < deadline - 0.05:
        timeline = _timeline(instance, current)
        free = picker.pick(current, timeline, int(size))
        if not free:
            if not picker.movable(current):
                break
            continue
        limit = min(STEP_LIMIT, deadline - time.perf_counter())
        result, optimal, gained = _resolve(instance, current, timeline, free, cp_model, limit)
        if result is not None:
            current.update(result)
            if gained and on_improve:
                on_improve(current)
        size = min(size * 1.05, 400) if optimal else max(size * 0.8, 8)
    return current


def _timeline(instance, slot_of):
    busy = {p.id: [] for p in instance.participants}
    for m in instance.meetings:
        if m.id in slot_of:
            for pid in m.participants:
                busy[pid].append(slot_of[m.id])
    return {pid: sorted(s) for pid, s in busy.items()}


def _resolve(instance, current, timeline, free, cp_model, limit):
    """Re-place ``free`` optimally; returns (new slots or None, proven, strictly better)."""
    freed = {m.id for m in free}
    fixed_busy = {p.id: set() for p in instance.participants}
    load = [0] * instance.slots
    for m in instance.meetings:
        if m.id in current and m.id not in freed:
            load[current[m.id]] += 1
            for pid in m.participants:
                fixed_busy[pid].add(current[m.id])
    model = cp_model.CpModel()
    x = {}
    for m in free:
        options = [s for s in instance.candidate_slots(m)
                   if load[s] < instance.tables
                   and not any(s in fixed_busy[pid] for pid in m.participants)]
        x[m.id] = {s: model.new_bool_var("") for s in options}
        model.add_exactly_one(x[m.id].values())
        for s, v in x[m.id].items():
            model.add_hint(v, current[m.id] == s)
    for s in range(instance.slots):
        here = [xs[s] for xs in x.values() if s in xs]
        if len(here) > instance.tables - load[s]:
            model.add(sum(here) <= instance.tables - load[s])
    _keep_moves(model, instance, free, current, x)
    affected = {pid for m in free for pid in m.participants}
    breaks = {pid: _breaks_expr(model, instance, pid, free, x, fixed_busy[pid])
              for pid in affected}
    others = max((breaks_of(slots) for pid, slots in timeline.items()
                  if pid not in affected), default=0)
    worst = model.new_int_var(others, instance.slots, "")
    for expr in breaks.values():
        model.add(worst >= expr)
    scale = instance.slots + 1
    model.minimize(scale * sum(breaks.values()) + worst)
    before = _score(timeline, affected, others, scale)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(limit, 0.01)
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False, False
    if solver.objective_value > before:
        return None, status == cp_model.OPTIMAL, False
    result = {mid: next(s for s, v in xs.items() if solver.boolean_value(v))
              for mid, xs in x.items()}
    return result, status == cp_model.OPTIMAL, solver.objective_value < before


def _keep_moves(model, instance, free, current, x):
    """Never move more meetings away from their previous slot than now."""
    terms, now = [], 0
    for m in free:
        if m.previous_slot is not None:
            now += current[m.id] != m.previous_slot
            stay = x[m.id].get(m.previous_slot)
            terms.append(1 - stay if stay is not None else 1)
    if terms:
        model.add(sum(terms) <= now)


def _breaks_expr(model, instance, pid, free, x, fixed):
    """Breaks of one participant: blocks of busy slots minus one (they do meet)."""
    lits = {}
    for m in free:
        if pid in m.participants:
            for s, v in x[m.id].items():
                lits.setdefault(s, []).append(v)
    busy = {}
    for s in range(instance.slots):
        if s in fixed:
            busy[s] = 1
        elif s in lits:
            if len(lits[s]) > 1:
                busy[s] = model.new_bool_var("")
                model.add(busy[s] == sum(lits[s]))
            else:
                busy[s] = lits[s][0]
    starts = []
    for s, here in busy.items():
        before = busy.get(s - 1, 0)
        if isinstance(before, int):
            starts.append(0 if before else here)
        elif isinstance(here, int):
            starts.append(1 - before)
        else:  # start <=> here and not before
            start = model.new_bool_var("")
            model.add_implication(start, here)
            model.add_implication(start, ~before)
            model.add_bool_or([~here, before, start])
            starts.append(start)
    return sum(starts) - 1


def _score(timeline, affected, others, scale):
    total, worst = 0, others
    for pid in affected:
        b = breaks_of(timeline[pid])
        total += b
        worst = max(worst, b)
    return scale * total + worst
