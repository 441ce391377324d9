"""Embedded mode: with no REDIS_URL the web process runs the worker's jobs on its own loop."""

import asyncio
import logging

from workers import jobs

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 2.0


async def run_forever(stop: asyncio.Event) -> None:
    ctx: dict = {"embedded": True}
    while not stop.is_set():
        for job in (jobs.drain_outbox, jobs.run_imports):
            try:
                await job(ctx)
            except Exception:  # keep the loop alive; the outbox and the import job keep what failed
                log.exception("embedded worker: %s failed", job.__name__)
        try:
            await asyncio.wait_for(stop.wait(), timeout=INTERVAL_SECONDS)
        except TimeoutError:
            pass
