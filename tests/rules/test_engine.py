"""A pass fires once per (rule, customer, period), however often and however concurrently it runs."""

import asyncio
from datetime import date, timedelta

import pytest

from server.activity.models import Task
from server.customers.models import Customer
from server.events.models import OutboxEvent
from server.portrait.models import CustomerTag
from server.rules import engine
from server.rules.conditions import ConditionError
from server.rules.engine import period_key, preview, run_pass, run_scheduled
from server.rules.models import Rule, RuleFiring
from tests.conftest import USE_PG
from tests.rules.conftest import AT

WAKE_UP = {
    "name": "wake up",
    "schedule": "hourly",
    "condition": {"days_since": "last_contact_at", "op": ">=", "value": 30},
    "actions": [
        {"type": "add_tag", "tag": "久未联系", "category": "BEHAVIOR"},
        {"type": "set_field", "field": "grade", "value": "C"},
        {"type": "create_task", "kind": "FOLLOW_UP", "title": "回访{name}", "due_in_days": 2},
        {"type": "emit", "topic": "rule.fired"},
    ],
}


async def _counts() -> tuple[int, int, int, int]:
    return (await RuleFiring.all().count(), await Task.all().count(), await CustomerTag.all().count(),
            await OutboxEvent.all().count())


@pytest.fixture
async def quiet_customers(make_customer, consultant):
    owned = await make_customer("张三", owner_id=consultant.id, last_contact_at=AT - timedelta(days=40))
    pool = await make_customer("李四", last_contact_at=AT - timedelta(days=31))
    await make_customer("王五", owner_id=consultant.id, last_contact_at=AT - timedelta(days=3))
    return owned, pool


async def test_a_pass_fires_once_and_a_second_pass_changes_nothing(quiet_customers, consultant):
    owned, pool = quiet_customers
    rule = await Rule.create(**WAKE_UP)

    result = await run_pass(rule, AT)
    assert (result.matched, result.fired) == (2, 2)
    assert await _counts() == (2, 1, 2, 2)  # the pool customer has no owner to remind
    task = await Task.get(customer_id=owned.id)
    assert (task.title, task.owner_id, task.due_at, task.rule_id) == \
        ("回访张三", consultant.id, AT + timedelta(days=2), rule.id)
    assert set(await Customer.filter(grade="C").values_list("name", flat=True)) == {"张三", "李四"}
    firing = await RuleFiring.get(customer_id=owned.id)
    assert firing.dedup_key == f"rule:{rule.id}:{owned.id}:2026-06-15"
    assert firing.effects == ["add_tag:久未联系", "set_field:grade=C", "create_task:FOLLOW_UP", "emit:rule.fired"]
    assert (await RuleFiring.get(customer_id=pool.id)).effects == \
        ["add_tag:久未联系", "set_field:grade=C", "emit:rule.fired"]

    versions = dict(await Customer.all().values_list("name", "version"))
    again = await run_pass(rule, AT + timedelta(hours=3))
    assert (again.matched, again.fired) == (2, 0)
    assert await _counts() == (2, 1, 2, 2)
    assert dict(await Customer.all().values_list("name", "version")) == versions

    # The next day is a new period: the rule fires again, the same task is not duplicated by title.
    next_day = await run_pass(rule, AT + timedelta(days=1))
    assert next_day.fired == 2
    assert await _counts() == (4, 2, 2, 4)


async def test_concurrent_passes_fire_once(quiet_customers, make_customer, consultant, monkeypatch):
    for n in range(30):
        await make_customer(f"quiet-{n}", owner_id=consultant.id, last_contact_at=AT - timedelta(days=60))
    monkeypatch.setattr(engine, "CHUNK", 7)  # several chunks, so the passes interleave
    monkeypatch.setattr(engine, "PG_CHUNK", 7)
    rule = await Rule.create(**WAKE_UP)
    if USE_PG:
        results = await asyncio.gather(*[run_pass(rule, AT) for _ in range(4)])
    else:  # SQLite serializes writers anyway; run the passes one after another and check the same thing
        results = [await run_pass(rule, AT) for _ in range(4)]
    assert sum(r.fired for r in results) == 32
    assert await _counts() == (32, 31, 32, 32)


async def test_a_crash_mid_pass_leaves_nothing_half_done(quiet_customers, monkeypatch):
    rule = await Rule.create(**WAKE_UP)

    async def crash(conn, effects):  # the process dies after the actions, before the commit
        raise RuntimeError("worker killed")

    monkeypatch.setattr(engine, "_record_effects", crash)
    with pytest.raises(RuntimeError):
        await run_pass(rule, AT)
    # The chunk's transaction rolled back: the retry fires for everyone and nothing was half done.
    assert await _counts() == (0, 0, 0, 0)
    assert await Customer.filter(grade="C").count() == 0
    monkeypatch.undo()
    assert (await run_pass(rule, AT)).fired == 2
    assert await _counts() == (2, 1, 2, 2)


async def test_only_the_given_customers_are_considered(quiet_customers):
    owned, _ = quiet_customers
    rule = await Rule.create(**WAKE_UP)
    assert (await run_pass(rule, AT, customer_ids=[owned.id])).fired == 1
    assert await RuleFiring.filter(customer_id=owned.id).count() == 1


async def test_disabled_and_unscheduled_rules_do_not_fire(quiet_customers):
    await Rule.create(**{**WAKE_UP, "enabled": False})
    await Rule.create(**{**WAKE_UP, "name": "manual", "schedule": None})
    fired = await run_scheduled(AT)
    custom = await Rule.filter(builtin_key__isnull=True).values_list("id", flat=True)
    assert not set(fired) & set(custom)
    assert await RuleFiring.filter(rule_id__in=list(custom)).count() == 0


async def test_merged_customers_never_fire(make_customer):
    survivor = await make_customer("survivor", last_contact_at=AT - timedelta(days=40))
    await make_customer("tombstone", last_contact_at=AT - timedelta(days=40), merged_into_id=survivor.id)
    rule = await Rule.create(**WAKE_UP)
    assert (await run_pass(rule, AT)).fired == 1


async def test_a_broken_rule_is_refused_with_the_bad_path(db):
    rule = await Rule.create(name="broken", condition={"all": [{"field": "grade", "op": "=", "value": "Z"}]},
                             actions=[{"type": "set_field", "field": "grade", "value": "A"}])
    with pytest.raises(ConditionError, match=r"condition\.all\[0\]"):
        await run_pass(rule, AT)
    rule.condition = {}
    rule.actions = [{"type": "set_field", "field": "owner", "value": 1}]
    with pytest.raises(ConditionError, match=r"actions\[0\]"):
        await run_pass(rule, AT)


def test_period_keys_follow_the_local_calendar():
    assert period_key("day", AT) == "2026-06-15"
    assert period_key("week", AT) == "2026-W25"
    assert period_key("month", AT) == "2026-06"
    assert period_key("year", AT) == "2026"
    # 20:00 UTC on 31 December is already New Year's Day in Shanghai.
    new_year = AT.replace(month=12, day=31, hour=20)
    assert (period_key("day", new_year), period_key("year", new_year)) == ("2027-01-01", "2027")
    assert date(2026, 6, 15).isocalendar().week == 25


async def test_preview_counts_without_firing(quiet_customers):
    owned, pool = quiet_customers
    assert await preview({"once_per": "week", **WAKE_UP["condition"]}, AT, limit=1) == (2, [owned.id])
    assert await RuleFiring.all().count() == 0
