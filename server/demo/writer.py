"""Writing the demo world to the database in bulk, and emptying the database before a reload."""

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from server.activity.models import Interaction, Task
from server.auth.models import Team, User
from server.customers.models import Contact, Customer, ServiceRecord, Vehicle
from server.demo.world import World
from server.portrait.models import CustomerTag, MessageTemplate, Tag
from server.sales.models import (
    Campaign,
    CloseReason,
    Objection,
    Opportunity,
    Quote,
    QuoteItem,
    ShowroomVisit,
    TestDrive,
    VehicleModel,
)

CHUNK = 500

# Parents before children.
INSERT_ORDER: tuple[type[Model], ...] = (
    Team, User, VehicleModel, CloseReason, Tag, Campaign, MessageTemplate,
    Customer, Contact, Opportunity, Quote, QuoteItem, TestDrive, Objection,
    Vehicle, ServiceRecord, Interaction, Task, CustomerTag, ShowroomVisit,
)

# bulk_create in Tortoise 1.1.9 runs executemany and reports no ids on SQLite or PostgreSQL,
# so the ids of rows that have children are read back through a unique key of the demo data.
NATURAL_KEYS: dict[type[Model], tuple[str, ...]] = {
    Team: ("name",),
    User: ("username",),
    VehicleModel: ("brand", "series", "trim"),
    CloseReason: ("kind", "label"),
    Tag: ("name",),
    Campaign: ("code",),
    MessageTemplate: ("title",),
    Customer: ("phone",),
    Contact: ("customer_id", "name"),
    Opportunity: ("customer_id", "title"),
    Quote: ("opportunity_id",),
    Vehicle: ("vin",),
}

# Managed lists that another seed (or an administrator) may have filled already: reuse those rows.
SHARED = (Team, VehicleModel, CloseReason, Tag, Campaign, MessageTemplate)


def _key(row: Model, fields: tuple[str, ...]) -> tuple:
    return tuple(getattr(row, name) for name in fields)


async def write_world(world: World) -> None:
    for model in INSERT_ORDER:
        rows = world.rows.get(model)
        if rows:
            await _insert(world, model, rows)
    missing = set(world.rows) - set(INSERT_ORDER)
    if missing:
        raise RuntimeError(f"no insert order for {sorted(m.__name__ for m in missing)}")


async def _insert(world: World, model: type[Model], rows: list[Model]) -> None:
    key_fields = NATURAL_KEYS.get(model)
    if model in SHARED:
        existing = {tuple(key): pk for pk, *key in await model.all().values_list("id", *key_fields)}
        for row in rows:
            if _key(row, key_fields) in existing:
                row.pk = existing[_key(row, key_fields)]
        rows = [row for row in rows if row.pk is None]
    pending = rows
    # Rows pointing at rows of the same table (a contact's manager) go in waves, parents first.
    while pending:
        ready, waiting = [], []
        for row in pending:
            links = world.links(row)
            if all(parent.pk is not None for _, parent in links):
                for field, parent in links:
                    setattr(row, f"{field}_id", parent.pk)
                ready.append(row)
            else:
                waiting.append(row)
        if not ready:
            raise RuntimeError(f"{model.__name__} rows point at rows that are never saved")
        if waiting and key_fields is None:
            raise RuntimeError(f"{model.__name__} needs a natural key to be inserted in waves")
        await _bulk_insert(model, ready, key_fields)
        pending = waiting


async def _bulk_insert(model: type[Model], rows: list[Model], key_fields: tuple[str, ...] | None) -> None:
    if key_fields is None:
        for start in range(0, len(rows), CHUNK):
            await model.bulk_create(rows[start:start + CHUNK])
        return
    last = await model.all().order_by("-id").limit(1).values_list("id", flat=True)
    for start in range(0, len(rows), CHUNK):
        await model.bulk_create(rows[start:start + CHUNK])
    saved = await model.filter(id__gt=last[0] if last else 0).values_list("id", *key_fields)
    ids = {tuple(key): pk for pk, *key in saved}
    if len(ids) != len(rows):
        raise RuntimeError(f"{model.__name__}: {len(rows)} rows inserted, {len(ids)} distinct keys read back")
    for row in rows:
        row.pk = ids[_key(row, key_fields)]


def _children_first(models: list[type[Model]]) -> list[type[Model]]:
    parents = {
        model: {model._meta.fields_map[name].related_model for name in model._meta.fk_fields | model._meta.o2o_fields}
        - {model}
        for model in models
    }
    ordered: list[type[Model]] = []
    remaining = set(models)
    while remaining:
        unreferenced = [m for m in remaining if not any(m in parents[other] for other in remaining)]
        # A cycle of foreign keys would leave nothing unreferenced; ON DELETE rules cope with any order.
        batch = sorted(unreferenced or remaining, key=lambda m: m._meta.db_table)
        ordered += batch
        remaining -= set(batch)
    return ordered


async def clear_database(conn: BaseDBAsyncClient) -> None:
    """Delete every row of every model (not the migration history), and restart the ids."""
    tables = [model._meta.db_table for model in _children_first(list(Tortoise.apps["models"].values()))]
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        return
    # Statement by statement: sqlite3's executescript() would commit the open transaction.
    for table in tables:
        await conn.execute_query(f'DELETE FROM "{table}"')
    if conn.capabilities.dialect == "sqlite":
        _, rows = await conn.execute_query("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
        if rows:
            await conn.execute_query("DELETE FROM sqlite_sequence")
