"""`make demo`: three federated portals on 127.0.0.1:5001-5003, peered, syncing, with a whole world in them.

Each portal gets its own instance folder under instance/demo/, its own SQLite database
and believable data (the three are set up side by side). Once they are served and
peered, the script builds the demo world stage by stage (portal/demo/world.py: events,
registrations, decisions, B2B requests and replies, the schedule, survey answers), each
stage on the portals that write it, each of them pulling from its peers first. It then starts
one sync worker per portal, prints the URLs, logins and what to try first, and stops
everything on Ctrl-C. A later run reuses the portals (`make clean-demo` starts afresh).
DEMO_DIR and DEMO_PORT (the first of three ports) move the demo elsewhere.

The world is dated from its anchor, the day it was first built (DEMO_DIR/anchor), so that it
looks the same whenever it is built, and the same on every later run; DEMO_ANCHOR=YYYY-MM-DD
sets it for a new demo (a reproducible build).
"""
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO_DIR = os.path.abspath(os.environ.get("DEMO_DIR") or os.path.join(ROOT, "instance", "demo"))
FIRST_PORT = int(os.environ.get("DEMO_PORT") or 5001)  # 5000 stays free for `make run`
PORTALS = (
    # profile, cluster id, name, sector, port, colour
    ("photonics", "photonics-bretagne", "Photonics Bretagne", "technology", FIRST_PORT, "#1d4e89"),
    ("agrifood", "agrifood-ouest", "Agrifood Ouest", "application", FIRST_PORT + 1, "#2f6b2f"),
    ("health", "sante-atlantique", "Santé Atlantique Medtech", "application", FIRST_PORT + 2, "#8a2252"),
)
PASSWORD = "passerelle-demo"
#: While the world is built, nothing runs behind the script's back: no notification sets off a
#: pull it did not ask for, no mail thread writes to a database it is syncing.
SETUP_ENV = {"PORTAL_NOTIFY_PEERS": "false", "PORTAL_MAIL_BACKGROUND": "false"}
READY = os.path.join(DEMO_DIR, "world.ready")


def flask(instance, *args, logged=False):
    """Run a portal command for the set-up; its output is returned (`logged`: its log lines, such
    as the mail it writes to the log, are appended to the portal's log), a failure stops the demo."""
    env = dict(os.environ, PORTAL_INSTANCE=instance, **SETUP_ENV)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout + done.stderr, file=sys.stderr)
        raise SystemExit(f"`flask {' '.join(args)}` failed for {os.path.basename(instance)}")
    if logged:
        with open(log_of(instance), "a") as log:
            log.write(done.stderr)
    return done.stdout


def in_parallel(function, items):
    """function(item) for every item, each in a thread (the portals are independent); the results in order."""
    results, errors = [None] * len(items), []

    def call(index, item):
        try:
            results[index] = function(item)
        except BaseException as error:  # noqa: BLE001 - re-raised in the main thread
            errors.append(error)

    threads = [threading.Thread(target=call, args=(i, item)) for i, item in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def spawn(instance, *args):
    """A server or worker of the portal, its output appended to the portal's log file."""
    env = dict(os.environ, PORTAL_INSTANCE=instance)
    with open(log_of(instance), "a") as log:
        return subprocess.Popen(list(args), cwd=ROOT, env=env, start_new_session=True, stdout=log,
                                stderr=subprocess.STDOUT)


def log_of(instance):
    return os.path.join(instance, "demo.log")


def base_url(port):
    return f"http://127.0.0.1:{port}"


def instance_of(cluster_id):
    return os.path.join(DEMO_DIR, cluster_id)


def check_ports():
    """Refuse to start next to servers already on our ports: we would peer with them."""
    for portal in PORTALS:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
            try:
                probe.bind(("127.0.0.1", portal[4]))
            except OSError:
                raise SystemExit(f"Port {portal[4]} is in use (a demo still running?). Stop it, "
                                 f"or choose other ports: DEMO_PORT=6001 make demo") from None


def demo_anchor():
    """The day the world is dated from, as YYYY-MM-DD: chosen once (DEMO_ANCHOR, else today) and kept in
    DEMO_DIR/anchor, so that the three portals agree even past midnight and a later run serves the same dates."""
    kept, asked = os.path.join(DEMO_DIR, "anchor"), os.environ.get("DEMO_ANCHOR")
    if os.path.exists(kept):
        with open(kept) as file:
            day = file.read().strip()
        if asked and asked != day:
            raise SystemExit(f"{DEMO_DIR} is dated from {day}, not DEMO_ANCHOR={asked}: "
                             "`make clean-demo` starts afresh, or unset DEMO_ANCHOR")
        return day
    try:
        day = date.fromisoformat(asked).isoformat() if asked else date.today().isoformat()
    except ValueError:
        raise SystemExit(f"DEMO_ANCHOR={asked} is not a day such as 2026-12-02") from None
    with open(kept, "w") as file:
        file.write(day + "\n")
    return day


def wait_until_up(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/federation/v1/info", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not start; see the logs in {DEMO_DIR}/*/demo.log")


def set_up(portal, anchor):
    """Initialise and fill one portal (its listings dated from `anchor`), once; later runs reuse it."""
    profile, cluster_id, name, sector, port, colour = portal
    instance = instance_of(cluster_id)
    config = os.path.join(instance, "portal.toml")
    if os.path.exists(config):
        with open(config, "rb") as settings:
            made_for = tomllib.load(settings).get("BASE_URL")
        if made_for != base_url(port):  # its peers know it by that URL: serving it elsewhere breaks them
            raise SystemExit(f"{instance} was made for {made_for}, not {base_url(port)}: "
                             "`make clean-demo` starts afresh, or set DEMO_PORT to its first port")
        print(f"· {name}: reusing {instance} (make clean-demo starts afresh)")
        flask(instance, "db", "upgrade")  # made by older code: its schema and data follow the migrations
        return
    print(f"· {name}: initialising {instance}")
    flask(instance, "init", "--cluster-id", cluster_id, "--name", name,
          "--base-url", base_url(port), "--sector", sector, "--colour", colour,
          "--language", "fr")  # French clusters: mail and feeds in French unless a member picks English
    loaded = flask(instance, "demo", "load", "--profile", profile, "--password", PASSWORD, "--anchor", anchor)
    print(f"· {name}: " + "; ".join(line.strip() for line in loaded.splitlines()[:1]))


def build_world(anchor):
    """Peer every pair, then the world's stages (dated from `anchor`), one portal at a time, each pulling
    its peers first."""
    from portal.demo.world import build_steps

    def peer(portal):
        for other in PORTALS:
            if other[1] != portal[1]:
                flask(instance_of(portal[1]), "peers", "add", base_url(other[4]), "--yes")

    in_parallel(peer, PORTALS)
    for cluster_id, peer_ids, stage in build_steps([portal[1] for portal in PORTALS]):
        pulls = [arg for peer_id in peer_ids for arg in ("--peer", peer_id)]
        if stage is None:
            flask(instance_of(cluster_id), "sync", *pulls)
        else:  # `flask sync --peer ...` and the stage in one process: the same pulls, one start-up less
            output = flask(instance_of(cluster_id), "demo", "stage", stage, *pulls, "--anchor", anchor)
            print(f"  {cluster_id}: " + output.strip())
    # What the stages queued goes out now (to each portal's log), as cron's `mail send` would,
    # not all at once whenever a later click happens to start a delivery.
    in_parallel(lambda portal: flask(instance_of(portal[1]), "mail", "send", logged=True), PORTALS)


def main():
    started = time.monotonic()
    # Ctrl-C, and a plain kill too, stop the servers (even if started where SIGINT was ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    check_ports()
    os.makedirs(DEMO_DIR, exist_ok=True)
    anchor = demo_anchor()
    print(f"· the demo world is dated from {anchor}")
    in_parallel(lambda portal: set_up(portal, anchor), PORTALS)
    processes = []
    try:
        for portal in PORTALS:
            processes.append(spawn(instance_of(portal[1]), os.path.join(os.path.dirname(sys.executable), "gunicorn"),
                                   "--workers", "2", "--bind", f"127.0.0.1:{portal[4]}", "--log-level", "warning",
                                   "--control-socket", os.path.join(instance_of(portal[1]), "gunicorn.ctl"),
                                   "wsgi:app"))
        for portal in PORTALS:
            wait_until_up(base_url(portal[4]))
        if not os.path.exists(READY):
            print("· building the demo world: events, registrations, B2B meetings, survey answers")
            build_world(anchor)
            with open(READY, "w") as marker:
                marker.write("the demo world is built; delete this file to build the missing parts again\n")
            print(f"· ready in {time.monotonic() - started:.0f} s")
        for portal in PORTALS:
            processes.append(spawn(instance_of(portal[1]), sys.executable, "-m", "flask", "--app", "portal",
                                   "sync", "--watch"))
        print_welcome()
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        print("A demo process stopped; shutting the others down.")
    except KeyboardInterrupt:
        print("\nStopping the demo portals…")
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def print_welcome():
    """URLs and logins of the three portals, and what to try first (real links, spread over them)."""
    from portal import create_app
    from portal.demo.generate import demo_accounts
    from portal.demo.world import LEAD, welcome_paths

    print("\nPasserelle demo: three federated cluster portals\n")
    for profile, _cluster_id, name, _sector, port, _colour in PORTALS:
        logins = demo_accounts(profile)
        print(f"  {name:<28} {base_url(port)}")
        print(f"      administrator  {logins['admin_email']} / {PASSWORD}")
        print(f"      member         {logins['member_email']} / {PASSWORD}")
    app = create_app({"SECRET_KEY": "welcome", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    print("\nWhat to try first (log in as the one named; every portal has these pages, but the"
          " organisers' side of a co-hosted event is on its lead's portal):")
    lead = next(portal for portal in PORTALS if portal[1] == LEAD)
    spread = itertools.cycle(PORTALS)
    for who, what, path, lead_only in welcome_paths(app.url_map):
        portal = lead if lead_only else next(spread)
        print(f"  {who:<14} {what}\n                 {base_url(portal[4])}{path}")
    survey = flask(instance_of(PORTALS[0][1]), "demo", "survey-link").strip()
    if survey:
        name, link = survey.split("\t")
        print(f"  {'participant':<14} {name}'s survey six months after the past event (a personal link: no log-in)"
              f"\n                 {link}")
    print(f"\nA change made on one portal appears on the others within a few seconds. "
          f"Server logs: {DEMO_DIR}/*/demo.log")
    print("Press Ctrl-C to stop all of them.\n")


if __name__ == "__main__":
    main()
