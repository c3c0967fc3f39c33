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
from sqlalchemy import cast, func, literal, literal_column, or_, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import lazyload

from portal.directory.models import Listing, Organisation
from portal.extensions import db

MAX_TERMS = 12
NEWEST = (Listing.created_at.desc(), Listing.uid)
MAX_TERM_LENGTH = 60
#: Counting stops here: past it the page says "more than 1,000" (counting is the slow part).
COUNT_CAP = 1_000
#: Relevance on SQLite ranks the best CANDIDATES x (the page's depth) matches, then filters them.
CANDIDATES = 10
_WORD = re.compile(r"[^\W_]+")
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
    capped: bool = False  # the total is a lower bound (COUNT_CAP reached)
    page: int = 1
    page_size: int = 20

    @property
    def pages(self):
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def has_previous(self):
        return self.page > 1


def tokenise(text_):
    """The words of a query, lower-cased: letters and digits only, at most MAX_TERMS."""
    words = [word for word in _WORD.findall(text_ or "") if word not in OPERATORS]
    return [word.lower()[:MAX_TERM_LENGTH] for word in words][:MAX_TERMS]


def fts5_query(terms):
    """An FTS5 MATCH expression: every term quoted, the last a prefix (unless one letter)."""
    quoted = [f'"{term}"' for term in terms]
    if len(terms[-1]) > 1:
        quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(terms):
    """A to_tsquery('simple', ...) expression: quoted lexemes joined by &, the last a prefix."""
    quoted = [f"'{term}'" for term in terms]
    if len(terms[-1]) > 1:
        quoted[-1] += ":*"
    return " & ".join(quoted)


def _dialect():
    return db.session.get_bind().dialect.name


def _json_list_contains(column, value):
    """`value` is one of the strings of the JSON list in `column`."""
    if _dialect() == "postgresql":
        return cast(column, JSONB).has_key(value)
    each = func.json_each(column).table_valued("value")
    return select(literal(1)).select_from(each).where(each.c.value == value).exists()


def _filtered(statement, query):
    """Apply the query's filters to a statement over Listing."""
    today = query.today or date.today()
    statement = statement.where(Listing.status == "open")
    if not query.show_expired:
        statement = statement.where(or_(Listing.valid_until.is_(None), Listing.valid_until >= today))
    if query.kind:
        statement = statement.where(Listing.kind == query.kind)
    if query.sector:
        statement = statement.where(_json_list_contains(Listing.sectors, query.sector))
    if query.trl_min:
        statement = statement.where(Listing.trl >= query.trl_min)
    if query.trl_max:
        statement = statement.where(Listing.trl <= query.trl_max)
    if query.cluster:
        statement = statement.where(Listing.origin == query.cluster)
    if query.country or query.organisation_kind or query.special_guests:
        organisation = select(Organisation.uid).where(Organisation.uid == Listing.organisation_uid)
        if query.country:
            organisation = organisation.where(Organisation.country == query.country)
        if query.organisation_kind:
            organisation = organisation.where(Organisation.kind == query.organisation_kind)
        if query.special_guests:
            organisation = organisation.where(Organisation.special_guest.is_(True))
        statement = statement.where(organisation.exists())
    return statement


def search_listings(query):
    """One page of the open listings matching `query`, their total (capped) and the terms used.

    Only the page's uids are ranked out of the database, then loaded with their
    organisations; totals past COUNT_CAP read "more than COUNT_CAP" (`capped`).
    """
    terms = tokenise(query.text)
    page_size, page = max(1, query.page_size), max(1, query.page)
    offset = (page - 1) * page_size
    if not terms:
        uids = db.session.scalars(_filtered(select(Listing.uid), query).order_by(*NEWEST)
                                  .limit(page_size).offset(offset)).all()
        total = _count(select(Listing.uid), query)
    elif _dialect() == "postgresql":
        uids, total = _postgres_page(terms, query, offset, page_size)
    else:
        uids, total = _sqlite_page(terms, query, offset, page_size)
    return SearchResult(items=_load(uids), total=min(total, COUNT_CAP), terms=terms, capped=total > COUNT_CAP,
                        page=page, page_size=page_size)


def _postgres_page(terms, query, offset, limit):
    """The GIN index finds the matches; filters apply on the rows ts_rank reads anyway.

    ts_rank reads the small `search_rank_vector` (the description, weight D, is left out of
    ranking: reading every match's whole document would cost more than the rest together).
    """
    expression = func.to_tsquery(literal_column("'simple'"), tsquery(terms))
    matching = select(Listing.uid).where(literal_column("listing.search_vector").op("@@")(expression))
    rank = func.ts_rank(literal_column("listing.search_rank_vector"), expression)
    order = (rank.desc(), *NEWEST) if query.sort == "relevance" else NEWEST
    uids = db.session.scalars(_filtered(matching, query).order_by(*order).limit(limit).offset(offset)).all()
    return uids, _count(matching, query)


def _fts_matches(terms, depth=None):
    """FTS5's matches as (search_id, score), lower scores first; only the best `depth` if given."""
    matches = (select(literal_column("rowid").label("search_id"), literal_column("rank").label("score"))
               .select_from(text("listing_fts"))
               .where(text("listing_fts MATCH :match").bindparams(match=fts5_query(terms))))
    if depth:
        matches = matches.order_by(literal_column("rank")).limit(depth)
    # Materialised: the planner must not probe the full-text index once per listing.
    return matches.cte("fts").prefix_with("MATERIALIZED")


def _sqlite_page(terms, query, offset, limit):
    """Rank the best candidates only (as the bare FTS query would), filter them, widen if short."""
    search_id = literal_column("listing.search_id")
    in_index = search_id.in_(select(literal_column("rowid")).select_from(text("listing_fts")).where(
        text("listing_fts MATCH :match").bindparams(match=fts5_query(terms))))
    total = _count(select(Listing.uid).where(in_index), query)
    if query.sort != "relevance":
        return db.session.scalars(_filtered(select(Listing.uid).where(in_index), query).order_by(*NEWEST)
                                  .limit(limit).offset(offset)).all(), total

    def ranked(depth):
        matches = _fts_matches(terms, depth)
        statement = select(Listing.uid).join(matches, search_id == matches.c.search_id)
        return db.session.scalars(_filtered(statement, query).order_by(matches.c.score, *NEWEST)
                                  .limit(limit).offset(offset)).all()

    uids = ranked(CANDIDATES * (offset + limit))
    if len(uids) < limit and offset + len(uids) < min(total, COUNT_CAP + 1):
        uids = ranked(None)  # the filters left too few of the best: rank them all
    return uids, total


def _count(statement, query):
    """How many rows `statement` has once filtered, counting no further than COUNT_CAP + 1."""
    limited = _filtered(statement, query).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(limited))


def _load(uids):
    """The listings of `uids`, in that order (their organisation and contact joined in)."""
    if not uids:
        return []
    # A card needs the organisation, not the contact person.
    statement = select(Listing).where(Listing.uid.in_(uids)).options(lazyload(Listing.person))
    found = {listing.uid: listing for listing in db.session.scalars(statement)}
    return [found[uid] for uid in uids if uid in found]


def highlight(value, terms):
    """`value` escaped, with every word starting with one of `terms` wrapped in <mark>."""
    value = "" if value is None else str(value)
    if not terms or not value:
        return escape(value)
    out, last = [], 0
    for match in _terms_pattern(tuple(terms)).finditer(value):
        out.append(escape(value[last:match.start()]))
        out.append(Markup("<mark>") + escape(match.group(0)) + Markup("</mark>"))
        last = match.end()
    out.append(escape(value[last:]))
    return Markup("").join(out)


@lru_cache(maxsize=256)
def _terms_pattern(terms):
    """Words starting with one of `terms` (the longest first), whatever their case."""
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(r"(?<![^\W_])(?:" + alternatives + ")", re.IGNORECASE)
