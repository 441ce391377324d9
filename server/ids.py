"""Reserving primary keys ahead of a bulk insert, so rows can point at each other before they exist."""

from tortoise import Tortoise


async def reserve_ids(model, count: int) -> list[int]:
    """`count` fresh ids for `model`; call inside the transaction that inserts the rows."""
    if count <= 0:
        return []
    conn = Tortoise.get_connection("default")
    table = model._meta.db_table
    if conn.capabilities.dialect == "postgres":
        rows = await conn.execute_query_dict(
            f"SELECT nextval(pg_get_serial_sequence('\"{table}\"', 'id')) AS id FROM generate_series(1, {int(count)})"
        )
        return [row["id"] for row in rows]
    # SQLite takes one writer at a time; a concurrent writer's insert would collide and be retried.
    rows = await conn.execute_query_dict(f'SELECT COALESCE(MAX(id), 0) AS top FROM "{table}"')
    top = rows[0]["top"]
    return list(range(top + 1, top + 1 + count))
