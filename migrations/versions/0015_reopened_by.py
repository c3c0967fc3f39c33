"""A meeting request remembers whose coming back to the B2B meetings reopened it

Both sides' B2B pages say that a request closed by someone's leaving is open again, and
since whose return. A local column, not published.

Revision ID: 0015_reopened_by
Revises: 0014_deadline_and_calendar
Create Date: 2026-11-30 22:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0015_reopened_by"
down_revision = "0014_deadline_and_calendar"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("meeting_request", sa.Column("reopened_by", sa.String(length=36), nullable=True))


def downgrade():
    with op.batch_alter_table("meeting_request") as batch:
        batch.drop_column("reopened_by")
