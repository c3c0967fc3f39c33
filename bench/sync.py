"""Benchmark of federation sync between two real portals over loopback HTTP (prints figures).

(a) the first pull of N listings (with their organisations) from A to B, in records per
second, beside a bare bulk insert of the same rows into the same database engine;
(b) propagation from a change committed on A to visible on B, with notify and B's worker.

Run from the repository root: ``python -m bench.sync [--listings 100000] [--changes 100]``.
Set PORTAL_TEST_DATABASE_URL to a PostgreSQL server URL to run on PostgreSQL.
"""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import func, insert, select, update  # noqa: E402

from tests.dbs import TemplateDatabases  # noqa: E402
from tests.portals import Portal, peer  # noqa: E402

LISTINGS_PER_ORG = 100


def build_schema(url):
    from portal import create_app
    from portal.extensions import db
    from portal.federation.models import Counter, Setting

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        db.create_all()
        db.session.add(Setting(key="epoch", value=os.urandom(8).hex()))
        db.session.add(Counter(name="feed", value=0))
        db.session.commit()
        db.engine.dispose()


def rows(n_listings):
    """Organisations and listings as plain dicts (the same rows for the pull and the bare insert)."""
    orgs = [{"uid": str(uuid.uuid4()), "name": f"Organisation {i}", "kind": "technology_provider",
             "country": "FR", "city": "Lannion", "website": "https://example.org",
             "description": "Photonics components and systems. " * 4,
             "sectors": ["photonics"]} for i in range(max(1, n_listings // LISTINGS_PER_ORG))]
    listings = [{"uid": str(uuid.uuid4()), "kind": "offer" if i % 2 else "need",
                 "organisation_uid": orgs[i % len(orgs)]["uid"], "title": f"Fibre laser source {i}",
                 "summary": "Pulsed fibre laser for micro-machining, 20 W average power.",
                 "description": "A compact pulsed fibre laser. " * 10, "keywords": ["laser", "fibre", "micromachining"],
                 "sectors": ["photonics", "manufacturing"], "trl": 1 + i % 9, "cooperation": ["licensing"],
                 "status": "open"} for i in range(n_listings)]
    return orgs, listings


def populate(portal, orgs, listings, batch=5000):
    """Write A's records and their ledger rows in bulk (the rows the ORM's ledger hook would write)."""
    from portal.directory.models import Listing, Organisation
    from portal.federation.models import Counter, Record
    from portal.federation.records import utcnow

    seq, now = 0, utcnow()
    with portal.context() as session:
        for model, values in ((Organisation, orgs), (Listing, listings)):
            for start in range(0, len(values), batch):
                chunk = [dict(v, origin=portal.cluster_id, version=1, updated_at=now)
                         for v in values[start:start + batch]]
                session.execute(insert(model), chunk)
                ledger = []
                for row in chunk:
                    seq += 1
                    ledger.append({"type": model.fed_type, "uid": row["uid"], "origin": portal.cluster_id,
                                   "version": 1, "deleted": False, "updated_at": now, "seq": seq,
                                   "data": model(**row).fed_data(), "shared": True, "ever_shared": True})
                session.execute(insert(Record), ledger)
                session.commit()
        session.execute(update(Counter).where(Counter.name == "feed").values(value=seq))
        session.commit()


def bare_insert(url, orgs, listings):
    """The same rows straight into a fresh database of the same engine (Core executemany).

    Each model's `fed_insert` writes them, as the pull does: the same tables, the same
    full-text indexing (a page's listings indexed at once on SQLite).
    """
    from portal import create_app
    from portal.directory.models import Listing, Organisation
    from portal.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "NOTIFY_PEERS": False})
    extra = {"origin": "bare", "version": 1}
    with app.app_context():
        started = time.perf_counter()
        for values, model in ((orgs, Organisation), (listings, Listing)):
            for start in range(0, len(values), 1000):
                model.fed_insert(db.session, [dict(v, **extra) for v in values[start:start + 1000]])
                db.session.commit()
        elapsed = time.perf_counter() - started
        db.engine.dispose()
    return elapsed


def first_pull(b):
    from portal.federation import sync

    with b.context():
        started = time.perf_counter()
        result = sync.pull_peer("photonics")
        elapsed = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"pull failed: {result.error}")
    return result, elapsed


def propagation(a, b, n_changes, org_uid):
    """Seconds from commit on A (notify on) to the listing being visible on B, for each change."""
    from portal.directory.models import Listing

    from portal.federation.models import Setting

    with b.context() as session:
        before = getattr(session.get(Setting, "worker_heartbeat"), "value", None)
    worker = b.popen_flask("sync", "--watch")
    times = []
    try:
        while True:  # the worker's first loop (starting a Flask command takes seconds)
            with b.context() as session:
                if getattr(session.get(Setting, "worker_heartbeat"), "value", None) != before:
                    break
            time.sleep(0.1)
        for i in range(n_changes):
            with a.context(notify=True) as session:
                listing = Listing(kind="offer", title=f"Propagated {i}", organisation_uid=org_uid)
                session.add(listing)
                session.commit()
                uid, committed = listing.uid, time.perf_counter()
            with b.context() as session:
                while session.scalar(select(func.count()).select_from(Listing).where(Listing.uid == uid)) == 0:
                    session.rollback()
                    time.sleep(0.01)
                    if time.perf_counter() - committed > 60:
                        raise SystemExit("a change did not propagate within 60 s")
            times.append(time.perf_counter() - committed)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--server", default="gunicorn", choices=["gunicorn", "flask"])
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="bench-sync-")
    pool = TemplateDatabases(work)
    pool.build_template(build_schema)
    engine = "PostgreSQL" if pool.template_url.startswith("postgresql") else "SQLite"
    a = Portal(work, "photonics", pool.fresh(), server=args.server, config={"RATELIMIT_ENABLED": False})
    b = Portal(work, "agrifood", pool.fresh(), server=args.server, config={"RATELIMIT_ENABLED": False})
    try:
        orgs, listings = rows(args.listings)
        print(f"engine {engine}; {len(listings)} listings and {len(orgs)} organisations; server {args.server}")
        started = time.perf_counter()
        populate(a, orgs, listings)
        print(f"populated A in {time.perf_counter() - started:.1f} s (records and ledger rows in bulk)")
        a.start(), b.start()
        peer(a, b)
        result, pulled = first_pull(b)
        records = result.applied
        bare = bare_insert(pool.fresh(), orgs, listings)
        print(f"(a) first pull: {records} records in {pulled:.1f} s = {records / pulled:,.0f} records/s "
              f"({result.pages} pages)")
        print(f"    bare bulk insert of the same rows: {bare:.1f} s = {records / bare:,.0f} records/s; "
              f"pull / bare = {pulled / bare:.2f}x")
        times = propagation(a, b, args.changes, orgs[0]["uid"])
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
        print(f"(b) propagation over {len(times)} changes (notify + worker): median {statistics.median(times):.3f} s, "
              f"p95 {p95:.3f} s, max {max(times):.3f} s")
    finally:
        a.close(), b.close()
        pool.drop_all()
        shutil.rmtree(work, ignore_errors=True)  # the SQLite files of a 100,000-listing run weigh about 500 MB


if __name__ == "__main__":
    main()
