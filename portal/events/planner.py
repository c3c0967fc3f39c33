"""The topic planner, without Flask: how many open offers and needs candidate keywords reach."""
from collections import namedtuple

from portal.text import folded

Tally = namedtuple("Tally", "offers needs organisations balance")


def normalise(terms):
    """Comma- or newline-separated text to distinct lower-case terms, in order."""
    if isinstance(terms, str):
        terms = terms.replace("\n", ",").split(",")
    return list(dict.fromkeys(t.strip().lower() for t in terms if t and t.strip()))


def matches(listing, keywords, sectors):
    """A keyword in the listing's keywords, title or summary (accents aside); and a sector of it, when given."""
    if sectors and not set(sectors) & {s.lower() for s in listing["sectors"]}:
        return False
    if not keywords:
        return bool(sectors)
    text = folded(" ".join([listing["title"], listing["summary"], *listing["keywords"]]))
    return any(folded(k) in text for k in keywords)


def balance(offers, needs):
    """offers / needs as a readable ratio: None when there are no needs."""
    return round(offers / needs, 2) if needs else None


def plan(listings, keywords, sectors, clusters):
    """Per cluster and in total: matching offers, needs, organisations and the balance.

    `listings` are dicts with origin, kind, organisation_uid, title, summary, keywords, sectors.
    """
    keywords, sectors = normalise(keywords), normalise(sectors)
    found = {c: {"offers": [], "needs": [], "orgs": set()} for c in clusters}
    if not keywords and not sectors:
        return {}, None, []
    for listing in listings:
        if listing["origin"] not in found or not matches(listing, keywords, sectors):
            continue
        bucket = found[listing["origin"]]
        bucket["offers" if listing["kind"] == "offer" else "needs"].append(listing)
        bucket["orgs"].add(listing["organisation_uid"])
    per_cluster = {c: Tally(len(b["offers"]), len(b["needs"]), b["orgs"], balance(len(b["offers"]), len(b["needs"])))
                   for c, b in found.items()}
    offers = sum(t.offers for t in per_cluster.values())
    needs = sum(t.needs for t in per_cluster.values())
    orgs = set().union(*(t.organisations for t in per_cluster.values())) if per_cluster else set()
    matched = [item for b in found.values() for item in b["offers"] + b["needs"]]
    return per_cluster, Tally(offers, needs, orgs, balance(offers, needs)), matched
