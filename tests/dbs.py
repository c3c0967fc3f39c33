"""Test databases: a schema built once per run, copied for each test (SQLite or PostgreSQL).

Set PORTAL_TEST_DATABASE_URL=postgresql+psycopg://user@host/postgres to run on PostgreSQL:
each test then gets `CREATE DATABASE ... TEMPLATE` of a schema built once.
"""
import itertools
import os
import shutil
import uuid

import sqlalchemy as sa

SERVER_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith("postgresql")
_counter = itertools.count()


class TemplateDatabases:
    """Hands out fresh databases, each a copy of one schema built at first use."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.run = uuid.uuid4().hex[:8]
        self.template_url = None
        self.created = []

    def _url(self, name):
        if ON_POSTGRES:
            return sa.engine.make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
        return "sqlite:///" + os.path.join(self.workdir, name + ".db")

    def _admin(self):
        return sa.create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")

    def build_template(self, build):
        """`build(url)` creates the schema in an empty database once."""
        if self.template_url:
            return
        name = f"pt_{self.run}_template"
        if ON_POSTGRES:
            with self._admin().connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            self.created.append(name)
        self.template_url = self._url(name)
        build(self.template_url)

    def fresh(self):
        """A new database URL holding the template's schema."""
        name = f"pt_{self.run}_{next(_counter)}"
        if ON_POSTGRES:
            template = sa.engine.make_url(self.template_url).database
            with self._admin().connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
            self.created.append(name)
        else:
            shutil.copyfile(self.template_url[len("sqlite:///"):], self._url(name)[len("sqlite:///"):])
        return self._url(name)

    def empty(self):
        """A new empty database URL (for migration tests)."""
        name = f"pt_{self.run}_e{next(_counter)}"
        if ON_POSTGRES:
            with self._admin().connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            self.created.append(name)
        return self._url(name)

    def drop_all(self):
        if not ON_POSTGRES:
            return
        with self._admin().connect() as conn:
            for name in reversed(self.created):
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
