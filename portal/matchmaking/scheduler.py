"""B2B meeting scheduler: public API, lexicographic CP-SAT phases and a JSON CLI.

Usage: ``python -m portal.matchmaking.scheduler INSTANCE.json [--time-limit S]``.
OR-Tools is imported inside :func:`solve` only, so importing this module stays cheap.
"""

import argparse
import json
import sys
import time

from .greedy import greedy, insertion_slots, retime
from .instance import Instance, InstanceError, parse_instance
from .phases import Phases
from .schedule import build_output, fixed_conflicts, infeasible_output
from .validate import validate_schedule

__all__ = ["Instance", "InstanceError", "parse_instance", "solve", "greedy",
           "validate_schedule", "main"]


def solve(instance, time_limit=30.0, on_progress=None, workers=None):
    """Best schedule found within ``time_limit`` seconds (the JSON-ready output dict).

    ``on_progress`` receives ``{"phase", "scheduled", "breaks", "bound", "seconds"}``
    for the greedy start and for every improving solution of each phase.
    """
    started = time.perf_counter()
    conflicts = fixed_conflicts(instance)
    if conflicts:
        return infeasible_output(instance, conflicts, time.perf_counter() - started)
    phases = Phases(instance, started, started + time_limit, on_progress, workers)
    best = insertion_slots(instance)
    phases.report("greedy", best)
    best = phases.improved("greedy", best, retime(instance, best, deadline=phases.deadline))
    if instance.meetings:
        best = phases.run(best)
    status = "optimal" if phases.proven else "feasible"
    return build_output(instance, best, status, phases.lower_bound,
                        time.perf_counter() - started)


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
