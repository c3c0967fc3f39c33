"""CP-SAT slot-level model of the B2B meeting scheduling problem (ortools imported lazily).

Tables are interchangeable, so the model only chooses slots (with at most ``tables``
meetings per slot); tables are dealt out afterwards by ``schedule.assign_tables``.
"""

from .schedule import breaks_of, busy_slots, meeting_score


def availability_runs(slots):
    """Lengths of the maximal runs of consecutive slots in a sorted slot list."""
    runs, length = [], 0
    for i, s in enumerate(slots):
        length = length + 1 if i and s == slots[i - 1] + 1 else 1
        if i + 1 == len(slots) or slots[i + 1] != s + 1:
            runs.append(length)
    return runs


def break_floor(slots, degree):
    """Implied bound: fewest breaks for k = 0..degree meetings within the given slots."""
    runs = sorted(availability_runs(slots), reverse=True)
    floor = [0]
    for k in range(1, degree + 1):
        used, room = 0, 0
        while room < k and used < len(runs):
            room += runs[used]
            used += 1
        floor.append(max(used - 1, 0) if room >= k else used)
    return floor


class SlotModel:
    """Variables and constraints; objectives are set per phase by the caller."""

    def __init__(self, cp_model, instance, with_breaks=True, floors=None):
        """``floors``: participant id -> least breaks, when every meeting must be held."""
        self.instance = instance
        self.floors = floors or {}
        self.model = model = cp_model.CpModel()
        self.x = []  # per meeting: list of (slot, BoolVar)
        self.aux = []  # (var, kind, key) recomputed for solution hints
        for i, m in enumerate(instance.meetings):
            slots = [m.fixed_slot] if m.fixed_slot is not None else instance.candidate_slots(m)
            self.x.append([(s, model.new_bool_var(f"x{i}_{s}")) for s in slots])
            if m.fixed_slot is not None:
                model.add(self.x[i][0][1] == 1)
            elif len(slots) > 1:
                model.add_at_most_one(v for _, v in self.x[i])
        self._pairs()
        self._capacity()
        self.scheduled = self._total("scheduled", [v for xs in self.x for _, v in xs],
                                     len(self.x))
        self.total_breaks = None  # without breaks: only what can be scheduled, and where
        if with_breaks:
            self._participants()
            self.total_breaks = self._total("total_breaks", list(self.breaks.values()),
                                            len(self.breaks) * instance.slots)
        else:
            for lits in self._participant_literals().values():
                if len(lits) > 1:
                    self.model.add_at_most_one(lits)
        self.score = sum(meeting_score(instance, i) * v
                         for i, xs in enumerate(self.x) for _, v in xs)
        self.moved = self._moved_expr()
        self.max_breaks = None

    def _pairs(self):
        groups = {}
        for i, m in enumerate(self.instance.meetings):
            groups.setdefault(frozenset(m.participants), []).append(i)
        for members in groups.values():
            if len(members) > 1:  # a pair meets at most once
                self.model.add_at_most_one(v for i in members for _, v in self.x[i])

    def _capacity(self):
        per_slot = {}
        for xs in self.x:
            for s, v in xs:
                per_slot.setdefault(s, []).append(v)
        for lits in per_slot.values():
            if len(lits) > self.instance.tables:
                self.model.add(sum(lits) <= self.instance.tables)

    def _participant_literals(self):
        """(participant id, slot) -> literals of that person's meetings in that slot."""
        lits = {}
        for i, m in enumerate(self.instance.meetings):
            for pid in m.participants:
                for s, v in self.x[i]:
                    lits.setdefault((pid, s), []).append(v)
        return lits

    def _participants(self):
        self.busy = {}
        for key, vs in self._participant_literals().items():
            if len(vs) == 1:
                self.busy[key] = vs[0]
            else:
                self.model.add_at_most_one(vs)
                self.busy[key] = self._aux_bool(f"busy{key}", "busy", key)
                self.model.add(self.busy[key] == sum(vs))
        self.breaks = {}
        for p in self.instance.participants:
            slots = sorted(s for s in range(self.instance.slots) if (p.id, s) in self.busy)
            if len(slots) > 1:
                self.breaks[p.id] = self._participant_breaks(p.id, slots)

    def _participant_breaks(self, pid, slots):
        """breaks = (blocks of consecutive meetings) - (1 if any meeting)."""
        model, starts = self.model, []
        for s in slots:
            here, before = self.busy[pid, s], self.busy.get((pid, s - 1))
            if before is None:
                starts.append(here)
                continue
            start = self._aux_bool(f"start{pid}_{s}", "start", (pid, s))
            model.add_implication(start, here)
            model.add_implication(start, before.negated())
            model.add_bool_or([here.negated(), before, start])
            starts.append(start)
        busy = [self.busy[pid, s] for s in slots]
        has = self._aux_bool(f"has{pid}", "has", pid)
        model.add_bool_or(busy + [has.negated()])
        for b in busy:
            model.add_implication(b, has)
        breaks = model.new_int_var(0, len(slots), f"breaks{pid}")
        self.aux.append((breaks, "breaks", pid))
        model.add(breaks == sum(starts) - has)
        if self.floors.get(pid):
            model.add(breaks >= self.floors[pid])
        self._break_floor(pid, slots, breaks)
        return breaks

    def _break_floor(self, pid, slots, breaks):
        """Implied constraint: availability gaps force breaks once enough meetings are set."""
        mine = [v for i, m in enumerate(self.instance.meetings) if pid in m.participants
                for _, v in self.x[i]]
        degree = min(len(slots), sum(1 for m in self.instance.meetings if pid in m.participants))
        floor = break_floor(slots, degree)
        if max(floor) == 0:
            return
        count = self.model.new_int_var(0, degree, f"count{pid}")
        self.model.add(count == sum(mine))
        least = self.model.new_int_var(0, max(floor), f"floor{pid}")
        self.model.add_element(count, floor, least)
        self.model.add(breaks >= least)
        self.aux += [(count, "count", pid), (least, "floor", (pid, tuple(floor)))]

    def _total(self, name, terms, upper):
        var = self.model.new_int_var(0, max(upper, 1), name)
        self.model.add(var == sum(terms))
        self.aux.append((var, name, None))
        return var

    def _aux_bool(self, name, kind, key):
        var = self.model.new_bool_var(name)
        self.aux.append((var, kind, key))
        return var

    def _moved_expr(self):
        terms = []
        for i, m in enumerate(self.instance.meetings):
            if m.previous_slot is not None:
                stay = [v for s, v in self.x[i] if s == m.previous_slot]
                terms.append(1 - stay[0] if stay else 1)
        return sum(terms) if terms else None

    def add_fairness(self):
        ub = max(self.instance.slots // 2, 1)
        self.max_breaks = self.model.new_int_var(0, ub, "max_breaks")
        self.aux.append((self.max_breaks, "max_breaks", None))
        for b in self.breaks.values():
            self.model.add(self.max_breaks >= b)

    def hint(self, slot_of):
        """Set a complete solution hint from a meeting id -> slot mapping."""
        self.model.clear_hints()
        for m, xs in zip(self.instance.meetings, self.x):
            for s, v in xs:
                self.model.add_hint(v, slot_of.get(m.id) == s)
        timeline = busy_slots(self.instance, slot_of)
        for var, kind, key in self.aux:
            self.model.add_hint(var, _aux_value(kind, key, timeline, slot_of))

    def read(self, solver):
        """Meeting id -> slot from the solver's current solution."""
        slot_of = {}
        for m, xs in zip(self.instance.meetings, self.x):
            for s, v in xs:
                if solver.boolean_value(v):
                    slot_of[m.id] = s
        return slot_of


def _aux_value(kind, key, timeline, slot_of):
    if kind == "busy":
        return key[1] in timeline[key[0]]
    if kind == "start":
        mine = timeline[key[0]]
        return key[1] in mine and key[1] - 1 not in mine
    if kind == "has":
        return bool(timeline[key])
    if kind == "breaks":
        return breaks_of(timeline[key])
    if kind == "count":
        return len(timeline[key])
    if kind == "floor":
        return key[1][len(timeline[key[0]])]
    if kind == "scheduled":
        return len(slot_of)
    if kind == "total_breaks":
        return sum(breaks_of(s) for s in timeline.values())
    if kind == "max_breaks":
        return max((breaks_of(s) for s in timeline.values()), default=0)
    raise ValueError(kind)
