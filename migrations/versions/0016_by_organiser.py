"""A registration remembers that an organiser of this portal made it for the person

The decision mail then tells the member who registered them. A local column, not published.

Revision ID: 0016_by_organiser
Revises: 0015_reopened_by
Create Date: 2026-12-01 02:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0016_by_organiser"
down_revision = "0015_reopened_by"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("registration", sa.Column("by_organiser", sa.Boolean(), nullable=False,
                                            server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("registration") as batch:
        batch.drop_column("by_organiser")
