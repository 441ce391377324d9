"""Rules run when their cron schedule (dealership time) is due, a missed pass runs once when a
worker comes back, and every effect leaves an audit row by "rule:<name>"."""

from datetime import UTC, datetime

import pytest

from server.activity.models import Task
from server.audit.models import AuditLog
from server.customers.models import Customer
from server.enums import Lifecycle
from server.rules.conditions import ConditionError
from server.rules.engine import run_scheduled
from server.rules.models import Rule, RuleFiring, RuleRun
from server.rules.schedule import last_due, validate_schedule

# 08:00 in Shanghai is 00:00 UTC.
DAY1_0759 = datetime(2026, 6, 14, 23, 59, tzinfo=UTC)
DAY1_0800 = datetime(2026, 6, 15, 0, 0, tzinfo=UTC)
DAY1_0830 = datetime(2026, 6, 15, 0, 30, tzinfo=UTC)
DAY2_0820 = datetime(2026, 6, 16, 0, 20, tzinfo=UTC)
DAY2_0840 = datetime(2026, 6, 16, 0, 40, tzinfo=UTC)


def test_schedules_are_cron_expressions_or_words_and_bad_ones_name_the_field():
    assert validate_schedule("0  8 * * *") == "0 8 * * *"
    assert validate_schedule("hourly") == "hourly" and validate_schedule("") is None and validate_schedule(None) is None
    for bad, why in [("0 8 * *", "five fields"), ("61 * * * *", "minute field takes 0 to 59"), ("0 8 L * x", "not a valid cron"), ("every morning", "five fields"),
                     ("0 0 8 * * *", "five fields")]:
        with pytest.raises(ConditionError) as error:
            validate_schedule(bad)
        assert error.value.path == "schedule" and why in error.value.message


def test_the_due_time_is_in_dealership_time():
    assert last_due("0 8 * * *", DAY1_0800) == DAY1_0800
    assert last_due("0 8 * * *", DAY1_0759) == datetime(2026, 6, 14, 0, 0, tzinfo=UTC)


@pytest.fixture
async def morning_rule(db, make_customer, consultant):
    for name in ("甲", "乙", "丙"):
        await make_customer(name, owner_id=consultant.id)
    return await Rule.create(name="晨会提醒", schedule="0 8 * * *", condition={"once_per": "ever"},
                             actions=[{"type": "create_task", "title": "早会跟进{name}"}])


async def test_a_daily_rule_runs_once_at_its_time_and_not_on_later_ticks(morning_rule):
    assert morning_rule.id in await run_scheduled(DAY1_0800)
    assert morning_rule.id not in await run_scheduled(DAY1_0830)
    assert (await RuleRun.get(rule_id=morning_rule.id)).due_at == DAY1_0800
    assert await Task.filter(rule_id=morning_rule.id).count() == 3


async def test_a_pass_missed_while_the_worker_was_down_runs_once_when_it_comes_back(morning_rule, make_customer,
                                                                                 consultant):
    await run_scheduled(DAY1_0800)
    # Down from 07:00 to 08:20 on day 2; one more customer meanwhile.
    await make_customer("丁", owner_id=consultant.id)
    assert morning_rule.id not in await run_scheduled(datetime(2026, 6, 15, 23, 0, tzinfo=UTC))
    assert (await run_scheduled(DAY2_0820))[morning_rule.id] == 1
    assert morning_rule.id not in await run_scheduled(DAY2_0840)
    assert await Task.filter(rule_id=morning_rule.id).count() == 4


async def test_a_rule_with_a_broken_schedule_is_skipped_and_the_others_run(morning_rule):
    broken = await Rule.create(name="坏", schedule="99 99 * * *", condition={}, actions=morning_rule.actions)
    ran = await run_scheduled(DAY1_0800)
    assert morning_rule.id in ran and broken.id not in ran


async def test_every_effect_writes_an_audit_row_by_the_rule_in_one_go(db, make_customer, consultant):
    for name in ("甲", "乙"):
        await make_customer(name, owner_id=consultant.id, lifecycle=Lifecycle.PROSPECT)
    await make_customer("公海客户", lifecycle=Lifecycle.PROSPECT)  # no owner: no task, still a field change
    rule = await Rule.create(name="转沉睡", schedule="hourly", condition={"once_per": "ever"}, actions=[
        {"type": "set_field", "field": "lifecycle", "value": "DORMANT"},
        {"type": "create_task", "kind": "DORMANT_WAKE_UP", "title": "唤醒{name}"},
        {"type": "add_tag", "tag": "沉睡", "category": "BEHAVIOR"},
    ])
    await run_scheduled(DAY1_0800)
    rows = await AuditLog.filter(actor="rule:转沉睡").order_by("object_id", "id").values(
        "action", "object_type", "object_id", "changes")
    assert sorted(r["action"] for r in rows) == sorted(["set_field"] * 3 + ["create_task"] * 2 + ["add_tag"] * 3)
    changes = [r["changes"] for r in rows if r["action"] == "set_field"]
    assert changes == [{"rule_id": rule.id, "lifecycle": ["PROSPECT", "DORMANT"]}] * 3
    assert {r["object_type"] for r in rows} == {"Customer"}
    assert {r["object_id"] for r in rows} == {str(i) for i in await Customer.all().values_list("id", flat=True)}
    # The next tick fires nothing, and so audits nothing.
    await run_scheduled(datetime(2026, 6, 15, 1, 0, tzinfo=UTC))
    assert await AuditLog.filter(actor="rule:转沉睡").count() == 8
    assert await RuleFiring.filter(rule_id=rule.id).count() == 3
