"""Bulk inserts through the DBAPI cursor: SQLAlchemy's statement and value conversions, not its per-row work.

A Core `executemany` spends more CPU on each row's parameters (a dict per row, every
value looked up and converted, defaults checked) than SQLite spends storing the row.
`insert_rows` compiles the same INSERT once per table and set of keys, converts each value
with its column type's own bind processor (JSON encoded, dates formatted, as a Core insert
would), calls the Python defaults of absent columns per row, and hands the driver a list
of tuples (or dicts, for a driver with named parameters). The rows stored are those a Core
insert of the same dicts stores (tests/test_federation_bulk.py).
"""
from dataclasses import dataclass

from sqlalchemy import insert


@dataclass(frozen=True)
class _Plan:
    sql: str
    names: tuple  # bind names, in the statement's order
    getters: tuple  # per bind: (row key or None, bind processor or None, default callable or None)
    positional: bool

    def params(self, row):
        values = []
        for key, process, default in self.getters:
            value = row[key] if default is None else default()
            values.append(value if process is None else process(value))
        return tuple(values) if self.positional else dict(zip(self.names, values))


def insert_rows(session, table, rows):
    """INSERT `rows` (dicts with the same keys, named as `table`'s columns) with one DBAPI executemany.

    SQL-expression defaults are rendered into the statement as Core renders them; a table
    with any other kind of default on an absent column (a sequence, a context-sensitive
    function) is written by a Core insert instead.
    """
    if not rows:
        return
    connection = session.connection()
    plan = _plan(connection.dialect, table, tuple(rows[0]))
    if plan is None:
        connection.execute(insert(table), rows)
        return
    connection.exec_driver_sql(plan.sql, [plan.params(row) for row in rows])


def _plan(dialect, table, keys):
    cache_key = (dialect.name, dialect.driver, dialect.paramstyle, table, keys)
    if cache_key not in _PLANS:
        _PLANS[cache_key] = _make_plan(dialect, table, keys)
    return _PLANS[cache_key]


_PLANS = {}


def _make_plan(dialect, table, keys):
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys), for_executemany=True)
    prefetch = {column.key: column.default for column in compiled.insert_prefetch}
    names = tuple(compiled.positiontup) if compiled.positional else tuple(compiled.binds)
    getters = []
    for name in names:
        process = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        if name in keys:
            getters.append((name, process, None))
        elif _plain_default(prefetch.get(name)):
            getters.append((None, process, _default_function(prefetch[name])))
        else:
            return None
    return _Plan(compiled.string, names, tuple(getters), compiled.positional)


def _plain_default(default):
    """A scalar, or a function of no argument: SQLAlchemy wrapped it to ignore the execution
    context (`__wrapped__` is the function), which a function taking the context needs."""
    return default is not None and (default.is_scalar or (default.is_callable and hasattr(default.arg, "__wrapped__")))


def _default_function(default):
    if default.is_callable:
        return default.arg.__wrapped__
    value = default.arg
    return lambda: value
