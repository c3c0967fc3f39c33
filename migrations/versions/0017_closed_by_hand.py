"""When the lead's organisers closed an event's registration by hand

A co-host's registration that reaches the lead after that moment is refused as late, as after
the deadline. A local column, not published (co-hosts receive `registration_open` false).

Revision ID: 0017_closed_by_hand
Revises: 0016_by_organiser
Create Date: 2026-12-01 04:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0017_closed_by_hand"
down_revision = "0016_by_organiser"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("event", sa.Column("registration_closed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("event") as batch:
        batch.drop_column("registration_closed_at")
