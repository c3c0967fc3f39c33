"""Counting the SQL statements a page sends, for the tests that its count does not grow with rows."""
from contextlib import contextmanager

from sqlalchemy import event

from portal.extensions import db


@contextmanager
def recorded_statements():
    """The statements sent inside the block, in order (a list filled as they go)."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def page_queries(client, url, **kwargs):
    """How many statements a GET of `url` sends. The request runs in an app context of its own, so
    it starts from an empty session as a served request does: the objects the test made are not
    in its identity map to spare it a query (and the test's session keeps them)."""
    with client.application.app_context():
        with recorded_statements() as statements:
            response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)


@contextmanager
def attribute_reads(model):
    """The names of `model`'s mapped attributes read inside the block, one per read (a list filled as
    they go): the work a page does in Python with rows it has already loaded, for the tests that it
    grows with the rows and not with their square."""
    from sqlalchemy.orm.attributes import InstrumentedAttribute

    reads = []
    read = InstrumentedAttribute.__get__

    def counted(self, instance, owner):
        if isinstance(instance, model):
            reads.append(self.key)
        return read(self, instance, owner)

    InstrumentedAttribute.__get__ = counted
    try:
        yield reads
    finally:
        InstrumentedAttribute.__get__ = read


@contextmanager
def loaded_rows(model):
    """The `model` instances the ORM made from rows inside the block (a list filled as they go): an
    identity map's instances are not made again, so read with a session of its own (`page_queries`)."""
    rows = []

    def loaded(target, context):
        rows.append(target)

    event.listen(model, "load", loaded)
    try:
        yield rows
    finally:
        event.remove(model, "load", loaded)
