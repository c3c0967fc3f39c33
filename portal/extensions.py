"""Flask extensions, created unbound and initialised by the factory."""
import json
import os
import sqlite3
from contextlib import contextmanager

import orjson
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

# Stable constraint names, so that Alembic migrations can alter them on every engine.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def json_column_text(value):
    """A JSON column's value as compact UTF-8 text (orjson, several times faster than the
    standard library). json.dumps wrote every accented letter as a \\u escape, and SQLite's
    full-text index reads the keywords column's text: "contrôle" was indexed as "contr" and
    "u00f4le", so no search for it found the keyword."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # past orjson's 254 levels or 64-bit integers: a hostile peer's quarantined change
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING),
                engine_options={"json_serializer": json_column_text, "json_deserializer": orjson.loads})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: write-ahead log, so that the web workers read while the sync worker writes,
    and synchronous=NORMAL, its usual companion (a commit waits for no disk flush; a power
    cut may lose the last commits, never the database's consistency). Temporary storage in
    memory: inside a transaction each INSERT into a table with several unique indexes keeps a
    statement journal, which past 64 KiB went to a temporary file; a first pull of 100,000
    listings wrote 4 GB to those files (2 million write calls, a fifth of its CPU) for a 150 MB
    database. See docs/operations.md."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")  # an in-memory database stays "memory"
        except sqlite3.OperationalError:  # the first switch needs the file to itself: a later connection makes it
            pass
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()


@event.listens_for(Engine, "savepoint")
def sqlite_savepoint_begins_writing(connection, name):
    """SQLite: a savepoint opened outside a transaction begins it as a writer (BEGIN IMMEDIATE).

    The sqlite3 module begins a transaction only before a write, which takes the write lock
    at once, waiting for it as long as the busy timeout. A SAVEPOINT outside a transaction
    instead begins a deferred one: its first read takes a snapshot, and if another connection
    (the mail thread, a web worker) commits before its first write, that write fails at once
    with "database is locked", whatever the timeout: SQLite cannot upgrade a stale snapshot.
    A pull applying records through their hooks (a savepoint each) failed so on its first
    write. Taking the write lock first makes the others wait instead."""
    raw = connection.connection.driver_connection
    if isinstance(raw, sqlite3.Connection) and not raw.in_transaction:
        raw.execute("BEGIN IMMEDIATE")


@contextmanager
def consistent_reads():
    """Every read of `db.session` inside sees the database as of one moment, writers going on
    (an export: no listing without its organisation). It begins and ends with a rollback:
    use it outside any unit of work, to read only.

    PostgreSQL: one REPEATABLE READ transaction (each statement of a READ COMMITTED one sees
    the commits made since the last). SQLite: one explicit deferred transaction, whose first
    read takes the snapshot (WAL); the sqlite3 module runs a SELECT outside any transaction."""
    db.session.rollback()
    if db.engine.dialect.name == "sqlite":
        db.session.connection().connection.driver_connection.execute("BEGIN")
    else:
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    try:
        yield
    finally:
        db.session.rollback()


def on_outer_commit(flag, callback):
    """Call `callback(session)` once a transaction that set `session.info[flag]` commits; its
    rollback forgets the flag.

    Both events also fire when a SAVEPOINT (`begin_nested`) is released or rolled back: only the
    outermost transaction's end counts. Acting at a savepoint's release would look before the
    change is committed (and use up the flag, so the real commit did nothing: the federation
    receiver applies each record in a savepoint); a savepoint's rollback leaves the flag set by
    the rest of the transaction."""

    @event.listens_for(Session, "after_commit")
    def after_commit(session):
        if not session.in_nested_transaction() and session.info.pop(flag, False):
            callback(session)

    @event.listens_for(Session, "after_rollback")
    def after_rollback(session):
        if not session.in_nested_transaction():
            session.info.pop(flag, None)


def init_app(app):
    from portal import i18n, models  # noqa: F401  (models: every table known to SQLAlchemy)
    from portal.accounts import auth  # noqa: F401  (registers the user loader)
    from portal.federation import notify  # noqa: F401  (peers hear of our commits, whichever blueprints run)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
