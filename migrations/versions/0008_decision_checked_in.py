"""A registration decision carries the lead's check-in to the participant's home portal

An extra field of the `registration_decision` record (receivers ignore unknown fields):
the home portal sets its registration's `checked_in`, so that every host counts an arrival
at the lead's door.

Revision ID: 0008_decision_checked_in
Revises: 0007_closed_on_leaving
Create Date: 2026-11-30 08:25:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0008_decision_checked_in"
down_revision = "0007_closed_on_leaving"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("registration_decision", sa.Column("checked_in", sa.Boolean(), nullable=False,
                                                     server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("registration_decision") as batch:
        batch.drop_column("checked_in")
