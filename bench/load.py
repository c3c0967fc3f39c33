"""Load benchmark: concurrent visitors against gunicorn (2 workers) on a big instance, with locust.

Builds an instance as `init` does (migrations), fills it with bench/directory_search.py's
listings (Zipf-distributed words), organisations and people, starts gunicorn as `make run`
does on a free loopback port, logs a member in through the login form (person pages need
one), warms every worker up, then runs locust headless (bench/load_users.py: browsing,
live search as htmx sends it, organisation and person pages, and /healthz as the trivial
page of the same app) for a fixed time. Prints requests/s, p50/p95/p99 and errors per
kind, the load average before and after, and the issue's targets met or not.

Run from the repository root:
    python -m bench.load                                          # 100,000 listings, 50 users, 60 s (~5 min)
    python -m bench.load --users 5 --seconds 5 --listings 2000    # smoke run, under a minute
    python -m bench.load --database-url postgresql+psycopg://user:pw@host/postgres
Targets (issue 7): zero errors; p95 of the live search within 3x of /healthz's p95 and under 100 ms.
"""
import argparse
import csv
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from bench.directory_search import REAL_WORDS, Corpus, Database, fill  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
MEMBER = ("member@bench.example", "bench-member-password-1")
SEARCH = "search (htmx)"  # the locust name of the live search, bench/load_users.py
TRIVIAL = "healthz"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, help="default: one per 50 listings, 20 to 2,000")
    parser.add_argument("--users", type=int, default=50, help="concurrent visitors")
    parser.add_argument("--spawn-rate", type=float, default=10, help="visitors started per second")
    parser.add_argument("--seconds", type=int, default=60, help="length of the run (ramp-up included)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite in the instance)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the instance, logs and CSV files")
    args = parser.parse_args()
    if args.organisations is None:
        args.organisations = max(20, min(2_000, args.listings // 50))
    return args


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the instance --------------------------------------------------------------------------

def build(args, instance, database_url, base_url):
    """Instance folder, schema by migrations, data; returns the plan the visitors follow."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db
    from portal.instance import write_instance

    write_instance(instance, "bench", "Bench Cluster", base_url, "mixed", database_url)
    os.environ["PORTAL_INSTANCE"] = instance
    app = create_app({"LOG_REQUESTS": False})
    with app.app_context():
        upgrade()
        corpus = Corpus(args.seed)
        started = time.perf_counter()
        fill(db, corpus, args.organisations, args.listings)
        people = add_people(db, corpus)
        add_member(db)
        plan = {"listings": sample_uids(db, "listing", 5_000, open_only=True),
                "organisations": sample_uids(db, "organisation", 2_000),
                "people": people, "queries": search_queries(corpus)}
        print(f"built {args.listings:,} listings, {args.organisations:,} organisations and {len(people):,} "
              f"people in {time.perf_counter() - started:.1f} s")
        db.session.remove()
        db.engine.dispose()
    return plan


def add_people(db, corpus, per_organisation=2):
    """Public profiles, `per_organisation` per organisation (bulk insert); returns some of their uids."""
    from portal.directory.models import Organisation, Person
    from portal.federation.records import utcnow

    rng, now = corpus.rng, utcnow()
    organisations = db.session.scalars(sa.select(Organisation.uid)).all()
    rows = [{"uid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "origin": "bench", "version": 1,
             "updated_at": now, "organisation_uid": org,
             "display_name": f"{rng.choice(corpus.words[2000:]).capitalize()} {rng.choice(corpus.words[2000:]).capitalize()}",
             "job_title": " ".join(corpus.text(3)).capitalize(), "bio": " ".join(corpus.text(40)).capitalize() + ".",
             "topics": sorted(set(corpus.text(4))), "share_profile": True}
            for org in organisations for _ in range(per_organisation)]
    with db.engine.begin() as conn:
        conn.execute(sa.insert(Person.__table__), rows)
    return [row["uid"] for row in rng.sample(rows, min(2_000, len(rows)))]


def add_member(db):
    """An approved member, whose session the visitors use for person pages."""
    from portal.accounts import services
    from portal.directory.models import Organisation

    organisation = db.session.scalars(sa.select(Organisation.uid).limit(1)).one()
    user = services.sign_up(MEMBER[0], MEMBER[1], "Bench Member", organisation_uid=organisation)
    user.status = "active"  # approved (no administrator in this instance)
    db.session.commit()


def sample_uids(db, table, count, open_only=False):
    where = " WHERE status = 'open' AND valid_until IS NULL" if open_only else ""
    uids = db.session.scalars(sa.text(f"SELECT uid FROM {table}{where}")).all()
    return random.Random(len(uids)).sample(uids, min(count, len(uids)))


def search_queries(corpus):
    """What visitors type: words from rare to very common (by sampled frequency), and word pairs."""
    rng = random.Random(corpus.rng.random())
    df = {word: count * 10 for word, count in corpus.sampled_df.items()}
    bands = {"rare": (5, 300), "middling": (300, 3_000), "common": (3_000, 15_000), "very common": (15_000, 10**9)}
    familiar = set(REAL_WORDS)
    queries = []
    for low, high in bands.values():
        words = [w for w, n in df.items() if low <= n < high and len(w) > 2]
        # Visitors type real words more often than the corpus's invented ones.
        words.sort(key=lambda w: (w not in familiar, rng.random()))
        queries += words[:40]
    pairs = [f"{rng.choice(queries)} {rng.choice(queries)}" for _ in range(len(queries) // 4)]
    return queries + pairs


# --- the server and the run ----------------------------------------------------------------

def start_gunicorn(instance, port, workers, log):
    """As `make run` does: gunicorn, `workers` sync workers, 60 s timeout, on loopback."""
    command = [os.path.join(BIN, "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--timeout", "60", "--control-socket", os.path.join(instance, "gunicorn.ctl"), "wsgi:app"]
    env = dict(os.environ, PORTAL_INSTANCE=instance, PYTHONPATH=ROOT)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}); see {log.name}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz within 120 s")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def log_in(base_url):
    """The member's session cookie as a Cookie header ("name=value"), from the real login form (one log-in: the form is rate limited)."""
    session = requests.Session()
    page = session.get(f"{base_url}/login", timeout=10)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    response = session.post(f"{base_url}/login", timeout=10, allow_redirects=False,
                            data={"email": MEMBER[0], "password": MEMBER[1], "csrf_token": token.group(1)})
    # The session cookie is passerelle-<cluster id> (security.configure_cookies): one per portal.
    cookie = next((c for c in session.cookies if c.name.startswith("passerelle-")), None)
    if response.status_code not in (302, 303) or cookie is None:
        raise SystemExit(f"the bench member could not log in ({response.status_code})")
    return f"{cookie.name}={cookie.value}"


def warm_up(base_url, plan, cookie):
    """Each worker loads its templates and caches before the clock starts (a few of every kind)."""
    with requests.Session() as session:
        for i in range(10):
            session.get(f"{base_url}/directory", timeout=30)
            session.get(f"{base_url}/directory", params={"q": plan["queries"][i]},
                        headers={"HX-Request": "true"}, timeout=30)
            session.get(f"{base_url}/listings/{plan['listings'][i]}", timeout=30)
            session.get(f"{base_url}/organisations/{plan['organisations'][i % len(plan['organisations'])]}", timeout=30)
            session.get(f"{base_url}/people/{plan['people'][i]}", headers={"Cookie": cookie}, timeout=30)
            session.get(f"{base_url}/healthz", timeout=30)


def run_locust(args, base_url, plan_file, prefix, log):
    command = [os.path.join(BIN, "locust"), "-f", os.path.join(ROOT, "bench", "load_users.py"), "--headless",
               "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.seconds}s",
               "--host", base_url, "--csv", prefix, "--only-summary", "--stop-timeout", "10"]
    env = dict(os.environ, BENCH_LOAD_PLAN=plan_file, PYTHONPATH=ROOT)
    # Exit code 1 means "some requests failed": the report says which.
    subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=log, timeout=args.seconds + 120)


# --- the report ----------------------------------------------------------------------------

def read_stats(prefix):
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    with open(f"{prefix}_failures.csv", newline="") as failures:
        errors = list(csv.DictReader(failures))
    return rows, errors


def server_times(log_text):
    """Server-side durations from the portal's request log (path only: /directory is search and browsing)."""
    groups = {}
    for match in re.finditer(r"^method=GET path=(/[a-z]*)\S* status=\d+ duration_ms=([\d.]+)$", log_text, re.M):
        groups.setdefault(match.group(1), []).append(float(match.group(2)))
    return {path: sorted(times) for path, times in groups.items()}


def percentile(ordered, fraction):
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(args, dialect, rows, errors, load_before, load_after, locust_log, server_log):
    fmt = lambda load: ", ".join(f"{value:.2f}" for value in load)  # noqa: E731
    print(f"\nLoad, {dialect}, {args.listings:,} listings, gunicorn {args.workers} workers, {args.users} users "
          f"for {args.seconds} s (ramp {args.spawn_rate:g}/s); {os.cpu_count()} CPUs")
    print(f"load average before {fmt(load_before)}; after {fmt(load_after)}")
    header = f"{'kind':<26}{'requests':>9}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>8}{'errors':>8}"
    print(header)
    print("-" * len(header))
    by_name = {}
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        by_name[name] = row
        print(f"{name:<26}{int(row['Request Count']):>9}{float(row['Requests/s']):>8.1f}{row['50%']:>7}"
              f"{row['95%']:>7}{row['99%']:>7}{float(row['Max Response Time']):>8.0f}{row['Failure Count']:>8}")
    print("times in ms at the client (locust rounds times over 100 ms to 2 significant digits)")
    print("server side (the portal's request log, time inside the app): " + "; ".join(
        f"{path} p50 {percentile(times, 0.5):.0f} p95 {percentile(times, 0.95):.0f}"
        for path, times in sorted(server_times(server_log).items())))
    for error in errors:
        print(f"error: {error['Method']} {error['Name']}: {error['Error']} x{error['Occurrences']}")
    if "CPU usage" in locust_log:
        print("note: locust warned that its own CPU was saturated: client-side times are inflated")
    total_errors = int(by_name["all"]["Failure Count"]) if "all" in by_name else 0
    print(f"target zero errors: {'met' if total_errors == 0 else 'NOT met'} ({total_errors})")
    if SEARCH in by_name and TRIVIAL in by_name:
        search, trivial = float(by_name[SEARCH]["95%"]), float(by_name[TRIVIAL]["95%"])
        ratio = search / trivial if trivial else float("inf")
        met = ratio <= 3 and search < 100
        print(f"target search p95 within 3x of {TRIVIAL} p95 and under 100 ms: {'met' if met else 'NOT met'} "
              f"({search:.0f} ms vs {trivial:.0f} ms, {ratio:.1f}x)")
    else:
        print(f"target search p95 against {TRIVIAL}: not measured (a run too short to request both)")


def main():
    args = parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-load-")
    database = Database(args.database_url, workdir)
    instance, port = os.path.join(workdir, "instance"), free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = None
    try:
        plan = build(args, instance, database.url, base_url)
        server_log = open(os.path.join(workdir, "gunicorn.log"), "w")
        server = start_gunicorn(instance, port, args.workers, server_log)
        plan["member_cookie"] = log_in(base_url)
        warm_up(base_url, plan, plan["member_cookie"])
        plan_file, prefix = os.path.join(workdir, "plan.json"), os.path.join(workdir, "locust")
        with open(plan_file, "w") as out:
            json.dump(plan, out)
        server_log.flush()
        log_start = os.path.getsize(server_log.name)
        load_before = os.getloadavg()
        with open(os.path.join(workdir, "locust.log"), "w") as log:
            run_locust(args, base_url, plan_file, prefix, log)
        load_after = os.getloadavg()
        with open(os.path.join(workdir, "locust.log")) as log:
            locust_log = log.read()
        with open(server_log.name) as log:
            log.seek(log_start)
            run_log = log.read()
        if not os.path.exists(f"{prefix}_stats.csv"):
            raise SystemExit("locust wrote no statistics; its log ends with:\n" + locust_log[-3000:])
        rows, errors = read_stats(prefix)
        report(args, sa.engine.make_url(database.url).get_backend_name(), rows, errors,
               load_before, load_after, locust_log, run_log)
    finally:
        if server is not None:
            stop(server)
        if args.keep:
            print(f"kept: {workdir} (instance, gunicorn.log, locust.log, locust_*.csv)")
        else:
            database.drop()
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
