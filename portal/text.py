"""Comparing people's words as they type them: without accents, letter for letter."""
import unicodedata
from functools import lru_cache


class _Unaccent(dict):
    """str.translate's table: a letter to the same letter without accents, learned as letters come."""

    def __missing__(self, code):
        letters = unicodedata.normalize("NFD", chr(code))
        accented = len(letters) > 1 and all(map(unicodedata.combining, letters[1:]))
        self[code] = plain = letters[0] if accented else chr(code)
        return plain


_UNACCENT = _Unaccent()


def unaccented(text):
    """`text` with its accents taken off, letter for letter: the same length, so places in it hold."""
    return text if text.isascii() else text.translate(_UNACCENT)


def folded(text):
    """`text` as a search compares it: without accents, lower case ("Hélène" -> "helene")."""
    return unaccented(text or "").lower()


#: Letters that NFD does not take apart, spelled out as a dictionary orders them.
_SPELLED_OUT = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ﬁ": "fi", "ﬂ": "fl", "ø": "o", "đ": "d", "ł": "l"})


@lru_cache(maxsize=16384)
def sort_key(text):
    """`text` as a list for people orders it: accents, case and ligatures aside ("Œnologie" among the O's).
    Cached: lists of names (a cluster's partner organisations) are sorted again at every page."""
    return folded(text).translate(_SPELLED_OUT)
