"""Lexicographic solving: weight, then moves, then breaks, then fairness, each fixed in turn."""

import math
import os
import time

from .bounds import participant_floors
from .greedy import retime
from .schedule import meeting_score, metrics, moves, schedule_score

# Share of the remaining time each CP-SAT phase may use; unused time flows onwards.
# The MaxSAT share is only waited for: RC2 goes on in a child process beside the search.
PHASE_SHARE = {"schedule": 0.3, "moves": 0.3, "maxsat": 0.05, "breaks": 0.1, "fairness": 1.0}
# Share of the search time given to annealing; CP-SAT neighbourhoods get the rest.
ANNEAL_SHARE = 0.7
# Above this many (meeting, slot) variables the whole-model breaks phase is skipped:
# it spends its time in presolve and its bound stays at 0; the search does better.
WHOLE_MODEL_LIMIT = 15_000
# Building, hinting and presolving a model costs roughly this per variable; with less
# time left than that, the CP-SAT phases are skipped and only the search runs.
SECONDS_PER_VARIABLE = 1.5e-4


class Phases:
    """Runs the phases from a valid start schedule and reports progress."""

    def __init__(self, instance, started, deadline, on_progress=None, workers=None):
        self.instance, self.started, self.deadline = instance, started, deadline
        self.on_progress = on_progress
        self.workers = workers or min(max(os.cpu_count() or 2, 2), 8)
        self.proven, self.lower_bound = True, 0

    def report(self, phase, slot_of, bound=None):
        if self.on_progress:
            self.on_progress({
                "phase": phase, "scheduled": len(slot_of),
                "breaks": metrics(self.instance, slot_of)["breaks"],
                "bound": self.lower_bound if bound is None else bound,
                "seconds": round(time.perf_counter() - self.started, 3)})

    def run(self, best):
        """The final meeting id -> slot mapping; ``proven`` tells whether it is optimal."""
        from ortools.sat.python import cp_model

        from .cpsat import SlotModel

        self.cp_model, instance = cp_model, self.instance
        size = sum(len(instance.candidate_slots(m)) for m in instance.meetings)
        if self.deadline - time.perf_counter() < SECONDS_PER_VARIABLE * size:
            self.proven = False
            self.floors(best)
            return self.search(best)
        lean = SlotModel(cp_model, instance, with_breaks=False)
        start_set = set(best)
        best = self.weight_phase(lean, best)
        if lean.moved is not None:
            best = self.phase(lean, "moves", lean.moved, best, lambda s: len(moves(instance, s)))
        if set(best) != start_set:
            best = self.improved("breaks", best, retime(instance, best, deadline=self.deadline))
        floors = self.floors(best)
        maxsat_proven, rc2 = False, None
        if floors is not None and not instance.has_previous and size <= WHOLE_MODEL_LIMIT:
            best, maxsat_proven, rc2 = self.maxsat_phase(best, floors)
        if size > WHOLE_MODEL_LIMIT:
            proven, best = self.proven, self.search(best)
            self.proven = proven and metrics(instance, best)["breaks"] <= self.lower_bound
            return best
        try:
            whole = SlotModel(cp_model, instance, floors=floors)
            whole.model.add(whole.score >= schedule_score(instance, best))
            if whole.moved is not None:
                whole.model.add(whole.moved <= len(moves(instance, best)))
            if not maxsat_proven:
                proven = self.proven
                best = self.breaks_phase(whole, best)
        except BaseException:
            if rc2 is not None:  # a web worker must not keep RC2 running for minutes
                rc2.stop()
            raise
        if rc2 is not None:
            best = self.maxsat_result(rc2, best)
            self.proven = proven and metrics(instance, best)["breaks"] <= self.lower_bound
        if self.proven and self.deadline - time.perf_counter() > 0.05:
            whole.model.add(whole.total_breaks <= metrics(instance, best)["breaks"])
            whole.add_fairness()
            best = self.phase(whole, "fairness", whole.max_breaks, best,
                              lambda s: metrics(instance, s)["max_breaks"])
        return best

    def floors(self, best):
        """Per-participant break floors, valid once every meeting is scheduled: then
        every schedule of the same weight holds them all. Raises ``lower_bound``."""
        if len(best) < len(self.instance.meetings):
            return None
        floors = participant_floors(self.instance)
        self.lower_bound = max(self.lower_bound, sum(floors.values()))
        return floors

    def maxsat_phase(self, best, floors):
        """RC2 on the MaxSAT breaks model: raises the bound, and proves optima.

        Waits a short share for it (small cases are proved in it), then leaves it
        running beside the search. Returns (schedule, breaks proved optimal, the run
        still going or None).
        """
        from .maxsat import BreaksRun

        run = BreaksRun(self.instance, floors)
        remaining = self.deadline - time.perf_counter()
        if not run.wait(time.perf_counter() + remaining * PHASE_SHARE["maxsat"]):
            self.lower_bound = max(self.lower_bound, run.bound)
            self.report("breaks", best)  # the new bound
            return best, False, run
        best = self.maxsat_result(run, best)
        return best, metrics(self.instance, best)["breaks"] <= self.lower_bound, None

    def maxsat_result(self, run, best):
        """Stop ``run``; raise the bound and keep its schedule if better."""
        found, bound = run.stop()
        self.lower_bound = max(self.lower_bound, bound)
        breaks = lambda s: metrics(self.instance, s)["breaks"]  # noqa: E731
        if found is not None and breaks(found) < breaks(best):
            best = found
        self.report("breaks", best)  # the new bound, if not a better schedule
        return best

    def weight_phase(self, lean, best):
        instance = self.instance
        if schedule_score(instance, best) < _score_ceiling(instance):
            lean.model.add(lean.score >= schedule_score(instance, best))
            best = self.phase(lean, "schedule", lean.score, best,
                              lambda s: -schedule_score(instance, s))
        lean.model.add(lean.score >= schedule_score(instance, best))
        return best

    def breaks_phase(self, whole, best):
        """Whole model first (bound, and proof on small cases), then the search."""
        breaks = lambda s: metrics(self.instance, s)["breaks"]  # noqa: E731
        proven = self.proven
        best = self.phase(whole, "breaks", whole.total_breaks, best, breaks)
        if self.proven or breaks(best) <= self.lower_bound:
            self.proven = proven
            return best
        best = self.search(best)
        self.proven = proven and breaks(best) <= self.lower_bound
        return best

    def search(self, best):
        """Annealing first (fast moves), then CP-SAT neighbourhoods (breaks, max breaks)."""
        from .anneal import anneal
        from .lns import improve

        now = time.perf_counter()
        report = lambda slot_of: self.report("breaks", slot_of)  # noqa: E731
        annealed = anneal(self.instance, best, now + ANNEAL_SHARE * (self.deadline - now),
                          self.lower_bound, on_improve=report)
        if metrics(self.instance, annealed)["breaks"] < metrics(self.instance, best)["breaks"]:
            best = annealed
            self.report("breaks", best)
        return improve(self.instance, best, self.deadline, self.cp_model, report,
                       self.lower_bound)

    def phase(self, sm, name, objective, hint, cost):
        """Solve one phase (minimising ``cost``); keep ``hint`` unless strictly beaten."""
        cp_model = self.cp_model
        if name == "schedule":
            sm.model.maximize(objective)
        else:
            sm.model.minimize(objective)
        sm.hint(hint)
        solver = cp_model.CpSolver()
        remaining = self.deadline - time.perf_counter()
        solver.parameters.max_time_in_seconds = max(remaining * PHASE_SHARE[name], 0.01)
        solver.parameters.num_workers = self.workers
        status = solver.solve(sm.model, self._callback(sm, name))
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        self.proven = self.proven and status == cp_model.OPTIMAL
        if name == "breaks":
            if found:
                self.lower_bound = max(self.lower_bound, _ceil(solver.best_objective_bound))
        if not found:
            return hint
        result = sm.read(solver)
        return result if cost(result) < cost(hint) else hint

    def improved(self, phase, best, candidate):
        """Report ``candidate`` if it differs from ``best``; return it."""
        if candidate is not best:
            self.report(phase, candidate)
        return candidate

    def _callback(self, sm, name):
        if not self.on_progress:
            return None
        phases = self

        class Progress(self.cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self):
                bound = (max(_ceil(self.best_objective_bound), phases.lower_bound)
                         if name == "breaks" else None)
                phases.report(name, sm.read(self), bound)

        return Progress()


def _score_ceiling(instance):
    """No schedule beats every meeting, nor the best ``slots * tables`` of them."""
    scores = sorted((meeting_score(instance, i) for i in range(len(instance.meetings))),
                    reverse=True)
    return sum(scores[:instance.slots * instance.tables])


def _ceil(value):
    return math.ceil(value - 1e-6)
