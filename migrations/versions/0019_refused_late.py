"""Which refusals the lead made because a registration arrived once registration had closed

Registration opening again (a deadline cleared or moved later, or opened by hand) lifts them.
They used to be found by their message, which names the cutoff of the moment: a refusal made
under an earlier cutoff (closed by hand, then a deadline set before that moment) stayed. A
local column, not published. Existing late refusals are recognised by their message, in
either of the portal's languages.

Revision ID: 0019_refused_late
Revises: 0018_longer_types
Create Date: 2026-12-01 07:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = "0019_refused_late"
down_revision = "0018_longer_types"
branch_labels = None
depends_on = None

#: `late_refusal`'s message as it began in English and in French ("Registration closed on %(when)s.").
LATE_MESSAGES = ("Registration closed on %", "Inscriptions closes depuis le %")


def upgrade():
    op.add_column("registration_decision", sa.Column("refused_late", sa.Boolean(), nullable=False,
                                                     server_default=sa.false()))
    decision = sa.table("registration_decision", sa.column("status", sa.String), sa.column("message", sa.Text),
                        sa.column("refused_late", sa.Boolean))
    op.execute(decision.update().where(decision.c.status == "refused",
                                       sa.or_(*(decision.c.message.like(start) for start in LATE_MESSAGES)))
               .values(refused_late=True))


def downgrade():
    with op.batch_alter_table("registration_decision") as batch:
        batch.drop_column("refused_late")
