"""Organisers' messages to their own members registered for an event, on record

Local to this portal (never federated): when, by whom, the subject and text, and to how
many; the mails themselves go through the outbox.

Revision ID: 0012_registrant_messages
Revises: 0011_meeting_marks
Create Date: 2026-11-30 19:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0012_registrant_messages"
down_revision = "0011_meeting_marks"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "registrant_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_uid", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("b2b_only", sa.Boolean(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("sent_by_user_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registrant_message")),
    )
    op.create_index(op.f("ix_registrant_message_event_uid"), "registrant_message", ["event_uid"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_registrant_message_event_uid"), table_name="registrant_message")
    op.drop_table("registrant_message")
