"""Did you mean: a search that finds nothing, its misspelt words corrected.

A word of the query is unknown when no listing's index holds it (the last word, the one being
typed, when no indexed word starts with it either). Its candidates are the words one edit away
(a letter deleted, inserted or replaced, or two neighbours swapped: most typing errors), in
lower case without accents as the index holds them; one statement counts the listings of each
candidate in the index, on FTS5 or PostgreSQL, and the one that most listings hold wins. The
corrected query is offered only when it finds listings under the same filters.
"""
import json
from dataclasses import replace

from sqlalchemy import text

from portal.directory import search_sql
from portal.directory.search import search_listings, tokenise
from portal.directory.search_index import TS_CONFIG
from portal.extensions import db
from portal.text import unaccented

#: The letters a correction may put in a word. Words in other scripts are searched as typed, but
#: their typing errors are not guessed.
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
#: Shorter words are one edit away from too many others to guess which was meant.
SHORTEST = 4
#: At most this many unknown words are corrected: a query with more is not a typing error.
MOST_WORDS = 2
#: Counting a candidate's listings stops here: past it, more tell nothing about the choice.
COUNT_CAP = 100

_COUNTS = {
    "sqlite": text(
        "SELECT q.value, (SELECT count(*) FROM (SELECT 1 FROM listing_fts WHERE listing_fts MATCH q.value "
        "LIMIT :cap)) FROM json_each(:expressions) AS q"),
    "postgresql": text(
        "SELECT q, (SELECT count(*) FROM (SELECT 1 FROM listing WHERE listing.search_vector @@ "
        f"to_tsquery('{TS_CONFIG}', q) LIMIT :cap) AS m) FROM unnest(CAST(:expressions AS text[])) AS q"),
}


def correction(query):
    """The text of `query` with its unknown words corrected, if that finds listings; else None."""
    terms = tokenise(query.text)
    words = [unaccented(term) for term in terms]
    if not words:
        return None
    prefix = search_sql.last_is_prefix(words)
    held = documents([(word, prefix and place == len(words) - 1) for place, word in enumerate(words)])
    unknown = [place for place, count in enumerate(held) if not count]
    if not unknown or len(unknown) > MOST_WORDS or any(len(words[place]) < SHORTEST for place in unknown):
        return None
    corrected = list(terms)  # the words the index holds, as they were typed
    for place in unknown:
        candidates = list(edits(words[place]))
        counts = documents([(candidate, False) for candidate in candidates])
        best, count = min(zip(candidates, counts), key=lambda found: (-found[1], found[0]))
        if not count:
            return None
        corrected[place] = best
    suggestion = " ".join(corrected)
    if not search_listings(replace(query, text=suggestion, page=1, page_size=1)).total:
        return None
    return suggestion


def edits(word):
    """The words one edit away from `word` (in ALPHABET's letters), `word` itself not among them."""
    splits = [(word[:cut], word[cut:]) for cut in range(len(word) + 1)]
    found = {head + tail[1:] for head, tail in splits if tail}
    found |= {head + tail[1] + tail[0] + tail[2:] for head, tail in splits if len(tail) > 1}
    found |= {head + letter + tail[1:] for head, tail in splits if tail for letter in ALPHABET}
    found |= {head + letter + tail for head, tail in splits for letter in ALPHABET}
    found.discard(word)
    found.discard("")
    return found


def documents(words):
    """For each (word, as a prefix) pair, how many listings' index holds the word (or, as a prefix,
    a word it starts), up to COUNT_CAP. Words are letters and digits (`tokenise`): quotes are enough."""
    dialect = search_sql.dialect()
    if dialect == "postgresql":
        expressions = [f"'{word}'" + (":*" if prefix else "") for word, prefix in words]
        given = expressions
    else:
        expressions = [f'"{word}"' + ("*" if prefix else "") for word, prefix in words]
        given = json.dumps(expressions)
    counts = dict(db.session.connection().execute(_COUNTS[dialect], {"expressions": given, "cap": COUNT_CAP}).all())
    return [counts.get(expression, 0) for expression in expressions]
