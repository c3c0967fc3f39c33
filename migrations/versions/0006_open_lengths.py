"""Protocol strings without a length limit take a peer's text of any length

PROTOCOL.md gives no length limit to an organisation's city and website, a person's job
title, a listing's `ipr`, an event's texts, an agenda item's title, a meeting's table or a
survey's respondent. Our forms keep their limits, but a peer's record must be stored as it
came, or it is quarantined and the two sides' digests never agree. SQLite never enforces a
declared length: only PostgreSQL's columns change, to TEXT (no rewrite of the table). The
same holds for a peer's epoch (a SHA-512 in hex is 128 characters), kept with its cursor and
on each of its records.

Revision ID: 0006_open_lengths
Revises: 0005_user_language
Create Date: 2026-11-30 02:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0006_open_lengths"
down_revision = "0005_user_language"
branch_labels = None
depends_on = None

#: (table, column, the length our forms keep)
COLUMNS = [
    ("organisation", "city", 120), ("organisation", "website", 300), ("person", "job_title", 200),
    ("listing", "ipr", 40), ("event", "title", 200), ("event", "topic", 200), ("event", "timezone", 64),
    ("event", "venue_name", 200), ("event", "venue_address", 300), ("event", "venue_city", 120),
    ("event", "venue_country", 2), ("agenda_item", "title", 200), ("meeting", "table_label", 20),
    ("survey_response", "respondent", 64), ("peer", "epoch", 64), ("record", "epoch", 64),
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, length in COLUMNS:
        op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(length))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, length in COLUMNS:  # a longer value received since makes this fail: nothing is cut
        op.alter_column(table, column, type_=sa.String(length), existing_type=sa.Text())
