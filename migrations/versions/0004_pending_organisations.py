"""Organisations made by a sign-up wait for the member's approval before they show or federate

A sign-up that creates its organisation now marks it pending: the public pages leave it
out and the feed withholds it (as a person without consent is withheld) until an
administrator approves the member. Existing organisations are not pending.

Revision ID: 0004_pending_organisations
Revises: 0003_unaccent_search
Create Date: 2026-11-29 16:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0004_pending_organisations"
down_revision = "0003_unaccent_search"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("organisation", sa.Column("pending", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("organisation") as batch:
        batch.drop_column("pending")
