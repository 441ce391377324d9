"""arq job functions. Thin: each calls a domain service and takes ids, not objects."""

from server.events import services as events
from server.ingestion import imports
from server.portrait import services as portrait
from server.rules import engine as rules
from server.rules import triggers
from server.sales import assignment, pool
from workers.retry import retrying

# Domains whose outbox handlers the drain must know (importing registers them).
HANDLER_MODULES = (assignment, triggers)


@retrying
async def drain_outbox(ctx: dict) -> int:
    return await events.drain()


@retrying
async def run_imports(ctx: dict) -> int:
    """Run every queued spreadsheet import (uploads enqueue this; a cron pass catches strays)."""
    return await imports.run_queued()


@retrying
async def run_pool_pass(ctx: dict) -> dict:
    """Return customers nobody followed up in time to the pool and remind owners of those soon due."""
    result = await pool.run_pool_pass()
    return {"returned": result.returned, "reminded": result.reminded}


@retrying
async def run_rules(ctx: dict) -> dict:
    """Seed the built-in rules and run the scheduled rules that are due; firings make reruns harmless."""
    return await rules.run_scheduled()


@retrying
async def refresh_portrait(ctx: dict) -> dict:
    """Bring generated tags and value tiers in line with the facts; reruns change nothing."""
    result = await portrait.refresh_portrait()
    return {"tags_added": result.tags_added, "tags_removed": result.tags_removed, "tiers_changed": result.tiers_changed}
