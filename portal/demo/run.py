"""`make demo`: three federated portals on 127.0.0.1:5001-5003, peered and syncing.

Each portal gets its own instance folder under instance/demo/, its own SQLite database
and believable data; the script peers every pair, starts one gunicorn and one sync
worker per portal, prints the URLs and logins, and stops everything on Ctrl-C.
"""
import os
import signal
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO_DIR = os.path.join(ROOT, "instance", "demo")
PORTALS = (
    # profile, cluster id, name, sector, port, colour
    ("photonics", "photonics-bretagne", "Photonics Bretagne", "technology", 5001, "#1d4e89"),
    ("agrifood", "agrifood-ouest", "Agrifood Ouest", "application", 5002, "#2f6b2f"),
    ("health", "sante-atlantique", "Santé Atlantique Medtech", "application", 5003, "#8a2252"),
)
PASSWORD = "passerelle-demo"


def flask(instance, *args, check=True, **kwargs):
    env = dict(os.environ, PORTAL_INSTANCE=instance)
    return subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *args],
                          cwd=ROOT, env=env, check=check, **kwargs)


def spawn(instance, *args):
    env = dict(os.environ, PORTAL_INSTANCE=instance)
    return subprocess.Popen(list(args), cwd=ROOT, env=env, start_new_session=True)


def base_url(port):
    return f"http://127.0.0.1:{port}"


def wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/federation/v1/info", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not start; see the output above")


def set_up(profile, cluster_id, name, sector, port, colour):
    """Initialise and fill one portal, once; later runs reuse it."""
    instance = os.path.join(DEMO_DIR, cluster_id)
    if os.path.exists(os.path.join(instance, "portal.toml")):
        print(f"· {name}: reusing {instance} (make clean-demo starts afresh)")
        return instance, False
    print(f"· {name}: initialising {instance}")
    flask(instance, "init", "--cluster-id", cluster_id, "--name", name,
          "--base-url", base_url(port), "--sector", sector, "--colour", colour)
    flask(instance, "demo", "load", "--profile", profile, "--password", PASSWORD)
    return instance, True


def peer_all(instances):
    for instance, (_, cluster_id, *_rest) in zip(instances, PORTALS):
        for other_instance, (_, other_id, _, _, port, _) in zip(instances, PORTALS):
            if other_id != cluster_id:
                flask(instance, "peers", "add", base_url(port), "--yes")


def main():
    os.makedirs(DEMO_DIR, exist_ok=True)
    made = [set_up(*portal) for portal in PORTALS]
    instances = [instance for instance, _ in made]
    processes = []
    try:
        for instance, portal in zip(instances, PORTALS):
            processes.append(spawn(instance, os.path.join(os.path.dirname(sys.executable), "gunicorn"),
                                   "--workers", "2", "--bind", f"127.0.0.1:{portal[4]}",
                                   "--log-level", "warning", "wsgi:app"))
        for portal in PORTALS:
            wait_until_up(base_url(portal[4]))
        if any(fresh for _, fresh in made):
            peer_all(instances)
            for instance in instances:
                flask(instance, "sync", check=False)
            for instance in instances:  # event-scoped records travel once hosts are known
                flask(instance, "demo", "settle", check=False)
            for instance in instances:
                flask(instance, "sync", check=False)
        for instance in instances:
            processes.append(spawn(instance, sys.executable, "-m", "flask", "--app", "portal",
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
    from portal.demo.generate import demo_accounts

    print("\nPasserelle demo: three federated cluster portals\n")
    for profile, _cluster_id, name, _sector, port, _colour in PORTALS:
        logins = demo_accounts(profile)
        print(f"  {name:<28} {base_url(port)}")
        print(f"      administrator  {logins['admin_email']} / {PASSWORD}")
        print(f"      member         {logins['member_email']} / {PASSWORD}")
    print("\nA change made on one portal appears on the others within a few seconds.")
    print("Press Ctrl-C to stop all of them.\n")


if __name__ == "__main__":
    main()
