"""Event triggers: a rule listening to a topic runs for the event's customer when the outbox
delivers it, once per firing key however often the event is delivered."""

from server.activity.services import log_interaction
from server.customers.models import Customer
from server.enums import InteractionKind
from server.events import services as events
from server.events.models import OutboxEvent
from server.portrait.models import CustomerTag
from server.rules.models import Rule, RuleFiring
from server.rules.triggers import customer_ids, run_for_event
from workers import jobs  # noqa: F401  (registers the handlers, as the worker does)

NEW_LEAD = {
    "name": "新客欢迎",
    "events": ["customer.created"],
    "condition": {"days_since": "created_at", "op": "<=", "value": 1, "once_per": "ever"},
    "actions": [{"type": "add_tag", "tag": "新客", "category": "BEHAVIOR"}],
}
ACTIVE = {
    "name": "活跃",
    "events": ["interaction.logged"],
    "condition": {"count": "interactions", "within_days": 30, "op": ">=", "value": 2, "once_per": "ever"},
    "actions": [{"type": "add_tag", "tag": "活跃", "category": "BEHAVIOR"}],
}


async def drain_all() -> None:
    while await events.drain():
        pass


async def _fired(rule: Rule) -> set[int]:
    return set(await RuleFiring.filter(rule_id=rule.id).values_list("customer_id", flat=True))


async def test_an_event_runs_only_the_enabled_rules_listening_to_it_for_its_customer(world):
    rule = await Rule.create(**NEW_LEAD)
    deaf = await Rule.create(**{**NEW_LEAD, "name": "只听互动", "events": ["interaction.logged"]})
    off = await Rule.create(**{**NEW_LEAD, "name": "停用", "enabled": False})
    quiet = await Customer.create(name="没有事件")  # matches the condition, but no event names it

    await drain_all()

    assert await _fired(rule) == {world.alices_customer.id, world.bobs_customer.id, world.pool_customer.id}
    assert quiet.id not in await _fired(rule)
    assert await _fired(deaf) == set() and await _fired(off) == set()


async def test_a_redelivered_event_fires_nothing_twice(world):
    rule = await Rule.create(**NEW_LEAD)
    await drain_all()
    before = (await RuleFiring.all().count(), await CustomerTag.all().count())
    assert before[0] == 3

    await OutboxEvent.all().update(processed_at=None, attempts=0)  # as if every delivery were lost after the handler ran
    await events.emit("customer.created", {"customer_id": world.alices_customer.id})
    await drain_all()

    assert (await RuleFiring.all().count(), await CustomerTag.all().count()) == before
    assert await OutboxEvent.filter(processed_at__isnull=True).count() == 0
    assert await run_for_event("customer.created", {"customer_id": world.alices_customer.id}) == {rule.id: 0}


async def test_logged_interactions_fire_a_rule_once_the_condition_holds(world):
    rule = await Rule.create(**ACTIVE)
    alice = world.p(world.alice)
    customer = world.alices_customer  # the world gave it one call already
    await log_interaction(alice, customer.id, kind=InteractionKind.CALL,
                          summary="second call")
    await log_interaction(world.p(world.bob), world.bobs_customer.id, kind=InteractionKind.CALL, summary="first")
    await drain_all()
    assert await _fired(rule) == {customer.id}

    await log_interaction(alice, customer.id, kind=InteractionKind.VISIT, summary="visit")
    await drain_all()
    assert await RuleFiring.filter(rule_id=rule.id).count() == 1


async def test_an_invalid_rule_is_skipped_and_the_event_still_delivered(world):
    await Rule.create(**{**NEW_LEAD, "name": "坏规则", "condition": {"field": "nope", "op": "=", "value": 1}})
    good = await Rule.create(**NEW_LEAD)
    await drain_all()
    assert len(await _fired(good)) == 3
    assert await OutboxEvent.filter(processed_at__isnull=True).count() == 0


def test_customer_ids_come_from_either_payload_shape():
    assert customer_ids({"customer_id": 3}) == [3]
    assert customer_ids({"kind": "ASSIGN", "customer_ids": [5, 2, 5]}) == [2, 5]
    assert customer_ids({"quote_id": 1}) == []
