"""The search module: safe queries, an index that follows every write, filters, ranking, highlighting."""
from datetime import date, timedelta

import pytest

from portal.directory import search, search_sql
from portal.directory.models import Organisation
from portal.directory.search import SearchQuery, excerpt, fts5_query, highlight, search_listings, tokenise, tsquery
from portal.extensions import db
from portal.federation.models import Peer


def titles(**query):
    return [listing.title for listing in search_listings(SearchQuery(**query)).items]


# Pure functions ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,terms", [
    ("Laser welding", ["laser", "welding"]),
    ('"laser" AND ("weld', ["laser", "weld"]),
    ("NEAR(laser weld, 2)", ["laser", "weld", "2"]),
    ("'; DROP TABLE listing; --", ["drop", "table", "listing"]),
    ("fibre-optic_sensor*", ["fibre", "optic", "sensor"]),
    ("Énergie", ["énergie"]),
    ("and or not", ["and", "or", "not"]),  # lower case: ordinary words
    ("", []), ('"" * ()', []),
])
def test_tokenise_keeps_only_words(text, terms):
    assert tokenise(text) == terms


def test_tokenise_caps_terms_and_their_length():
    assert len(tokenise(" ".join(f"w{n}" for n in range(50)))) == search.MAX_TERMS
    assert tokenise("x" * 500) == ["x" * search.MAX_TERM_LENGTH]


def test_query_expressions_quote_every_term_and_prefix_the_last():
    assert fts5_query(["laser", "weld"]) == '"laser" "weld"*'
    assert fts5_query(["laser", "x"]) == '"laser" "x"'  # one letter: no prefix scan
    assert tsquery(["laser", "weld"]) == "'laser' & 'weld':*"


def test_highlight_escapes_then_marks():
    marked = highlight("<b>Laser</b> welding & lasers", ["laser"])
    assert str(marked) == "&lt;b&gt;<mark>Laser</mark>&lt;/b&gt; welding &amp; <mark>laser</mark>s"
    assert str(highlight("micro-laser", ["laser"])) == "micro-<mark>laser</mark>"
    assert str(highlight("multilaser", ["laser"])) == "multilaser"  # only at a word's start
    assert str(highlight("<i>x</i>", [])) == "&lt;i&gt;x&lt;/i&gt;"
    assert str(highlight(None, ["x"])) == ""


def test_highlight_marks_what_the_search_matched_whole_words_but_the_last_term_typed():
    # "c++" searches the word "c" (one letter: no prefix), as in "UV-C": not every word in c.
    assert str(highlight("UV-C control", ["c"])) == "UV-<mark>C</mark> control"
    # Earlier terms are whole words; the last, being typed, also marks the words it starts.
    assert str(highlight("laser lasers welding", ["laser", "weld"])) == (
        "<mark>laser</mark> lasers <mark>weld</mark>ing")


def test_highlight_prefers_the_longest_term():
    assert str(highlight("welding", ["weld", "welding"])) == "<mark>welding</mark>"


def test_highlight_ignores_accents_as_the_index_does():
    marked = highlight("Contrôle <b>qualité</b>, CONTROLE énergie", ["controle", "qualite", "énergie"])
    assert str(marked) == ("<mark>Contrôle</mark> &lt;b&gt;<mark>qualité</mark>&lt;/b&gt;, "
                           "<mark>CONTROLE</mark> <mark>énergie</mark>")
    marked = highlight("Ångström œuvre ﬁbre", ["angstrom", "oeuvre", "fibre"])
    assert str(marked) == "<mark>Ångström</mark> œuvre ﬁbre"


def test_excerpt_is_the_words_around_the_first_match():
    text = ("Founded in 1998 in Lannion, our lab builds instruments.\nWe make fibre <Bragg> grating sensors "
            "for bridges and tunnels, with twenty years of field deployments across Europe and a team.")
    marked = str(excerpt(text, ["bragg"], before=30, after=40))
    # Whole words only, the line break a space, "…" on each side cut, escaped, then marked.
    assert marked == ("… instruments. We make fibre &lt;<mark>Bragg</mark>&gt; grating sensors for "
                      "bridges and …")
    assert str(excerpt("Contrôle qualité", ["controle"])) == "<mark>Contrôle</mark> qualité"  # nothing cut
    assert excerpt(text, ["tunnel", "x"]) is None and excerpt("", ["x"]) is None  # "tunnel" is a whole word


# The index follows writes --------------------------------------------------------------------

def test_index_follows_create_edit_and_delete(make_listing):
    listing = make_listing(title="Laser welding cell", summary="", keywords=[])
    assert titles(text="laser") == ["Laser welding cell"]
    listing.title = "Plasma cutting"
    db.session.commit()
    assert titles(text="laser") == [] and titles(text="plasma") == ["Plasma cutting"]
    listing.keywords = ["waterjet"]
    listing.description = "Cuts composites."
    db.session.commit()
    assert titles(text="waterjet composites") == ["Plasma cutting"]
    db.session.delete(listing)
    db.session.commit()
    assert titles(text="plasma") == [] and titles(text="waterjet") == []


def test_index_follows_the_organisation_name(make_organisation, make_listing):
    org = make_organisation(name="Lumiwave Photonics")
    make_listing(organisation_uid=org.uid, title="Sensor")
    assert titles(text="lumiwave") == ["Sensor"]
    org.name = "Brightfield"
    db.session.commit()
    assert titles(text="lumiwave") == [] and titles(text="brightfield") == ["Sensor"]
    db.session.delete(org)
    db.session.commit()
    assert titles(text="brightfield") == [] and titles(text="sensor") == ["Sensor"]


def test_listing_received_before_its_organisation_is_found_by_it_later(app, make_listing):
    # A peer's listing may arrive before its organisation (references resolve later).
    make_listing(organisation_uid="0b7c1e52-0000-4000-8000-000000000001", title="Soil probe",
                 origin="agri-west", version=1)
    assert titles(text="agritech") == []
    db.session.add(Organisation(uid="0b7c1e52-0000-4000-8000-000000000001", name="Agritech Ouest",
                                kind="end_user", country="FR", origin="agri-west", version=1))
    db.session.commit()
    assert titles(text="agritech") == ["Soil probe"]


def test_every_searchable_field_is_indexed(make_listing):
    make_listing(title="T1", summary="alphasummary", description="betadescription", keywords=["gammakey"])
    for word in ("alphasummary", "betadescription", "gammakey", "lumiwave"):
        assert titles(text=word) == ["T1"], word


def test_accented_keywords_are_found_by_their_words(make_listing):
    make_listing(title="T1", keywords=["contrôle qualité", "Ångström"])
    for word in ("contrôle", "qualité", "ångström"):
        assert titles(text=word) == ["T1"], word
    assert titles(text="u00f4le") == []  # the escape json.dumps wrote is no word of the index


def test_accents_count_for_nothing_on_either_engine(make_listing):
    make_listing(title="Contrôle qualité en ligne", summary="Énergie", keywords=[], description="Sécurité")
    make_listing(title="Controle optique", summary="", keywords=[])
    for text in ("contrôle", "controle", "CONTROLE", "contr"):
        assert sorted(titles(text=text)) == ["Controle optique", "Contrôle qualité en ligne"], text
    for text in ("energie", "ÉNERGIE", "securite", "qualite en lig", "ener"):
        assert titles(text=text) == ["Contrôle qualité en ligne"], text


@pytest.mark.parametrize("text,word", [
    ("Probe <fibre> kit", "fibre"), ("See www.optique-ouest.org/sondes", "org"),
    ("Write to contact@lumiwave.fr", "lumiwave"), ("Firmware v2.0, 1.5 mm pitch", "v2"),
    ("Installs in /opt/lidar/bin", "lidar"), ("Rated for -40 °C", "40"), ("Rated for -40 °C", "rated")])
def test_words_between_punctuation_are_found_on_either_engine(make_listing, text, word):
    # PostgreSQL's parser reads "x.org", "a@b.fr", "2.0", "/a/b" and "-40" as one token each and
    # drops "<fibre>" as a tag: the index must see the words that the query's terms are.
    make_listing(title=text, summary="", keywords=[])
    make_listing(title="In the keywords", summary="", keywords=[text])
    make_listing(title="In the description", summary="", keywords=[], description=text)
    assert sorted(titles(text=word)) == sorted([text, "In the keywords", "In the description"])


def test_prefix_and_all_words_required(make_listing):
    make_listing(title="Laser welding cell")
    make_listing(title="Laser marking")
    assert titles(text="wel") == ["Laser welding cell"]
    assert sorted(titles(text="laser")) == ["Laser marking", "Laser welding cell"]
    assert titles(text="laser mark") == ["Laser marking"]


@pytest.mark.parametrize("text", ['"', "NEAR(", "*", "AND", "laser OR", "'; DROP TABLE listing; --",
                                  ")", "^", "-", ":", "{title}: x", "x" * 1000])
def test_syntax_in_the_query_is_never_an_error(make_listing, text):
    make_listing(title="Laser welding cell")
    search_listings(SearchQuery(text=text))
    assert titles() == ["Laser welding cell"]


# Ranking, filters, counting ------------------------------------------------------------------

def test_title_hits_rank_above_description_hits(make_listing):
    make_listing(title="Generic platform", summary="", keywords=[], description="Works with a laser source.")
    make_listing(title="Laser source", summary="", keywords=[])
    assert titles(text="laser") == ["Laser source", "Generic platform"]


def test_newest_first_without_words_or_when_asked(make_listing):
    make_listing(title="Laser old")
    make_listing(title="Laser new")
    assert titles() == ["Laser new", "Laser old"]
    assert titles(text="laser", sort="newest") == ["Laser new", "Laser old"]


def test_filters(make_organisation, make_listing):
    guest = make_organisation(name="Guest", special_guest=True, country="DE", kind="end_user")
    plain = make_organisation(name="Plain", country="FR", kind="research")
    make_listing(title="A", organisation_uid=guest.uid, kind="need", trl=3, sectors=["health"])
    make_listing(title="B", organisation_uid=plain.uid, kind="offer", trl=7, sectors=["photonics", "space"])
    make_listing(title="C", organisation_uid=plain.uid, kind="offer", trl=None, sectors=[])
    assert titles(kind="need") == ["A"]
    assert titles(sector="space") == ["B"]
    assert sorted(titles(trl_min=3, trl_max=7)) == ["A", "B"]
    assert titles(trl_min=5) == ["B"]
    assert titles(country="DE") == ["A"]
    assert sorted(titles(organisation_kind="research")) == ["B", "C"]
    assert titles(special_guests=True) == ["A"]
    assert sorted(titles(cluster="test-cluster")) == ["A", "B", "C"]
    assert titles(cluster="agri-west") == []


def test_closed_and_expired_listings(make_listing):
    make_listing(title="Closed", status="closed")
    make_listing(title="Expired", valid_until=date.today() - timedelta(days=1))
    make_listing(title="Last day", valid_until=date.today())
    assert titles() == ["Last day"]
    assert sorted(titles(show_expired=True)) == ["Expired", "Last day"]


def test_remote_listings_are_searchable_by_cluster(make_listing):
    db.session.add(Peer(cluster_id="agri-west", name="Agri West", base_url="https://agri.example",
                        public_key="k", fingerprint="f", state="confirmed"))
    make_listing(title="Remote laser", origin="agri-west", version=1)
    make_listing(title="Local laser")
    assert titles(text="laser", cluster="agri-west") == ["Remote laser"]


def test_pages_and_capped_count(monkeypatch, make_organisation, make_listing):
    org = make_organisation()
    for n in range(7):
        make_listing(title=f"Laser {n}", organisation_uid=org.uid)
    result = search_listings(SearchQuery(text="laser", page=2, page_size=3, sort="newest"))
    assert [l.title for l in result.items] == ["Laser 3", "Laser 2", "Laser 1"]
    assert (result.total, result.pages, result.capped) == (7, 3, False)
    monkeypatch.setattr(search_sql, "COUNT_CAP", 5)
    capped = search_listings(SearchQuery(text="laser", page_size=3))
    assert (capped.total, capped.capped) == (5, True)
    assert search_listings(SearchQuery(text="laser", page=9, page_size=3)).items == []


@pytest.mark.parametrize("full_rank_limit", [3_000, 1])  # every match ranked, or head matches first
def test_ranked_total_counts_only_the_filtered_matches(monkeypatch, full_rank_limit, make_organisation,
                                                       make_listing):
    monkeypatch.setattr(search_sql, "FULL_RANK_LIMIT", full_rank_limit)
    org, german = make_organisation(country="FR"), make_organisation(country="DE")
    make_listing(title="Laser offer", organisation_uid=org.uid, kind="offer", sectors=["space"])
    make_listing(title="Laser need", organisation_uid=german.uid, kind="need")
    make_listing(title="Laser closed", organisation_uid=org.uid, status="closed")
    make_listing(title="Laser expired", organisation_uid=org.uid, valid_until=date.today() - timedelta(days=1))
    make_listing(title="Unrelated", organisation_uid=org.uid)
    assert search_listings(SearchQuery(text="laser")).total == 2
    assert search_listings(SearchQuery(text="laser", kind="need")).total == 1
    assert search_listings(SearchQuery(text="laser", country="DE")).total == 1
    assert search_listings(SearchQuery(text="laser", sector="space", country="FR")).total == 1
    assert search_listings(SearchQuery(text="laser", show_expired=True)).total == 3
    past_the_end = search_listings(SearchQuery(text="laser", page=3, page_size=1))
    assert (past_the_end.items, past_the_end.total) == ([], 2)
    assert search_listings(SearchQuery(text="lasers")).total == 0


def test_filtered_out_best_matches_widen_the_ranking(monkeypatch, make_organisation, make_listing):
    # The best-ranked matches are closed: ranking only the top candidates would leave the page short.
    monkeypatch.setattr(search_sql, "CANDIDATES", 1)
    org = make_organisation()
    for n in range(4):
        make_listing(title=f"Laser laser laser {n}", organisation_uid=org.uid, status="closed", summary="")
    make_listing(title="Open", description="laser", organisation_uid=org.uid, summary="", keywords=[])
    make_listing(title="Also open", description="laser", organisation_uid=org.uid, summary="", keywords=[])
    result = search_listings(SearchQuery(text="laser", page_size=2))
    assert sorted(l.title for l in result.items) == ["Also open", "Open"] and result.total == 2


def test_many_matches_rank_head_columns_first_then_newest(monkeypatch, make_organisation, make_listing):
    monkeypatch.setattr(search_sql, "FULL_RANK_LIMIT", 1)  # as if "laser" matched thousands
    org = make_organisation(name="Org")
    make_listing(title="Older", description="A laser inside.", organisation_uid=org.uid, summary="", keywords=[])
    make_listing(title="Laser cell", organisation_uid=org.uid, summary="", keywords=[])
    make_listing(title="Newer", description="Laser driven.", organisation_uid=org.uid, summary="", keywords=[])
    assert titles(text="laser", page_size=1) == ["Laser cell"]
    assert titles(text="laser") == ["Laser cell", "Newer", "Older"]
    assert titles(text="laser", page=2, page_size=2) == ["Older"]


def test_very_common_words_rank_the_most_recent_head_matches(monkeypatch, make_organisation, make_listing):
    monkeypatch.setattr(search_sql, "FULL_RANK_LIMIT", 2)  # as if "laser" headed thousands of listings
    org = make_organisation(name="Org")
    make_listing(title="Laser laser laser", organisation_uid=org.uid, summary="", keywords=[])
    make_listing(title="Described", description="A laser inside.", organisation_uid=org.uid, summary="", keywords=[])
    make_listing(title="Laser cell", organisation_uid=org.uid, summary="", keywords=[])
    make_listing(title="Laser arm", organisation_uid=org.uid, summary="", keywords=[])
    expected = ["Laser arm", "Laser cell", "Laser laser laser", "Described"]
    if search_sql.dialect() == "postgresql":  # ts_rank reads every match: the best comes first
        expected = ["Laser laser laser", "Laser arm", "Laser cell", "Described"]
    assert titles(text="laser") == expected
    assert titles(text="laser", page=2, page_size=3) == expected[3:]


def test_result_carries_the_terms(make_listing):
    assert search_listings(SearchQuery(text="Laser, WELD!")).terms == ["laser", "weld"]

