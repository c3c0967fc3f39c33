"""Large-neighbourhood search on breaks: free a few meetings, re-solve them exactly.

The set of scheduled meetings stays the same (phase 1 fixed its weight) and the
number of moved meetings never grows; each step minimises (total breaks, max breaks)
over the freed meetings with a small CP-SAT model, every other meeting held in place.
"""

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from .schedule import breaks_of

# Work per sub-problem in CP-SAT deterministic time (about 60 ms of one core here):
# unlike a wall-clock limit it does not shrink when the machine is busy.
STEP_WORK = 0.05
FIRST_SIZE, MIN_SIZE, MAX_SIZE = 20, 8, 300  # freed meetings, adapted as steps succeed
# Neighbourhood mix: people with breaks and their partners, time windows, random.
PEOPLE, WINDOW = 0.8, 0.95
LOCAL = 0.5  # share of people neighbourhoods kept to the slots around one break
THREADS = 2  # sub-problems solved at once; CP-SAT releases the GIL while it searches
# After this many steps without a new best, a kick moves a few meetings off their slots.
STALL, KICK_SIZE = 150, 8


class Search:
    """Current schedule plus the indexes the neighbourhoods and sub-models need.

    Threads share one Search under ``lock``; each step reserves the people it frees,
    so concurrent steps never touch the same person (they may share slot capacity,
    which ``accept`` re-checks).
    """

    def __init__(self, instance, slot_of):
        self.instance = instance
        self.lock = threading.Lock()
        self.slot_of = dict(slot_of)
        self.meetings_of = {p.id: [] for p in instance.participants}
        for m in instance.meetings:
            if m.id in slot_of:
                for pid in m.participants:
                    self.meetings_of[pid].append(m)
        self.movable = [m for m in instance.meetings
                        if m.id in slot_of and m.fixed_slot is None]
        self.candidates = {m.id: instance.candidate_slots(m) for m in self.movable}
        self.load = [0] * instance.slots
        for slot in self.slot_of.values():
            self.load[slot] += 1
        self.breaks = {pid: self._breaks(pid) for pid in self.meetings_of}
        self.reserved = set()
        self.done = False  # set once nothing can improve any more
        self.best = dict(self.slot_of)
        self.best_key = (sum(self.breaks.values()), max(self.breaks.values(), default=0))
        self.stalled = 0  # steps since the best schedule last improved

    def _timeline(self, pid, change=None):
        change = change or {}
        return sorted(change.get(m.id, self.slot_of[m.id]) for m in self.meetings_of[pid])

    def _breaks(self, pid, change=None):
        return breaks_of(self._timeline(pid, change))

    def pick(self, rng, size):
        """Meetings to free (their people not reserved by another step), or []."""
        if size >= len(self.movable):
            return [] if self.reserved else list(self.movable)
        roll = rng.random()
        if roll < PEOPLE:
            return self._people(rng, size, local=rng.random() < LOCAL)
        pool = self._window(rng, size) if roll < WINDOW else rng.sample(
            self.movable, min(size, len(self.movable)))
        chosen, people = [], set()
        for m in pool:
            if not (set(m.participants) & self.reserved):
                chosen.append(m)
                people.update(m.participants)
        return chosen

    def _people(self, rng, size, local=False):
        """A person with breaks, their partners, the partners' partners... and their
        meetings; ``local`` keeps only meetings near one of that person's breaks."""
        pool = [pid for pid, b in self.breaks.items() if b and pid not in self.reserved]
        pool = pool or [pid for pid in self.breaks if pid not in self.reserved]
        if not pool:
            return []
        start = rng.choice(pool)
        low, high = 0, self.instance.slots - 1
        if local and self.breaks[start]:
            slots = self._timeline(start)
            gaps = [(a, b) for a, b in zip(slots, slots[1:]) if b - a > 1]
            a, b = rng.choice(gaps)
            low, high = a - rng.randint(1, 3), b + rng.randint(1, 3)
        chosen, seen, queue = [], set(), [start]
        while queue and len(chosen) < size:
            pid = queue.pop(0)
            for m in self.meetings_of[pid]:
                other = m.participants[m.participants[0] == pid]
                if (m.fixed_slot is None and m.id not in seen and other not in self.reserved
                        and low <= self.slot_of[m.id] <= high):
                    seen.add(m.id)
                    chosen.append(m)
                    queue.append(other)
            rng.shuffle(queue)
        return chosen[:size]

    def _window(self, rng, size):
        per_slot = max(len(self.movable) / self.instance.slots, 1)
        width = max(1, min(self.instance.slots, round(size / per_slot)))
        start = rng.randrange(0, self.instance.slots - width + 1)
        inside = [m for m in self.movable if start <= self.slot_of[m.id] < start + width]
        rng.shuffle(inside)
        return inside[:size]

    def task(self, free):
        """Snapshot for one step: what stays fixed around the freed meetings."""
        freed = {m.id for m in free}
        affected = {pid for m in free for pid in m.participants}
        self.reserved |= affected
        room = list(self.load)
        for m in free:
            room[self.slot_of[m.id]] -= 1
        return {
            "free": free, "affected": affected,
            "current": {m.id: self.slot_of[m.id] for m in free},
            "fixed_busy": {pid: {self.slot_of[m.id] for m in self.meetings_of[pid]
                                 if m.id not in freed} for pid in affected},
            "room": [self.instance.tables - used for used in room],
            "others": max((b for pid, b in self.breaks.items() if pid not in affected),
                          default=0),
        }

    def accept(self, task, result, kick=False):
        """Apply ``result`` unless it overfills a slot or worsens (breaks, max breaks);
        a kick may worsen them (the best schedule so far is kept aside)."""
        self.reserved -= task["affected"]
        if result is None:
            return False
        load = list(self.load)
        for mid, slot in result.items():
            load[self.slot_of[mid]] -= 1
            load[slot] += 1
        if any(used > self.instance.tables for used in load):
            return False
        new = {pid: self._breaks(pid, result) for pid in task["affected"]}
        others = max((b for pid, b in self.breaks.items() if pid not in new), default=0)
        old_key = (sum(self.breaks[p] for p in new), max(self.breaks.values(), default=0))
        new_key = (sum(new.values()), max([others, *new.values()]))
        if new_key > old_key and not kick:
            return False
        self.load = load
        self.slot_of.update(result)
        self.breaks.update(new)
        key = (sum(self.breaks.values()), max(self.breaks.values(), default=0))
        if key < self.best_key:
            self.best, self.best_key = dict(self.slot_of), key
            return True
        return False


def improve(instance, slot_of, deadline, cp_model, on_improve=None, floor=0, seed=0):
    """Return a schedule with no more (breaks, max breaks) than ``slot_of``.

    Stops at ``deadline``, when the breaks reach ``floor`` (a known lower bound), or
    when one step freed every movable meeting and was proved optimal.
    """
    search = Search(instance, slot_of)
    if not search.movable or sum(search.breaks.values()) <= floor:
        return dict(slot_of)
    with ThreadPoolExecutor(THREADS) as pool:
        runs = [pool.submit(_worker, search, deadline, cp_model, on_improve, floor, seed + i)
                for i in range(THREADS)]
        for run in runs:
            run.result()
    return search.best


def _worker(search, deadline, cp_model, on_improve, floor, seed):
    rng, size = random.Random(seed), FIRST_SIZE
    while not search.done and time.perf_counter() < deadline - 0.05:
        with search.lock:
            kick = search.stalled >= STALL
            free = search.pick(rng, KICK_SIZE if kick else int(size))
            task = search.task(free) if free else None
            if task is not None and kick:
                search.stalled = 0
        if task is None:
            time.sleep(0.001)
            continue
        limit = deadline - time.perf_counter()
        result, optimal = resolve(search.instance, search.candidates, task, cp_model, limit,
                                  kick)
        with search.lock:
            if search.accept(task, result, kick):
                search.stalled = 0
                if on_improve:
                    on_improve(dict(search.best))
            else:
                search.stalled += 1
            whole = len(task["free"]) == len(search.movable)
            if whole and optimal and not kick or search.best_key[0] <= floor:
                search.done = True
        if not kick:
            size = min(size * 1.05, MAX_SIZE) if optimal else max(size * 0.8, MIN_SIZE)


def resolve(instance, candidates, task, cp_model, limit, kick=False):
    """Re-place the freed meetings optimally: (new slots or None, proved optimal).

    ``kick`` forbids every freed meeting its current slot, to leave a local optimum.
    """
    free, room, fixed_busy = task["free"], task["room"], task["fixed_busy"]
    model = cp_model.CpModel()
    x = {}
    for m in free:
        a, b = m.participants
        options = [s for s in candidates[m.id] if room[s] > 0
                   and s not in fixed_busy[a] and s not in fixed_busy[b]
                   and not (kick and s == task["current"][m.id])]
        x[m.id] = {s: model.new_bool_var("") for s in options}
        model.add_exactly_one(x[m.id].values())
        for s, v in x[m.id].items():
            model.add_hint(v, task["current"][m.id] == s)
    for s in range(instance.slots):
        here = [xs[s] for xs in x.values() if s in xs]
        if len(here) > room[s]:
            model.add(sum(here) <= room[s])
    _keep_moves(model, free, task["current"], x)
    breaks = [_breaks_expr(model, instance, pid, free, x, fixed_busy[pid])
              for pid in task["affected"]]
    worst = model.new_int_var(task["others"], instance.slots, "")
    for expr in breaks:
        model.add(worst >= expr)
    model.minimize((instance.slots + 1) * sum(breaks) + worst)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(limit, 0.01)
    solver.parameters.max_deterministic_time = STEP_WORK
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    optimal = status == cp_model.OPTIMAL
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, optimal
    return {mid: next(s for s, v in xs.items() if solver.boolean_value(v))
            for mid, xs in x.items()}, optimal


def _keep_moves(model, free, slot_of, x):
    """Never move more meetings away from their previous slot than now."""
    terms, now = [], 0
    for m in free:
        if m.previous_slot is not None:
            now += slot_of[m.id] != m.previous_slot
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
