"""Test databases: a fresh SQLite file per test, or (with DATABASE_URL set to PostgreSQL)
one database per run whose tables are emptied after each test."""

import asyncio
import os
import uuid

import pytest
from tortoise import Tortoise

from server import config
from server.db import tortoise_config

PG_URL = os.environ.get("DATABASE_URL", "")
USE_PG = PG_URL.startswith(("postgres://", "postgresql://", "asyncpg://"))


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


async def _admin(url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_with_database(url, "postgres").replace("asyncpg://", "postgresql://"))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if not USE_PG:
        yield None
        return
    name = f"crm_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    url = _with_database(PG_URL, name)

    async def create():
        await _admin(PG_URL, f'CREATE DATABASE "{name}"')
        await Tortoise.init(config=tortoise_config(url))
        await Tortoise.generate_schemas()
        await Tortoise.close_connections()

    asyncio.run(create())
    yield url
    asyncio.run(_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def db(database_url, tmp_path, monkeypatch):
    """An initialized, empty database for one test."""
    url = database_url or f"sqlite://{tmp_path / 'test.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    config.reload_settings()
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
    if not USE_PG:
        await Tortoise.generate_schemas()
    try:
        yield url
    finally:
        if USE_PG:
            conn = Tortoise.get_connection("default")
            tables = [m._meta.db_table for m in Tortoise.apps["models"].values()]
            await conn.execute_script(
                "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
            )
        await Tortoise.close_connections()
        monkeypatch.undo()
        config.reload_settings()


@pytest.fixture
async def world(db):
    from tests.world import build_world

    return await build_world()
