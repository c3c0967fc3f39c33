"""Searching listings: one interface, `search_listings(SearchQuery) -> SearchResult`, on FTS5 or PostgreSQL.

User input never reaches the full-text syntax raw: it is cut into words (letters and
digits only), each quoted, the last one a prefix. So quotes, `AND`, `NEAR(`, `*` or
`'; DROP TABLE` are words like any other, never an error.
"""
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from markupsafe import Markup, escape

from portal.directory import search_cards, search_sql
from portal.directory.search_sql import fts5_query, tsquery  # noqa: F401  (part of the interface)
from portal.text import unaccented

MAX_TERMS = 12
MAX_TERM_LENGTH = 60
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s")
#: Written in capitals these are the user's operators, not words: every word is required anyway.
OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


@dataclass
class SearchQuery:
    """What to look for; empty values mean "any"."""

    text: str = ""
    kind: str | None = None
    sector: str | None = None
    trl_min: int | None = None
    trl_max: int | None = None
    country: str | None = None
    organisation_kind: str | None = None
    special_guests: bool = False
    cluster: str | None = None
    show_expired: bool = False
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    today: date | None = None


@dataclass
class SearchResult:
    items: list
    total: int
    terms: list = field(default_factory=list)
    capped: bool = False  # the total is a lower bound (search_sql.COUNT_CAP reached)
    page: int = 1
    page_size: int = 20

    @property
    def pages(self):
        return max(1, -(-self.total // self.page_size))


def tokenise(text_):
    """The words of a query, lower-cased: letters and digits only, at most MAX_TERMS."""
    words = [word for word in _WORD.findall(text_ or "") if word not in OPERATORS]
    return [word.lower()[:MAX_TERM_LENGTH] for word in words][:MAX_TERMS]


def search_listings(query):
    """One page of the open listings matching `query`, their total (capped) and the terms used.

    Only the page's uids are ranked out of the database (see search_sql), then loaded with
    their organisations (search_cards); totals past COUNT_CAP read "more than COUNT_CAP" (`capped`).
    """
    terms = tokenise(query.text)
    page_size, page = max(1, query.page_size), max(1, query.page)
    offset = (page - 1) * page_size
    if not terms:
        uids, total = search_sql.newest_page(query, offset, page_size)
    elif search_sql.dialect() == "postgresql":
        uids, total = search_sql.postgres_page(terms, query, offset, page_size)
    else:
        uids, total = search_sql.sqlite_page(terms, query, offset, page_size)
    cap = search_sql.COUNT_CAP
    return SearchResult(items=search_cards.load(uids, matched=bool(terms)), total=min(total, cap), terms=terms, capped=total > cap,
                        page=page, page_size=page_size)


def highlight(value, terms):
    """`value` escaped, with the words the search matched wrapped in <mark>: each of `terms`, and
    the words starting with the last one when the search takes it as a prefix.

    Accents count for nothing, as in the index: "controle" marks "Contrôle" and "contrôle" marks
    "CONTROLE". Letters are compared unaccented, one for one, so the matches' places hold.
    """
    value = "" if value is None else str(value)
    if not terms or not value:
        return escape(value)
    pattern = _pattern(terms)
    cut, pieces = 0, []
    for match in pattern.finditer(unaccented(value)):
        start, end = match.span()
        pieces += [escape(value[cut:start]), Markup("<mark>%s</mark>") % value[start:end]]
        cut = end
    if not pieces:  # no match, as in most summaries and organisation names
        return escape(value)
    pieces.append(escape(value[cut:]))
    return Markup("").join(pieces)


def matches(value, terms):
    """Whether `highlight` would mark a word of `value`."""
    return bool(value and terms and _pattern(terms).search(unaccented(value)))


def excerpt(value, terms, before=60, after=140):
    """The words of `value` around its first match of `terms`, highlighted, with "…" where the
    text is cut; None if nothing matches."""
    match = _pattern(terms).search(unaccented(value)) if value and terms else None
    if match is None:
        return None
    start, end = max(0, match.start() - before), min(len(value), match.end() + after)
    if start > 0:  # from the first whole word
        space = _SPACE.search(value, start, match.start())
        start = space.end() if space else start
    if end < len(value):  # to the last whole word
        spaces = [space.start() for space in _SPACE.finditer(value, match.end(), end + 1)]
        end = spaces[-1] if spaces else end
    words = " ".join(value[start:end].split())
    return Markup("").join([Markup("… ") if value[:start].strip() else Markup(""), highlight(words, terms),
                            Markup(" …") if value[end:].strip() else Markup("")])


def _pattern(terms):
    return _terms_pattern(tuple(unaccented(term) for term in terms))


@lru_cache(maxsize=256)
def _terms_pattern(terms):
    """The words `highlight` marks (the longest term first), whatever their case, as one group."""
    prefix = terms[-1] if search_sql.last_is_prefix(terms) else None
    alternatives = "|".join(re.escape(term) + ("" if term == prefix else r"(?![^\W_])")
                            for term in sorted(set(terms), key=len, reverse=True))
    return re.compile(r"(?<![^\W_])(" + alternatives + ")", re.IGNORECASE)
