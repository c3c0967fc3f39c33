"""Keywords stored as UTF-8 text: SQLite's full-text index finds their accented words

The keywords column held JSON written by json.dumps, which escapes every accented letter
("contr\\u00f4le"); SQLite's full-text index reads that text, so it indexed "contr" and
"u00f4le" and no search for "contrôle" found the keyword. JSON columns are now written as
UTF-8 text (portal/extensions.py); this rewrites the keywords that hold an escape, and the
listing's update trigger indexes them again. The values are the same JSON: nothing is
versioned or sent to peers. PostgreSQL's to_tsvector reads JSON values, escapes decoded,
so nothing changes there.

Revision ID: 0002_keywords_text
Revises: 0001_initial
Create Date: 2026-11-29 10:40:00

"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0002_keywords_text"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

LISTING = sa.table("listing", sa.column("uid", sa.String), sa.column("keywords", sa.Text))


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    escaped = bind.execute(sa.select(LISTING.c.uid, LISTING.c.keywords)
                           .where(sa.func.instr(LISTING.c.keywords, "\\u") > 0)).all()
    for uid, text in escaped:
        keywords = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
        bind.execute(sa.update(LISTING).where(LISTING.c.uid == uid).values(keywords=keywords))


def downgrade():
    pass  # the same JSON values: nothing to undo
