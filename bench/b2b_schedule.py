"""Benchmark of the B2B scheduler on seeded, forum-like instances (prints a table).

Run from the repository root: ``python -m bench.b2b_schedule [--quick] [--time-limit S]``;
``--tables N`` gives every case N tables (with 100 the table limit never binds).
"""

import argparse
import os
import random
import sys
import time

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from portal.matchmaking.scheduler import greedy, parse_instance, solve, validate_schedule

# name, participants, meetings, slots, tables, most meetings of one participant
# (10 at real forums; the large case is a stress test that cannot all fit anyway)
CASES = [
    ("forum-40", 40, 125, 8, 22, 10),
    ("forum-60", 60, 200, 16, 18, 10),
    ("forum-70", 70, 150, 21, 10, 10),
    ("forum-75", 75, 250, 21, 17, 10),
    ("forum-80", 80, 300, 22, 20, 10),
    ("large-500", 500, 3000, 16, 120, 15),
]


def make_instance(n_participants, n_meetings, slots, tables, most, seed):
    """A forum-like instance: sessions, a few unavailable slots, 2 to ``most`` meetings each.

    A block of 12 slots or more has a morning and an afternoon session: 60 % of the
    participants stay all day, 20 % only for the morning, 20 % only for the afternoon.
    A quarter of them cannot meet in one or two slots of their session. Nobody has
    more than ``most`` meetings nor meets in every slot open to them; everyone first
    gets two meetings, then partners are drawn with a popularity skew (weights 1/rank^0.5).
    """
    rng = random.Random(seed)
    everything = set(range(slots))
    sessions = [everything]
    if slots >= 12:
        sessions += [set(range(slots // 2)), set(range(slots // 2, slots))]
    participants, available = [], {}
    for i in range(n_participants):
        pid = f"p{i:03d}"
        roll = rng.random()
        attend = set(sessions[0] if len(sessions) == 1 or roll < 0.6
                     else sessions[1] if roll < 0.8 else sessions[2])
        if rng.random() < 0.25:
            attend -= set(rng.sample(sorted(attend), rng.randint(1, 2)))
        participants.append({"id": pid, "unavailable": sorted(everything - attend)})
        available[pid] = attend
    room = {pid: min(most, len(a) - 1) for pid, a in available.items()}
    ids = list(available)
    rng.shuffle(ids)
    weights = [1.0 / (rank + 1) ** 0.5 for rank in range(len(ids))]
    meetings, pairs = [], set()

    def add(a, b):
        pair = frozenset((a, b))
        if a == b or pair in pairs or not room[a] or not room[b]:
            return False
        if len(available[a] & available[b]) < 2:
            return False
        pairs.add(pair)
        room[a] -= 1
        room[b] -= 1
        priority = rng.choices((0, 1, 2), weights=(65, 25, 10))[0]
        meetings.append({"id": f"m{len(meetings):04d}", "participants": sorted([a, b]),
                         "priority": priority})
        return True

    count = dict.fromkeys(ids, 0)
    for want in (1, 2):  # everyone gets two meetings first
        for a in ids:
            for _ in range(200):
                if count[a] >= want or len(meetings) >= n_meetings:
                    break
                b = rng.choices(ids, weights=weights)[0]
                if add(a, b):
                    count[a] += 1
                    count[b] += 1
    for _ in range(200 * n_meetings):
        if len(meetings) >= n_meetings:
            break
        add(rng.choices(ids, weights=weights)[0], rng.choices(ids, weights=weights)[0])
    return {"slots": slots, "tables": tables, "participants": participants,
            "meetings": meetings}


def run_case(name, spec, time_limit, seed, tables=None):
    data = make_instance(*spec, seed=seed)
    if tables:
        data["tables"] = tables
    instance = parse_instance(data)
    quick = greedy(instance)
    first, last = {}, {}

    def progress(event):
        first.setdefault("seconds", event["seconds"])
        if event["breaks"] < last.get("breaks", float("inf")):
            last.update(breaks=event["breaks"], seconds=event["seconds"])

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
            quick["breaks"], result["breaks"], result["lower_bound"],
            result["breaks"] - result["lower_bound"], result["idle_slots"],
            result["max_breaks"], f"{first.get('seconds', final):.2f}",
            f"{last.get('seconds', final):.1f}", f"{final:.1f}", result["status"],
            f"{os.getloadavg()[0]:.1f}"]


HEADER = ["case", "meetings", "sched ceiling", "sched greedy", "sched solver", "breaks greedy",
          "breaks solver", "lower bound", "gap", "idle slots", "max breaks", "first valid s",
          "last better s", "final s", "status", "load"]


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
    parser.add_argument("--tables", type=int, help="tables in every case (default: each case's own)")
    args = parser.parse_args(argv)
    limit = args.time_limit or (3.0 if args.quick else 55.0)
    print(f"B2B scheduler benchmark, {os.cpu_count()} cores, time limit {limit:g} s, "
          f"seed {args.seed}, load {os.getloadavg()[0]:.1f} (the last column: load at the "
          "end of each case; other processes take the solver's cores)", flush=True)
    rows = []
    for name, *spec in CASES:
        if args.only and args.only not in name:
            continue
        rows.append(run_case(name, spec, limit, args.seed, args.tables))
    print_table(rows)


if __name__ == "__main__":
    main()
