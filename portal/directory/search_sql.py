"""The SQL behind `search_listings`: filters, capped counts, and ranked pages on SQLite and PostgreSQL.

Ranking every match is what costs (bm25 or ts_rank reads each match's document), so:
- SQLite ranks every match as the bare FTS5 query would, keeps the best `CANDIDATES x depth`,
  filters them (through a covering index) and widens to all matches if that falls short; the
  same statement counts the filtered matches from the same pass over the index. Past
  `FULL_RANK_LIMIT` matches it ranks only the matches in the title, keywords, summary or
  organisation name first (a column filter), and the matches found only in descriptions come
  after them, newest first. When even those head matches pass
  `FULL_RANK_LIMIT` (a very common word), only the most recently added `FULL_RANK_LIMIT`
  of them are ranked (bm25 costs a few microseconds a match: 20,000 would take ~100 ms),
  the older head matches follow newest first, then the description-only ones.
- PostgreSQL ranks with ts_rank only the head matches (title, keywords, summary, organisation
  name: a small vector with its own GIN index), then the others newest first, which is the
  order ts_rank on that vector gives every match; the rows of description-only matches are
  read only when the head matches do not fill the page.

Each statement is built once per set of filters (`filter_names`), their values and the terms
passed as parameters: building a fresh statement and its cache key cost about 0.6 ms of Python,
as much as a rare word's whole query.
"""
from datetime import date
from functools import lru_cache

from sqlalchemy import String, bindparam, cast, column, func, literal, literal_column, or_, select, table, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import TableClause

from portal.directory.models import Listing, Organisation
from portal.directory.search_index import TS_CONFIG
from portal.extensions import db

#: Counting stops here: past it the page says "more than 1,000" (counting is the slow part).
COUNT_CAP = 1_000
#: SQLite ranks the best CANDIDATES x (the page's depth) matches, then filters them.
CANDIDATES = 10
#: Past this many matches SQLite ranks head-column matches first (see the module's doc).
FULL_RANK_LIMIT = 3_000
HEAD_COLUMNS = ("title", "keywords", "summary", "org_name")
NEWEST = (Listing.created_at.desc(), Listing.uid)
FTS = table("listing_fts", column("rowid"))
SEARCH_ID = literal_column("listing.search_id")
SEARCH_VECTOR, RANK_VECTOR = literal_column("listing.search_vector"), literal_column("listing.search_rank_vector")


def last_is_prefix(terms):
    """Whether the last term finds the words it starts (the one being typed), not only itself:
    not for one letter, which would find most listings."""
    return len(terms[-1]) > 1


def fts5_query(terms):
    """An FTS5 MATCH expression: every term quoted, the last a prefix (see last_is_prefix)."""
    quoted = [f'"{term}"' for term in terms]
    if last_is_prefix(terms):
        quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(terms):
    """A to_tsquery(TS_CONFIG, ...) expression: quoted lexemes joined by &, the last a prefix."""
    quoted = [f"'{term}'" for term in terms]
    if last_is_prefix(terms):
        quoted[-1] += ":*"
    return " & ".join(quoted)


def dialect():
    return db.session.get_bind().dialect.name


#: The optional filters of a SearchQuery; "current" (hide expired listings) is on unless show_expired.
FILTERS = ("kind", "sector", "trl_min", "trl_max", "cluster", "country", "organisation_kind", "special_guests")


def filter_names(query):
    """The filters `query` sets: with the dialect, they decide a statement's SQL (see `parameters`)."""
    names = tuple(name for name in FILTERS if getattr(query, name))
    return names if query.show_expired else names + ("current",)


def parameters(query, **values):
    """The values of `query`'s filters as the named parameters `filtered()` leaves in its SQL."""
    params = {name: getattr(query, name) for name in FILTERS if name != "special_guests" and getattr(query, name)}
    if not query.show_expired:
        params["today"] = query.today or date.today()
    return params | values


def _json_list_contains(column, value, dialect_name):
    """`value` is one of the strings of the JSON list in `column`."""
    if dialect_name == "postgresql":
        return cast(column, JSONB).has_key(value)
    each = func.json_each(column).table_valued("value")
    return select(literal(1)).select_from(each).where(each.c.value == value).exists()


def filtered(statement, names, dialect_name, listing=Listing.__table__):
    """Apply the filters `names` (see `filter_names`) to a statement over `listing`, their values left
    as parameters: the statement is built once for all the searches with those filters."""
    columns = listing.c
    statement = statement.where(columns.status == "open")
    if "current" in names:
        statement = statement.where(or_(columns.valid_until.is_(None), columns.valid_until >= bindparam("today")))
    if "kind" in names:
        statement = statement.where(columns.kind == bindparam("kind"))
    if "sector" in names:
        statement = statement.where(_json_list_contains(columns.sectors, bindparam("sector", type_=String),
                                                        dialect_name))
    if "trl_min" in names:
        statement = statement.where(columns.trl >= bindparam("trl_min"))
    if "trl_max" in names:
        statement = statement.where(columns.trl <= bindparam("trl_max"))
    if "cluster" in names:
        statement = statement.where(columns.origin == bindparam("cluster"))
    if {"country", "organisation_kind", "special_guests"} & set(names):
        organisation = select(Organisation.uid).where(Organisation.uid == columns.organisation_uid)
        if "country" in names:
            organisation = organisation.where(Organisation.country == bindparam("country"))
        if "organisation_kind" in names:
            organisation = organisation.where(Organisation.kind == bindparam("organisation_kind"))
        if "special_guests" in names:
            organisation = organisation.where(Organisation.special_guest.is_(True))
        statement = statement.where(organisation.exists())
    return statement


class _IndexedListing(TableClause):
    """The listing table read through the covering index of the search's filters (SQLite's
    INDEXED BY): checking a match there never reads its row, where the planner would otherwise
    go through the unique search_id index, then the row."""

    inherit_cache = True


@compiles(_IndexedListing)
def _indexed_listing(element, compiler, **kw):
    return "listing INDEXED BY ix_listing_search_filter"


INDEXED_LISTING = _IndexedListing("listing", *(column(c.name, c.type) for c in Listing.__table__.columns),
                                  column("search_id"))


def _execute(statement, params):
    """Run a Core statement on the session's connection: the ORM's per-statement work (autoflush,
    ORM result set-up) costs ~0.1 ms and a search, a GET, never has pending changes to flush."""
    return db.session.connection().execute(statement, params)


def _scalars(statement, params):
    return _execute(statement, params).scalars().all()


def _paged(statement):
    return statement.limit(bindparam("limit")).offset(bindparam("offset"))


TSQUERY = func.to_tsquery(literal_column(f"'{TS_CONFIG}'"), bindparam("tsquery"))


def _matching(kind):
    """The listings a search matches, before filters: all, FTS5's matches of :match, or :tsquery's."""
    if kind == "fts":
        # The full-text index drives (a scan of its matches, each checked in the covering index).
        return (select(Listing.uid).select_from(FTS).join(Listing, SEARCH_ID == FTS.c.rowid)
                .where(text("listing_fts MATCH :match")))
    if kind == "tsquery":
        return select(Listing.uid).where(SEARCH_VECTOR.op("@@")(TSQUERY))
    return select(Listing.uid)


@lru_cache(maxsize=256)
def _count_statement(kind, names, dialect_name):
    limited = filtered(_matching(kind), names, dialect_name).limit(bindparam("cap")).subquery()
    return select(func.count()).select_from(limited)


@lru_cache(maxsize=256)
def _newest_statement(kind, names, dialect_name):
    return _paged(filtered(_matching(kind), names, dialect_name).order_by(*NEWEST))


def count(kind, query, params):
    """How many listings `kind` matches once filtered (see `_matching`), counting no further than
    COUNT_CAP + 1."""
    return _execute(_count_statement(kind, filter_names(query), dialect()), params | {"cap": COUNT_CAP + 1}).scalar()


def _newest(kind, query, params):
    return _scalars(_newest_statement(kind, filter_names(query), dialect()), params)


def newest_page(query, offset, limit):
    """No words: the newest open listings, straight from the (status, created_at) index."""
    params = parameters(query, limit=limit, offset=offset)
    return _newest("all", query, params), count("all", query, params)


@lru_cache(maxsize=256)
def _postgres_head_statement(names):
    """The page of the head matches by ts_rank, each row with their number (a window count).

    ts_rank is computed in a subquery that OFFSET 0 keeps PostgreSQL from merging into the
    outer query: the window then buffers (uid, score, created_at), not the whole rows the
    ranking reads (2,024 rows of "common": ~3 ms less of its ~15 under load).
    """
    head = filtered(select(Listing.uid, func.ts_rank(RANK_VECTOR, TSQUERY).label("score"), Listing.created_at)
                    .where(RANK_VECTOR.op("@@")(TSQUERY)), names, "postgresql").offset(0).subquery("head")
    return _paged(select(head.c.uid, func.count().over())
                  .order_by(head.c.score.desc(), head.c.created_at.desc(), head.c.uid))


@lru_cache(maxsize=256)
def _postgres_head_count_statement(names):
    head = filtered(select(Listing.uid).where(RANK_VECTOR.op("@@")(TSQUERY)), names, "postgresql")
    return select(func.count()).select_from(head.subquery())


@lru_cache(maxsize=256)
def _postgres_rest_statement(names):
    rest = _matching("tsquery").where(~RANK_VECTOR.op("@@")(TSQUERY))
    return _paged(filtered(rest, names, "postgresql").order_by(*NEWEST))


def postgres_page(terms, query, offset, limit):
    """One page of uids and the capped total: the head matches ranked, then the others newest first.

    Head matches (every word in the title, keywords, summary or organisation name) come from
    their own GIN index and are ranked by ts_rank on that small vector, which scores the other
    matches 0 anyway: the order is that of ranking every match, without reading their rows.
    Past COUNT_CAP head matches the total is capped without counting the others.
    """
    params = parameters(query, tsquery=tsquery(terms), limit=limit, offset=offset)
    if query.sort != "relevance":
        return _newest("tsquery", query, params), count("tsquery", query, params)
    names = filter_names(query)
    rows = _execute(_postgres_head_statement(names), params).all()
    uids = [uid for uid, _ in rows]
    heads = rows[0][1] if rows else None
    total = heads if heads is not None and heads > COUNT_CAP else count("tsquery", query, params)
    if len(uids) == limit or offset + len(uids) >= min(total, COUNT_CAP + 1):
        return uids, total
    if heads is None:
        heads = _execute(_postgres_head_count_statement(names), params).scalar()
    rest = params | {"limit": limit - len(uids), "offset": max(0, offset - heads)}
    return uids + _scalars(_postgres_rest_statement(names), rest), total


def _fts(param, name, ranked=True, depth=False, floor=False):
    """A CTE `name`: FTS5's matches of the parameter :`param` as (search_id[, score]); only the best
    :depth if `depth`, only those from search_id :floor on if `floor` (FTS5 seeks to it)."""
    columns = [literal_column("rowid").label("search_id")]
    if ranked:
        columns.append(literal_column("rank").label("score"))
    matches = select(*columns).select_from(text("listing_fts")).where(text(f"listing_fts MATCH :{param}"))
    if floor:
        matches = matches.where(literal_column("rowid") >= bindparam("floor"))
    # Materialised: the planner must not probe the full-text index once per listing.
    matches = matches.cte(f"{name}_all" if depth else name).prefix_with("MATERIALIZED")
    if depth:
        # Ranked unsorted, then sorted here: cheaper than FTS5's own ORDER BY rank (common word's
        # 2,655 head matches: ~12.4 -> ~10.6 ms).
        matches = (select(matches.c.search_id, matches.c.score).order_by(matches.c.score)
                   .limit(bindparam("depth")).cte(name).prefix_with("MATERIALIZED"))
    return matches


def sqlite_page(terms, query, offset, limit):
    """One page of uids and the capped total, ranked as the module's doc says."""
    match = fts5_query(terms)
    params = parameters(query, match=match, limit=limit, offset=offset, cap=COUNT_CAP + 1)
    if query.sort != "relevance":
        return _newest("fts", query, params), count("fts", query, params)
    matches = _matches(match)
    if not matches:
        return [], 0
    names = filter_names(query)
    params["depth"] = CANDIDATES * (offset + limit)
    if matches > FULL_RANK_LIMIT:
        total = count("fts", query, params)
        params["head"] = "{" + " ".join(HEAD_COLUMNS) + "} : (" + match + ")"
        floor = _window_floor(params["head"])
        if floor is not None:
            params["floor"] = floor
        uids = _scalars(_ranked_statement(names, "head", floor=floor is not None), params)
        if len(uids) < limit and offset + len(uids) < min(total, COUNT_CAP + 1):
            uids = _scalars(_head_first_statement(names, floor is not None), params)
        return uids, total
    rows = _execute(_best_first_statement(names), params).all()
    uids = [uid for uid, _ in rows]
    total = rows[0][1] if rows else count("fts", query, params)
    if len(uids) < limit and offset + len(uids) < min(total, COUNT_CAP + 1):
        # filters left too few of the best: rank all
        uids = _scalars(_ranked_statement(names, "match", depth=False), params)
    return uids, total


@lru_cache(maxsize=256)
def _best_first_statement(names):
    """The page of the best :depth matches of :match, each row with the capped count of every
    filtered match: one pass over FTS5's matches serves both (and ranking them unsorted, then
    sorting here, costs less than FTS5's own ORDER BY rank)."""
    hits = _fts("match", "hits")
    best = (select(hits.c.search_id, hits.c.score).order_by(hits.c.score).limit(bindparam("depth"))
            .cte("best").prefix_with("MATERIALIZED"))
    # EXISTS, not a join: a join would have the planner build a Bloom filter of every listing.
    visible = filtered(select(literal(1)).where(INDEXED_LISTING.c.search_id == hits.c.search_id),
                       names, "sqlite", INDEXED_LISTING)
    counted = select(literal(1)).select_from(hits).where(visible.exists())
    total = select(func.count()).select_from(counted.limit(bindparam("cap")).subquery()).scalar_subquery()
    page = select(Listing.uid, total).select_from(best).join(Listing, SEARCH_ID == best.c.search_id)
    return _paged(filtered(page, names, "sqlite").order_by(best.c.score, *NEWEST))


MATCHES = text("SELECT count(*) FROM (SELECT 1 FROM listing_fts WHERE listing_fts MATCH :match LIMIT :cap)")
WINDOW_FLOOR = text("SELECT rowid FROM listing_fts WHERE listing_fts MATCH :match "
                    "ORDER BY rowid DESC LIMIT 1 OFFSET :skip")


def _matches(match):
    """How many listings FTS5 matches, filters aside, counting no further than FULL_RANK_LIMIT + 1
    (cheap: no ranking; a common word's 12,997 matches took ~1.4 ms to count, its first 3,001 ~0.8)."""
    return _execute(MATCHES, {"match": match, "cap": FULL_RANK_LIMIT + 1}).scalar()


def _window_floor(expression):
    """The search_id of the FULL_RANK_LIMIT-th most recently added match, None if fewer match.

    search_id grows with every insert, and FTS5 walks its matches by rowid without ranking them.
    """
    return _execute(WINDOW_FLOOR, {"match": expression, "skip": FULL_RANK_LIMIT - 1}).scalar()


@lru_cache(maxsize=256)
def _ranked_statement(names, param, floor=False, depth=True):
    """The page of the matches of :`param`, best first (only the best :depth of them if `depth`)."""
    matches = _fts(param, "head" if param == "head" else "fts", depth=depth, floor=floor)
    statement = select(Listing.uid).join(matches, SEARCH_ID == matches.c.search_id)
    return _paged(filtered(statement, names, "sqlite").order_by(matches.c.score, *NEWEST))


@lru_cache(maxsize=256)
def _head_first_statement(names, floor):
    """Every match: the head-column ones by rank first (from :floor on if `floor`, then the older
    ones newest first), then the others newest first."""
    hits, ranked = _fts("match", "fts", ranked=False), _fts("head", "head", floor=floor)
    statement = (select(Listing.uid).join(hits, SEARCH_ID == hits.c.search_id)
                 .outerjoin(ranked, ranked.c.search_id == hits.c.search_id))
    order = [ranked.c.score.is_(None)]
    if floor:
        older = _fts("head", "older_head", ranked=False)
        statement = statement.outerjoin(older, older.c.search_id == hits.c.search_id)
        order.append(older.c.search_id.is_(None))
    order += [ranked.c.score, *NEWEST]
    return _paged(filtered(statement, names, "sqlite").order_by(*order))
