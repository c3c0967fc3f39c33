"""PostgreSQL's search reads words between punctuation, as SQLite's does

PostgreSQL's text search parser kept "x.org", "mail@x.fr", "1.5" or "/usr/bin" as one token
each, and dropped "<fibre>" as a markup tag, where SQLite's tokenizer, and the terms of a
query, see the words between the punctuation: "org", "mail" or "fibre" found such a listing
on SQLite only. The listing trigger now turns punctuation into spaces first, and reads the
keywords' text values through JSON; every listing's documents are computed again. Nothing is
versioned or sent to peers. SQLite: nothing to do.

Revision ID: 0013_search_punctuation
Revises: 0012_registrant_messages
Create Date: 2026-11-30 22:30:00

"""
from alembic import op

revision = "0013_search_punctuation"
down_revision = "0012_registrant_messages"
branch_labels = None
depends_on = None

# portal/directory/search_index.py at the time of this migration.
FUNCTION = (
    "CREATE OR REPLACE FUNCTION listing_search_document() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE "
    "org_name text; BEGIN SELECT o.name INTO org_name FROM organisation o WHERE o.uid = "
    "NEW.organisation_uid; NEW.search_rank_vector := setweight(to_tsvector('passerelle_search', "
    "regexp_replace(coalesce(NEW.title, ''), '[[:punct:]]+', ' ', 'g')), 'A') || "
    "setweight(to_tsvector('passerelle_search', regexp_replace(array_to_string(ARRAY(SELECT "
    "json_array_elements_text(coalesce(NEW.keywords, '[]'::json))), ' '), '[[:punct:]]+', ' ', 'g')), "
    "'B') || setweight(to_tsvector('passerelle_search', regexp_replace(coalesce(NEW.summary, ''), "
    "'[[:punct:]]+', ' ', 'g')), 'B') || setweight(to_tsvector('passerelle_search', "
    "regexp_replace(coalesce(org_name, ''), '[[:punct:]]+', ' ', 'g')), 'C'); NEW.search_vector := "
    "NEW.search_rank_vector || setweight(to_tsvector('passerelle_search', "
    "regexp_replace(coalesce(NEW.description, ''), '[[:punct:]]+', ' ', 'g')), 'D'); RETURN NEW; END $$"
)

# The function as the migration 0003 made it.
PREVIOUS_FUNCTION = (
    "CREATE OR REPLACE FUNCTION listing_search_document() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE "
    "org_name text; BEGIN SELECT o.name INTO org_name FROM organisation o WHERE o.uid = NEW.organisation_uid; "
    "NEW.search_rank_vector := setweight(to_tsvector('passerelle_search', coalesce(NEW.title, '')), 'A') || "
    "setweight(to_tsvector('passerelle_search', coalesce(NEW.keywords, '[]'::json)), 'B') || "
    "setweight(to_tsvector('passerelle_search', coalesce(NEW.summary, '')), 'B') || "
    "setweight(to_tsvector('passerelle_search', coalesce(org_name, '')), 'C'); NEW.search_vector := "
    "NEW.search_rank_vector || setweight(to_tsvector('passerelle_search', coalesce(NEW.description, '')), 'D'); "
    "RETURN NEW; END $$"
)
# The trigger runs again on every listing (touching organisation_uid is one of its columns).
REINDEX = "UPDATE listing SET organisation_uid = organisation_uid"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)
        op.execute(REINDEX)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PREVIOUS_FUNCTION)
        op.execute(REINDEX)
