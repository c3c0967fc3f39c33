"""An event's registration deadline (the lead's own column); a mail's calendar attachment

Not a protocol field: once the deadline passes, the lead publishes the event again with
`registration_open` false, which is all its co-hosts need to know. An outbox message may
carry an iCalendar file, sent as event.ics (the mail that confirms a place).

Revision ID: 0014_deadline_and_calendar
Revises: 0013_search_punctuation
Create Date: 2026-11-30 22:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0014_deadline_and_calendar"
down_revision = "0013_search_punctuation"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("registration_closes_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("calendar", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("calendar")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("registration_closes_at")
