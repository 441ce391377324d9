"""arq worker: `crm worker` or `arq workers.settings.WorkerSettings`."""

from arq import cron
from arq.connections import RedisSettings
from tortoise import Tortoise

from server import config
from server.db import tortoise_config
from workers import jobs


async def startup(ctx: dict) -> None:
    await Tortoise.init(config=tortoise_config())


async def shutdown(ctx: dict) -> None:
    await Tortoise.close_connections()


def redis_settings() -> RedisSettings:
    return RedisSettings.from_dsn(config.settings.redis_url or "redis://127.0.0.1:6379/0")


class WorkerSettings:
    functions = [jobs.drain_outbox, jobs.run_imports, jobs.run_pool_pass]
    # Every 5 s; the unique job id makes overlapping schedules on several workers run once.
    cron_jobs = [
        cron(jobs.drain_outbox, second=set(range(0, 60, 5)), unique=True, run_at_startup=True),
        cron(jobs.run_imports, second=set(range(0, 60, 5)), unique=True, run_at_startup=True),
        # Hourly: the pass is idempotent, so an hour's delay is the worst a customer waits.
        cron(jobs.run_pool_pass, minute=17, second=0, unique=True),
        cron(jobs.run_rules, minute=7, second=0, unique=True),
    ]
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = redis_settings()
    max_tries = 5
    job_timeout = 300
    health_check_interval = 30
