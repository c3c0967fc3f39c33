"""The outbox is found by recipient

A calendar file mailed to a member counts the files of its event already mailed to them
(`events.notify.calendar_of`), once per mail: an event's cancellation mails every participant,
and the outbox is kept, so without an index each count read the whole outbox.

Revision ID: 0020_outbox_by_recipient
Revises: 0019_refused_late
Create Date: 2026-12-01 08:30:00

"""
from alembic import op

revision = "0020_outbox_by_recipient"
down_revision = "0019_refused_late"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(op.f("ix_outbox_message_to"), "outbox_message", ["to"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_outbox_message_to"), table_name="outbox_message")
