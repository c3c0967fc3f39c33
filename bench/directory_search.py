"""Benchmark of the directory's search: the htmx fragment against the bare full-text query.

Fills a fresh database with realistic listings (bulk insert, then the index is built),
then times, for a rare term, a common term, two terms and a prefix, the htmx fragment of
`/directory` (Flask test client, `HX-Request: true`), `search_listings()` alone and the
bare ranked full-text query for the same terms, taking turns run by run (so that the three
share whatever load the machine has). Prints medians, p95s and ratios.

Run from the repository root:
    python -m bench.directory_search [--listings 100000] [--runs 40]
    python -m bench.directory_search --database-url postgresql+psycopg://user:pw@host/postgres
With PostgreSQL a fresh database is created on that server and dropped at the end.
`--keep` keeps it and prints its URL; `--reuse URL` times that database again without filling
it (the corpus is generated again, not inserted, to choose the same queries: same --listings,
--organisations and --seed). `--cpu` times with this process's CPU time instead of the wall
clock: steadier on a shared machine, and complete on SQLite only (PostgreSQL's work is in its
server's processes, so there it leaves the database's share out).
Targets at 100,000 listings: fragment median < 30 ms and p95 < 60 ms for queries with up
to 15,000 hits, within 3x of the bare query.
"""
import argparse
import itertools
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import date, datetime, timedelta, timezone

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import sqlalchemy as sa

BATCH = 5000
FLOOR_FILE = "favicon.svg"

# The head of the vocabulary: words of technology offers and needs, most frequent first.
REAL_WORDS = """
the and for with of to in a on by from that is are our we can its an as at be this or which new
system solution technology process high low cost performance quality data control design
sensor sensors laser optical fibre imaging light measurement monitoring detection analysis
platform module device devices equipment production industrial market customers partners
integration software hardware automation real time accuracy resolution compact robust
energy efficiency power thermal temperature pressure water air soil crop food health medical
patient clinical diagnostic test testing validation prototype pilot demonstration scale
manufacturing materials surface coating processing welding cutting marking cleaning inspection
camera spectral hyperspectral infrared ultraviolet visible wavelength photonic photonics
integrated chip silicon waveguide lens lenses mirror coating coatings beam pulse pulsed
ultrafast femtosecond picosecond nanosecond continuous wave diode source sources amplifier
telecom network networks communication wireless satellite space defence maritime vessel
underwater acoustic radar lidar vehicle vehicles mobility autonomous drone drones robot
robotics machine learning artificial intelligence vision algorithm algorithms model modelling
simulation digital twin cloud edge computing cybersecurity secure security traceability
agriculture farm farming livestock greenhouse harvest irrigation fertiliser pesticide yield
packaging shelf life contamination pathogen bacteria microbial hygiene sterilisation
disinfection plasma ozone biosensor biosensors biomarker biomarkers blood tissue cell cells
microscopy endoscopy surgery surgical implant wearable therapy treatment dermatology
ophthalmology dental hospital care elderly home remote telemedicine rehabilitation
construction building buildings concrete structural structure structures bridge bridges
strain vibration vibrations crack corrosion fatigue composite composites aerospace aircraft
wind turbine turbines solar photovoltaic battery batteries hydrogen fuel grid storage
environment environmental pollution emissions gas gases methane carbon dioxide particles
air quality noise waste recycling circular economy sustainable sustainability reduction
research university laboratory expertise know how patent licence licensing cooperation
subcontracting supply agreement joint venture funding project projects european partner
looking seeking need needs offer offers provide provides develop developed developing
""".split()
SYLLABLES = [c + v for c in "bcdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ou", "ai")]
SUFFIXES = ("Photonics", "Systems", "Technologies", "Labs", "Industries", "Sensing", "Optics",
            "Agro", "Medical", "Solutions", "Robotics", "Instruments")
COUNTRIES = ("FR", "DE", "ES", "IT", "BE", "NL", "PT", "IE", "GB", "PL", "DK", "SE")
KINDS = ("technology_provider", "end_user", "integrator", "research", "other")
SECTORS = ("photonics", "agrifood", "health", "medtech", "defence", "maritime", "energy", "environment",
           "manufacturing", "space", "telecom", "mobility", "construction", "digital")
COOPERATION = ("commercial_agreement", "technical_cooperation", "licence", "joint_venture",
               "research_cooperation", "subcontracting", "pilot", "supply")


class Corpus:
    """Listings whose words follow Zipf's law over a 50,000-word vocabulary (real words first)."""

    def __init__(self, seed, vocabulary=50_000):
        self.rng = random.Random(seed)
        words, seen = list(dict.fromkeys(REAL_WORDS)), set(REAL_WORDS)
        while len(words) < vocabulary:
            word = "".join(self.rng.choices(SYLLABLES, k=self.rng.randint(3, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        self.cumulative = list(itertools.accumulate(1.0 / rank for rank in range(1, len(words) + 1)))
        self.sampled_df, self.sampled_docs = Counter(), 0
        self.today = date.today()

    def text(self, count):
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def organisations(self, count):
        now = datetime.now(timezone.utc)
        return [{"uid": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), "origin": "bench",
                 "version": 1, "updated_at": now,
                 "name": f"{self.rng.choice(self.words[2000:]).capitalize()} {self.rng.choice(SUFFIXES)}",
                 "kind": self.rng.choice(KINDS), "country": self.rng.choice(COUNTRIES),
                 "city": self.rng.choice(self.words[2000:]).capitalize(), "website": "",
                 "description": " ".join(self.text(60)), "sectors": self.rng.sample(SECTORS, 2),
                 "special_guest": self.rng.random() < 0.05} for _ in range(count)]

    def listings(self, count, organisation_uids):
        rng, now = self.rng, datetime.now(timezone.utc)
        rows = []
        for _ in range(count):
            title, summary = self.text(rng.randint(4, 9)), self.text(rng.randint(15, 35))
            description, keywords = self.text(rng.randint(60, 260)), self.text(rng.randint(3, 7))
            self._sample(title + summary + description + keywords)
            expiry = rng.random()
            rows.append({
                "uid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "origin": "bench", "version": 1,
                "updated_at": now, "kind": "offer" if rng.random() < 0.6 else "need",
                "organisation_uid": rng.choice(organisation_uids), "person_uid": None,
                "title": " ".join(title).capitalize(), "summary": " ".join(summary).capitalize() + ".",
                "description": " ".join(description).capitalize() + ".", "keywords": sorted(set(keywords)),
                "sectors": rng.sample(SECTORS, rng.randint(1, 3)), "trl": rng.choice([None, *range(1, 10)]),
                "cooperation": rng.sample(COOPERATION, 2), "ipr": None,
                "valid_until": None if expiry < 0.3 else self.today + timedelta(days=rng.randint(-200, 700)),
                "status": "open" if rng.random() < 0.92 else "closed",
                "created_at": now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
            })
        return rows

    def _sample(self, words):
        """Document frequencies, estimated on one listing in ten (to choose the queries)."""
        self.sampled_docs += 1
        if self.sampled_docs % 10 == 0:
            self.sampled_df.update(set(words))

    def queries(self, db):
        """A rare term, a middling one, a common one, two terms and a prefix, by their frequency."""
        def near(target, pool):
            return min(pool, key=lambda word: abs(self.sampled_df[word] * 10 - target))

        pool = [w for w in self.words if w in self.sampled_df]
        synthetic = pool[len(set(REAL_WORDS)):]
        rare, middling = near(40, synthetic), near(2_000, pool)
        common = near(13_000, pool)
        other = near(9_000, [w for w in pool if w != common])
        prefix = None
        for word in sorted(synthetic, key=lambda w: abs(self.sampled_df[w] * 10 - 3_000))[:40]:
            if 3_000 <= match_count(db, word[:4]) <= 15_000:
                prefix = word[:4]
                break
        queries = [("browse", ""), ("rare", rare), ("middling", middling), ("common", common),
                   ("two terms", f"{common} {other}")]
        return queries + ([("prefix", prefix)] if prefix else [])


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: a SQLite file)")
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=40, help="timed runs per query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="URL", help="time a database kept by --keep (same options)")
    parser.add_argument("--cpu", action="store_true",
                        help="time with this process's CPU time, not the wall clock (SQLite: the whole work)")
    return parser.parse_args()


class Database:
    """A fresh database: a SQLite file, or a new database on a PostgreSQL server."""

    def __init__(self, server_url, workdir):
        self.server_url = server_url
        if server_url:
            self.name = f"bench_directory_{uuid.uuid4().hex[:8]}"
            with self._admin() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
            self.url = sa.engine.make_url(server_url).set(database=self.name).render_as_string(hide_password=False)
        else:
            self.url = "sqlite:///" + os.path.join(workdir, "bench.db")

    def _admin(self):
        return sa.create_engine(self.server_url, isolation_level="AUTOCOMMIT").connect()

    def drop(self):
        if self.server_url:
            with self._admin() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


def make_app(url, instance):
    os.environ["PORTAL_INSTANCE"] = instance
    from portal import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True, "CLUSTER_ID": "bench",
        "CLUSTER_NAME": "Bench Cluster", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
        "NOTIFY_PEERS": False, "LOG_REQUESTS": False, "PAGE_SIZE": 20,
    })


def fill(db, corpus, n_organisations, n_listings):
    """Bulk insert with the insert triggers off, then build the index in one pass."""
    from portal.directory import search_index
    from portal.directory.models import Listing, Organisation

    engine = db.engine
    started = time.perf_counter()
    with engine.begin() as conn:
        organisations = corpus.organisations(n_organisations)
        conn.execute(sa.insert(Organisation.__table__), organisations)
        dialect = conn.dialect.name
        if dialect == "sqlite":
            conn.execute(sa.text("DROP TRIGGER listing_search_insert"))
        else:
            conn.execute(sa.text("ALTER TABLE listing DISABLE TRIGGER listing_search_document"))
        uids = [org["uid"] for org in organisations]
        for start in range(0, n_listings, BATCH):
            conn.execute(sa.insert(Listing.__table__), corpus.listings(min(BATCH, n_listings - start), uids))
    inserted = time.perf_counter()
    with engine.begin() as conn:
        if dialect == "sqlite":
            search_index.rebuild(conn)
            conn.execute(sa.text(next(s for s in search_index.SQLITE_DDL if "TRIGGER listing_search_insert" in s)))
            conn.execute(sa.text("INSERT INTO listing_fts(listing_fts) VALUES ('optimize')"))
        else:
            conn.execute(sa.text("ALTER TABLE listing ENABLE TRIGGER listing_search_document"))
            search_index.rebuild(conn)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE" if dialect == "postgresql" else "ANALYZE"))
    return inserted - started, time.perf_counter() - inserted


def replay(corpus, n_organisations, n_listings):
    """Generate the same corpus as fill() without inserting it: its word counts choose the queries."""
    uids = [org["uid"] for org in corpus.organisations(n_organisations)]
    for start in range(0, n_listings, BATCH):
        corpus.listings(min(BATCH, n_listings - start), uids)


def bare_query(dialect, terms):
    """The ranked full-text query alone: the first page of ids, as fast as the engine can."""
    from portal.directory.search import fts5_query, tsquery
    from portal.directory.search_index import TS_CONFIG

    if dialect == "sqlite":
        return (sa.text("SELECT rowid FROM listing_fts WHERE listing_fts MATCH :m ORDER BY rank LIMIT 20"),
                {"m": fts5_query(terms)})
    return (sa.text(f"SELECT uid FROM listing WHERE search_vector @@ to_tsquery('{TS_CONFIG}', :q) "
                    f"ORDER BY ts_rank(search_rank_vector, to_tsquery('{TS_CONFIG}', :q)) DESC LIMIT 20"),
            {"q": tsquery(terms)})


def match_count(db, text):
    """How many listings the full-text index matches for `text` (open or not, expired or not)."""
    from portal.directory.search import fts5_query, tokenise, tsquery
    from portal.directory.search_index import TS_CONFIG

    terms = tokenise(text)
    if not terms:
        return db.session.scalar(sa.text("SELECT count(*) FROM listing"))
    if db.engine.dialect.name == "sqlite":
        return db.session.scalar(sa.text("SELECT count(*) FROM listing_fts WHERE listing_fts MATCH :m"),
                                 {"m": fts5_query(terms)})
    return db.session.scalar(
        sa.text(f"SELECT count(*) FROM listing WHERE search_vector @@ to_tsquery('{TS_CONFIG}', :q)"),
        {"q": tsquery(terms)})


def timed(actions, runs, clock=time.perf_counter):
    """(median, p95) of each action, the actions taking turns so that they share the machine's load."""
    for action in actions:
        for _ in range(3):
            action()
    samples = [[] for _ in actions]
    for _ in range(runs):
        for action, times in zip(actions, samples):
            started = clock()
            action()
            times.append((clock() - started) * 1000)
    return [(statistics.median(times), sorted(times)[max(0, int(round(0.95 * runs)) - 1)]) for times in samples]


def measure(app, db, queries, runs, clock=time.perf_counter):
    from portal.directory.search import SearchQuery, search_listings, tokenise

    client = app.test_client()
    dialect = db.engine.dialect.name
    # The stack's floor: one request through the same client that reads no database and renders
    # no template (a static file). No fragment can be faster than this.
    floor_url = "/static/" + FLOOR_FILE
    assert client.get(floor_url).status_code == 200
    floor, = timed([lambda: client.get(floor_url).close()], runs, clock)
    rows = []
    for label, text in queries:
        terms = tokenise(text)
        url = "/directory?" + (f"q={text}" if text else "")
        response = client.get(url, headers={"HX-Request": "true"})
        assert response.status_code == 200, response.status_code
        hits = f"{match_count(db, text):,}"
        if terms:
            statement, params = bare_query(dialect, terms)
        else:
            statement = sa.text("SELECT uid FROM listing WHERE status = 'open' ORDER BY created_at DESC LIMIT 20")
            params = {}
        with db.engine.connect() as conn:
            bare, service, fragment = timed([
                lambda: conn.execute(statement, params).all(),
                lambda: search_listings(SearchQuery(text=text)),
                lambda: client.get(url, headers={"HX-Request": "true"}).close()], runs, clock)
        db.session.remove()
        rows.append((label, text or "-", hits, bare, service, fragment))
    return floor, rows


def misspelt(db, word):
    """`word` with two neighbouring letters swapped, as no listing holds it (a typing error)."""
    for cut in range(1, len(word) - 1):
        typed = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2:]
        if typed != word and not match_count(db, typed):
            return typed
    return None


def measure_correction(app, db, words, runs, clock=time.perf_counter):
    """The first of `words` that, misspelt (no matches), the page corrects, against the corrected
    query's fragment: (typed, suggested, misspelt fragment, correction alone, corrected fragment)."""
    from portal.directory.search import SearchQuery
    from portal.directory.spelling import correction

    for word in words:
        typed = misspelt(db, word)
        suggested = typed and correction(SearchQuery(text=typed))
        if suggested:
            break
    else:
        return None
    client = app.test_client()
    times = timed([lambda: client.get(f"/directory?q={typed}", headers={"HX-Request": "true"}).close(),
                   lambda: correction(SearchQuery(text=typed)),
                   lambda: client.get(f"/directory?q={suggested}", headers={"HX-Request": "true"}).close()],
                  runs, clock)
    db.session.remove()
    return (typed, suggested, *times)


def report(floor, rows, dialect, n_listings, load_times, clock="wall clock"):
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    built = f"insert {load_times[0]:.1f} s, index {load_times[1]:.1f} s" if load_times else "reused"
    print(f"\nDirectory search, {dialect}, {n_listings:,} listings "
          f"({built}; {os.cpu_count()} CPUs, load average {load})")
    print(f"times in ms, median / p95 ({clock})")
    header = f"{'query':<14}{'terms':<22}{'matches':>9}  {'bare':>13}  {'search_listings':>15}  {'fragment':>13}  {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for label, text, hits, bare, service, fragment in rows:
        ratio = fragment[0] / bare[0] if bare[0] else float("inf")
        print(f"{label:<14}{text:<22}{hits:>9}  {bare[0]:>6.1f} /{bare[1]:>5.1f}  {service[0]:>7.1f} /{service[1]:>5.1f}  "
              f"{fragment[0]:>6.1f} /{fragment[1]:>5.1f}  {ratio:>5.1f}x")
    print("matches: listings the full-text index matches (open or closed, expired or not)")
    print("bare: the ranked full-text query alone, first 20 ids; ratio = fragment median / bare median")
    print(f"floor: a static file through the same Flask test client (no database, no template), "
          f"{floor[0]:.2f} / {floor[1]:.2f} ms; no fragment is faster, so none is within 3x of a bare "
          f"query under {floor[0] / 3:.2f} ms")


def report_correction(found):
    if found is None:
        print("did you mean: no misspelling of the middling or the rare word that the page corrects")
        return
    typed, suggested, fragment, alone, corrected = found
    print(f"did you mean: {typed!r} (no matches) -> {suggested!r}: fragment {fragment[0]:.1f} / {fragment[1]:.1f} ms, "
          f"of which the correction {alone[0]:.1f} / {alone[1]:.1f} ms; the corrected query's fragment "
          f"{corrected[0]:.1f} / {corrected[1]:.1f} ms; ratio {fragment[0] / corrected[0]:.1f}x")


def main():
    args = parse_args()
    workdir = tempfile.mkdtemp(prefix="bench-directory-")
    database = None if args.reuse else Database(args.database_url, workdir)
    try:
        app = make_app(args.reuse or database.url, workdir)
        from portal.extensions import db

        with app.app_context():
            corpus = Corpus(args.seed)
            if args.reuse:
                replay(corpus, args.organisations, args.listings)
                load_times = None
            else:
                db.create_all()
                load_times = fill(db, corpus, args.organisations, args.listings)
            queries = corpus.queries(db)
            clock = time.process_time if args.cpu else time.perf_counter
            floor, rows = measure(app, db, queries, args.runs, clock)
            report(floor, rows, db.engine.dialect.name, args.listings, load_times,
                   "this process's CPU time" if args.cpu else "wall clock")
            report_correction(measure_correction(app, db, [dict(queries)[name] for name in ("middling", "rare")],
                                                 args.runs, clock))
            db.session.remove()
            db.engine.dispose()
    finally:
        if args.keep and database:
            print(f"kept: {database.url}")
        else:
            if database:
                database.drop()
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
