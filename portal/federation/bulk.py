"""Bulk inserts through the DBAPI cursor: SQLAlchemy's statement and value conversions, not its per-row work.

A Core `executemany` spends more CPU on each row's parameters (a dict per row, every
value looked up and converted, defaults checked) than SQLite spends storing the row.
`insert_rows` compiles the same INSERT once per table and set of keys, converts each value
with its column type's own bind processor (JSON encoded, dates formatted, as a Core insert
would), calls the Python defaults of absent columns per row, and hands the driver a list
of tuples (or dicts, for a driver with named parameters). The rows stored are those a Core
insert of the same dicts stores (tests/test_federation_bulk.py).
"""
from operator import itemgetter

from sqlalchemy import insert, select


class _Plan:
    """The compiled statement, and how to make one row's parameters for it."""

    def __init__(self, sql, names, defaults, processors, positional):
        self.sql, self.names, self.positional = sql, names, positional
        self.defaults = defaults  # (name, function) of the absent columns with a Python default
        self.processors = processors  # (position, bind processor) of the values to convert
        self.pick = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))

    def params(self, row):
        if self.defaults:
            row = dict(row)
            for name, default in self.defaults:
                row[name] = default()
        values = self.pick(row)
        if self.processors:
            values = list(values)
            for position, process in self.processors:
                values[position] = process(values[position])
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
    defaults, processors = [], []
    for position, name in enumerate(names):
        if name not in keys:
            if not _plain_default(prefetch.get(name)):
                return None
            defaults.append((name, _default_function(prefetch[name])))
        process = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors.append((position, process))
    return _Plan(compiled.string, names, tuple(defaults), tuple(processors), compiled.positional)


def _plain_default(default):
    """A scalar, or a function of no argument: SQLAlchemy wrapped it to ignore the execution
    context (`__wrapped__` is the function), which a function taking the context needs."""
    return default is not None and (default.is_scalar or (default.is_callable and hasattr(default.arg, "__wrapped__")))


def _default_function(default):
    if default.is_callable:
        return default.arg.__wrapped__
    value = default.arg
    return lambda: value


def select_in(session, table, columns, key, values, **equal):
    """Rows of `columns` of `table` whose `key` is one of `values` (and each `equal` column has
    its value), as tuples, through the DBAPI cursor.

    Looking up a page's 1,000 uids through a Core select cost four times the query itself
    (each value of the IN list is a parameter SQLAlchemy names and processes). Meant for
    columns whose values the driver returns as they are (text, integers). Pending ORM changes
    are flushed first, as a select of mapped columns through the session flushes them.
    """
    if not values:
        return []
    session.flush()
    connection = session.connection()
    dialect = connection.dialect
    mark = _PLACEHOLDERS.get(dialect.paramstyle)
    if mark is None:
        where = [table.c[name] == value for name, value in equal.items()] + [table.c[key].in_(values)]
        return connection.execute(select(*(table.c[name] for name in columns)).where(*where)).all()
    quote = dialect.identifier_preparer.quote
    sql = (f"SELECT {', '.join(quote(name) for name in columns)} FROM {quote(table.name)} WHERE "
           + "".join(f"{quote(name)} = {mark} AND " for name in equal)
           + f"{quote(key)} IN ({', '.join([mark] * len(values))})")
    return connection.exec_driver_sql(sql, (*equal.values(), *values)).all()


_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
