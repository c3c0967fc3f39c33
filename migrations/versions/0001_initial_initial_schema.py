"""initial schema

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-28 23:19:09.507843

"""
from alembic import op
import sqlalchemy as sa
import uuid

# The full-text index (portal/directory/search_index.py at the time of this migration).
SEARCH_DDL = {'postgresql': ['ALTER TABLE listing ADD COLUMN search_vector tsvector, ADD COLUMN '
                'search_rank_vector tsvector',
                'CREATE INDEX ix_listing_search_vector ON listing USING gin (search_vector)',
                'CREATE INDEX ix_listing_search_rank_vector ON listing USING gin '
                '(search_rank_vector)',
                'CREATE FUNCTION listing_search_document() RETURNS trigger LANGUAGE plpgsql AS $$ '
                'DECLARE org_name text; BEGIN SELECT o.name INTO org_name FROM organisation o '
                'WHERE o.uid = NEW.organisation_uid; NEW.search_rank_vector := '
                "setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A') || "
                "setweight(to_tsvector('simple', coalesce(NEW.keywords, '[]'::json)), 'B') || "
                "setweight(to_tsvector('simple', coalesce(NEW.summary, '')), 'B') || "
                "setweight(to_tsvector('simple', coalesce(org_name, '')), 'C'); NEW.search_vector "
                ":= NEW.search_rank_vector || setweight(to_tsvector('simple', "
                "coalesce(NEW.description, '')), 'D'); RETURN NEW; END $$",
                'CREATE TRIGGER listing_search_document BEFORE INSERT OR UPDATE OF title, summary, '
                'description, keywords, organisation_uid ON listing FOR EACH ROW EXECUTE FUNCTION '
                'listing_search_document()',
                'CREATE FUNCTION organisation_search_reindex() RETURNS trigger LANGUAGE plpgsql AS '
                "$$ DECLARE org_uid varchar := CASE WHEN TG_OP = 'DELETE' THEN OLD.uid ELSE "
                'NEW.uid END; BEGIN UPDATE listing SET organisation_uid = organisation_uid WHERE '
                'organisation_uid = org_uid; RETURN NULL; END $$',
                'CREATE TRIGGER organisation_search_reindex AFTER INSERT OR DELETE OR UPDATE OF '
                'name ON organisation FOR EACH ROW EXECUTE FUNCTION organisation_search_reindex()'],
 'sqlite': ['ALTER TABLE listing ADD COLUMN search_id INTEGER',
            'CREATE UNIQUE INDEX ix_listing_search_id ON listing (search_id)',
            'CREATE INDEX ix_listing_search_filter ON listing (search_id, status, valid_until, '
            'created_at, uid)',
            'CREATE VIEW listing_search_source AS SELECT l.search_id AS search_id, l.title AS '
            'title, l.summary AS summary, l.description AS description, l.keywords AS keywords, '
            "COALESCE(o.name, '') AS org_name FROM listing l LEFT JOIN organisation o ON o.uid = "
            'l.organisation_uid',
            'CREATE VIRTUAL TABLE listing_fts USING fts5(title, summary, description, keywords, '
            "org_name, content='listing_search_source', content_rowid='search_id', "
            "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
            "INSERT INTO listing_fts(listing_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 6.0, "
            "3.0)')",
            'CREATE TRIGGER listing_search_insert AFTER INSERT ON listing WHEN new.search_id IS NULL '
            'BEGIN UPDATE listing SET '
            'search_id = (SELECT COALESCE(MAX(search_id), 0) + 1 FROM listing) WHERE rowid = '
            'new.rowid AND search_id IS NULL; INSERT INTO listing_fts(rowid, title, summary, '
            'description, keywords, org_name) SELECT l.search_id, l.title, l.summary, '
            'l.description, l.keywords, COALESCE((SELECT o.name FROM organisation o WHERE o.uid = '
            "l.organisation_uid), '') FROM listing l WHERE l.rowid = new.rowid; END",
            'CREATE TRIGGER listing_search_update AFTER UPDATE OF title, summary, description, '
            'keywords, organisation_uid ON listing WHEN old.search_id IS NOT NULL BEGIN INSERT '
            'INTO listing_fts(listing_fts, rowid, title, summary, description, keywords, org_name) '
            "SELECT 'delete', old.search_id, old.title, old.summary, old.description, "
            'old.keywords, COALESCE((SELECT o.name FROM organisation o WHERE o.uid = '
            "old.organisation_uid), ''); INSERT INTO listing_fts(rowid, title, summary, "
            'description, keywords, org_name) SELECT new.search_id, new.title, new.summary, '
            'new.description, new.keywords, COALESCE((SELECT o.name FROM organisation o WHERE '
            "o.uid = new.organisation_uid), ''); END",
            'CREATE TRIGGER listing_search_delete AFTER DELETE ON listing WHEN old.search_id IS '
            'NOT NULL BEGIN INSERT INTO listing_fts(listing_fts, rowid, title, summary, '
            "description, keywords, org_name) SELECT 'delete', old.search_id, old.title, "
            'old.summary, old.description, old.keywords, COALESCE((SELECT o.name FROM organisation '
            "o WHERE o.uid = old.organisation_uid), ''); END",
            'CREATE TRIGGER organisation_search_insert AFTER INSERT ON organisation BEGIN INSERT '
            'INTO listing_fts(listing_fts, rowid, title, summary, description, keywords, org_name) '
            "SELECT 'delete', l.search_id, l.title, l.summary, l.description, l.keywords, '' FROM "
            'listing l WHERE l.organisation_uid = new.uid AND l.search_id IS NOT NULL; INSERT INTO '
            'listing_fts(rowid, title, summary, description, keywords, org_name) SELECT '
            'l.search_id, l.title, l.summary, l.description, l.keywords, new.name FROM listing l '
            'WHERE l.organisation_uid = new.uid AND l.search_id IS NOT NULL; END',
            'CREATE TRIGGER organisation_search_update AFTER UPDATE OF name ON organisation BEGIN '
            'INSERT INTO listing_fts(listing_fts, rowid, title, summary, description, keywords, '
            "org_name) SELECT 'delete', l.search_id, l.title, l.summary, l.description, "
            'l.keywords, old.name FROM listing l WHERE l.organisation_uid = old.uid AND '
            'l.search_id IS NOT NULL; INSERT INTO listing_fts(rowid, title, summary, description, '
            'keywords, org_name) SELECT l.search_id, l.title, l.summary, l.description, '
            'l.keywords, new.name FROM listing l WHERE l.organisation_uid = new.uid AND '
            'l.search_id IS NOT NULL; END',
            'CREATE TRIGGER organisation_search_delete AFTER DELETE ON organisation BEGIN INSERT '
            'INTO listing_fts(listing_fts, rowid, title, summary, description, keywords, org_name) '
            "SELECT 'delete', l.search_id, l.title, l.summary, l.description, l.keywords, old.name "
            'FROM listing l WHERE l.organisation_uid = old.uid AND l.search_id IS NOT NULL; INSERT '
            'INTO listing_fts(rowid, title, summary, description, keywords, org_name) SELECT '
            "l.search_id, l.title, l.summary, l.description, l.keywords, '' FROM listing l WHERE "
            'l.organisation_uid = old.uid AND l.search_id IS NOT NULL; END']}


def _search_index(dialect):
    for statement in SEARCH_DDL.get(dialect, []):
        op.execute(statement)



# revision identifiers, used by Alembic.
revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('agenda_item',
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('speaker_person_uids', sa.JSON(), nullable=False),
    sa.Column('listing_uid', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_agenda_item'))
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_event_uid'), ['event_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_item_origin'), ['origin'], unique=False)

    op.create_table('calendar_token',
    sa.Column('person_uid', sa.String(length=36), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('person_uid', name=op.f('pk_calendar_token'))
    )
    op.create_table('check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('registration_uid', sa.String(length=36), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in')),
    sa.UniqueConstraint('registration_uid', name=op.f('uq_check_in_registration_uid'))
    )
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_event_uid'), ['event_uid'], unique=False)

    op.create_table('counter',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_counter'))
    )
    op.create_table('event',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('venue_name', sa.String(length=200), nullable=False),
    sa.Column('venue_address', sa.String(length=300), nullable=False),
    sa.Column('venue_city', sa.String(length=120), nullable=False),
    sa.Column('venue_country', sa.String(length=2), nullable=False),
    sa.Column('co_hosts', sa.JSON(), nullable=False),
    sa.Column('registration_open', sa.Boolean(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('b2b_enabled', sa.Boolean(), nullable=False),
    sa.Column('b2b_starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('b2b_ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('b2b_slot_minutes', sa.Integer(), nullable=False),
    sa.Column('b2b_tables', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_origin'), ['origin'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_starts_at'), ['starts_at'], unique=False)

    op.create_table('event_challenge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('listing_uid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_challenge')),
    sa.UniqueConstraint('event_uid', 'listing_uid', name=op.f('uq_event_challenge_event_uid'))
    )
    with op.batch_alter_table('event_challenge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_challenge_event_uid'), ['event_uid'], unique=False)

    op.create_table('event_cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('paid_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_cost'))
    )
    with op.batch_alter_table('event_cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_cost_event_uid'), ['event_uid'], unique=False)

    op.create_table('event_host',
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('cluster_id', sa.String(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('event_uid', 'cluster_id', name=op.f('pk_event_host'))
    )
    op.create_table('event_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('person_uid', sa.String(length=36), nullable=False),
    sa.Column('segment', sa.String(length=300), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_invitation')),
    sa.UniqueConstraint('event_uid', 'person_uid', name=op.f('uq_event_invitation_event_uid'))
    )
    with op.batch_alter_table('event_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_invitation_event_uid'), ['event_uid'], unique=False)

    op.create_table('event_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_template'))
    )
    op.create_table('listing',
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('organisation_uid', sa.String(length=36), nullable=False),
    sa.Column('person_uid', sa.String(length=36), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('trl', sa.Integer(), nullable=True),
    sa.Column('cooperation', sa.JSON(), nullable=False),
    sa.Column('ipr', sa.String(length=40), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_listing'))
    )
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_organisation_uid'), ['organisation_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_origin'), ['origin'], unique=False)
        batch_op.create_index('ix_listing_status_created_at', ['status', 'created_at'], unique=False)

    op.create_table('meeting',
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('request_uid', sa.String(length=36), nullable=False),
    sa.Column('person_uids', sa.JSON(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('table_label', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('cancel_reason', sa.String(length=16), nullable=True),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_event_uid'), ['event_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_origin'), ['origin'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_request_uid'), ['request_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_status'), ['status'], unique=False)

    op.create_table('meeting_reply',
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('request_uid', sa.String(length=36), nullable=False),
    sa.Column('answer', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('starred', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_meeting_reply'))
    )
    with op.batch_alter_table('meeting_reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_reply_event_uid'), ['event_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_reply_origin'), ['origin'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_reply_request_uid'), ['request_uid'], unique=False)

    op.create_table('meeting_request',
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('from_person_uid', sa.String(length=36), nullable=False),
    sa.Column('to_person_uid', sa.String(length=36), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('starred', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_meeting_request'))
    )
    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_request_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_request_event_uid'), ['event_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_request_from_person_uid'), ['from_person_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_request_origin'), ['origin'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_request_to_person_uid'), ['to_person_uid'], unique=False)

    op.create_table('meeting_star',
    sa.Column('request_uid', sa.String(length=36), nullable=False),
    sa.Column('person_uid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('request_uid', 'person_uid', name=op.f('pk_meeting_star'))
    )
    op.create_table('nonce',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.String(length=40), nullable=False),
    sa.Column('nonce', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nonce')),
    sa.UniqueConstraint('peer_id', 'nonce', name=op.f('uq_nonce_peer_id'))
    )
    with op.batch_alter_table('nonce', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nonce_created_at'), ['created_at'], unique=False)

    op.create_table('organisation',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('special_guest', sa.Boolean(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_organisation'))
    )
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_origin'), ['origin'], unique=False)

    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('html', sa.Text(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_message_dedupe_key'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_status'), ['status'], unique=False)

    op.create_table('peer',
    sa.Column('cluster_id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('base_url', sa.String(length=500), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=60), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('new_public_key', sa.String(length=64), nullable=True),
    sa.Column('new_fingerprint', sa.String(length=60), nullable=True),
    sa.Column('cursor', sa.BigInteger(), nullable=False),
    sa.Column('epoch', sa.String(length=64), nullable=True),
    sa.Column('head', sa.BigInteger(), nullable=True),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('resyncing', sa.Boolean(), nullable=False),
    sa.Column('pull_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pull_ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_pull_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_error_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('retry_after', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('cluster_id', name=op.f('pk_peer'))
    )
    op.create_table('person',
    sa.Column('organisation_uid', sa.String(length=36), nullable=True),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('job_title', sa.String(length=200), nullable=False),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('share_profile', sa.Boolean(), nullable=False),
    sa.Column('consent_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_organisation_uid'), ['organisation_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_origin'), ['origin'], unique=False)

    op.create_table('pitch_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('listing_uid', sa.String(length=36), nullable=False),
    sa.Column('person_uid', sa.String(length=36), nullable=True),
    sa.Column('pitch', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('agenda_item_uid', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pitch_proposal')),
    sa.UniqueConstraint('event_uid', 'listing_uid', name=op.f('uq_pitch_proposal_event_uid'))
    )
    with op.batch_alter_table('pitch_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pitch_proposal_event_uid'), ['event_uid'], unique=False)

    op.create_table('quarantine',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('type', sa.String(length=64), nullable=True),
    sa.Column('uid', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('raw', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantine'))
    )
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quarantine_peer_id'), ['peer_id'], unique=False)

    op.create_table('record',
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=True),
    sa.Column('event_uid', sa.String(length=36), nullable=True),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('ever_shared', sa.Boolean(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('epoch', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('type', 'uid', name=op.f('pk_record'))
    )
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_event_uid'), ['event_uid'], unique=False)
        batch_op.create_index('ix_record_origin_seq', ['origin', 'seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_seq'), ['seq'], unique=True)

    op.create_table('registration',
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('person_uid', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('b2b', sa.Boolean(), nullable=False),
    sa.Column('available_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('available_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('checked_in', sa.Boolean(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_registration'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_event_uid'), ['event_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_origin'), ['origin'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_person_uid'), ['person_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_received_at'), ['received_at'], unique=False)

    op.create_table('registration_decision',
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('registration_uid', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_registration_decision'))
    )
    with op.batch_alter_table('registration_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_decision_event_uid'), ['event_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_decision_origin'), ['origin'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_decision_registration_uid'), ['registration_uid'], unique=False)

    op.create_table('schedule_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('meetings', sa.Integer(), nullable=False),
    sa.Column('scheduled', sa.Integer(), nullable=False),
    sa.Column('breaks', sa.Integer(), nullable=True),
    sa.Column('bound', sa.Integer(), nullable=True),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('time_limit', sa.Float(), nullable=False),
    sa.Column('log', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('started_by', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_run'))
    )
    with op.batch_alter_table('schedule_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_run_event_uid'), ['event_uid'], unique=False)

    op.create_table('setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('share_pull',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peer', sa.String(length=40), nullable=False),
    sa.Column('pulled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_pull'))
    )
    with op.batch_alter_table('share_pull', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_share_pull_peer'), ['peer'], unique=False)

    op.create_table('share_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pull_id', sa.Integer(), nullable=False),
    sa.Column('peer', sa.String(length=40), nullable=False),
    sa.Column('pulled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('event_uid', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_record'))
    )
    with op.batch_alter_table('share_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_share_record_peer'), ['peer'], unique=False)
        batch_op.create_index(batch_op.f('ix_share_record_pull_id'), ['pull_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_share_record_uid'), ['uid'], unique=False)

    op.create_table('survey_config',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('next_question', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_config')),
    sa.UniqueConstraint('event_uid', 'stage', name=op.f('uq_survey_config_event_uid'))
    )
    with op.batch_alter_table('survey_config', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_config_event_uid'), ['event_uid'], unique=False)

    op.create_table('survey_invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('registration_uid', sa.String(length=36), nullable=False),
    sa.Column('person_uid', sa.String(length=36), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('response_uid', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invite')),
    sa.UniqueConstraint('event_uid', 'stage', 'registration_uid', name=op.f('uq_survey_invite_event_uid'))
    )
    with op.batch_alter_table('survey_invite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invite_event_uid'), ['event_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invite_person_uid'), ['person_uid'], unique=False)

    op.create_table('survey_opt_out',
    sa.Column('person_uid', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('person_uid', name=op.f('pk_survey_opt_out'))
    )
    op.create_table('survey_response',
    sa.Column('event_uid', sa.String(length=36), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('respondent', sa.String(length=64), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('uid', name=op.f('pk_survey_response'))
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_response_event_uid'), ['event_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_response_origin'), ['origin'], unique=False)

    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('person_uid', sa.String(length=36), nullable=True),
    sa.Column('session_token', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_user_email')),
    sa.UniqueConstraint('person_uid', name=op.f('uq_user_person_uid'))
    )
    # ### end Alembic commands ###
    _search_index(op.get_bind().dialect.name)
    # This database's federation epoch and its feed counter.
    op.execute(sa.text("INSERT INTO setting (key, value) VALUES ('epoch', :epoch)").bindparams(epoch=uuid.uuid4().hex))
    op.execute("INSERT INTO counter (name, value) VALUES ('feed', 0)")


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_table('user')
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_response_origin'))
        batch_op.drop_index(batch_op.f('ix_survey_response_event_uid'))

    op.drop_table('survey_response')
    op.drop_table('survey_opt_out')
    with op.batch_alter_table('survey_invite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_invite_person_uid'))
        batch_op.drop_index(batch_op.f('ix_survey_invite_event_uid'))

    op.drop_table('survey_invite')
    with op.batch_alter_table('survey_config', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_config_event_uid'))

    op.drop_table('survey_config')
    with op.batch_alter_table('share_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_share_record_uid'))
        batch_op.drop_index(batch_op.f('ix_share_record_pull_id'))
        batch_op.drop_index(batch_op.f('ix_share_record_peer'))

    op.drop_table('share_record')
    with op.batch_alter_table('share_pull', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_share_pull_peer'))

    op.drop_table('share_pull')
    op.drop_table('setting')
    with op.batch_alter_table('schedule_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_run_event_uid'))

    op.drop_table('schedule_run')
    with op.batch_alter_table('registration_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_decision_registration_uid'))
        batch_op.drop_index(batch_op.f('ix_registration_decision_origin'))
        batch_op.drop_index(batch_op.f('ix_registration_decision_event_uid'))

    op.drop_table('registration_decision')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_received_at'))
        batch_op.drop_index(batch_op.f('ix_registration_person_uid'))
        batch_op.drop_index(batch_op.f('ix_registration_origin'))
        batch_op.drop_index(batch_op.f('ix_registration_event_uid'))

    op.drop_table('registration')
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_seq'))
        batch_op.drop_index('ix_record_origin_seq')
        batch_op.drop_index(batch_op.f('ix_record_event_uid'))

    op.drop_table('record')
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarantine_peer_id'))

    op.drop_table('quarantine')
    with op.batch_alter_table('pitch_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pitch_proposal_event_uid'))

    op.drop_table('pitch_proposal')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_origin'))
        batch_op.drop_index(batch_op.f('ix_person_organisation_uid'))

    op.drop_table('person')
    op.drop_table('peer')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_status'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_next_attempt_at'))

    op.drop_table('outbox_message')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_origin'))

    op.drop_table('organisation')
    with op.batch_alter_table('nonce', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nonce_created_at'))

    op.drop_table('nonce')
    op.drop_table('meeting_star')
    with op.batch_alter_table('meeting_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_request_to_person_uid'))
        batch_op.drop_index(batch_op.f('ix_meeting_request_origin'))
        batch_op.drop_index(batch_op.f('ix_meeting_request_from_person_uid'))
        batch_op.drop_index(batch_op.f('ix_meeting_request_event_uid'))
        batch_op.drop_index(batch_op.f('ix_meeting_request_created_at'))

    op.drop_table('meeting_request')
    with op.batch_alter_table('meeting_reply', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_reply_request_uid'))
        batch_op.drop_index(batch_op.f('ix_meeting_reply_origin'))
        batch_op.drop_index(batch_op.f('ix_meeting_reply_event_uid'))

    op.drop_table('meeting_reply')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_status'))
        batch_op.drop_index(batch_op.f('ix_meeting_request_uid'))
        batch_op.drop_index(batch_op.f('ix_meeting_origin'))
        batch_op.drop_index(batch_op.f('ix_meeting_event_uid'))

    op.drop_table('meeting')
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_status_created_at')
        batch_op.drop_index(batch_op.f('ix_listing_origin'))
        batch_op.drop_index(batch_op.f('ix_listing_organisation_uid'))
        batch_op.drop_index(batch_op.f('ix_listing_kind'))

    op.drop_table('listing')
    op.drop_table('event_template')
    with op.batch_alter_table('event_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_invitation_event_uid'))

    op.drop_table('event_invitation')
    op.drop_table('event_host')
    with op.batch_alter_table('event_cost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_cost_event_uid'))

    op.drop_table('event_cost')
    with op.batch_alter_table('event_challenge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_challenge_event_uid'))

    op.drop_table('event_challenge')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_starts_at'))
        batch_op.drop_index(batch_op.f('ix_event_origin'))

    op.drop_table('event')
    op.drop_table('counter')
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_in_event_uid'))

    op.drop_table('check_in')
    op.drop_table('calendar_token')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_origin'))
        batch_op.drop_index(batch_op.f('ix_agenda_item_event_uid'))

    op.drop_table('agenda_item')
    # ### end Alembic commands ###
