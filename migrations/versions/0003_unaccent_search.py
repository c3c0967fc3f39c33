"""PostgreSQL's full-text search ignores accents, as SQLite's does

SQLite's FTS5 tokenizer removes diacritics, so "controle" finds "contrôle" there; PostgreSQL's
`simple` configuration kept them, and a French word typed without its accents found nothing.
The search documents and queries now use the configuration `passerelle_search`: `simple`
with the `unaccent` dictionary first (a contrib extension, trusted: the database's owner may
create it). The listing trigger is replaced and every listing's documents computed again.
Nothing is versioned or sent to peers. SQLite: nothing to do.

Revision ID: 0003_unaccent_search
Revises: 0002_keywords_text
Create Date: 2026-11-29 16:40:00

"""
from alembic import op

revision = "0003_unaccent_search"
down_revision = "0002_keywords_text"
branch_labels = None
depends_on = None

# portal/directory/search_index.py at the time of this migration.
UPGRADE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION passerelle_search (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION passerelle_search ALTER MAPPING FOR word, hword, hword_part "
    "WITH unaccent, simple",
    "CREATE OR REPLACE FUNCTION listing_search_document() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE "
    "org_name text; BEGIN SELECT o.name INTO org_name FROM organisation o WHERE o.uid = NEW.organisation_uid; "
    "NEW.search_rank_vector := setweight(to_tsvector('passerelle_search', coalesce(NEW.title, '')), 'A') || "
    "setweight(to_tsvector('passerelle_search', coalesce(NEW.keywords, '[]'::json)), 'B') || "
    "setweight(to_tsvector('passerelle_search', coalesce(NEW.summary, '')), 'B') || "
    "setweight(to_tsvector('passerelle_search', coalesce(org_name, '')), 'C'); NEW.search_vector := "
    "NEW.search_rank_vector || setweight(to_tsvector('passerelle_search', coalesce(NEW.description, '')), 'D'); "
    "RETURN NEW; END $$",
    # The trigger runs again on every listing (touching organisation_uid is one of its columns).
    "UPDATE listing SET organisation_uid = organisation_uid",
]

# The function as the first migration made it (the extension stays: other code may use it).
DOWNGRADE = [
    "CREATE OR REPLACE FUNCTION listing_search_document() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE "
    "org_name text; BEGIN SELECT o.name INTO org_name FROM organisation o WHERE o.uid = NEW.organisation_uid; "
    "NEW.search_rank_vector := setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(NEW.keywords, '[]'::json)), 'B') || "
    "setweight(to_tsvector('simple', coalesce(NEW.summary, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(org_name, '')), 'C'); NEW.search_vector := "
    "NEW.search_rank_vector || setweight(to_tsvector('simple', coalesce(NEW.description, '')), 'D'); "
    "RETURN NEW; END $$",
    "UPDATE listing SET organisation_uid = organisation_uid",
    "DROP TEXT SEARCH CONFIGURATION passerelle_search",
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
