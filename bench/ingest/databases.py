"""A fresh, empty database per phase, dropped afterwards.

Each phase gets its own database so neither the baseline's rows nor its indexes
warm up or slow down the ingest it is compared with.
"""

import contextlib
import os
import shutil
import tempfile
import uuid

import asyncpg
from tortoise import Tortoise

from server.db import tortoise_config

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(_with_database(PG_URL, "postgres").replace("asyncpg://", "postgresql://"))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def fresh_database(kind: str, label: str):
    """Tortoise initialised on a new database with the full schema; yields its URL."""
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="crm_bench_")
        url = f"sqlite://{folder}/{label}.sqlite3"
    elif kind == "postgres":
        name = f"crm_bench_{label}_{uuid.uuid4().hex[:6]}"
        await _admin(f'CREATE DATABASE "{name}"')
        url = _with_database(PG_URL, name)
    else:
        raise ValueError(f"unknown database {kind!r}")
    try:
        await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
        await Tortoise.generate_schemas()
        yield url
    finally:
        await Tortoise.close_connections()
        if kind == "sqlite":
            shutil.rmtree(folder, ignore_errors=True)
        else:
            await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
