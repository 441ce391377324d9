"""arq job functions. Thin: each calls a domain service and takes ids, not objects."""

from server.events import services as events


async def drain_outbox(ctx: dict) -> int:
    return await events.drain()
