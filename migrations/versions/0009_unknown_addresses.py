"""The log-in throttle counts failures for addresses without an account too

So that "too many failed attempts" answers an unknown address as it answers an account,
and tells nobody which addresses have one; only a digest of the address is kept.

Revision ID: 0009_unknown_addresses
Revises: 0008_decision_checked_in
Create Date: 2026-11-30 16:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0009_unknown_addresses"
down_revision = "0008_decision_checked_in"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unknown_address",
        sa.Column("address_digest", sa.String(length=64), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("address_digest", name=op.f("pk_unknown_address")),
    )
    op.create_index(op.f("ix_unknown_address_last_failed_at"), "unknown_address", ["last_failed_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_unknown_address_last_failed_at"), table_name="unknown_address")
    op.drop_table("unknown_address")
