"""Meeting suggestions: pure ranking of complementary listings, without an app."""
from portal.matchmaking.suggestions import (Idf, explain, listing_terms, similarity, suggest, tokens, vector,
                                           why_none)


def listing(uid, kind, title, summary="", keywords=(), description="", sectors=()):
    return {"id": uid, "kind": kind, "title": title, "summary": summary, "description": description,
            "keywords": list(keywords), "sectors": list(sectors)}


def person(uid, org, listings=(), sectors=()):
    return {"id": uid, "organisation_id": org, "listings": list(listings), "sectors": list(sectors)}


ME = person("me", "org-me", [
    listing("n1", "need", "Monitoring bridge decks",
            "We need fibre sensing for structural monitoring of concrete bridges.",
            keywords=["fibre sensing", "structural monitoring"]),
], sectors=["construction", "photonics"])

SENSORS = person("sensors", "org-s", [
    listing("o1", "offer", "Fibre Bragg grating sensors",
            "Strain and temperature sensing for structural monitoring.",
            keywords=["fibre sensing", "FBG", "structural monitoring"]),
], sectors=["photonics"])

LASERS = person("lasers", "org-l", [
    listing("o2", "offer", "Ultrafast lasers for micromachining",
            "Femtosecond sources for glass cutting.", keywords=["ultrafast lasers"]),
])

VAGUE = person("vague", "org-v", [
    listing("o3", "offer", "Optical monitoring services", "Monitoring of industrial lines.",
            keywords=["machine vision"]),
])

OTHER_NEED = person("needy", "org-n", [
    listing("n2", "need", "Fibre sensing for pipelines", "We need fibre sensing too.",
            keywords=["fibre sensing"]),
])


def test_tokens_strip_accents_stopwords_and_plurals():
    assert tokens("Les capteurs à fibres optiques for the Sensors") == ["capteur", "fibre", "optique", "sensor"]


def test_a_rarer_shared_word_weighs_more():
    idf = Idf([{"fibre": 1, "sensor": 1}, {"sensor": 1, "laser": 1}, {"sensor": 1}, {"laser": 1}])
    assert idf["fibre"] > idf["laser"] > idf["sensor"] > 0
    mine = vector({"fibre": 1, "sensor": 1}, idf)
    score, matched = similarity(mine, vector({"fibre": 1, "sensor": 1, "laser": 1}, idf))
    assert matched["fibre"] > matched["sensor"] and score == sum(matched.values())
    assert similarity(mine, vector({"laser": 1}, idf)) == (0.0, {})


def test_listing_terms_weigh_keywords_over_description():
    bag = listing_terms(listing("x", "offer", "Laser", keywords=["laser"], description="laser"))
    assert bag == {"laser": 3 + 2 + 1}


def test_complementary_offers_rank_first_and_same_kind_is_not_a_match():
    ranked = suggest(ME, [ME, SENSORS, LASERS, VAGUE, OTHER_NEED])
    ids = [s.person_id for s in ranked]
    assert ids[0] == "sensors"
    assert "vague" not in ids  # one common word ("monitoring") is below the minimum score
    assert "lasers" not in ids  # nothing in common
    assert "needy" not in ids  # a need does not answer a need
    assert "me" not in ids


def test_sector_overlap_adds_to_the_score():
    twin = person("twin", "org-t", SENSORS["listings"], sectors=["photonics", "construction"])
    ranked = {s.person_id: s for s in suggest(ME, [SENSORS, dict(twin, listings=[
        dict(SENSORS["listings"][0], id="o9")])])}
    assert ranked["twin"].score > ranked["sensors"].score
    assert ranked["twin"].sectors == ("construction", "photonics")


def test_own_organisation_is_never_suggested():
    colleague = dict(SENSORS, id="colleague", organisation_id="org-me")
    ids = [s.person_id for s in suggest(ME, [colleague, SENSORS])]
    assert ids == ["sensors"]


def test_people_met_before_only_when_asked():
    assert [s.person_id for s in suggest(ME, [SENSORS], met={"sensors"})] == []
    again = suggest(ME, [SENSORS], met={"sensors"}, include_met=True)
    assert [s.person_id for s in again] == ["sensors"] and again[0].met_before is True


def test_why_nobody_is_suggested_tells_the_listless_from_the_unmatched():
    colleague = dict(SENSORS, id="colleague", organisation_id="org-me")
    assert why_none(person("me", "org-me"), [SENSORS]) == "no_listings"
    assert why_none(ME, [ME, colleague]) == "alone"
    assert why_none(ME, [ME, SENSORS], met={"sensors"}) == "met_only"
    assert why_none(ME, [ME, LASERS]) == "no_match"  # listings of mine, none that complements them


def test_explanation_names_both_listings_and_the_shared_terms():
    reason = suggest(ME, [SENSORS])[0].reasons[0]
    assert reason.terms[:2] == ("fibre sensing", "structural monitoring")
    assert explain(reason) == ("your need Monitoring bridge decks and their offer Fibre Bragg grating "
                               "sensors share: " + ", ".join(reason.terms))


def test_offers_find_needs_the_other_way_round():
    supplier = person("sup", "org-sup", SENSORS["listings"])
    ranked = suggest(supplier, [ME, OTHER_NEED, LASERS])
    assert [s.person_id for s in ranked][:2] in (["me", "needy"], ["needy", "me"])
    assert ranked[0].reasons[0].my_kind == "offer" and ranked[0].reasons[0].their_kind == "need"


def test_explain_takes_a_translated_template():
    reason = suggest(ME, [SENSORS])[0].reasons[0]
    text = explain(reason, "votre {my_kind} « {mine} » et leur {their_kind} « {theirs} » : {terms}",
                   kinds={"need": "besoin", "offer": "offre"})
    assert text.startswith("votre besoin « Monitoring bridge decks » et leur offre")


def test_a_reason_never_lists_a_stop_word():
    from portal.matchmaking.suggestions import STOPWORDS
    mine = person("me", "org-me", [
        listing("n9", "need", "An end-to-end system, TRL 6, ready for us",
                "Each of the six sites needs every sensor monitoring system to be ready.",
                keywords=["end", "system", "strain sensor"]),
    ])
    theirs = person("them", "org-t", [
        listing("o9", "offer", "Every system ready at TRL 7 for each end user",
                "We offer six sensor systems for us and our partners, prêt à l'emploi.",
                keywords=["ready", "trl", "strain sensor"]),
    ])
    ranked = suggest(mine, [mine, theirs])
    assert ranked and ranked[0].reasons
    terms = [t for reason in ranked[0].reasons for t in reason.terms]
    assert terms and "strain sensor" in terms
    assert not [t for t in terms if t in STOPWORDS]


LASER_CUTTING = listing("o-laser", "offer", "Laser cutting of aluminium sheet",
                        "Fibre laser cutting of aluminium up to 12 mm, any number of parts, free samples run "
                        "on our site; cleaning of edges included; product shared with your team.",
                        keywords=["laser cutting", "aluminium", "sheet metal"])
HAKE = listing("n-hake", "need", "Checking the freshness of hake at the auction",
               "A number of boats land hake each night: we need a free, quick check of freshness for each "
               "product on site before the auction run, shared with buyers; cleaning of the fish comes after.",
               keywords=["fish freshness", "hake", "auction"])
FISH_SENSOR = listing("o-fish", "offer", "Optical freshness check of fish fillets",
                      "Handheld spectrometer grading the freshness of hake, cod and monkfish in seconds.",
                      keywords=["fish freshness", "spectroscopy"])


def test_generic_shared_words_neither_pair_unrelated_listings_nor_explain_a_match():
    """The QA case: laser cutting of aluminium was suggested for the freshness of hake."""
    fishmonger = person("fish", "org-f", [HAKE])
    ranked = suggest(fishmonger, [person("laser", "org-l", [LASER_CUTTING]), person("optic", "org-o", [FISH_SENSOR])])
    assert [s.person_id for s in ranked] == ["optic"]
    terms = ranked[0].reasons[0].terms
    assert terms[0] == "fish freshness" and "hake" in terms
    assert not {"number", "product", "shared", "site", "free", "cleaning", "run"} & set(terms)


def test_a_word_most_listings_use_does_not_explain_a_match():
    """Not a stop word, but in every listing: its IDF leaves it out of the reasons."""
    pilot = " Pilot trials welcome, pilot site available."
    people = [person(f"p{i}", f"org-{i}", [listing(f"o{i}", "offer", f"Offer {word}", "Pilot." + pilot,
                                                   keywords=[word])])
              for i, word in enumerate(["hyperspectral camera", "thermal camera", "lidar", "radar"])]
    me = person("me", "org-me", [listing("n", "need", "Hyperspectral camera for sorting", "Pilot." + pilot,
                                         keywords=["hyperspectral camera", "sorting"])])
    ranked = suggest(me, people)
    assert [s.person_id for s in ranked] == ["p0"]
    assert "pilot" not in ranked[0].reasons[0].terms and "hyperspectral camera" in ranked[0].reasons[0].terms


def test_suggestions_are_deterministic_whatever_the_order_of_participants():
    everyone = [SENSORS, LASERS, VAGUE, OTHER_NEED, person("twin", "org-t", [dict(SENSORS["listings"][0], id="o9")])]
    assert suggest(ME, everyone) == suggest(ME, list(reversed(everyone)))


def test_shared_words_read_as_written_and_side_by_side_words_as_one_phrase():
    need = person("me", "org-me", [{"id": "n1", "kind": "need", "title": "Inactivating viruses on hatches",
                                    "summary": "UV light against viruses; dry matter sorting", "keywords": []}])
    offer = person("uv", "org-uv", [{"id": "o1", "kind": "offer", "title": "UV-C lamps that kill viruses",
                                     "summary": "Dry matter measurement and viruses", "keywords": []}])
    terms = suggest(need, [offer])[0].reasons[0].terms
    assert "viruses" in terms and "viruse" not in terms  # the word, not its stem
    assert "dry matter" in terms and "dry" not in terms and "matter" not in terms
