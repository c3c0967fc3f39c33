"""B2B meeting scheduler: public API, lexicographic CP-SAT phases and a JSON CLI.

Usage: ``python -m portal.matchmaking.scheduler INSTANCE.json [--time-limit S]``.
OR-Tools is imported inside :func:`solve` only, so importing this module stays cheap.
"""

import argparse
import json
import math
import os
import sys
import time

from .greedy import greedy, greedy_slots, priority_order, sweep
from .instance import Instance, InstanceError, parse_instance
from .schedule import (build_output, fixed_conflicts, infeasible_output, metrics, moves,
                       schedule_score)
from .validate import validate_schedule

__all__ = ["Instance", "InstanceError", "parse_instance", "solve", "greedy",
           "validate_schedule", "main"]

# Share of the remaining time each phase may use; unused time flows to the next.
PHASE_SHARE = {"schedule": 0.4, "moves": 0.3, "breaks": 0.25, "fairness": 1.0}


def solve(instance, time_limit=30.0, on_progress=None, workers=None):
    """Best schedule found within ``time_limit`` seconds (the JSON-ready output dict).

    ``on_progress`` receives ``{"phase", "scheduled", "breaks", "bound", "seconds"}``
    for the greedy start and for every improving solution of each phase.
    """
    started = time.perf_counter()
    conflicts = fixed_conflicts(instance)
    if conflicts:
        return infeasible_output(instance, conflicts, time.perf_counter() - started)
    best = greedy_slots(instance)
    run = _Phases(instance, started, started + time_limit, on_progress, workers)
    run.report("greedy", len(best), metrics(instance, best)["breaks"])
    if instance.meetings:
        best = run.all_phases(best)
    status = "optimal" if run.proven else "feasible"
    return build_output(instance, best, status, run.lower_bound, time.perf_counter() - started)


class _Phases:
    """Runs the lexicographic phases on one CP-SAT model, fixing each optimum in turn."""

    def __init__(self, instance, started, deadline, on_progress, workers):
        self.instance, self.started, self.deadline = instance, started, deadline
        self.on_progress = on_progress
        self.workers = workers or min(max(os.cpu_count() or 2, 2), 8)
        self.proven, self.lower_bound = True, 0

    def report(self, phase, scheduled, breaks, bound=None):
        if self.on_progress:
            self.on_progress({"phase": phase, "scheduled": scheduled, "breaks": breaks,
                              "bound": self.lower_bound if bound is None else bound,
                              "seconds": round(time.perf_counter() - self.started, 3)})

    def all_phases(self, best):
        from ortools.sat.python import cp_model

        from .cpsat import SlotModel

        self.cp_model = cp_model
        self.sm = sm = SlotModel(cp_model, self.instance)
        instance = self.instance
        everything = {m.id: 0 for m in instance.meetings}  # all scheduled: score ceiling
        if schedule_score(instance, best) < schedule_score(instance, everything):
            sm.model.add(sm.score >= schedule_score(instance, best))
            best = self.phase("schedule", sm.score, best, lambda s: -schedule_score(instance, s))
        sm.model.add(sm.score >= schedule_score(instance, best))
        if sm.moved is not None:
            best = self.phase("moves", sm.moved, best, lambda s: len(moves(instance, s)))
            sm.model.add(sm.moved <= len(moves(instance, best)))
        best = self.breaks_phase(best)
        if self.proven and self.deadline - time.perf_counter() > 0.05:
            sm.model.add(sm.total_breaks <= metrics(instance, best)["breaks"])
            sm.add_fairness()
            best = self.phase("fairness", sm.max_breaks, best,
                              lambda s: metrics(instance, s)["max_breaks"])
        return best

    def breaks_phase(self, best):
        """Whole model first (bound, and proof on small cases), then neighbourhood search."""
        from .lns import improve

        instance, sm = self.instance, self.sm
        breaks = lambda s: metrics(instance, s)["breaks"]  # noqa: E731
        if sm.moved is None:  # re-timing is only safe when nothing has a previous slot
            chosen = [m for m in priority_order(instance) if m.id in best]
            swept = sweep(instance, chosen)
            if swept is not None and breaks(swept) < breaks(best):
                best = swept
                self.report("breaks", len(best), breaks(best))
        proven = self.proven
        best = self.phase("breaks", sm.total_breaks, best, breaks)
        if self.proven or breaks(best) <= self.lower_bound:
            self.proven = proven
            return best

        def report(slot_of):
            self.report("breaks", len(slot_of), breaks(slot_of))

        best = improve(instance, best, self.deadline, self.cp_model, report)
        self.proven = proven and breaks(best) <= self.lower_bound
        return best

    def phase(self, name, objective, hint, cost):
        """Solve one phase (minimising ``cost``); keep ``hint`` unless strictly beaten."""
        cp_model, sm = self.cp_model, self.sm
        if name == "schedule":
            sm.model.maximize(objective)
        else:
            sm.model.minimize(objective)
        sm.hint(hint)
        solver = cp_model.CpSolver()
        remaining = self.deadline - time.perf_counter()
        solver.parameters.max_time_in_seconds = max(remaining * PHASE_SHARE[name], 0.01)
        solver.parameters.num_workers = self.workers
        status = solver.solve(sm.model, self._callback(name))
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        self.proven = self.proven and status == cp_model.OPTIMAL
        if name == "breaks":
            bound = math.ceil(solver.best_objective_bound - 1e-6) if found else 0
            self.lower_bound = max(bound, 0)
        if not found:
            return hint
        result = sm.read(solver)
        return result if cost(result) < cost(hint) else hint

    def _callback(self, name):
        phases, sm = self, self.sm

        class Progress(self.cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self):
                bound = None
                if name == "breaks":
                    bound = max(math.ceil(self.best_objective_bound - 1e-6), 0)
                phases.report(name, self.value(sm.scheduled), self.value(sm.total_breaks),
                              bound)

        return Progress() if self.on_progress else None


def main(argv=None):
    """CLI entry point; returns the exit status (2 for invalid input, 1 if infeasible)."""
    parser = argparse.ArgumentParser(prog="python -m portal.matchmaking.scheduler",
                                     description="Schedule B2B meetings into slots and tables.")
    parser.add_argument("instance", help="instance JSON file ('-' for stdin)")
    parser.add_argument("--time-limit", type=float, default=30.0, metavar="S",
                        help="solver time limit in seconds (default 30)")
    parser.add_argument("--greedy", action="store_true", help="greedy schedule only")
    args = parser.parse_args(argv)
    try:
        instance = parse_instance(_load(args.instance))
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.time_limit <= 0:
        print("error: --time-limit must be positive", file=sys.stderr)
        return 2
    output = greedy(instance) if args.greedy else solve(instance, args.time_limit)
    json.dump(output, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 1 if output["status"] == "infeasible" else 0


def _load(path):
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as handle:
        try:
            return json.load(handle)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}: invalid JSON: {error}") from None


if __name__ == "__main__":
    sys.exit(main())
