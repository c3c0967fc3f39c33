"""The SQL behind `search_listings`: filters, capped counts, and ranked pages on SQLite and PostgreSQL.

Ranking every match is what costs (bm25 or ts_rank reads each match's document), so:
- SQLite ranks only the best `CANDIDATES x depth` matches, as the bare FTS5 query would,
  then filters them (through a covering index) and widens to all matches if that falls
  short. Past `FULL_RANK_LIMIT` matches it ranks only the matches in the title, keywords,
  summary or organisation name first (a column filter), and the matches found only in
  descriptions come after them, newest first. When even those head matches pass
  `FULL_RANK_LIMIT` (a very common word), only the most recently added `FULL_RANK_LIMIT`
  of them are ranked (bm25 costs a few microseconds a match: 20,000 would take ~100 ms),
  the older head matches follow newest first, then the description-only ones.
- PostgreSQL ranks with ts_rank only the head matches (title, keywords, summary, organisation
  name: a small vector with its own GIN index), then the others newest first, which is the
  order ts_rank on that vector gives every match; the rows of description-only matches are
  read only when the head matches do not fill the page.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, cast, column, func, literal, literal_column, or_, select, table, text
from sqlalchemy.dialects.postgresql import JSONB

from portal.directory.models import Listing, Organisation
from portal.extensions import db
from portal.federation.records import local_cluster

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
#: What a result card shows; the rest (the description above all) loads only if asked for.
CARD_COLUMNS = (Listing.uid, Listing.origin, Listing.kind, Listing.organisation_uid, Listing.title,
                Listing.summary, Listing.sectors, Listing.trl, Listing.valid_until, Listing.status)
CARD_FIELDS = tuple(column.key for column in CARD_COLUMNS)
CARD_ORGANISATION = (Organisation.uid, Organisation.origin, Organisation.name, Organisation.country,
                     Organisation.special_guest)

#: The cards of the listings whose uids are given as `uids`: built once (one expanding
#: parameter, where `in_(uids)` would check each of them on every request).
CARDS = (select(*CARD_COLUMNS, *CARD_ORGANISATION)
         .outerjoin(Organisation, Organisation.uid == Listing.organisation_uid)
         .where(Listing.uid.in_(bindparam("uids", expanding=True))))


@dataclass(frozen=True, slots=True)
class CardOrganisation:
    """The organisation on a result card."""

    uid: str
    origin: str
    name: str
    country: str
    special_guest: bool


@dataclass(frozen=True, slots=True)
class ListingCard:
    """What a result card shows of a listing (the template reads it as it would a Listing):
    read-only plain values, which cost a fraction of loading ORM objects."""

    uid: str
    origin: str
    kind: str
    organisation_uid: str
    title: str
    summary: str
    sectors: list
    trl: int | None
    valid_until: date | None
    status: str
    organisation: CardOrganisation | None
    is_local: bool
    is_expired: bool


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


def dialect():
    return db.session.get_bind().dialect.name


def _json_list_contains(column, value):
    """`value` is one of the strings of the JSON list in `column`."""
    if dialect() == "postgresql":
        return cast(column, JSONB).has_key(value)
    each = func.json_each(column).table_valued("value")
    return select(literal(1)).select_from(each).where(each.c.value == value).exists()


def filtered(statement, query):
    """Apply the query's filters (a SearchQuery) to a statement over Listing."""
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


def count(statement, query):
    """How many rows `statement` has once filtered, counting no further than COUNT_CAP + 1."""
    limited = filtered(statement, query).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(limited))


def newest_page(query, offset, limit):
    """No words: the newest open listings, straight from the (status, created_at) index."""
    uids = db.session.scalars(filtered(select(Listing.uid), query).order_by(*NEWEST)
                              .limit(limit).offset(offset)).all()
    return uids, count(select(Listing.uid), query)


def postgres_page(terms, query, offset, limit):
    """One page of uids and the capped total: the head matches ranked, then the others newest first.

    Head matches (every word in the title, keywords, summary or organisation name) come from
    their own GIN index and are ranked by ts_rank on that small vector, which scores the other
    matches 0 anyway: the order is that of ranking every match, without reading their rows.
    Past COUNT_CAP head matches the total is capped without counting the others.
    """
    expression = func.to_tsquery(literal_column("'simple'"), tsquery(terms))
    matching = select(Listing.uid).where(SEARCH_VECTOR.op("@@")(expression))
    if query.sort != "relevance":
        return db.session.scalars(filtered(matching, query).order_by(*NEWEST)
                                  .limit(limit).offset(offset)).all(), count(matching, query)
    in_head = RANK_VECTOR.op("@@")(expression)
    head = filtered(select(Listing.uid).where(in_head), query)
    rows = db.session.execute(head.add_columns(func.count().over()).limit(limit).offset(offset)
                              .order_by(func.ts_rank(RANK_VECTOR, expression).desc(), *NEWEST)).all()
    uids = [uid for uid, _ in rows]
    heads = rows[0][1] if rows else None
    total = heads if heads is not None and heads > COUNT_CAP else count(matching, query)
    if len(uids) == limit or offset + len(uids) >= min(total, COUNT_CAP + 1):
        return uids, total
    if heads is None:
        heads = db.session.scalar(select(func.count()).select_from(head.subquery()))
    rest = filtered(matching.where(~in_head), query).order_by(*NEWEST)
    return uids + db.session.scalars(rest.limit(limit - len(uids)).offset(max(0, offset - heads))).all(), total


def _fts(expression, ranked=True, depth=None, name="fts", floor=None):
    """FTS5's matches of `expression` as (search_id[, score]); only the best `depth` if given,
    only those from search_id `floor` on if given (FTS5 seeks to it)."""
    columns = [literal_column("rowid").label("search_id")]
    if ranked:
        columns.append(literal_column("rank").label("score"))
    matches = select(*columns).select_from(text("listing_fts")).where(
        text(f"listing_fts MATCH :{name}").bindparams(**{name: expression}))
    if floor is not None:
        matches = matches.where(literal_column("rowid") >= floor)
    if depth:
        matches = matches.order_by(literal_column("rank")).limit(depth)
    # Materialised: the planner must not probe the full-text index once per listing.
    return matches.cte(name).prefix_with("MATERIALIZED")


def sqlite_page(terms, query, offset, limit):
    """One page of uids and the capped total, ranked as the module's doc says."""
    match = fts5_query(terms)
    # The full-text index drives (a scan of its matches, each checked in the covering index).
    matching = (select(Listing.uid).select_from(FTS).join(Listing, SEARCH_ID == FTS.c.rowid)
                .where(text("listing_fts MATCH :match").bindparams(match=match)))
    total = count(matching, query)
    if query.sort != "relevance":
        return db.session.scalars(filtered(matching, query).order_by(*NEWEST)
                                  .limit(limit).offset(offset)).all(), total
    depth = CANDIDATES * (offset + limit)
    if _matches(match) > FULL_RANK_LIMIT:
        head = "{" + " ".join(HEAD_COLUMNS) + "} : (" + match + ")"
        floor = _window_floor(head)
        uids = _ranked(query, _fts(head, depth=depth, name="head", floor=floor), offset, limit)
        if len(uids) < limit and offset + len(uids) < min(total, COUNT_CAP + 1):
            uids = _head_first(query, match, head, offset, limit, floor)
        return uids, total
    uids = _ranked(query, _fts(match, depth=depth), offset, limit)
    if len(uids) < limit and offset + len(uids) < min(total, COUNT_CAP + 1):
        uids = _ranked(query, _fts(match), offset, limit)  # filters left too few of the best: rank all
    return uids, total


def _matches(match):
    """How many listings FTS5 matches, filters aside (cheap: no ranking)."""
    return db.session.scalar(text("SELECT count(*) FROM listing_fts WHERE listing_fts MATCH :match"),
                             {"match": match})


def _window_floor(expression):
    """The search_id of the FULL_RANK_LIMIT-th most recently added match, None if fewer match.

    search_id grows with every insert, and FTS5 walks its matches by rowid without ranking them.
    """
    return db.session.scalar(text("SELECT rowid FROM listing_fts WHERE listing_fts MATCH :match "
                                  "ORDER BY rowid DESC LIMIT 1 OFFSET :skip"),
                             {"match": expression, "skip": FULL_RANK_LIMIT - 1})


def _ranked(query, matches, offset, limit):
    statement = select(Listing.uid).join(matches, SEARCH_ID == matches.c.search_id)
    return db.session.scalars(filtered(statement, query).order_by(matches.c.score, *NEWEST)
                              .limit(limit).offset(offset)).all()


def _head_first(query, match, head, offset, limit, floor=None):
    """Every match: the head-column ones by rank first (from `floor` on, then the older ones
    newest first), then the others newest first."""
    hits, ranked = _fts(match, ranked=False), _fts(head, name="head", floor=floor)
    statement = (select(Listing.uid).join(hits, SEARCH_ID == hits.c.search_id)
                 .outerjoin(ranked, ranked.c.search_id == hits.c.search_id))
    order = [ranked.c.score.is_(None)]
    if floor is not None:
        older = _fts(head, ranked=False, name="older_head")
        statement = statement.outerjoin(older, older.c.search_id == hits.c.search_id)
        order.append(older.c.search_id.is_(None))
    order += [ranked.c.score, *NEWEST]
    return db.session.scalars(filtered(statement, query).order_by(*order).limit(limit).offset(offset)).all()


def load(uids):
    """The listings of `uids` as ListingCards, in that order, with their organisations."""
    if not uids:
        return []
    width, local, today = len(CARD_COLUMNS), local_cluster(), date.today()
    found = {}
    for row in db.session.execute(CARDS, {"uids": uids}):
        listing = dict(zip(CARD_FIELDS, row[:width]))
        organisation = CardOrganisation(*row[width:]) if row[width] is not None else None
        valid_until = listing["valid_until"]
        found[listing["uid"]] = ListingCard(
            **listing, organisation=organisation, is_local=listing["origin"] == local,
            is_expired=valid_until is not None and valid_until < today)
    return [found[uid] for uid in uids if uid in found]
