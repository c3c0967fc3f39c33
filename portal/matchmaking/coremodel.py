"""MaxSAT-style breaks model for CP-SAT's core-based search: bounds and small optima.

Used only when every meeting is scheduled. Every meeting takes exactly one slot; per
participant, ``busy[p, s]`` and a monotone ``seen[p, s]`` (met at s or before) give
clauses ``gap[p, s] or not busy[p, s] or busy[p, s-1] or not seen[p, s-2]`` (a break
ends at s). The objective counts breaks in unary, ``more[p, k]`` = "p has more than k
breaks", with the paper-style implied constraint that a participant with ``n``
meetings and no break meets within ``n`` consecutive slots:
``more[p, 0] or not busy[p, i] or not busy[p, j]`` for ``j - i >= n``. Soft literals of
that shape are what core-based search proves bounds on.
"""


def build(cp_model, instance, floors=None):
    """(model, x) where x is meeting index -> {slot: BoolVar}; minimises total breaks."""
    model, floors = cp_model.CpModel(), floors or {}
    x, lits, degree = [], {}, {}
    for m in instance.meetings:
        slots = [m.fixed_slot] if m.fixed_slot is not None else instance.candidate_slots(m)
        xs = {s: model.new_bool_var("") for s in slots}
        model.add_exactly_one(xs.values())
        x.append(xs)
        for pid in m.participants:
            degree[pid] = degree.get(pid, 0) + 1
            for s, v in xs.items():
                lits.setdefault((pid, s), []).append(v)
    for s in range(instance.slots):
        here = [xs[s] for xs in x if s in xs]
        if len(here) > instance.tables:
            model.add(sum(here) <= instance.tables)
    soft = []
    for p in instance.participants:
        busy = {}
        for s in range(instance.slots):
            vs = lits.get((p.id, s))
            if vs and len(vs) == 1:
                busy[s] = vs[0]
            elif vs:
                busy[s] = model.new_bool_var("")
                model.add(busy[s] == sum(vs))
        soft += _breaks(model, busy, degree.get(p.id, 0), floors.get(p.id, 0), instance.slots)
    model.minimize(sum(soft))
    return model, x


def _breaks(model, busy, n, floor, slots):
    """Unary break counters of one participant (the soft literals)."""
    if n < 2:
        return []
    seen, previous = {}, None
    for s in range(slots):
        if s in busy or previous is not None:
            seen[s] = model.new_bool_var("")
            if s in busy:
                model.add_implication(busy[s], seen[s])
            if previous is not None:
                model.add_implication(previous, seen[s])
            previous = seen[s]
    gaps = []
    for s, here in busy.items():
        if s - 2 in seen:
            gap = model.new_bool_var("")
            clause = [gap, ~here, ~seen[s - 2]]
            if s - 1 in busy:
                clause.append(busy[s - 1])
            model.add_bool_or(clause)
            gaps.append(gap)
    if not gaps:
        return []
    more = [model.new_bool_var("") for _ in range(min(len(gaps), n - 1))]
    for a, b in zip(more, more[1:]):
        model.add_implication(b, a)
    model.add(sum(gaps) <= sum(more))
    for k in range(min(floor, len(more))):
        model.add(more[k] == 1)
    ordered = sorted(busy)
    for i in ordered:
        for j in ordered:
            if j - i >= n:
                model.add_bool_or([more[0], ~busy[i], ~busy[j]])
    return more


def read(solver, instance, x):
    """Meeting id -> slot from the solver's solution."""
    return {m.id: next(s for s, v in xs.items() if solver.boolean_value(v))
            for m, xs in zip(instance.meetings, x)}
