"""Embedded mode: with no REDIS_URL the web process runs the worker's jobs on its own loop."""

import asyncio
import logging
import time

from workers import jobs

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 2.0
POOL_PASS_SECONDS = 3600.0
RULES_SECONDS = 60.0  # each rule then runs when its own schedule is due
PORTRAIT_SECONDS = 86400.0  # generated tags and tiers move with days
# The first pool pass waits a while, so that starting a laptop server never moves customers at once.
FIRST_POOL_PASS_SECONDS = 300.0


async def run_forever(stop: asyncio.Event) -> None:
    ctx: dict = {"embedded": True}
    next_pool_pass = next_rules = next_portrait = time.monotonic() + FIRST_POOL_PASS_SECONDS
    while not stop.is_set():
        due = [jobs.drain_outbox, jobs.run_imports]
        if time.monotonic() >= next_pool_pass:
            due.append(jobs.run_pool_pass)
            next_pool_pass = time.monotonic() + POOL_PASS_SECONDS
        if time.monotonic() >= next_rules:
            due.append(jobs.run_rules)
            next_rules = time.monotonic() + RULES_SECONDS
        if time.monotonic() >= next_portrait:
            due.append(jobs.refresh_portrait)
            next_portrait = time.monotonic() + PORTRAIT_SECONDS
        for job in due:
            try:
                await job(ctx)
            except Exception:  # keep the loop alive; the outbox and the import job keep what failed
                log.exception("embedded worker: %s failed", job.__name__)
        try:
            await asyncio.wait_for(stop.wait(), timeout=INTERVAL_SECONDS)
        except TimeoutError:
            pass
