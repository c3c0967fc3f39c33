"""Federation test helpers: signing peers in-process, and real portals as subprocesses."""
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portal.federation import keys, signing


class FakePeer:
    """A cluster with its own key that signs requests as a peer portal would."""

    def __init__(self, cluster_id="peer-b", key=None):
        self.cluster_id = cluster_id
        self.key = key or Ed25519PrivateKey.generate()
        self.public_key = keys.public_key_b64(self.key.public_key())
        self.fingerprint = keys.fingerprint(self.public_key)

    def pin(self, session, state="confirmed", base_url="http://peer-b.example"):
        """Store this peer in the database `session` belongs to."""
        from portal.federation.models import Peer

        peer = Peer(cluster_id=self.cluster_id, name=self.cluster_id.title(), base_url=base_url,
                    public_key=self.public_key, fingerprint=self.fingerprint, state=state)
        session.add(peer)
        session.commit()
        return peer

    def auth(self):
        return signing.request_auth(self.cluster_id, self.key)

    def headers(self, method, url, body=None, json=None):
        """The headers a signed request for `url` carries (sign with requests-http-signature)."""
        prepared = requests.Request(method, url, data=body, json=json).prepare()
        self.auth()(prepared)
        return dict(prepared.headers), prepared.body


def signed_open(client, peer, method, url, json=None, body=None, headers=None):
    """Send a signed request through a Flask test client; `url` is absolute (host matters)."""
    signed, data = peer.headers(method, url, body=body, json=json)
    signed.update(headers or {})
    return client.open(url, method=method, headers=signed, data=data)


class FakePublisher(FakePeer):
    """A peer portal in a thread of the test process: serves `info` and a signed feed, and answers
    `notify` with a bare 202 (bodies kept in `notified`, their Content-Type in `notify_types`).

    `changes` is the feed (a list of change dicts; seq is taken from each); `behaviour`
    is a list of what the next `changes` calls do instead of answering well:
    "500", "429", "garbage" (signed HTML), "proxy" (a proxy's HTML page, unsigned), "badjson" (a signed
    JSON answer that does not parse), "truncated", "badsig", or a callable(since, limit) -> page.
    """

    def __init__(self, cluster_id="peer-b", epoch="epoch-1"):
        super().__init__(cluster_id)
        self.changes, self.behaviour, self.calls, self.epoch = [], [], [], epoch
        self.notified, self.notify_types = [], []
        self.retry_after = "7"
        self.server = self.thread = None

    def start(self):
        import threading

        from werkzeug.serving import make_server

        self.server = make_server("127.0.0.1", 0, self.wsgi)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_port}"

    def info(self):
        return {"protocol": "fp1", "cluster_id": self.cluster_id, "name": "Peer B",
                "base_url": self.base_url, "sector": "application", "public_key": self.public_key,
                "fingerprint": self.fingerprint, "epoch": self.epoch,
                "record_types": ["organisation", "person", "listing"],
                "software": {"name": "fake", "version": "0"}}

    def new_key(self):
        """Sign with a new key from now on, as a reinstalled portal would; the peer holding it comes back."""
        new = FakePeer(self.cluster_id)
        self.key, self.public_key, self.fingerprint = new.key, new.public_key, new.fingerprint
        return new

    def trickling(self, path=""):
        """A context in which answers whose path ends with `path` come a byte every 0.2 s for their
        first 40 bytes: no socket read waits long, the whole answer does."""
        import contextlib
        import time

        served = self.wsgi

        def trickle(environ, start_response):
            body = b"".join(served(environ, start_response))
            if not environ["PATH_INFO"].endswith(path):
                return [body]

            def slowly():
                for index in range(len(body)):
                    yield body[index:index + 1]
                    time.sleep(0.2 if index < 40 else 0)
            return slowly()

        @contextlib.contextmanager
        def serving():
            self.server.app = trickle
            try:
                yield
            finally:
                self.server.app = served
        return serving()

    def page(self, since, limit):
        after = sorted((c for c in self.changes if c["seq"] > since), key=lambda c: c["seq"])
        chosen = after[:limit]
        has_more = len(after) > limit
        top = max([c["seq"] for c in self.changes] + [since])
        next_cursor = chosen[-1]["seq"] if has_more else top
        return {"cluster_id": self.cluster_id, "epoch": self.epoch, "since": since, "next": next_cursor,
                "has_more": has_more, "changes": chosen}

    def wsgi(self, environ, start_response):
        import json

        from werkzeug.wrappers import Request, Response

        request = Request(environ)
        if request.path.endswith("/info"):
            response = Response(json.dumps(self.info()), content_type="application/json")
            return response(environ, start_response)
        if request.path.endswith("/notify"):
            self.notified.append(json.loads(request.get_data()))
            self.notify_types.append(request.headers.get("Content-Type"))
            return Response(status=202)(environ, start_response)  # PROTOCOL.md asks for the status alone
        since, limit = int(request.args.get("since", 0)), int(request.args.get("limit", 500))
        self.calls.append(since)
        action = self.behaviour.pop(0) if self.behaviour else None
        if action == "500":
            response = Response('{"error": {"code": "internal", "message": "boom"}}', status=500,
                                content_type="application/json")
        elif action == "429":
            response = Response('{"error": {"code": "rate_limited", "message": "slow down"}}', status=429,
                                content_type="application/json", headers={"Retry-After": self.retry_after})
        elif action == "garbage":
            response = signing.sign_response(Response(b"<html>not json", content_type="text/html"),
                                             self.cluster_id, self.key)
        elif action == "proxy":
            response = Response(b"<html><body>Welcome to nginx!</body></html>", content_type="text/html")
        elif action == "badjson":
            response = signing.sign_response(Response(b'{"changes": [', content_type="application/json"),
                                             self.cluster_id, self.key)
        else:
            page = action(since, limit) if callable(action) else self.page(since, limit)
            body = json.dumps(page).encode()
            response = signing.sign_response(Response(body, content_type="application/json"),
                                             self.cluster_id, FakePeer().key if action == "badsig" else self.key)
            if action == "truncated":
                response.headers["Content-Length"] = str(len(body) + 500)
        return response(environ, start_response)


def change(seq, uid, fed_type="listing", origin="peer-b", version=1, deleted=False, data=None):
    """A feed change as a publisher sends it."""
    return {"seq": seq, "type": fed_type, "uid": uid, "origin": origin, "version": version,
            "updated_at": "2026-11-28T20:00:00Z", "deleted": deleted, "data": None if deleted else data}


def organisation_data(**overrides):
    data = {"name": "Agrilab", "kind": "end_user", "country": "FR", "city": "Rennes", "website": "",
            "description": "", "sectors": ["agrifood"], "special_guest": False}
    data.update(overrides)
    return data


def listing_data(organisation_uid, **overrides):
    data = {"kind": "need", "organisation_uid": organisation_uid, "person_uid": None,
            "title": "Grain moisture sensing", "summary": "In-silo sensing", "description": "",
            "keywords": ["moisture"], "sectors": ["agrifood"], "trl": None, "cooperation": [],
            "ipr": None, "valid_until": None, "status": "open"}
    data.update(overrides)
    return data


# --- real portals as subprocesses ---------------------------------------------------------

import contextlib  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from sqlalchemy.engine import make_url  # noqa: E402

from portal.ops.backup import sqlite_copy  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Portal:
    """One portal: its instance folder (made as `init` does), its database, its server.

    `database_url` is a fresh database holding the schema (tests/dbs.py); the harness
    gives it its own epoch. Use `context()` to work on its database from the test process,
    `flask(...)` to run its commands, `start()`/`stop()`/`kill()` for its server.
    """

    def __init__(self, workdir, cluster_id, database_url, server="flask", config=None):
        from portal.instance import write_instance

        self.cluster_id, self.database_url, self.server = cluster_id, database_url, server
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.instance = os.path.join(workdir, cluster_id)
        write_instance(self.instance, cluster_id, cluster_id.replace("-", " ").title(), self.url,
                       "mixed", database_url)
        extra = {"RATELIMIT_ENABLED": False, "NOTIFY_PEERS": False, "FEDERATION_TIMEOUT": 5}
        extra.update(config or {})
        with open(os.path.join(self.instance, "portal.toml"), "a") as toml:
            from portal.instance import toml_value

            toml.writelines(f"{key} = {toml_value(value)}\n" for key, value in extra.items())
        self.process = None
        self._apps = {}
        self.copies = []
        with self.context():
            from portal.extensions import db
            from portal.federation.models import Setting

            db.session.get(Setting, "epoch").value = os.urandom(8).hex()
            db.session.commit()

    # -- in the test process --
    def app(self, notify=False):
        """An app object on this portal's instance and database (notifying peers after commits or not)."""
        if notify not in self._apps:
            from portal import create_app

            previous = os.environ.get("PORTAL_INSTANCE")
            os.environ["PORTAL_INSTANCE"] = self.instance
            try:
                self._apps[notify] = create_app({"NOTIFY_PEERS": notify})
            finally:
                if previous is None:
                    del os.environ["PORTAL_INSTANCE"]
                else:
                    os.environ["PORTAL_INSTANCE"] = previous
        return self._apps[notify]

    @contextlib.contextmanager
    def context(self, notify=False):
        from portal.extensions import db

        with self.app(notify).app_context():
            try:
                yield db.session
            finally:
                db.session.remove()

    @property
    def fingerprint(self):
        with self.context():
            from portal.federation import keys

            return keys.fingerprint(keys.public_key_b64())

    def digests_for(self, other_id):
        """(published for other, replica of other), as `digest` would answer."""
        with self.context():
            from portal.federation import feed

            return feed.published_digest(other_id), feed.replica_digest(other_id)

    # -- subprocesses --
    def env(self):
        env = dict(os.environ, PORTAL_INSTANCE=self.instance, PYTHONPATH=ROOT)
        env.pop("PORTAL_TEST_DATABASE_URL", None)
        return env

    def flask(self, *args, check=True, timeout=120):
        done = subprocess.run([os.path.join(BIN, "flask"), "--app", "portal", *args], cwd=ROOT,
                              env=self.env(), capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise AssertionError(f"flask {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def popen_flask(self, *args):
        return subprocess.Popen([os.path.join(BIN, "flask"), "--app", "portal", *args], cwd=ROOT,
                                env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def start(self):
        if self.server == "gunicorn":
            command = [os.path.join(BIN, "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{self.port}",
                       "--log-level", "warning", "wsgi:app"]
        else:
            command = [os.path.join(BIN, "flask"), "--app", "portal", "run", "--no-reload", "--no-debugger",
                       "--host", "127.0.0.1", "--port", str(self.port)]
        # The server's log goes to a file: a pipe nobody reads fills up (64 KiB, a few hundred
        # request lines) and then blocks the server in the middle of a request.
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env(), stdout=subprocess.DEVNULL,
                                            stderr=log, start_new_session=True)
        self.wait_ready()
        return self

    @property
    def log_path(self):
        return os.path.join(self.instance, "server.log")

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                with open(self.log_path) as log:
                    raise AssertionError(f"{self.cluster_id} exited: {log.read()[-5000:]}")
            try:
                if requests.get(f"{self.url}/federation/v1/info", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.cluster_id} did not start on {self.url}")

    def stop(self, sig=signal.SIGTERM):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def kill(self):
        self.stop(signal.SIGKILL)

    def dispose(self):
        for app in self._apps.values():
            with app.app_context():
                from portal.extensions import db

                db.engine.dispose()

    def close(self):
        self.stop()
        self.dispose()
        for name in self.copies:
            with _admin_engine().connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # -- backups --
    def snapshot(self, folder):
        """A copy of the database (the server is stopped meanwhile); returns what restore takes."""
        running = self.process is not None
        self.stop()
        self.dispose()
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite":
            os.makedirs(folder, exist_ok=True)
            copy = os.path.join(str(folder), os.path.basename(url.database))
            sqlite_copy(url.database, copy)  # through SQLite: a killed server may have left a -wal
        else:
            copy = f"{url.database}_copy{len(self.copies)}"
            with _admin_engine().connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{copy}" TEMPLATE "{url.database}"')
            self.copies.append(copy)
        if running:
            self.start()
        return copy

    def restore(self, copy):
        """Put a snapshot back (server stopped) and give the database a new epoch, as a restore does."""
        self.stop()
        self.dispose()
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite":
            sqlite_copy(copy, url.database)
        else:
            with _admin_engine().connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE "{url.database}" WITH (FORCE)')
                conn.exec_driver_sql(f'CREATE DATABASE "{url.database}" TEMPLATE "{copy}"')
        with self.context():
            from portal.extensions import db
            from portal.federation.models import Setting

            db.session.get(Setting, "epoch").value = os.urandom(8).hex()
            db.session.commit()


def _admin_engine():
    import sqlalchemy as sa

    from tests.dbs import SERVER_URL

    return sa.create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")


def peer(a, b, cli=False):
    """Peer two portals both ways, as their administrators would.

    With `cli`, through `flask peers add URL --fingerprint F`; otherwise through the same
    services in the test process (still fetching `info` over HTTP), which is much faster.
    """
    for here, there in ((a, b), (b, a)):
        if cli:
            here.flask("peers", "add", there.url, "--fingerprint", there.fingerprint)
            continue
        from portal.federation import services

        with here.context() as session:
            base_url, info = services.fetch_identity(there.url)
            services.confirm_peer(services.propose_peer(base_url, info), there.fingerprint)
            session.commit()


def sync(portal, *peer_ids, check=True, cli=False):
    """One sync pass on `portal`: `flask sync` with `cli`, else `pull_peer` in the test process.

    Returns the CompletedProcess, or the list of PullResult; `check` fails on a failed pull.
    """
    if cli:
        args = ["sync"] + [item for p in peer_ids for item in ("--peer", p)]
        return portal.flask(*args, check=check)
    from portal.federation import sync as pulling

    with portal.context():
        results = pulling.pull_all(peer_ids=list(peer_ids) or None)
    if check and not all(r.ok and not r.busy for r in results):
        raise AssertionError(f"sync on {portal.cluster_id} failed: {results}")
    return results


def converged(a, b):
    """A's published-for-B equals B's replica-of-A, and the other way round."""
    a_pub, a_rep = a.digests_for(b.cluster_id)
    b_pub, b_rep = b.digests_for(a.cluster_id)
    return a_pub == b_rep and b_pub == a_rep


DEMO_CLUSTERS = ("photonics-bretagne", "agrifood-ouest", "sante-atlantique")
DEMO_PASSWORD = "passerelle-demo"


def start_demo_portals(portals):
    """The three demo portals of `make demo`, loaded, peered and synced: {cluster id: Portal}."""
    import threading

    from portal.demo.load import load_profile
    from portal.demo.world import PROFILE_OF
    from portal.extensions import db

    # Mail stays queued: a delivery thread would write to a database while the test syncs it.
    made = portals(*DEMO_CLUSTERS, config={"PASSWORD_METHOD": "pbkdf2:sha256:1000", "MAIL_BACKGROUND": False},
                   run=False)
    starting = [threading.Thread(target=portal.start) for portal in made]  # servers start while data loads
    for thread in starting:
        thread.start()
    for portal in made:
        with portal.context():
            load_profile(PROFILE_OF[portal.cluster_id], 7, DEMO_PASSWORD)
            db.session.commit()
    for thread in starting:
        thread.join()
    for portal in made:
        assert portal.process is not None, f"{portal.cluster_id} did not start"
        portal.wait_ready()
    for index, first in enumerate(made):
        for second in made[index + 1:]:
            peer(first, second)
    for portal in made:
        sync(portal)
    return {portal.cluster_id: portal for portal in made}


def build_world(demo, world, lines=None):
    """The build `make demo` drives: one portal at a time, pulling its peers, then its stage."""
    from portal.demo.world import build_steps, run_stage
    from portal.extensions import db

    for cluster_id, peer_ids, stage in build_steps(DEMO_CLUSTERS):
        sync(demo[cluster_id], *peer_ids)
        if stage is not None:
            with demo[cluster_id].context():
                line = run_stage(stage, world)
                db.session.commit()
            if lines is not None:
                lines.append((cluster_id, line))
