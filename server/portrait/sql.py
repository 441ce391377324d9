"""Small pieces of SQL the portrait passes share, written once for SQLite and PostgreSQL.

Moments and days are inlined as literals: they come from the pass's own clock, never from
input, and inlining spares the two drivers' different placeholder and type rules.
"""

from datetime import UTC, date, datetime

from tortoise import Tortoise


def dialect() -> str:
    return Tortoise.get_connection("default").capabilities.dialect


def moment(value: datetime, postgres: bool) -> str:
    # SQLite stores datetimes as `isoformat(" ")` text in UTC (Tortoise's adapter); compare alike.
    text = value.astimezone(UTC).isoformat(" ")
    return f"TIMESTAMPTZ '{text}'" if postgres else f"'{text}'"


def day(value: date, postgres: bool) -> str:
    return f"DATE '{value.isoformat()}'" if postgres else f"'{value.isoformat()}'"


def years_before(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year - years)
    except ValueError:  # 29 February
        return value.replace(year=value.year - years, day=28)


def months_before(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 - months
    year, month = divmod(index, 12)
    for day_of_month in (value.day, 30, 29, 28):
        try:
            return date(year, month + 1, day_of_month)
        except ValueError:
            continue
    raise AssertionError("unreachable")


async def id_ceiling() -> int:
    rows = await Tortoise.get_connection("default").execute_query_dict('SELECT MAX(id) AS top FROM "customer"')
    return int(rows[0]["top"] or 0)
