"""Never lost: events written while nothing drains are all delivered later, each effect once;
a failing handler keeps its event (rolled back, retried after a backoff) and others go on."""

from datetime import timedelta

from tortoise.timezone import now

from server.activity.services import log_interaction
from server.customers.services import create_customer
from server.enums import InteractionKind
from server.events import services as events
from server.events.models import OutboxEvent
from server.portrait.models import CustomerTag, Tag
from server.rules.models import Rule, RuleFiring
from workers import jobs  # noqa: F401  (registers the handlers, as the worker does)


async def drain_all(at=None) -> int:
    total = 0
    while n := await events.drain(at=at):
        total += n
    return total


async def test_what_was_written_while_no_worker_ran_happens_once_when_the_outbox_drains(world):
    welcome = await Rule.create(name="新客", events=["customer.created"],
                                condition={"days_since": "created_at", "op": "<=", "value": 1, "once_per": "ever"},
                                actions=[{"type": "add_tag", "tag": "新客", "category": "BEHAVIOR"},
                                         {"type": "emit", "topic": "rule.welcomed"}])
    busy = await Rule.create(name="常联系", events=["interaction.logged"],
                             condition={"count": "interactions", "within_days": 30, "op": ">=", "value": 2},
                             actions=[{"type": "add_tag", "tag": "常联系", "category": "BEHAVIOR"}])
    alice = world.p(world.alice)
    new = [await create_customer(alice, {"name": f"客户{i}", "phone": f"1380000100{i}"}) for i in range(3)]
    for customer in (world.alices_customer, new[0], new[0]):
        await log_interaction(alice, customer.id, kind=InteractionKind.CALL, summary="call")
    pending = await OutboxEvent.filter(processed_at__isnull=True).count()
    assert pending == 3 + 3 + 3  # the world's customers, the new ones, the calls
    assert await RuleFiring.all().count() == 0

    delivered = await drain_all()
    await OutboxEvent.all().update(processed_at=None, attempts=0)  # every event delivered a second time
    redelivered = await drain_all()

    assert delivered == pending + 6 and redelivered == delivered  # + the rule's own emitted events
    assert await RuleFiring.filter(rule_id=welcome.id).count() == 6
    assert set(await RuleFiring.filter(rule_id=busy.id).values_list("customer_id", flat=True)) == \
        {world.alices_customer.id, new[0].id}
    assert await CustomerTag.filter(tag__name="新客").count() == 6
    assert await OutboxEvent.filter(topic="rule.welcomed").count() == 6


async def test_a_failing_handler_keeps_its_event_and_the_others_still_drain(db, handler):
    state = {"fail": True, "ok": []}

    async def flaky(payload):
        await Tag.create(name="half-done", category="BEHAVIOR")  # must be rolled back with the failure
        if state["fail"]:
            raise RuntimeError("downstream unavailable")

    async def fine(payload):
        state["ok"].append(payload["n"])

    handler("test.flaky", flaky)
    handler("test.fine", fine)
    await events.emit("test.fine", {"n": 1})
    await events.emit("test.flaky", {})
    await events.emit("test.fine", {"n": 2})

    assert await events.drain() == 2
    event = await OutboxEvent.get(topic="test.flaky")
    assert (event.processed_at, event.attempts) == (None, 1)
    assert "downstream unavailable" in event.last_error
    assert state["ok"] == [1, 2] and not await Tag.filter(name="half-done").exists()

    assert await events.drain() == 0  # backing off: not retried at once
    assert (await OutboxEvent.get(id=event.id)).attempts == 1
    assert await events.drain(at=now() + timedelta(seconds=6)) == 0  # due again, fails again
    assert (await OutboxEvent.get(id=event.id)).attempts == 2

    state["fail"] = False
    assert await events.drain(at=now() + timedelta(seconds=10)) == 0  # second wait is 10 s more
    assert await events.drain(at=now() + timedelta(seconds=16)) == 1
    assert (await OutboxEvent.get(id=event.id)).processed_at is not None
    assert await Tag.filter(name="half-done").count() == 1
    assert state["ok"] == [1, 2]


async def test_long_failing_events_wait_at_most_the_cap_between_tries(db, handler):
    async def broken(payload):
        raise RuntimeError("still broken")

    handler("test.broken", broken)
    await events.emit("test.broken", {})
    await OutboxEvent.all().update(attempts=14)
    event = await OutboxEvent.get(topic="test.broken")
    due = event.created_at + events.due_after(14)
    assert await events.drain(at=due - timedelta(seconds=1)) == 0
    assert (await OutboxEvent.get(id=event.id)).attempts == 14
    await events.drain(at=due)
    assert (await OutboxEvent.get(id=event.id)).attempts == 15


def test_retry_delays_double_up_to_an_hour():
    assert [events.retry_delay(n).total_seconds() for n in range(5)] == [0, 5, 10, 20, 40]
    assert events.retry_delay(30) == timedelta(hours=1)
    assert events.due_after(3) == timedelta(seconds=35)
