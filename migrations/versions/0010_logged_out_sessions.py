"""A session logged out of is refused, even replayed from a copy of its cookie

Sessions are signed cookies: "Log out" now records the session's id until it would have
expired, and the user loader refuses it.

Revision ID: 0010_logged_out_sessions
Revises: 0009_unknown_addresses
Create Date: 2026-11-30 17:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0010_logged_out_sessions"
down_revision = "0009_unknown_addresses"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "logged_out_session",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_logged_out_session")),
    )
    op.create_index(op.f("ix_logged_out_session_expires_at"), "logged_out_session", ["expires_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_logged_out_session_expires_at"), table_name="logged_out_session")
    op.drop_table("logged_out_session")
