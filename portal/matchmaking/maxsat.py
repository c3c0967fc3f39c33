"""MaxSAT model of the breaks, solved by PySAT's RC2: a proved lower bound, and optima.

Used only when every meeting is scheduled (then every schedule of the best weight
holds them all, so the breaks are the only thing left to optimise). Hard clauses:
``x[m, s]`` puts meeting m in slot s, exactly one slot per meeting, at most one
meeting per participant and slot, at most ``tables`` per slot (sequential counter).
Per participant, ``busy[p, s]`` is the or of p's meetings at s and ``seen[p, s]``
(monotone) means p met at s or before; ``gap[p, s] or not busy[p, s] or busy[p, s-1]
or not seen[p, s-2]`` marks a break ending at s, so the soft clauses ``not gap[p, s]``
(weight 1) count the breaks exactly. Implied constraints (Bofill et al. 2022): a
participant with ``n`` meetings who meets at i and at j >= i + n has an idle slot in
between, hence a break ending in i+2..j; each participant's floor (``bounds.py``) is
a hard at-least on their gaps. RC2's core-guided search raises the cost one unit per
core: that cost is a lower bound at every moment, and the optimum once it finds a model.
"""

import time

# Up to this many candidate slots, "at most one" is written pairwise; above, as a
# sequential counter (linear size).
PAIRWISE_LIMIT = 8


def build(instance, floors=None):
    """(WCNF, x) where x is meeting index -> {slot: variable}."""
    from pysat.card import CardEnc, EncType
    from pysat.formula import WCNF, IDPool

    pool, wcnf, floors = IDPool(), WCNF(), floors or {}
    x, lits, degree = [], {}, {}
    for i, m in enumerate(instance.meetings):
        slots = [m.fixed_slot] if m.fixed_slot is not None else instance.candidate_slots(m)
        xs = {s: pool.id(("x", i, s)) for s in slots}
        x.append(xs)
        wcnf.append(list(xs.values()))
        _at_most_one(wcnf, list(xs.values()), pool)
        for pid in m.participants:
            degree[pid] = degree.get(pid, 0) + 1
            for s, v in xs.items():
                lits.setdefault((pid, s), []).append(v)
    for s in range(instance.slots):
        here = [xs[s] for xs in x if s in xs]
        if len(here) > instance.tables:
            wcnf.extend(CardEnc.atmost(here, instance.tables, vpool=pool,
                                       encoding=EncType.seqcounter).clauses)
    for p in instance.participants:
        busy = {}
        for s in range(instance.slots):
            vs = lits.get((p.id, s), [])
            _at_most_one(wcnf, vs, pool)
            if len(vs) == 1:
                busy[s] = vs[0]
            elif vs:
                busy[s] = pool.id(("busy", p.id, s))
                wcnf.append([-busy[s]] + vs)
                wcnf.extend([-v, busy[s]] for v in vs)
        gaps = _gaps(wcnf, pool, p.id, busy, degree.get(p.id, 0), instance.slots)
        floor = min(floors.get(p.id, 0), len(gaps))
        if floor:
            wcnf.extend(CardEnc.atleast(list(gaps.values()), floor, vpool=pool,
                                        encoding=EncType.seqcounter).clauses)
        for gap in gaps.values():
            wcnf.append([-gap], weight=1)
    return wcnf, x


def _at_most_one(wcnf, lits, pool):
    from pysat.card import CardEnc, EncType

    if len(lits) > 1:
        encoding = EncType.pairwise if len(lits) <= PAIRWISE_LIMIT else EncType.seqcounter
        wcnf.extend(CardEnc.atmost(lits, 1, vpool=pool, encoding=encoding).clauses)


def _gaps(wcnf, pool, pid, busy, n, slots):
    """Slot -> variable "a break of ``pid`` ends here", with the implied clauses."""
    if n < 2:
        return {}
    seen, previous = {}, None
    for s in range(slots):
        if s in busy or previous is not None:
            seen[s] = pool.id(("seen", pid, s))
            if s in busy:
                wcnf.append([-busy[s], seen[s]])
            if previous is not None:
                wcnf.append([-previous, seen[s]])
            previous = seen[s]
    gaps = {}
    for s, here in busy.items():
        if s - 2 in seen:
            gaps[s] = pool.id(("gap", pid, s))
            clause = [gaps[s], -here, -seen[s - 2]]
            if s - 1 in busy:
                clause.append(busy[s - 1])
            wcnf.append(clause)
    for i in busy:
        for j in busy:
            if j - i >= n:
                wcnf.append([-busy[i], -busy[j]]
                            + [gap for s, gap in gaps.items() if i + 2 <= s <= j])
    return gaps


def solve_breaks(instance, floors, seconds):
    """(meeting id -> slot or None, lower bound on breaks) after at most ``seconds``.

    The schedule is returned only when RC2 proved it optimal; the bound is then its
    breaks. An interrupted search returns the cost of the cores processed so far.
    """
    run = BreaksRun(instance, floors)
    run.wait(time.perf_counter() + max(seconds, 0.0))
    return run.stop()


class BreaksRun:
    """RC2 in a child process, so that it runs beside the search and stops on time.

    In process, an interrupt only reaches the SAT solver between some of its steps: one
    Glucose call overran an 11 s share to 36 s on forum-70. The child sends its cost
    after each core, and the schedule when it proves one optimal.
    """

    def __init__(self, instance, floors):
        import multiprocessing

        # Imported here, so that a forked child needs no import of its own.
        from pysat.examples.rc2 import RC2  # noqa: F401

        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.receiver, sender = context.Pipe(duplex=False)
        self.child = context.Process(target=_run_rc2, args=(instance, floors, sender),
                                     daemon=True)
        self.child.start()
        sender.close()
        self.bound, self.found, self.done = 0, None, False

    def wait(self, deadline):
        """Read the child's reports until it is done or ``deadline`` passes; True if done."""
        while not self.done:
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or not self.receiver.poll(remaining):
                break
            try:
                kind, cost, found = self.receiver.recv()
            except EOFError:  # the child died: keep the last cost it reported
                self.done = True
                break
            self.bound = max(self.bound, cost)
            if kind == "done":
                self.found, self.done = found, True
        return self.done

    def stop(self):
        """(schedule proved optimal or None, lower bound); ends the child."""
        self.wait(time.perf_counter())
        if self.child.is_alive():
            self.child.terminate()
        self.child.join()
        self.receiver.close()
        return self.found, self.bound


def _run_rc2(instance, floors, sender):
    """Child process: RC2, sending ("cost", cost, None) after each core and
    ("done", cost, schedule or None) at the end."""
    import os

    from pysat.examples.rc2 import RC2

    if hasattr(os, "nice"):  # on a busy machine the search comes first
        os.nice(10)

    class Reporting(RC2):
        def process_core(self):
            super().process_core()
            sender.send(("cost", self.cost, None))

    wcnf, x = build(instance, floors)
    rc2 = Reporting(wcnf, solver="g3")
    model = rc2.compute()
    slot_of = None
    if model is not None:
        true = {lit for lit in model if lit > 0}
        slot_of = {m.id: next(s for s, v in xs.items() if v in true)
                   for m, xs in zip(instance.meetings, x)}
    sender.send(("done", rc2.cost, slot_of))
    rc2.delete()
