"""Searching listings: one interface, `search_listings(SearchQuery) -> SearchResult`, on FTS5 or PostgreSQL.

User input never reaches the full-text syntax raw: it is cut into words (letters and
digits only), each quoted, the last one a prefix. So quotes, `AND`, `NEAR(`, `*` or
`'; DROP TABLE` are words like any other, never an error.
"""
import re
from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup, escape
from sqlalchemy import Float, Integer, cast, func, literal, literal_column, or_, select, text
from sqlalchemy.dialects.postgresql import JSONB

from portal.directory.models import Listing, Organisation
from portal.extensions import db

MAX_TERMS = 12
MAX_TERM_LENGTH = 60
#: Counting stops here: past it the page says "10,000+ results" (counting is the slow part).
COUNT_CAP = 10_000
SORTS = ("relevance", "newest")
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


def _match(terms):
    """(a selectable joined to Listing, its join condition, its score column: higher is better)."""
    if _dialect() == "postgresql":
        vector = literal_column("listing.search_vector")
        query = func.to_tsquery(literal_column("'simple'"), tsquery(terms))
        return None, vector.op("@@")(query), func.ts_rank(vector, query)
    matches = text("SELECT rowid AS search_id, rank AS score FROM listing_fts WHERE listing_fts MATCH :match") \
        .bindparams(match=fts5_query(terms)).columns(search_id=Integer, score=Float).subquery("fts")
    return matches, literal_column("listing.search_id") == matches.c.search_id, -matches.c.score


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
    """One page of the open listings matching `query`, their (capped) total and the terms used."""
    terms = tokenise(query.text)
    page_size = max(1, query.page_size)
    page = max(1, query.page)
    items = select(Listing)
    keys = select(Listing.uid)
    if terms:
        matches, condition, score = _match(terms)
        if matches is not None:
            items, keys = items.join(matches, condition), keys.join(matches, condition)
        else:
            items, keys = items.where(condition), keys.where(condition)
    items, keys = _filtered(items, query), _filtered(keys, query)
    if terms and query.sort == "relevance":
        items = items.order_by(score.desc(), Listing.created_at.desc(), Listing.uid)
    else:
        items = items.order_by(Listing.created_at.desc(), Listing.uid)
    rows = db.session.scalars(items.limit(page_size).offset((page - 1) * page_size)).unique().all()
    total = db.session.scalar(select(func.count()).select_from(keys.limit(COUNT_CAP + 1).subquery()))
    capped = total > COUNT_CAP
    return SearchResult(items=rows, total=min(total, COUNT_CAP), terms=terms, capped=capped,
                        page=page, page_size=page_size)


def highlight(value, terms):
    """`value` escaped, with every word starting with one of `terms` wrapped in <mark>."""
    value = "" if value is None else str(value)
    if not terms or not value:
        return escape(value)
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
                         + ")", re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(value):
        out.append(escape(value[last:match.start()]))
        out.append(Markup("<mark>") + escape(match.group(0)) + Markup("</mark>"))
        last = match.end()
    out.append(escape(value[last:]))
    return Markup("").join(out)
