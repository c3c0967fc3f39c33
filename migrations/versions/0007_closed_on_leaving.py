"""Meeting requests and replies remember what leaving an event's B2B closed, to reopen it

A participant who cancels their registration (or takes the B2B part out) has the requests
they sent withdrawn and "declined" written for those they received; registering again for
the B2B meetings reopens them. Local columns, not published.

Revision ID: 0007_closed_on_leaving
Revises: 0006_open_lengths
Create Date: 2026-11-30 07:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0007_closed_on_leaving"
down_revision = "0006_open_lengths"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("meeting_request", sa.Column("closed_on_leaving", sa.Boolean(), nullable=False,
                                               server_default=sa.false()))
    op.add_column("meeting_reply", sa.Column("answer_before_leaving", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("meeting_reply") as batch:
        batch.drop_column("answer_before_leaving")
    with op.batch_alter_table("meeting_request") as batch:
        batch.drop_column("closed_on_leaving")
