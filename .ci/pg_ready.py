"""Exit 0 when the PostgreSQL server of the URL given answers, 1 otherwise."""
import sys

import sqlalchemy as sa

try:
    with sa.create_engine(sys.argv[1]).connect() as conn:
        conn.execute(sa.text("select 1"))
except Exception as error:  # any failure means: not ready
    print(f"PostgreSQL not reachable: {error.__class__.__name__}", file=sys.stderr)
    sys.exit(1)
