"""The listings' full-text index: its DDL on SQLite (FTS5) and PostgreSQL (tsvector), kept by triggers.

Triggers keep the index in step with every write, whoever makes it: the directory's
services, the import, and the federation receiver applying peers' records. On SQLite the
receiver's new listings are the one exception: `insert_listings` indexes a page of them
with one statement in the same transaction (a trigger per row cost most of a first pull). The index
covers a listing's title, summary, description, keywords and its organisation's name,
so renaming (or receiving late) an organisation re-indexes its listings.

SQLite: `listing.search_id` is a stable integer key (a table without an INTEGER PRIMARY
KEY may see its rowids renumbered by VACUUM), the view `listing_search_source` is the
external content of the FTS5 table `listing_fts`, ranked with bm25. PostgreSQL: columns
`search_vector` (the whole document, GIN-indexed, for matching) and `search_rank_vector`
(all but the description, small enough to stay in the row, for ts_rank), each GIN-indexed, filled
by a trigger. `migration_ddl(dialect)` gives the migration the
same statements that `db.create_all()` runs here.
"""
from sqlalchemy import DDL, Column, Integer, MetaData, Table, event, text

from portal.federation import bulk

FTS_COLUMNS = ("title", "summary", "description", "keywords", "org_name")
#: bm25 weights, in FTS_COLUMNS order: a title hit counts most.
BM25_WEIGHTS = (10.0, 4.0, 1.0, 6.0, 3.0)

_SQL_COLS = ", ".join(FTS_COLUMNS)
_ORG_NAME = "COALESCE((SELECT o.name FROM organisation o WHERE o.uid = {0}.organisation_uid), '')"


def _fts_delete(alias, org_name):
    """The FTS5 'delete' of the row `alias` with the values it was indexed with."""
    return (f"INSERT INTO listing_fts(listing_fts, rowid, {_SQL_COLS}) "
            f"SELECT 'delete', {alias}.search_id, {alias}.title, {alias}.summary, {alias}.description, "
            f"{alias}.keywords, {org_name}")


def _fts_insert(alias, org_name):
    return (f"INSERT INTO listing_fts(rowid, {_SQL_COLS}) "
            f"SELECT {alias}.search_id, {alias}.title, {alias}.summary, {alias}.description, "
            f"{alias}.keywords, {org_name}")


SQLITE_DDL = [
    "ALTER TABLE listing ADD COLUMN search_id INTEGER",
    "CREATE UNIQUE INDEX ix_listing_search_id ON listing (search_id)",
    # Covers the default filters, so checking thousands of matches never reads the listings.
    "CREATE INDEX ix_listing_search_filter ON listing (search_id, status, valid_until, created_at, uid)",
    "CREATE VIEW listing_search_source AS SELECT l.search_id AS search_id, l.title AS title, "
    "l.summary AS summary, l.description AS description, l.keywords AS keywords, "
    "COALESCE(o.name, '') AS org_name FROM listing l LEFT JOIN organisation o ON o.uid = l.organisation_uid",
    f"CREATE VIRTUAL TABLE listing_fts USING fts5({_SQL_COLS}, content='listing_search_source', "
    "content_rowid='search_id', tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "INSERT INTO listing_fts(listing_fts, rank) VALUES ('rank', 'bm25({})')".format(
        ", ".join(str(w) for w in BM25_WEIGHTS)),
    # A new listing takes the next search_id, then enters the index (a bulk writer that gives
    # provisional ids indexes its rows itself: see insert_listings).
    "CREATE TRIGGER listing_search_insert AFTER INSERT ON listing WHEN new.search_id IS NULL BEGIN "
    "UPDATE listing SET search_id = (SELECT COALESCE(MAX(search_id), 0) + 1 FROM listing) "
    "WHERE rowid = new.rowid AND search_id IS NULL; "
    + _fts_insert("l", _ORG_NAME.format("l")) + " FROM listing l WHERE l.rowid = new.rowid; END",
    "CREATE TRIGGER listing_search_update AFTER UPDATE OF title, summary, description, keywords, "
    "organisation_uid ON listing WHEN old.search_id IS NOT NULL BEGIN "
    + _fts_delete("old", _ORG_NAME.format("old")) + "; "
    + _fts_insert("new", _ORG_NAME.format("new")) + "; END",
    "CREATE TRIGGER listing_search_delete AFTER DELETE ON listing WHEN old.search_id IS NOT NULL BEGIN "
    + _fts_delete("old", _ORG_NAME.format("old")) + "; END",
    # An organisation's name is part of its listings' documents.
    "CREATE TRIGGER organisation_search_insert AFTER INSERT ON organisation BEGIN "
    + _fts_delete("l", "''") + " FROM listing l WHERE l.organisation_uid = new.uid AND l.search_id IS NOT NULL; "
    + _fts_insert("l", "new.name") + " FROM listing l WHERE l.organisation_uid = new.uid "
    "AND l.search_id IS NOT NULL; END",
    "CREATE TRIGGER organisation_search_update AFTER UPDATE OF name ON organisation BEGIN "
    + _fts_delete("l", "old.name") + " FROM listing l WHERE l.organisation_uid = old.uid AND l.search_id IS NOT NULL; "
    + _fts_insert("l", "new.name") + " FROM listing l WHERE l.organisation_uid = new.uid "
    "AND l.search_id IS NOT NULL; END",
    "CREATE TRIGGER organisation_search_delete AFTER DELETE ON organisation BEGIN "
    + _fts_delete("l", "old.name") + " FROM listing l WHERE l.organisation_uid = old.uid AND l.search_id IS NOT NULL; "
    + _fts_insert("l", "''") + " FROM listing l WHERE l.organisation_uid = old.uid "
    "AND l.search_id IS NOT NULL; END",
]

#: PostgreSQL's text search configuration: `simple` (lower-cased words, no stemming) with the
#: accents taken off first (the `unaccent` extension, trusted: a database owner may create it),
#: so that "controle" finds "contrôle" as on SQLite, whose tokenizer removes diacritics.
TS_CONFIG = "passerelle_search"
POSTGRES_TS_CONFIG_DDL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = simple)",
    f"ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG} ALTER MAPPING FOR word, hword, hword_part WITH unaccent, simple",
]

def _words(sql):
    """`sql` (text) with every run of punctuation made a space, before PostgreSQL's parser reads it.

    The parser keeps "x.org", "mail@x.fr", "1.5" or "/usr/bin" whole and drops "<fibre>" as a
    tag, where SQLite's tokenizer and the query's terms (`search.tokenise`) see words between
    punctuation: without this, "org", "mail" or "fibre" found such a listing on SQLite only.
    """
    return f"regexp_replace({sql}, '[[:punct:]]+', ' ', 'g')"


def _vector(sql, weight):
    return f"setweight(to_tsvector('{TS_CONFIG}', {_words(sql)}), '{weight}')"


# Keywords are a JSON array of strings, which may hold \u escapes (json.dumps writes them):
# their text values are read through JSON before the punctuation goes.
_KEYWORDS = "array_to_string(ARRAY(SELECT json_array_elements_text(coalesce(NEW.keywords, '[]'::json))), ' ')"
# Ranking reads a small vector (title, keywords, summary, organisation: kept inside the row);
# matching uses the whole document through the GIN index, so the large vector is never read.
_PG_HEADLINE = " || ".join([
    _vector("coalesce(NEW.title, '')", "A"), _vector(_KEYWORDS, "B"),
    _vector("coalesce(NEW.summary, '')", "B"), _vector("coalesce(org_name, '')", "C")])
#: The trigger function that computes a listing's two vectors (the migrations 0003 and 0013 replace it).
POSTGRES_DOCUMENT_FUNCTION = (
    "CREATE OR REPLACE FUNCTION listing_search_document() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE org_name text; BEGIN "
    "SELECT o.name INTO org_name FROM organisation o WHERE o.uid = NEW.organisation_uid; "
    "NEW.search_rank_vector := " + _PG_HEADLINE + "; "
    "NEW.search_vector := NEW.search_rank_vector || " + _vector("coalesce(NEW.description, '')", "D")
    + "; RETURN NEW; END $$"
)

POSTGRES_DDL = [
    *POSTGRES_TS_CONFIG_DDL,
    "ALTER TABLE listing ADD COLUMN search_vector tsvector, ADD COLUMN search_rank_vector tsvector",
    "CREATE INDEX ix_listing_search_vector ON listing USING gin (search_vector)",
    # The head matches (title, keywords, summary, organisation) straight from their own index:
    # only they are ranked, so a common word never reads the rows of its description-only matches.
    "CREATE INDEX ix_listing_search_rank_vector ON listing USING gin (search_rank_vector)",
    POSTGRES_DOCUMENT_FUNCTION,
    "CREATE TRIGGER listing_search_document BEFORE INSERT OR UPDATE OF title, summary, description, "
    "keywords, organisation_uid ON listing FOR EACH ROW EXECUTE FUNCTION listing_search_document()",
    # Touching organisation_uid re-runs the listing trigger, which reads the new name.
    "CREATE FUNCTION organisation_search_reindex() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "DECLARE org_uid varchar := CASE WHEN TG_OP = 'DELETE' THEN OLD.uid ELSE NEW.uid END; "
    "BEGIN UPDATE listing SET organisation_uid = organisation_uid WHERE organisation_uid = org_uid; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER organisation_search_reindex AFTER INSERT OR DELETE OR UPDATE OF name ON organisation "
    "FOR EACH ROW EXECUTE FUNCTION organisation_search_reindex()",
]


def migration_ddl(dialect):
    """The statements that create the index on `dialect` ("sqlite" or "postgresql"), in order."""
    return {"sqlite": SQLITE_DDL, "postgresql": POSTGRES_DDL}.get(dialect, [])


def attach(listing_table):
    """Have `create_all()` (tests, fresh databases) run the DDL once its tables exist.

    It listens on the whole metadata: the triggers need the organisation table too.
    """
    for dialect, statements in (("sqlite", SQLITE_DDL), ("postgresql", POSTGRES_DDL)):
        for statement in statements:
            event.listen(listing_table.metadata, "after_create", DDL(statement).execute_if(dialect=dialect))


FTS5_AUTOMERGE = 4  # FTS5's default
_AUTOMERGE = text("INSERT INTO listing_fts(listing_fts, rank) VALUES ('automerge', :value)")


def insert_listings(session, table, rows):
    """Insert listing rows (Core executemany) and index them with one statement, not a trigger each.

    SQLite: each row takes the next search_id as it goes in (the insert trigger leaves a row
    that has one alone), so the statement's rows hold the highest ids once it has run (the
    transaction holds the write lock); one INSERT ... SELECT of those ids fills the FTS index,
    in the same transaction. PostgreSQL: the row trigger computes the documents within the insert.
    """
    if not rows:
        return
    if session.get_bind().dialect.name != "sqlite":
        bulk.insert_rows(session, table, rows)
        return
    bulk.insert_rows(session, _with_search_id(table), rows)
    # FTS5 writes a segment whenever its pending terms outgrow their buffer and, by default,
    # merges segments a little at every such write. Merging is off for the page's one statement
    # and back on for every later write, in the same transaction (a page that fails rolls both
    # back); FTS5's crisis merge still bounds the segments per level. A bulk insert of 100,000
    # listings took 15% less time, and wrote 20% less (docs/performance-sync.md).
    session.execute(_AUTOMERGE, {"value": 0})
    session.execute(text(_fts_insert("l", "COALESCE(o.name, '')")
                         + " FROM listing l LEFT JOIN organisation o ON o.uid = l.organisation_uid "
                         "WHERE l.search_id > (SELECT MAX(search_id) FROM listing) - :count"), {"count": len(rows)})
    session.execute(_AUTOMERGE, {"value": FTS5_AUTOMERGE})


def _with_search_id(table):
    """A copy of the listing table that also names the index's own `search_id` column, set on insert."""
    if table not in _BULK_TABLES:
        next_id = text("(SELECT COALESCE(MAX(search_id), 0) + 1 FROM listing)")
        _BULK_TABLES[table] = Table(table.name, MetaData(), *(column._copy() for column in table.columns),
                                    Column("search_id", Integer, default=next_id))
    return _BULK_TABLES[table]


_BULK_TABLES = {}


def rebuild(connection):
    """Rebuild the whole index from the listings (after a bulk load with the triggers bypassed)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(
            "UPDATE listing SET search_id = s.n FROM (SELECT rowid AS r, "
            "(SELECT COALESCE(MAX(search_id), 0) FROM listing) + ROW_NUMBER() OVER (ORDER BY rowid) AS n "
            "FROM listing WHERE search_id IS NULL) AS s WHERE listing.rowid = s.r"))
        connection.execute(text("INSERT INTO listing_fts(listing_fts) VALUES ('rebuild')"))
    elif connection.dialect.name == "postgresql":
        connection.execute(text("UPDATE listing SET organisation_uid = organisation_uid"))


#: What the DDL above makes that the models do not declare (Alembic must leave it alone).
OWN_TABLES = frozenset({"listing_fts", "listing_fts_data", "listing_fts_idx", "listing_fts_docsize",
                        "listing_fts_config", "listing_fts_content", "listing_search_source"})
OWN_COLUMNS = frozenset({("listing", "search_id"), ("listing", "search_vector"),
                         ("listing", "search_rank_vector")})
OWN_INDEXES = frozenset({"ix_listing_search_id", "ix_listing_search_filter", "ix_listing_search_vector",
                         "ix_listing_search_rank_vector"})


def include_object(obj, name, type_, reflected, compare_to):
    """An Alembic `include_object` hook: autogenerate and compare skip the index's own objects."""
    if type_ == "table":
        return name not in OWN_TABLES
    if type_ == "column":
        return (obj.table.name, name) not in OWN_COLUMNS
    if type_ == "index":
        return name not in OWN_INDEXES
    return True
