"""Comparing typed words without accents: letter for letter, and folded for a search."""
from portal.text import folded, unaccented


def test_unaccented_keeps_every_letter_in_its_place():
    assert unaccented("Ça déjà, Ångström") == "Ca deja, Angstrom"
    assert unaccented("Œuvre ﬁbre ß 한국") == "Œuvre ﬁbre ß 한국"  # no accent to take off: the same letters
    assert unaccented("plain ascii") == "plain ascii"


def test_folded_is_what_a_search_compares():
    assert folded("Hélène LE GOFF") == "helene le goff"
    assert folded(None) == ""
