"""Did you mean: a search that finds nothing offers its misspelt words corrected, on either engine."""
import re

import pytest

from portal.directory.search import SearchQuery
from portal.directory.spelling import correction, edits


def suggested(text, **filters):
    return correction(SearchQuery(text=text, **filters))


def test_edits_are_the_words_one_typing_error_away():
    found = edits("lazer")
    assert {"laser", "lazr", "alzer", "lazers", "blazer"} <= found  # replaced, deleted, swapped, inserted twice
    assert "lazer" not in found and "" not in edits("a")
    assert len(edits("abc")) == len({*edits("abc")})  # a set: no candidate counted twice
    assert "resal" not in found  # two edits away


@pytest.fixture
def listings(make_listing):
    make_listing(title="Hyperspectral imaging for crop sorting", summary="", keywords=[])
    make_listing(title="Laser welding cell", summary="Contrôle qualité en ligne", keywords=[])
    make_listing(title="Card reader", summary="", keywords=[])
    make_listing(title="Smart card printer", summary="", keywords=[])
    make_listing(title="Shopping cart tracking", summary="", keywords=[])


def test_a_misspelt_word_is_corrected_to_the_indexed_word_one_edit_away(listings):
    assert suggested("hyperspectal imaging") == "hyperspectral imaging"
    assert suggested("lazer welding") == "laser welding"
    assert suggested("hyperspectral imagnig") == "hyperspectral imaging"  # the last word too, swapped letters


def test_the_word_most_listings_hold_wins(listings):
    assert suggested("carf") == "card"  # "card" in two listings, "cart" in one


def test_accents_count_for_nothing_and_known_words_stay_as_typed(listings):
    assert suggested("Contrôle qualitee") == "contrôle qualite"


def test_nothing_to_suggest(listings):
    assert suggested("hyperspectral imaging") is None  # every word known
    assert suggested("hyperspec") is None  # the word being typed starts a known one
    assert suggested("qzxwv") is None  # no indexed word one edit away
    assert suggested("lzr welding") is None  # too short to guess
    assert suggested("lazr weldin crp") is None  # too many unknown words: not a typing error
    assert suggested("hyperspectal welding") is None  # corrected, still nothing: both words are required
    assert suggested("lazer", kind="need") is None  # corrected, but the filters leave nothing
    assert suggested("") is None


@pytest.mark.parametrize("text,expected", [
    ('"lazer', "laser"), ("NEAR(lazer", "laser"), ("lazer*", "laser"), ("lazer OR welding", "laser welding"),
    ("'; DROP TABLE listing; --", None), ("Ελληνικά", None), ("welding 1234567", None), ("x" * 1000, None)])
def test_any_query_is_safe_to_correct(listings, text, expected):
    assert suggested(text) == expected


def test_the_directory_offers_the_correction_with_the_same_filters(client, listings):
    html = client.get("/directory?q=hyperspectal+imaging&kind=offer&sort=newest").text
    link = re.search(r'Nothing matches\. Did you mean <a href="([^"]+)" class="suggestion">hyperspectral imaging</a>\?', html)
    assert link.group(1) == "/directory?q=hyperspectral+imaging&amp;kind=offer&amp;sort=newest"
    assert "for crop sorting" in client.get(link.group(1).replace("&amp;", "&")).text  # its words highlighted
    fragment = client.get("/directory?q=lazer", headers={"HX-Request": "true"}).text
    assert 'Did you mean <a href="/directory?q=laser" class="suggestion">laser</a>?' in fragment
    assert "<html" not in fragment


def test_the_correction_is_escaped_and_the_usual_advice_comes_without_one(client, listings):
    html = client.get("/directory?q=qzxwv").text
    assert "Did you mean" not in html and "Try fewer words or filters" in html
    html = client.get("/directory?q=%3Cb%3Elazer%3C%2Fb%3E").text  # <b>lazer</b>: the words are b, lazer, b
    assert "<b>" not in html.split('id="results"')[1]
