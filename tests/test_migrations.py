"""The committed migrations and the models agree, and they build a working database."""

import os
import uuid

from tortoise import Tortoise
from tortoise.context import TortoiseContext
from tortoise.migrations.api.migrate import migrate
from tortoise.migrations.autodetector import MigrationAutodetector

from server.db import MODEL_MODULES, tortoise_config
from tests.conftest import USE_PG, _admin, _with_database


async def test_making_migrations_again_yields_nothing(tmp_path):
    config = tortoise_config(f"sqlite://{tmp_path / 'plan.sqlite3'}")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    assert [w.name for w in writers] == [], "models changed without a migration: run `tortoise makemigrations`"


async def _migrated_tables(url: str) -> set[str]:
    await migrate(config=tortoise_config(url))
    conn = Tortoise.get_connection("default")
    if url.startswith("sqlite"):
        rows = await conn.execute_query_dict("SELECT name FROM sqlite_master WHERE type='table'")
    else:
        rows = await conn.execute_query_dict("SELECT tablename AS name FROM pg_tables WHERE schemaname='public'")
    names = {r["name"] for r in rows}
    await Tortoise.close_connections()
    return names


def _model_tables() -> set[str]:
    import importlib

    from tortoise.models import Model

    tables = set()
    for module_name in MODEL_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Model) and value is not Model and value.__module__ == module_name:
                tables.add(value._meta.db_table or value.__name__.lower())
    return tables


async def test_migrations_create_every_table_on_an_empty_database(tmp_path):
    if USE_PG:
        name = f"crm_migrate_{uuid.uuid4().hex[:8]}"
        await _admin(os.environ["DATABASE_URL"], f'CREATE DATABASE "{name}"')
        url = _with_database(os.environ["DATABASE_URL"], name)
    else:
        url = f"sqlite://{tmp_path / 'migrated.sqlite3'}"
    try:
        tables = await _migrated_tables(url)
        assert _model_tables() <= tables
        # Applying again is a no-op, as `crm migrate` on every release must be.
        assert await _migrated_tables(url) == tables
    finally:
        if USE_PG:
            await _admin(os.environ["DATABASE_URL"], f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
