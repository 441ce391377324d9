"""Plain bulk INSERT … ON CONFLICT DO NOTHING for rows written by the thousand (rule passes,
their audit rows).

Tortoise's bulk_create builds a model instance per row, which cost more than the database work
of a whole pass. On PostgreSQL the rows travel as one array per column through unnest(), so the
statement has the same shape (and plan) whatever the number of rows; SQLite gets multi-row VALUES.
"""

from datetime import UTC, date, datetime
from enum import Enum
from itertools import chain

# Parameters per SQLite statement: well under its limit of 32,766.
SQLITE_MAX_PARAMS = 30_000
PG_TYPES = ((bool, "boolean"), (int, "bigint"), (float, "double precision"), (datetime, "timestamptz"),
            (date, "date"), (str, "text"))


def _plain(value):
    return value.value if isinstance(value, Enum) else value


def _sqlite(value):
    return str(value.astimezone(UTC)) if isinstance(value, datetime) else _plain(value)


def _columns(rows: list[list], convert, kinds: tuple) -> list[list]:
    """The rows as columns, converting only the columns whose values need it (rows run to thousands)."""
    columns = [list(column) for column in zip(*rows)]
    for i, column in enumerate(columns):
        if any(issubclass(kind, kinds) for kind in set(map(type, column))):
            columns[i] = _converted(column, convert)
    return columns


def _converted(column: list, convert) -> list:
    # A column needing conversion is mostly one moment or a few enum members: convert each value once.
    seen: dict = {}
    try:
        return [seen[v] if v in seen else seen.setdefault(v, convert(v)) for v in column]
    except TypeError:  # an unhashable value
        return [convert(v) for v in column]


def _pg_type(values: list) -> str:
    sample = next((v for v in values if v is not None), "")
    return next(name for kind, name in PG_TYPES if isinstance(sample, kind))


async def insert_rows(conn, table: str, columns: list[str], rows: list[list], *, conflict: list[str],
                      casts: dict[str, str] | None = None, returning: str | None = None) -> list:
    """Insert `rows` (values in `columns` order), skipping rows that clash on the `conflict` columns.

    `casts` names a database type for columns that need one (e.g. {"changes": "jsonb"} for JSON
    sent as text, or the column's type when every value in it is None: PostgreSQL then sees text).
    With `returning`, the values of that column for the rows inserted.
    """
    if not rows:
        return []
    casts = casts or {}
    tail = f' ON CONFLICT ({", ".join(conflict)}) DO NOTHING' + (f" RETURNING {returning}" if returning else "")
    if conn.capabilities.dialect == "postgres":
        arrays = _columns(rows, _plain, (Enum,))
        # A column holding one value for every row (the actor, the moment, a rule id) goes as one
        # parameter, not an array of thousands; one column at least stays an array to count the rows.
        same = [len(rows) > 1 and all(v is a[0] for v in a) for a in arrays]
        if all(same):
            same[0] = False
        params, unnest, names, select = [], [], [], []
        for column, values, constant in zip(columns, arrays, same):
            params.append(values[0] if constant else values)
            mark = f"${len(params)}::{_pg_type(values)}"
            if constant:
                value = mark
            else:
                unnest.append(mark + "[]")
                names.append(column)
                value = f"v.{column}"
            select.append(f"CAST({value} AS {casts[column]})" if column in casts else value)
        sql = (f'INSERT INTO "{table}" ({", ".join(columns)}) SELECT {", ".join(select)} '
               f'FROM unnest({", ".join(unnest)}) AS v({", ".join(names)}){tail}')
        result = await conn.execute_query_dict(sql, params)
        return [r[returning] for r in result] if returning else []
    out = []
    per_statement = max(1, SQLITE_MAX_PARAMS // len(columns))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        values = list(chain.from_iterable(zip(*_columns(chunk, _sqlite, (Enum, datetime)))))
        groups = ", ".join(["(" + ", ".join("?" * len(columns)) + ")"] * len(chunk))
        result = await conn.execute_query_dict(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES {groups}{tail}',
                                               values)
        out += [r[returning] for r in result] if returning else []
    return out
