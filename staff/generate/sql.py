"""Set-based SQL for the region generator: the few expressions PostgreSQL and SQLite write differently, and
INSERT … SELECT built from a model's own fields, so that every NOT NULL column gets a value and a new column
gets its default without this code changing.

Every value in these statements is the generator's own (numbers, dates, fixed Chinese words, NBS codes from
the place list): literals are written inline, quoted by `lit`, and statements run without parameters, so
`%` is SQL's modulo.
"""

import datetime
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

PRIME = 2147483647  # 2**31 - 1
# Multipliers for `mix`: each salt its own, so that different attributes of one row do not move together.
_MULTIPLIERS = (48271, 69621, 16807, 39373, 630360016, 742938285, 950706376, 1226874159, 62089911, 1343714438,
                397204094, 1781098918, 784588716, 273673163, 1597334677, 1103515245, 2100005341, 1664525)


def postgres() -> bool:
    return connection.vendor == "postgresql"


def run(sql: str) -> int:
    """Execute one statement; returns the rows it touched."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def scalar(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0] if row else None


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def lit(value) -> str:
    """A literal of the generator's own: text, number, truth value, date or moment (aware, stored in UTC)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime.datetime):
        utc = value.astimezone(datetime.UTC)
        if postgres():
            return f"TIMESTAMPTZ '{utc.isoformat()}'"
        return f"'{utc.replace(tzinfo=None).isoformat(sep=' ')}'"
    if isinstance(value, datetime.date):
        return f"DATE '{value.isoformat()}'" if postgres() else f"'{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def series(start: int, stop: int, alias: str) -> str:
    """A row source `alias` with one column `i` running from start to stop."""
    if postgres():
        return f"generate_series({int(start)}, {int(stop)}) AS {alias}(i)"
    return (f"(WITH RECURSIVE q(i) AS (SELECT {int(start)} UNION ALL SELECT i + 1 FROM q "  # noqa: S608
            f"WHERE i < {int(stop)}) SELECT i FROM q) AS {alias}")


def mix(expr: str, salt: int) -> str:
    """A pseudo-random number from 0 to 2**31 - 2, the same for the same row and salt (no RNG state, so a
    row's attributes can be computed in any statement)."""
    a = _MULTIPLIERS[salt % len(_MULTIPLIERS)]
    h = f"((CAST({expr} AS BIGINT) * {a} + {1000003 * (salt + 1)}) % {PRIME})"
    return f"(({h} * {h} + {salt}) % {PRIME})"


def pick(h: str, options: list[str]) -> str:
    """One of the literals, chosen by the number `h`."""
    whens = " ".join(f"WHEN {n} THEN {lit(o)}" for n, o in enumerate(options))
    return f"(CASE ({h}) % {len(options)} {whens} END)"


def weighted(h: str, choices: list[tuple[int, str]]) -> str:
    """An SQL expression chosen by `h` % 100 with the weights given (they add up to 100)."""
    whens, upto = [], 0
    for weight, expr in choices[:-1]:
        upto += weight
        whens.append(f"WHEN ({h}) % 100 < {upto} THEN {expr}")
    return f"(CASE {' '.join(whens)} ELSE {choices[-1][1]} END)"


def plus_days(date_sql: str, offset: str) -> str:
    """The date `offset` days after a date expression."""
    if postgres():
        return f"({date_sql} + CAST({offset} AS INTEGER))"
    return f"date({date_sql}, printf('%+d days', {offset}))"


def day(base: datetime.date, offset: str) -> str:
    """The date `offset` days after `base`."""
    return plus_days(lit(base), offset)


def make_date(year: str, month: str, dom: str) -> str:
    if postgres():
        return f"make_date(CAST({year} AS INTEGER), CAST({month} AS INTEGER), CAST({dom} AS INTEGER))"
    return f"date(printf('%04d-%02d-%02d', {year}, {month}, {dom}))"


def moment(base: datetime.datetime, seconds: str) -> str:
    """The moment `seconds` after `base`."""
    if postgres():
        return f"({lit(base)} + CAST({seconds} AS BIGINT) * INTERVAL '1 second')"
    return f"datetime({lit(base)}, printf('%+d seconds', {seconds}))"


def at_hour(date_sql: str, hour: int) -> str:
    """The moment at `hour` o'clock local time on a date column."""
    offset = timezone.get_current_timezone().utcoffset(datetime.datetime(2020, 1, 1))
    utc_hours = hour - int(offset.total_seconds() // 3600)
    if postgres():
        return f"(CAST({date_sql} AS TIMESTAMP) + INTERVAL '{utc_hours} hours') AT TIME ZONE 'UTC'"
    return f"datetime({date_sql}, '{utc_hours:+d} hours')"


def insert_select(model, values: dict[str, str], source: str) -> int:
    """INSERT INTO the model's table SELECT … FROM `source` (which may end in WHERE …): `values` maps field
    names to SQL expressions; every other column takes its default, the time now (auto_now), NULL where
    allowed, or "" for blank text. Returns the number of rows inserted."""
    now = timezone.now()
    columns, exprs = [], []
    for field in model._meta.concrete_fields:
        if field.name in values:
            expr = values[field.name]
        elif field.primary_key:
            continue
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expr = lit(now)
        elif field.has_default():
            expr = lit(field.get_default())
        elif field.null:
            expr = "NULL"
        elif field.blank and field.empty_strings_allowed:
            expr = "''"
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        columns.append(connection.ops.quote_name(field.column))
        exprs.append(expr)
    unknown = set(values) - {f.name for f in model._meta.concrete_fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    return run(f"INSERT INTO {table(model)} ({', '.join(columns)}) SELECT {', '.join(exprs)} FROM {source}")  # noqa: S608


def next_id(model) -> int:
    """The first id free above every row (the generator gives explicit ids, so rows can refer to each other
    by arithmetic; sequences_reset() moves the database's counters past them afterwards)."""
    return int(scalar(f"SELECT COALESCE(MAX(id), 0) FROM {table(model)}") or 0) + 1  # noqa: S608


def sequences_reset(models_: list) -> None:
    from django.core.management.color import no_style

    for statement in connection.ops.sequence_reset_sql(no_style(), models_):
        run(statement)


def temp_table(name: str, select: str, *, index: str | None = None) -> int:
    """A temporary table from a SELECT (dropped first if there), indexed and analysed; returns its rows."""
    run(f"DROP TABLE IF EXISTS {name}")
    run(f"CREATE TEMPORARY TABLE {name} AS {select}")
    if index:
        run(f"CREATE INDEX {name}_{index} ON {name} ({index})")
    run(f"ANALYZE {name}")
    return int(scalar(f"SELECT COUNT(*) FROM {name}"))  # noqa: S608


def _rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@contextmanager
def indexes_deferred(*models_):
    """On PostgreSQL, the tables' secondary indexes, unique constraints and foreign keys are dropped while rows
    pour in and built again afterwards: one sort per index and one join per key instead of updating each
    of them for every row (several times faster for millions of rows). Run it inside a transaction: the
    definitions are PostgreSQL's own, so a failure rolls back to the tables as they were."""
    if not postgres():
        yield
        return
    run("SET CONSTRAINTS ALL IMMEDIATE")  # checks deferred so far run now: ALTER TABLE cannot wait behind them
    kept = []
    for model in models_:
        name = lit(model._meta.db_table)
        quoted = table(model)
        constraints = _rows(f"SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "  # noqa: S608
                            f"WHERE conrelid = {name}::regclass AND contype IN ('f', 'u')")
        indexes = _rows(f"SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "  # noqa: S608
                        f"WHERE x.indrelid = {name}::regclass AND NOT x.indisprimary AND NOT EXISTS "
                        f"(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)")
        for constraint, _definition in constraints:
            run(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(constraint)}")
        for index, _definition in indexes:
            run(f"DROP INDEX {connection.ops.quote_name(index)}")
        kept.append((quoted, constraints, indexes))
    yield
    for quoted, constraints, indexes in kept:
        for _index, definition in indexes:
            run(definition)
        for constraint, definition in constraints:
            run(f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(constraint)} {definition}")
