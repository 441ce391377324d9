"""Through a real Redis: the arq worker drains the outbox, retries a failed job with a backoff,
and its settings keep a health check and one id per cron job."""

import os
import uuid

from arq import create_pool
from arq.connections import RedisSettings
from arq.worker import Worker

from server.events import services as events
from server.events.models import OutboxEvent
from server.rules.models import Rule, RuleFiring
from workers import jobs
from workers.retry import backoff_seconds, retrying
from workers.settings import HEALTH_CHECK_KEY, WorkerSettings

REDIS = RedisSettings.from_dsn(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))


async def run_burst(functions: list, job: str) -> None:
    queue = f"crm-test-{uuid.uuid4().hex}"
    redis = await create_pool(REDIS, default_queue_name=queue)
    try:
        await redis.enqueue_job(job)
        worker = Worker(functions=functions, redis_settings=REDIS, queue_name=queue, burst=True, poll_delay=0.05,
                        handle_signals=False, max_tries=WorkerSettings.max_tries)
        await worker.main()
        await worker.close()
    finally:
        await redis.aclose()


async def test_the_arq_worker_drains_the_outbox_and_fires_event_rules(world):
    rule = await Rule.create(name="新客", events=["customer.created"],
                             condition={"days_since": "created_at", "op": "<=", "value": 1, "once_per": "ever"},
                             actions=[{"type": "add_tag", "tag": "新客", "category": "BEHAVIOR"}])
    assert await OutboxEvent.filter(processed_at__isnull=True).count() == 3

    await run_burst([jobs.drain_outbox], "drain_outbox")

    assert await OutboxEvent.filter(processed_at__isnull=True).count() == 0
    assert await RuleFiring.filter(rule_id=rule.id).count() == 3


TRIES: list[int] = []


@retrying
async def flaky(ctx: dict) -> str:
    TRIES.append(ctx["job_try"])
    if len(TRIES) == 1:
        raise ConnectionError("database restarting")
    return "done"


async def test_a_failed_job_is_retried_after_a_backoff():
    TRIES.clear()
    await run_burst([flaky], "flaky")
    assert TRIES == [1, 2]
    assert backoff_seconds(1) == 2 and backoff_seconds(20) == 120


async def test_drain_outbox_runs_outside_arq_too(db):
    await events.emit("nobody.listens", {})
    assert await jobs.drain_outbox({}) == 1


def test_worker_settings_retry_check_health_and_give_each_cron_job_its_own_id():
    ids = [job.job_id for job in WorkerSettings.cron_jobs]
    assert all(ids) and len(set(ids)) == len(ids)
    assert {job.name for job in WorkerSettings.cron_jobs} <= {f"cron:{f.__qualname__}" for f in WorkerSettings.functions}
    assert WorkerSettings.health_check_key == HEALTH_CHECK_KEY and WorkerSettings.health_check_interval <= 60
    assert WorkerSettings.max_tries > 1 and all(job.max_tries > 1 for job in WorkerSettings.cron_jobs)
