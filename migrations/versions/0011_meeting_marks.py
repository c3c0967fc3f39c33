"""Who marked a meeting held, no-show or back to scheduled, and when (the lead's own columns)

The funnel and the impact figures count these marks: the organisers see whose they are.

Revision ID: 0011_meeting_marks
Revises: 0010_logged_out_sessions
Create Date: 2026-11-30 17:35:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0011_meeting_marks"
down_revision = "0010_logged_out_sessions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("marked_by_user_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("marked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("marked_at")
        batch.drop_column("marked_by_user_id")
