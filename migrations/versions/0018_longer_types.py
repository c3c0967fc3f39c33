"""The ledger keeps a record type's name up to 600 characters, not 32

PROTOCOL.md gives a change's `type` no length limit, and a type this portal does not know is
skipped and counted but kept in the ledger (its version), so that the replica digest for its
peer matches the peer's. A name past 32 characters got no ledger row, and that peer's digests
never agreed again. 600 characters of up to 4 bytes each still fit a PostgreSQL index entry
(`type` is in the primary key). SQLite recreates the table (batch mode) to declare the width.

Revision ID: 0018_longer_types
Revises: 0017_closed_by_hand
Create Date: 2026-12-01 07:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0018_longer_types"
down_revision = "0017_closed_by_hand"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("record") as batch:
        batch.alter_column("type", type_=sa.String(600), existing_type=sa.String(32), existing_nullable=False)


def downgrade():
    # A longer name received since makes this fail on PostgreSQL: nothing is cut.
    with op.batch_alter_table("record") as batch:
        batch.alter_column("type", type_=sa.String(32), existing_type=sa.String(600), existing_nullable=False)
