"""The worker job seeds the built-in rules and runs the scheduled ones; running it twice is harmless."""

from datetime import timedelta

from tortoise.timezone import now

from server.activity.models import Task
from server.rules.builtin import BUILTIN_RULES
from server.rules.models import Rule, RuleFiring
from workers import jobs


async def test_run_rules_job_seeds_and_fires_once(make_customer, consultant):
    await make_customer("沉睡", owner_id=consultant.id, last_contact_at=now() - timedelta(days=100))
    first = await jobs.run_rules({})
    second = await jobs.run_rules({})
    assert await Rule.filter(builtin_key__isnull=False).count() == len(BUILTIN_RULES)
    assert sum(first.values()) == 1 and sum(second.values()) == 0
    assert (await RuleFiring.all().count(), await Task.all().count()) == (1, 1)
