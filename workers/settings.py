"""arq worker: `crm worker` or `arq workers.settings.WorkerSettings`."""

from arq import cron
from arq.connections import RedisSettings
from tortoise import Tortoise

from server import config
from server.db import tortoise_config
from workers import jobs
from workers.retry import MAX_TRIES

QUEUE_NAME = "arq:queue"
HEALTH_CHECK_KEY = "crm:worker:health"


async def startup(ctx: dict) -> None:
    # Global: arq runs on_shutdown outside the context where on_startup ran, and Tortoise 1.x keeps
    # its connections in a contextvar; without it shutdown closed nothing and the SQLite threads
    # kept a stopped worker alive.
    await Tortoise.init(config=tortoise_config(), _enable_global_fallback=True)


async def shutdown(ctx: dict) -> None:
    await Tortoise.close_connections()


def redis_settings() -> RedisSettings:
    return RedisSettings.from_dsn(config.settings.redis_url or "redis://127.0.0.1:6379/0")


def cron_jobs() -> list:
    # A fixed job id per cron job: while one run is queued or in progress on any worker, the
    # next schedule is skipped, so several workers never run the same pass twice at once.
    return [
        # Every 5 s.
        cron(jobs.drain_outbox, second=set(range(0, 60, 5)), run_at_startup=True, job_id="cron:drain_outbox",
             max_tries=MAX_TRIES, timeout=120),
        cron(jobs.run_imports, second=set(range(0, 60, 5)), run_at_startup=True, job_id="cron:run_imports",
             max_tries=MAX_TRIES, timeout=1800),
        # Hourly: the passes are idempotent, so an hour's delay is the worst a customer waits.
        cron(jobs.run_pool_pass, minute=17, second=0, job_id="cron:run_pool_pass", max_tries=MAX_TRIES),
        # Every minute, and at start-up: each rule runs when its own cron schedule (Rule.schedule)
        # is due, and a pass missed while no worker ran is caught up as soon as one starts.
        cron(jobs.run_rules, second=0, run_at_startup=True, job_id="cron:run_rules", max_tries=MAX_TRIES,
             timeout=1800),
        # Daily, 03:37 in Shanghai (arq's cron runs in UTC): tags and tiers move with days, not minutes.
        cron(jobs.refresh_portrait, hour=19, minute=37, second=0, job_id="cron:refresh_portrait",
             max_tries=MAX_TRIES, timeout=3600),
    ]


class WorkerSettings:
    functions = [jobs.drain_outbox, jobs.run_imports, jobs.run_pool_pass, jobs.run_rules, jobs.refresh_portrait]
    cron_jobs = cron_jobs()
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = redis_settings()
    queue_name = QUEUE_NAME
    # A job that raises is retried by workers.retry with a growing delay; a timed-out or
    # interrupted one by arq itself, up to max_tries.
    max_tries = MAX_TRIES
    job_timeout = 300
    health_check_interval = 30
    health_check_key = HEALTH_CHECK_KEY
