"""The demo data generator: sizes, field rules, references and determinism, without an app."""
import datetime
import json
import re
import uuid

import pytest

from portal.demo.generate import PROFILES, demo_accounts, generate
from portal.directory.schemas import ImportListingSchema, ImportOrganisationSchema, ImportPersonSchema
from portal.directory.vocabulary import COOPERATION, IPR, ORGANISATION_KINDS, SECTORS

#: Profile to (organisations, people, listings) it must at least hold, and the kind most listings have.
SIZES = {"photonics": (45, 60, 140, "offer"), "agrifood": (30, 30, 80, "need"), "health": (30, 30, 80, "need")}
CLUSTER_IDS = {"photonics": "photonics-bretagne", "agrifood": "agrifood-ouest", "health": "sante-atlantique"}
COUNTRIES = {"FR", "DE", "BE", "ES", "NL"}
LEFTOVER = re.compile(r"[{}\[\]|]|\?[A-Z]|  ")  # unfilled slots, unresolved alternatives, optional marks
#: The day the demo is dated from: pinned, as `make demo` keeps the day it was first built.
ANCHOR = datetime.date(2026, 12, 2)


@pytest.fixture(scope="module")
def demo():
    return {profile: generate(profile, anchor=ANCHOR) for profile in PROFILES}


def check(value, rule, where, problems):
    if not rule(value):
        problems.append(f"{where}: {value!r}")


def text(low, high):
    return lambda v: isinstance(v, str) and low <= len(v) <= high and v == v.strip() and not LEFTOVER.search(v)


def slugs(vocabulary, at_least=1):
    return lambda v: isinstance(v, list) and len(v) >= at_least and set(v) <= set(vocabulary)


def is_uid(value):
    return isinstance(value, str) and str(uuid.UUID(value)) == value and uuid.UUID(value).version == 4


def is_date(value):
    return value is None or datetime.date.fromisoformat(value).isoformat() == value


def problems_in(data):
    """Every field that breaks the portal's import rules, as "where: value" lines."""
    problems = []
    organisations = {o["uid"]: o for o in data["organisations"]}
    people = {p["uid"]: p for p in data["people"]}
    for o in data["organisations"]:
        w = f"organisation {o['name']!r}"
        check(o["uid"], is_uid, f"{w} uid", problems)
        check(o["name"], text(1, 200), f"{w} name", problems)
        check(o["kind"], lambda v: v in ORGANISATION_KINDS, f"{w} kind", problems)
        check(o["country"], lambda v: v in COUNTRIES, f"{w} country", problems)
        check(o["city"], text(1, 120), f"{w} city", problems)
        check(o["website"], lambda v: re.fullmatch(r"https://[a-z0-9-]+\.example", v), f"{w} website", problems)
        check(o["description"], text(80, 5000), f"{w} description", problems)
        check(o["sectors"], slugs(SECTORS), f"{w} sectors", problems)
        check(o["special_guest"], lambda v: isinstance(v, bool), f"{w} special_guest", problems)
    for p in data["people"]:
        w = f"person {p['display_name']!r}"
        organisation = organisations.get(p["organisation_uid"])
        check(p["uid"], is_uid, f"{w} uid", problems)
        check(organisation, bool, f"{w} organisation_uid", problems)
        check(p["display_name"], text(1, 120), f"{w} display_name", problems)
        check(p["job_title"], text(1, 200), f"{w} job_title", problems)
        check(p["bio"], text(20, 2000), f"{w} bio", problems)
        check(p["topics"], lambda v: v and all(text(1, 60)(t) for t in v), f"{w} topics", problems)
        domain = organisation["website"].removeprefix("https://") if organisation else "?"
        check(p["email"], lambda v: re.fullmatch(rf"[a-z-]+\.[a-z-]+@{re.escape(domain)}", v), f"{w} email",
              problems)
        check(p["phone"], lambda v: re.fullmatch(r"\+(33 [25]|49|32|34|31) [\d ]+", v), f"{w} phone", problems)
        check(p["share_profile"], lambda v: isinstance(v, bool), f"{w} share_profile", problems)
    for item in data["listings"]:
        w = f"listing {item['title']!r}"
        check(item["uid"], is_uid, f"{w} uid", problems)
        check(item["kind"], lambda v: v in ("offer", "need"), f"{w} kind", problems)
        check(item["organisation_uid"], lambda v: v in organisations, f"{w} organisation_uid", problems)
        check(item["person_uid"], lambda v: v is None or people.get(v, {}).get("organisation_uid")
              == item["organisation_uid"], f"{w} person_uid", problems)
        check(item["title"], text(1, 200), f"{w} title", problems)
        check(item["summary"], text(40, 500), f"{w} summary", problems)
        check(item["description"], text(200, 10000), f"{w} description", problems)
        check(item["keywords"], lambda v: 1 <= len(v) <= 20 and all(text(1, 60)(k) for k in v), f"{w} keywords",
              problems)
        check(item["sectors"], slugs(SECTORS), f"{w} sectors", problems)
        check(item["trl"], lambda v: v is None or type(v) is int and 1 <= v <= 9, f"{w} trl", problems)
        check(item["cooperation"], slugs(COOPERATION), f"{w} cooperation", problems)
        check(item["ipr"], lambda v: v is None or v in IPR, f"{w} ipr", problems)
        check(item["valid_until"], is_date, f"{w} valid_until", problems)
        check(item["status"], lambda v: v in ("open", "closed"), f"{w} status", problems)
    return problems


@pytest.mark.parametrize("profile", PROFILES)
def test_sizes_and_majority_kind(demo, profile):
    data = demo[profile]
    organisations, people, listings, majority = SIZES[profile]
    assert data["cluster"]["cluster_id"] == CLUSTER_IDS[profile]
    assert len(data["organisations"]) >= organisations
    assert len(data["people"]) >= people
    assert len(data["listings"]) >= listings
    staffed = {p["organisation_uid"] for p in data["people"]}
    assert staffed == {o["uid"] for o in data["organisations"]}
    kinds = [item["kind"] for item in data["listings"]]
    assert kinds.count(majority) > len(kinds) / 2


@pytest.mark.parametrize("profile", PROFILES)
def test_every_field_respects_the_rules(demo, profile):
    assert problems_in(demo[profile]) == []


def test_the_checker_catches_broken_records(demo):
    data = json.loads(json.dumps(demo["health"]))
    listings = data["listings"]
    listings[0]["trl"] = 10
    listings[1]["person_uid"] = next(p["uid"] for p in data["people"]
                                     if p["organisation_uid"] != listings[1]["organisation_uid"])
    listings[2]["sectors"] = ["aerospace"]
    data["people"][0]["bio"] = "Works on {topic} and [this|that]."
    assert [line.split(":")[0].split()[-1] for line in problems_in(data)] == [
        "bio", "trl", "person_uid", "sectors"]


@pytest.mark.parametrize("profile", PROFILES)
def test_the_portal_import_schemas_accept_every_record(demo, profile):
    data = demo[profile]
    for schema, records in ((ImportOrganisationSchema(), data["organisations"]),
                            (ImportPersonSchema(), data["people"]), (ImportListingSchema(), data["listings"])):
        for record in records:
            assert schema.load(record)["uid"] == record["uid"]


def test_uids_are_unique_across_the_three_profiles(demo):
    uids = [r["uid"] for data in demo.values() for key in ("organisations", "people", "listings")
            for r in data[key]]
    assert len(uids) == len(set(uids))


@pytest.mark.parametrize("profile", PROFILES)
def test_titles_names_and_emails_are_unique_within_a_profile(demo, profile):
    data = demo[profile]
    for key, field in (("listings", "title"), ("organisations", "name"), ("people", "email"),
                       ("people", "display_name")):
        values = [r[field] for r in data[key]]
        assert len(values) == len(set(values)), (key, field)


def test_same_seed_same_data_other_seed_other_data(demo):
    assert generate("photonics", seed=7, anchor=ANCHOR) == demo["photonics"]
    assert json.dumps(generate("agrifood", 3)) == json.dumps(generate("agrifood", 3))
    other = generate("photonics", seed=8)
    assert other["listings"] != demo["photonics"]["listings"]
    assert {p["uid"] for p in other["people"]}.isdisjoint(p["uid"] for p in demo["photonics"]["people"])


def test_another_anchor_moves_the_dates_and_years_only(demo):
    later = ANCHOR + datetime.timedelta(days=1000)
    moved = generate("agrifood", anchor=later)
    assert moved["organisations"] == demo["agrifood"]["organisations"]
    assert moved["people"] == demo["agrifood"]["people"]
    for before, after in zip(demo["agrifood"]["listings"], moved["listings"], strict=True):
        assert (after["uid"], after["title"]) == (before["uid"], before["title"])
        if before["valid_until"]:
            day = datetime.date.fromisoformat
            assert day(after["valid_until"]) - day(before["valid_until"]) == datetime.timedelta(days=1000)


@pytest.mark.parametrize("anchor", [ANCHOR, datetime.date(2031, 1, 15)])
def test_listings_name_years_around_their_anchor(anchor):
    """Patents filed up to three years before, pilots and deliveries the next year: never a year gone by."""
    texts = " ".join(item["description"] for profile in PROFILES
                     for item in generate(profile, anchor=anchor)["listings"])
    years = {int(year) for year in re.findall(r"\b20\d\d\b", texts)}
    assert anchor.year + 1 in years and years <= set(range(anchor.year - 3, anchor.year + 2))


@pytest.mark.parametrize("profile, at_least", [("photonics", 2), ("agrifood", 2), ("health", 1)])
def test_special_guests_are_large_end_users_or_research_centres(demo, profile, at_least):
    guests = [o for o in demo[profile]["organisations"] if o["special_guest"]]
    assert len(guests) >= at_least
    assert {o["kind"] for o in guests} <= {"end_user", "research"}


@pytest.mark.parametrize("profile", PROFILES)
def test_validity_and_consent_look_like_a_live_portal(demo, profile):
    listings, people = demo[profile]["listings"], demo[profile]["people"]
    dates = [datetime.date.fromisoformat(item["valid_until"]) for item in listings if item["valid_until"]]
    expired = ANCHOR - datetime.timedelta(days=40)  # a few expired, none of them days ago
    assert 1 <= sum(d < expired for d in dates) <= len(listings) * 0.15
    assert not any(expired <= d < ANCHOR for d in dates)
    ahead = [d for d in dates if ANCHOR + datetime.timedelta(days=30) <= d <= ANCHOR + datetime.timedelta(days=394)]
    assert len(ahead) > len(listings) * 0.7  # most open until one to thirteen months ahead
    assert max(dates) <= ANCHOR + datetime.timedelta(days=575)
    assert 1 <= sum(item["status"] == "closed" for item in listings) <= len(listings) * 0.2
    assert 0.65 <= sum(p["share_profile"] for p in people) / len(people) <= 0.95
    assert 1 <= sum(item["person_uid"] is None for item in listings) <= len(listings) * 0.2


@pytest.mark.parametrize("profile, kind", [("photonics", "technology_provider"), ("agrifood", "end_user"),
                                           ("health", "end_user")])
def test_demo_accounts_name_a_generated_member(demo, profile, kind):
    data = demo[profile]
    accounts = demo_accounts(profile)
    person = next(p for p in data["people"] if p["email"] == accounts["member_email"])
    organisation = next(o for o in data["organisations"] if o["uid"] == person["organisation_uid"])
    assert organisation["kind"] == kind
    assert any(item["person_uid"] == person["uid"] for item in data["listings"])
    assert accounts["admin_email"] == f"admin@{CLUSTER_IDS[profile]}.example"


def test_an_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="photonics"):
        generate("aerospace")
