"""arq job functions. Thin: each calls a domain service and takes ids, not objects."""

from server.events import services as events
from server.ingestion import imports


async def drain_outbox(ctx: dict) -> int:
    return await events.drain()


async def run_imports(ctx: dict) -> int:
    """Run every queued spreadsheet import (uploads enqueue this; a cron pass catches strays)."""
    return await imports.run_queued()
