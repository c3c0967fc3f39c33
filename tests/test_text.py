"""Comparing typed words without accents: letter for letter, and folded for a search."""
from portal.text import folded, sort_key, unaccented


def test_unaccented_keeps_every_letter_in_its_place():
    assert unaccented("Ça déjà, Ångström") == "Ca deja, Angstrom"
    assert unaccented("Œuvre ﬁbre ß 한국") == "Œuvre ﬁbre ß 한국"  # no accent to take off: the same letters
    assert unaccented("plain ascii") == "plain ascii"


def test_folded_is_what_a_search_compares():
    assert folded("Hélène LE GOFF") == "helene le goff"
    assert folded(None) == ""


def test_sort_key_orders_names_as_a_dictionary_does():
    names = ["Zéphyr", "Œnologie Sud", "École Centrale", "Côte d’Ivoire", "Costa Rica", "Oberon", "Cuba", "Eau"]
    assert sorted(names, key=sort_key) == ["Costa Rica", "Côte d’Ivoire", "Cuba", "Eau", "École Centrale",
                                           "Oberon", "Œnologie Sud", "Zéphyr"]
