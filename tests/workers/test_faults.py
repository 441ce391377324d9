"""Faults against a real Redis and real worker processes: a worker killed mid-pass, and Redis
down while the web app takes writes. Every effect still happens exactly once."""

import httpx
from arq import create_pool
from arq.connections import RedisSettings

from server.activity.models import Task
from server.audit.models import AuditLog
from server.auth.models import User
from server.auth.services import create_api_token
from server.customers.models import Customer
from server.enums import Role, TokenScope
from server.events.models import OutboxEvent
from server.portrait.models import CustomerTag
from server.rules.engine import CHUNK
from server.rules.models import Rule, RuleFiring, RuleRun
from tests.workers.conftest import wait_for
from workers.settings import QUEUE_NAME

CUSTOMERS = 4 * CHUNK


async def test_a_worker_killed_mid_pass_and_restarted_applies_every_effect_once(db, worker_process, private_redis):
    owner = await User.create(username="alice", display_name="alice", password_hash="-", role=Role.CONSULTANT)
    await Customer.bulk_create([Customer(name=f"客户{n}", owner_id=owner.id) for n in range(CUSTOMERS)],
                               batch_size=1000)
    rule = await Rule.create(name="季度回访", schedule="hourly", condition={"once_per": "ever"}, actions=[
        {"type": "create_task", "title": "回访{name}"},
        {"type": "add_tag", "tag": "已回访", "category": "BEHAVIOR"},
    ])
    firings = RuleFiring.filter(rule_id=rule.id).count

    # The worker runs the due rules at start-up; a pause between chunks makes "mid-pass" certain.
    worker_process.start(RULE_PASS_PAUSE_SECONDS="1.5", RULE_PASS_CHUNK=str(CHUNK))
    await wait_for(lambda: _at_least(firings, 1), what="the first chunk", worker=worker_process)
    worker_process.kill()

    done = await firings()
    assert 0 < done < CUSTOMERS and done % CHUNK == 0, "a chunk is all or nothing"
    assert await Task.filter(rule_id=rule.id).count() == done
    assert not await RuleRun.filter(rule_id=rule.id).exists(), "an unfinished pass is not recorded as run"

    # The killed job stays claimed until arq's in-progress key expires; the next pass is any new one.
    worker_process.start()
    redis = await create_pool(RedisSettings.from_dsn(private_redis.url), default_queue_name=QUEUE_NAME)
    try:
        await redis.enqueue_job("run_rules", _job_id="after-restart")
    finally:
        await redis.aclose()
    await wait_for(lambda: RuleRun.filter(rule_id=rule.id).exists(), what="the pass to finish", worker=worker_process)
    worker_process.stop()

    tag_rows = CustomerTag.filter(rule_id=rule.id).count
    assert (await firings(), await Task.filter(rule_id=rule.id).count(), await tag_rows()) == (CUSTOMERS,) * 3
    assert await AuditLog.filter(actor="rule:季度回访").count() == 2 * CUSTOMERS
    assert len(set(await Task.filter(rule_id=rule.id).values_list("customer_id", flat=True))) == CUSTOMERS


async def _at_least(count, n: int) -> bool:
    return await count() >= n


CREATE = """mutation($input: CreateCustomerInput!) { createCustomer(input: $input) {
  customer { id } errors { field message } } }"""
LOG = """mutation($input: LogInteractionInput!) { logInteraction(input: $input) {
  errors { field message } } }"""


async def test_writes_succeed_with_redis_down_and_drain_once_when_it_is_back(db, worker_process, private_redis,
                                                                            monkeypatch):
    from server import config
    from server.app import create_app

    monkeypatch.setenv("REDIS_URL", private_redis.url)
    config.reload_settings()
    assert not config.settings.embedded_worker
    new = await Rule.create(name="新线索", events=["customer.created"], condition={"once_per": "ever"},
                            actions=[{"type": "add_tag", "tag": "新线索", "category": "BEHAVIOR"}])
    called = await Rule.create(name="已联系", events=["interaction.logged"], condition={"once_per": "day"},
                               actions=[{"type": "add_tag", "tag": "今日已联系", "category": "BEHAVIOR"}])
    _, secret = await create_api_token("dealer-portal", [TokenScope.READ, TokenScope.WRITE])

    private_redis.stop()
    app = create_app(manage_db=False)
    headers = {"Authorization": f"Bearer {secret}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        for n in range(5):
            made = (await client.post("/graphql", headers=headers, json={"query": CREATE, "variables": {"input": {
                "name": f"访客{n}", "phone": f"1380013800{n}", "channel": "WEBSITE"}}})).json()
            assert made["data"]["createCustomer"]["errors"] == [], made
            customer_id = made["data"]["createCustomer"]["customer"]["id"]
            for _ in range(2):  # two calls the same day: the rule fires once a day
                logged = (await client.post("/graphql", headers=headers, json={"query": LOG, "variables": {"input": {
                    "customerId": customer_id, "kind": "CALL", "summary": "电话回访"}}})).json()
                assert logged["data"]["logInteraction"]["errors"] == [], logged
    waiting = OutboxEvent.filter(processed_at__isnull=True).count
    assert await waiting() >= 15 and await CustomerTag.all().count() == 0

    private_redis.start()
    worker_process.start()
    await wait_for(lambda: _none(waiting), what="the outbox to drain", worker=worker_process)
    worker_process.stop()

    assert await CustomerTag.filter(rule_id=new.id).count() == 5
    assert await CustomerTag.filter(rule_id=called.id).count() == 5
    assert await RuleFiring.filter(rule_id__in=[new.id, called.id]).count() == 10
    assert await OutboxEvent.filter(dead_at__isnull=False).count() == 0


async def _none(count) -> bool:
    return await count() == 0
