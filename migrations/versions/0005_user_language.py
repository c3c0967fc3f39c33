"""Each account may keep a preferred language, for its mail and calendar feed

Set by the footer's language switch; empty means the portal's default language
(BABEL_DEFAULT_LOCALE). Existing accounts have none.

Revision ID: 0005_user_language
Revises: 0004_pending_organisations
Create Date: 2026-11-29 19:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0005_user_language"
down_revision = "0004_pending_organisations"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("user", sa.Column("language", sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("user") as batch:
        batch.drop_column("language")
