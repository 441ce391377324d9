"""Seeded customers, vehicles and service records for the rules benchmark, written fast:
COPY on PostgreSQL, executemany in chunks on SQLite; rows built from the models' own defaults.

At the benchmark's moment (AT) about 12% of customers match the dormant rule, 1.5% the
birthday rule and 4–5% the replacement rule, spread over 50 consultants and the pool.
"""

import json
import random
import sqlite3
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum

from server.customers.models import Customer, ServiceRecord, Vehicle

AT = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)  # noon in Shanghai
CONSULTANTS = 50
CHUNK = 20_000
TABLES = ("customer", "vehicle", "service_record")
LIFECYCLES = ["LEAD"] * 30 + ["PROSPECT"] * 30 + ["CUSTOMER"] * 25 + ["DORMANT"] * 10 + ["LOST"] * 5


def _template(model, **fixed) -> tuple[list[str], dict]:
    """Every column of the model's table with the value a new instance would get."""
    instance = model(**fixed)
    columns = {}
    for name, column in model._meta.fields_db_projection.items():
        if name in model._meta.fetch_fields:
            continue
        columns[column] = getattr(instance, name, None)
    return list(columns), columns


def _seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def customers(n: int, seed: int):
    rng = random.Random(seed)
    _, base = _template(Customer, name="", created_at=AT, updated_at=AT)
    for cid in range(1, n + 1):
        created = _seconds(AT - timedelta(days=rng.uniform(0, 1000)))
        contact = None
        if rng.random() >= 0.05:
            contact = _seconds(max(created, AT - timedelta(days=rng.expovariate(1 / 40))))
        birthday = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.7 else None
        owner = rng.randint(1, CONSULTANTS) if rng.random() >= 0.1 else None
        yield {**base, "id": cid, "name": f"客户{cid}", "owner_id": owner, "lifecycle": rng.choice(LIFECYCLES),
               "birthday": birthday, "created_at": created, "updated_at": created, "last_contact_at": contact}


def vehicles_and_services(n: int, seed: int):
    """(vehicles, service records) for about 40% of the customers."""
    rng = random.Random(seed + 1)
    _, vbase = _template(Vehicle, customer_id=0, created_at=AT)
    _, sbase = _template(ServiceRecord, vehicle_id=0, customer_id=0, kind="MAINTENANCE", service_date=AT.date(),
                         amount=Decimal("0"), created_at=AT)
    vid = sid = 0
    for cid in range(1, n + 1):
        if rng.random() >= 0.4:
            continue
        vid += 1
        bought = AT.date() - timedelta(days=rng.randint(0, 12 * 365))
        yield "vehicle", {**vbase, "id": vid, "customer_id": cid, "model_name": "汉 EV", "purchase_date": bought,
                          "mileage_km": rng.randint(1000, 200_000)}
        repairs = rng.choice([0, 0, 0, 0, 0, 0, 1, 2, 3, 4])
        for k in range(repairs + rng.randint(0, 2)):
            sid += 1
            kind = "REPAIR" if k < repairs else "MAINTENANCE"
            yield "service_record", {**sbase, "id": sid, "vehicle_id": vid, "customer_id": cid, "kind": kind,
                                     "service_date": AT.date() - timedelta(days=rng.randint(0, 360)),
                                     "amount": Decimal("880.00")}


def _sqlite_value(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return str(value.astimezone(UTC))  # how Tortoise stores it: "2026-06-15 04:00:00+00:00"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _pg_value(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


class Writer:
    """Buffers rows per table and flushes them in chunks."""

    def __init__(self, url: str):
        self.url = url
        self.sqlite = url.startswith("sqlite://")
        self.buffers: dict[str, list[dict]] = {}
        self.counts: dict[str, int] = {}

    async def __aenter__(self):
        if self.sqlite:
            self.conn = sqlite3.connect(self.url[len("sqlite://"):])
            self.conn.execute("PRAGMA synchronous = OFF")
        else:
            import asyncpg

            self.conn = await asyncpg.connect(self.url.replace("postgres://", "postgresql://", 1))
        return self

    async def add(self, table: str, row: dict) -> None:
        buffer = self.buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= CHUNK:
            for name in TABLES:  # parents before children, for the foreign keys
                await self.flush(name)

    async def flush(self, table: str) -> None:
        rows = self.buffers.pop(table, [])
        if not rows:
            return
        columns = list(rows[0])
        self.counts[table] = self.counts.get(table, 0) + len(rows)
        if self.sqlite:
            sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
            self.conn.executemany(sql, [[_sqlite_value(r[c]) for c in columns] for r in rows])
            self.conn.commit()
        else:
            await self.conn.copy_records_to_table(table, columns=columns,
                                                  records=[[_pg_value(r[c]) for c in columns] for r in rows])

    async def __aexit__(self, *exc):
        for table in TABLES:
            await self.flush(table)
        if self.sqlite:
            self.conn.close()
        else:
            for table in self.counts:
                await self.conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM \"{table}\"))")
            await self.conn.execute("ANALYZE")
            await self.conn.close()


async def generate(url: str, n: int, seed: int) -> dict[str, int]:
    """Consultants through the ORM, then customers, vehicles and service records in bulk."""
    from server.auth.models import User
    from server.enums import Role

    await User.bulk_create([User(username=f"consultant{i}", display_name=f"顾问{i}", password_hash="-",
                                 role=Role.CONSULTANT) for i in range(1, CONSULTANTS + 1)])
    async with Writer(url) as writer:
        for row in customers(n, seed):
            await writer.add("customer", row)
        await writer.flush("customer")
        for table, row in vehicles_and_services(n, seed):
            await writer.add(table, row)
    return writer.counts
