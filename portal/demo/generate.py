"""Seeded demo data for a cluster portal, in the portal's import format: plain data, no Flask, no network."""
import datetime
import functools
import random
import re
import uuid

from . import catalogue_agrifood, catalogue_health, catalogue_photonics
from . import needs_agrifood, needs_health, needs_industry, offers_applied, topics_comms, topics_lasers
from . import topics_sensing
from .compose import bind, capitalise, compose, domain_of, fill, slug, split_tags
from .people import bio, email, job_titles, phone, pick_name
from .texts import describe_organisation, need_closing, offer_closing

PROFILES = {"photonics": catalogue_photonics, "agrifood": catalogue_agrifood, "health": catalogue_health}
OFFERS = {**topics_sensing.TOPICS, **topics_lasers.TOPICS, **topics_comms.TOPICS, **offers_applied.TOPICS}
NEEDS = {**needs_industry.TOPICS, **needs_agrifood.TOPICS, **needs_health.TOPICS}

_GENERIC_TOPICS = {
    "cluster": ["technology-meets-application days", "European projects", "business development",
                "innovation funding"],
    "other": ["deep-tech investment", "seed funding", "start-up growth", "innovation funding"],
}


def generate(profile, seed=7, anchor=None):
    """Organisations, people and listings of one cluster portal; the same seed gives the same data.

    `anchor` (a date, by default today) is the day the demo is dated from: listings' end dates
    and the years their texts name follow it, and nothing else does.
    """
    anchor = anchor or datetime.date.today()
    if profile not in PROFILES:
        raise ValueError(f"unknown demo profile {profile!r}; choose one of {sorted(PROFILES)}")
    catalogue = PROFILES[profile]
    rng = random.Random(f"passerelle-demo:{profile}:{seed}")
    uid_rng = random.Random(f"passerelle-demo-uid:{profile}:{seed}")
    state = {"uid": lambda: str(uuid.UUID(int=uid_rng.getrandbits(128), version=4)),
             "names": set(), "titles": set()}
    organisations, people, listings, members = [], [], [], []
    for entry in catalogue.ORGANISATIONS:
        entry = dict(entry, founded=entry["founded"] or _founded(entry["size"], rng),
                     roles=entry["roles"] or getattr(catalogue, "ROLES", {}).get(entry["kind"]))
        record = _organisation(entry, state, rng)
        staff = _people(entry, record["uid"], state, rng)
        organisations.append(record)
        people += staff
        members.append((entry, record, staff))
        low, high = catalogue.LISTINGS.get(entry["kind"], (0, 0)) if entry["topics"] else (0, 0)
        topics = rng.sample(entry["topics"], len(entry["topics"]))
        for i in range(rng.randint(low, high)):
            listings.append(_listing(entry, record, staff, topics[i % len(topics)], state, rng, anchor))
    majority = [m for m in members if m[0]["kind"] == catalogue.MEMBER_KIND and m[0]["topics"]]
    while len(listings) < catalogue.TARGET_LISTINGS:
        entry, record, staff = rng.choice(majority)
        listings.append(_listing(entry, record, staff, rng.choice(entry["topics"]), state, rng, anchor))
    return {"cluster": dict(catalogue.CLUSTER), "organisations": organisations, "people": people,
            "listings": listings}


def demo_accounts(profile, seed=7):
    """The demo member login (see `demo_member`) and the admin."""
    return {"member_email": demo_member(profile, seed)["email"],
            "admin_email": f"admin@{PROFILES[profile].CLUSTER['cluster_id']}.example"}


@functools.lru_cache(maxsize=None)
def demo_member(profile, seed=7):
    """The person a newcomer logs in as: of the profile's typical kind of member, sharing their
    profile and posting listings, and of those the one the other clusters' people answer best
    (their three best suggestions), so that the demo's suggestions cross clusters."""
    from portal.matchmaking.suggestions import suggest

    data = generate(profile, seed)
    kinds = {o["uid"]: o["kind"] for o in data["organisations"]}
    mine = _as_participants(data)
    candidates = [p for p in data["people"] if kinds[p["organisation_uid"]] == PROFILES[profile].MEMBER_KIND
                  and p["share_profile"] and p["uid"] in mine]
    others = [plain for other in PROFILES if other != profile
              for plain in _as_participants(generate(other, seed)).values()]
    return max(candidates, key=lambda p: sum(s.score for s in suggest(mine[p["uid"]], others, limit=3)))


def _as_participants(data):
    """{person uid: the person as the suggestion module wants them} for everyone posting listings."""
    sectors = {o["uid"]: o["sectors"] for o in data["organisations"]}
    found = {}
    for item in data["listings"]:
        person = item["person_uid"]
        if person is not None:
            found.setdefault(person, {"id": person, "organisation_id": item["organisation_uid"],
                                      "sectors": sectors[item["organisation_uid"]], "listings": []})
            found[person]["listings"].append(dict(item, id=item["uid"]))
    return found


def _founded(size, rng):
    if size > 150:
        return rng.randint(1962, 2004)
    return rng.randint(1994, 2019) if size > 20 else rng.randint(2012, 2023)


def _organisation(entry, state, rng):
    entry["domain"] = entry["domain"] or slug(entry["name"])
    return {"uid": state["uid"](), "name": entry["name"], "kind": entry["kind"], "country": entry["country"],
            "city": entry["city"], "website": f"https://{entry['domain']}.example",
            "description": describe_organisation(entry, rng), "sectors": list(entry["sectors"]),
            "special_guest": entry["guest"]}


def _staff_size(size, rng):
    if size <= 15:
        return 2 if rng.random() < 0.2 else 1
    if size <= 60:
        return rng.randint(1, 2)
    return rng.randint(2, 3) if size <= 300 else rng.randint(3, 4)


def _people(entry, organisation_uid, state, rng):
    keywords = [k for key in entry["topics"] for k in _topic(key)["keywords"]] or _GENERIC_TOPICS[entry["kind"]]
    keywords = list(dict.fromkeys(keywords))
    staff = []
    for index, title in enumerate(job_titles(entry, _staff_size(entry["size"], rng), rng)):
        first, last, gender = pick_name(entry["country"], rng)
        while (first, last) in state["names"]:
            first, last, gender = pick_name(entry["country"], rng)
        state["names"].add((first, last))
        topics = rng.sample(keywords, rng.randint(2, min(4, len(keywords))))
        person = {"first": first, "pron": "she" if gender == "f" else "he", "job_title": title,
                  "lead": index == 0}
        staff.append({"uid": state["uid"](), "organisation_uid": organisation_uid,
                      "display_name": f"{first} {last}", "job_title": title,
                      "bio": bio(entry, person, topics, rng), "topics": topics,
                      "email": email(first, last, entry["domain"]), "phone": phone(entry["city"], rng),
                      "share_profile": rng.random() < 0.8})
    return staff


def _topic(key):
    return OFFERS.get(key) or NEEDS[key]


def _slots(topic, entry):
    """The topic's slots, overridden by the organisation's own context and narrowed to its sectors.

    Values tagged with none of the organisation's sectors are dropped; untagged values stay.
    """
    slots = {}
    for name, values in topic["slots"].items():
        values = entry["ctx"].get(name, values)
        fitting = [v for v in values if not split_tags(v)[1] or set(split_tags(v)[1]) & set(entry["sectors"])]
        slots[name] = fitting or values
    return slots


def _listing(entry, record, staff, key, state, rng, anchor):
    kind = "offer" if key in OFFERS else "need"
    topic = _topic(key)
    slots = _slots(topic, entry)
    for _ in range(40):
        texts, tags = bind(slots, rng)
        binding = dict(texts, org=entry["name"], short=entry["short"], city=entry["city"],
                       next_year=anchor.year + 1)
        title = capitalise(fill(rng.choice(topic["titles"]), binding, rng))
        if title not in state["titles"]:
            break
    else:
        title = _distinct(title, entry, state["titles"])
    state["titles"].add(title)
    trl = _trl(topic, kind, entry, rng)
    cooperation = _cooperation(topic, entry, rng)
    ipr = _ipr(topic, kind, entry, rng)
    closing = (offer_closing(trl, cooperation, ipr, binding, rng) if kind == "offer"
               else need_closing(trl, cooperation, domain_of(entry["sectors"]), binding, rng))
    valid_until, status = _validity(rng, anchor)
    sectors = list(dict.fromkeys(topic["sectors"] + tags))[:4]
    summary = capitalise(fill(rng.choice(topic["summaries"]), binding, rng))
    description = compose(topic["body"], binding, rng) + "\n\n" + closing
    return {"uid": state["uid"](), "kind": kind, "organisation_uid": record["uid"],
            "person_uid": rng.choice(staff)["uid"] if rng.random() > 0.08 else None, "title": title,
            "summary": summary, "description": description,
            "keywords": _keywords(topic, texts, f"{title} {summary} {description}", rng),
            "sectors": sectors, "trl": trl, "cooperation": cooperation, "ipr": ipr,
            "valid_until": valid_until, "status": status}


def _keywords(topic, texts, text, rng):
    """The listing's subject, the topic keywords its text uses, then the topic's two general ones."""
    subject = re.sub(r"^(a|an|the|our) ", "", texts[next(iter(topic["slots"])).split("+")[0]])
    text = text.lower()
    found = [k for k in topic["keywords"] if re.search(rf"\b{re.escape(k.lower())}\b", text)]
    subjects = [subject] if len(subject) <= 60 else []
    chosen = list(dict.fromkeys(subjects + found + topic["keywords"][:2]))
    return chosen[:rng.randint(5, 7)]


def _distinct(title, entry, taken):
    suffix = entry["city"] if entry["kind"] == "end_user" else entry["short"]
    candidate, n = f"{title} ({suffix})", 2
    while candidate in taken:
        candidate, n = f"{title} ({suffix}, {n})", n + 1
    return candidate


def _trl(topic, kind, entry, rng):
    if topic["trl"] is None or (kind == "need" and rng.random() < 0.25):
        return None
    low, high = topic["trl"]
    if kind == "need":
        high = min(high, 8)
    elif entry["kind"] == "research":
        low, high = max(1, low - 2), min(high, 6)
    elif kind == "offer" and entry["size"] <= 10:
        high = min(high, 7)
    return rng.randint(min(low, high), high)


def _cooperation(topic, entry, rng):
    chosen = rng.sample(topic["coop"], rng.randint(1, min(3, len(topic["coop"]))))
    if entry["kind"] == "research" and "research_cooperation" not in chosen:
        chosen = ["research_cooperation"] + chosen[:2]
    return chosen


def _ipr(topic, kind, entry, rng):
    if kind == "need":
        return "none" if rng.random() < 0.15 else None
    protected = [i for i in topic["ipr"] if i in ("patented", "patent_pending", "know_how")]
    return rng.choice(protected if entry["kind"] == "research" and protected else topic["ipr"])


def _validity(rng, anchor):
    """Mostly open until one to thirteen months after the anchor, some up to nineteen; a few expired
    (six weeks to 21 months before), a few closed, a few without end date."""
    draw = rng.random()
    if draw < 0.07:
        day = anchor + datetime.timedelta(days=rng.randint(-641, -41))
        return day.isoformat(), rng.choice(["open", "closed"])
    if draw < 0.12:
        return None, "open"
    day = anchor + datetime.timedelta(days=rng.randint(395, 575) if draw < 0.2 else rng.randint(30, 394))
    return day.isoformat(), "closed" if rng.random() < 0.05 else "open"
