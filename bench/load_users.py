"""The visitors of bench/load.py, a locustfile: browsing, live search, profiles, beside /healthz.

Read by `locust -f bench/load_users.py` (bench/load.py starts it, with BENCH_LOAD_PLAN naming
a JSON file of listing, organisation and person uids, search queries and a member's cookie).
Each visitor thinks 1 to 3 s between actions; a live search is typed as htmx sends it: the
form's fields with `HX-Request`, one request per pause in the typing (the form's debounce is
300 ms), so a word arrives as one or two prefixes and then in full.
"""
import json
import os
import random
import time
from urllib.parse import urlencode

from locust import FastHttpUser, between, task

with open(os.environ["BENCH_LOAD_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)

#: The search form's other fields, empty, as the browser submits them with every keystroke.
FORM = {"kind": "", "sector": "", "trl_min": "", "trl_max": "", "country": "", "organisation_kind": "",
        "cluster": "", "sort": "relevance"}
#: htmx 4's request headers for a partial swap.
HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}
FRAGMENT_START = '<section id="results"'


def typed(query, rng):
    """What the server sees while `query` is typed: a prefix or two of the last word, then all of it."""
    head, _, last = query.rpartition(" ")
    states = sorted({rng.randint(3, len(last) - 1) for _ in range(rng.randint(0, 2))}) if len(last) > 4 else []
    return [(head + " " if head else "") + last[:n] for n in states] + [query]


class Visitor(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.rng = random.Random()

    def get(self, url, name, fragment=False, headers=None, **kwargs):
        """GET `url`; anything but a 200 carrying the expected page or fragment is an error."""
        with self.client.get(url, name=name, headers=headers, catch_response=True, allow_redirects=False,
                             **kwargs) as response:
            body = response.text or ""
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif fragment and not body.lstrip().startswith(FRAGMENT_START):
                response.failure("not the results fragment")
            elif not fragment and name != "healthz" and "</html>" not in body:
                response.failure("not a full page")

    @task(4)
    def live_search(self):
        query = self.rng.choice(PLAN["queries"])
        current = "/directory"
        for i, text in enumerate(typed(query, self.rng)):
            if i:
                time.sleep(self.rng.uniform(0.35, 0.8))  # a pause in the typing, past the debounce
            url = "/directory?" + urlencode({"q": text, **FORM})
            self.get(url, "search (htmx)", fragment=True, headers={**HTMX, "HX-Current-URL": current})
            current = url

    @task(3)
    def browse_directory(self):
        args = self.rng.choice([{}, {"kind": "offer"}, {"kind": "need"}, {"sort": "newest"}])
        self.get("/directory?" + urlencode(args), "directory (page)")
        for page in range(2, 2 + self.rng.randint(0, 2)):  # "Next", through htmx
            time.sleep(self.rng.uniform(1, 3))
            self.get("/directory?" + urlencode({**args, "page": page}), "directory next (htmx)",
                     fragment=True, headers=HTMX)

    @task(3)
    def listing(self):
        self.get(f"/listings/{self.rng.choice(PLAN['listings'])}", "listing")

    @task(2)
    def organisation(self):
        self.get(f"/organisations/{self.rng.choice(PLAN['organisations'])}", "organisation")

    @task(1)
    def person(self):
        self.get(f"/people/{self.rng.choice(PLAN['people'])}", "person",
                 headers={"Cookie": PLAN["member_cookie"]})
        self.client.cookiejar.clear()  # the other pages stay anonymous

    @task(2)
    def healthz(self):
        self.get("/healthz", "healthz")
