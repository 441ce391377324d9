"""Plain multi-row INSERT … ON CONFLICT DO NOTHING for the rows a rule pass writes by the thousand.

Tortoise's bulk_create builds a model instance per row, which cost more than the database work
of a whole pass; these rows are plain values already, so they go straight into the statement.
"""

from datetime import UTC, datetime
from enum import Enum

# Parameters per statement: well under SQLite's 32,766 and PostgreSQL's 65,535.
MAX_PARAMS = 30_000


def _value(value, postgres: bool):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime) and not postgres:
        return str(value.astimezone(UTC))  # the text Tortoise stores on SQLite: "2026-06-15 04:00:00+00:00"
    return value


async def insert_ignore(conn, table: str, columns: list[str], rows: list[list], conflict: list[str]) -> None:
    """Insert `rows` (values in `columns` order), skipping those that clash on the `conflict` columns."""
    if not rows:
        return
    postgres = conn.capabilities.dialect == "postgres"
    per_statement = max(1, MAX_PARAMS // len(columns))
    for start in range(0, len(rows), per_statement):
        values, groups = [], []
        for row in rows[start:start + per_statement]:
            n = len(values)
            values += [_value(v, postgres) for v in row]
            marks = [f"${n + i}" for i in range(1, len(row) + 1)] if postgres else ["?"] * len(row)
            groups.append(f"({', '.join(marks)})")
        await conn.execute_query(
            f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES {", ".join(groups)} '
            f'ON CONFLICT ({", ".join(conflict)}) DO NOTHING', values)
