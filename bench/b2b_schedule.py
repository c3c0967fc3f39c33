"""Benchmark of the B2B scheduler on seeded, forum-like instances (prints a table).

Run from the repository root: ``python -m bench.b2b_schedule [--quick] [--time-limit S]``.
"""

import argparse
import os
import random
import sys
import time

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from portal.matchmaking.scheduler import greedy, parse_instance, solve, validate_schedule

# name, participants, meetings, slots, tables
CASES = [
    ("forum-40", 40, 125, 8, 22),
    ("forum-60", 60, 200, 16, 18),
    ("forum-70", 70, 150, 21, 10),
    ("forum-75", 75, 250, 21, 17),
    ("forum-80", 80, 300, 22, 20),
    ("large-500", 500, 3000, 16, 120),
]


def make_instance(n_participants, n_meetings, slots, tables, seed):
    """Morning/afternoon sessions, some half-day participants, skewed popularity."""
    rng = random.Random(seed)
    morning, afternoon = list(range(slots // 2)), list(range(slots // 2, slots))
    participants = []
    for i in range(n_participants):
        roll = rng.random()
        unavailable = afternoon if roll < 0.12 else morning if roll < 0.24 else []
        participants.append({"id": f"p{i:03d}", "unavailable": unavailable})
    available = {p["id"]: set(range(slots)) - set(p["unavailable"]) for p in participants}
    # One spare slot per participant keeps requests realistic (nobody is booked solid).
    room = {pid: len(slots_) - 1 for pid, slots_ in available.items()}
    popularity = [1.0 / (rank + 1) ** 0.7 for rank in range(n_participants)]
    rng.shuffle(popularity)
    ids = [p["id"] for p in participants]
    meetings, pairs, attempts = [], set(), 0
    while len(meetings) < n_meetings and attempts < 200 * n_meetings:
        attempts += 1
        a = rng.choice(ids)
        b = rng.choices(ids, weights=popularity)[0]
        pair = frozenset((a, b))
        if a == b or pair in pairs or not room[a] or not room[b]:
            continue
        if not available[a] & available[b]:
            continue
        pairs.add(pair)
        room[a] -= 1
        room[b] -= 1
        priority = rng.choices((0, 1, 2), weights=(65, 25, 10))[0]
        meetings.append({"id": f"m{len(meetings):04d}", "participants": [a, b],
                         "priority": priority})
    return {"slots": slots, "tables": tables, "participants": participants,
            "meetings": meetings}


def run_case(name, spec, time_limit, seed):
    data = make_instance(*spec, seed=seed)
    instance = parse_instance(data)
    quick = greedy(instance)
    first = {}

    def progress(event):
        first.setdefault("seconds", event["seconds"])

    started = time.perf_counter()
    result = solve(instance, time_limit=time_limit, on_progress=progress)
    final = time.perf_counter() - started
    for label, output in (("greedy", quick), ("solver", result)):
        problems = validate_schedule(instance, output)
        if problems:
            raise SystemExit(f"{name}: invalid {label} schedule: {problems[:3]}")
    scheduled = lambda out: len(out["assignments"])  # noqa: E731
    ceiling = min(len(instance.meetings), instance.slots * instance.tables)
    return [name, len(instance.meetings), ceiling, scheduled(quick), scheduled(result),
            quick["breaks"], result["breaks"], result["lower_bound"], result["idle_slots"],
            result["max_breaks"], f"{first.get('seconds', final):.2f}", f"{final:.1f}",
            result["status"]]


HEADER = ["case", "meetings", "sched ceiling", "sched greedy", "sched solver", "breaks greedy",
          "breaks solver", "lower bound", "idle slots", "max breaks", "first valid s",
          "final s", "status"]


def print_table(rows):
    widths = [max(len(str(r[i])) for r in [HEADER] + rows) for i in range(len(HEADER))]
    for row in [HEADER, ["-" * w for w in widths]] + rows:
        print("  ".join(str(c).rjust(w) for c, w in zip(row, widths)), flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short time limits (smoke run)")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="solver time limit per instance (default 55, quick 3)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--only", help="run only cases whose name contains this")
    args = parser.parse_args(argv)
    limit = args.time_limit or (3.0 if args.quick else 55.0)
    print(f"B2B scheduler benchmark, {os.cpu_count()} cores, time limit {limit:g} s, "
          f"seed {args.seed}", flush=True)
    rows = []
    for name, *spec in CASES:
        if args.only and args.only not in name:
            continue
        rows.append(run_case(name, spec, limit, args.seed))
    print_table(rows)


if __name__ == "__main__":
    main()
