"""Intent grade and cadence: a follow-up schedules the next one by the customer's grade."""

from datetime import timedelta

from tortoise.timezone import now

from server.activity.models import Task
from server.activity.services import log_interaction
from server.customers.models import Customer
from server.enums import Direction, InteractionKind, TaskKind


async def _grade(world, grade: str | None) -> None:
    await Customer.filter(id=world.alices_customer.id).update(grade=grade)


async def _open_follow_ups(world) -> list[Task]:
    return list(await Task.filter(customer_id=world.alices_customer.id, kind=TaskKind.FOLLOW_UP, status="OPEN"))


async def test_a_call_schedules_the_next_follow_up_by_the_grades_cadence(world):
    await _grade(world, "A")
    moment = now() - timedelta(hours=1)
    await log_interaction(world.p(world.alice), world.alices_customer.id, kind=InteractionKind.CALL,
                          summary="聊了配置", occurred_at=moment)
    [task] = await _open_follow_ups(world)
    assert task.due_at == moment + timedelta(days=2) and task.owner_id == world.alice.id
    assert task.title == "回访张三（A级）"
    assert (await Customer.get(id=world.alices_customer.id)).next_follow_up_at == moment + timedelta(days=2)


async def test_each_grade_has_its_own_configurable_cadence(world, set_policy):
    set_policy(follow_up_cadence_days={"A": 1, "B": 5, "C": 10, "D": 20})
    for grade, days in (("B", 5), ("D", 20)):
        await _grade(world, grade)
        moment = now() - timedelta(minutes=5)
        await log_interaction(world.p(world.alice), world.alices_customer.id, kind=InteractionKind.VISIT,
                              occurred_at=moment)
        [task] = await _open_follow_ups(world)
        assert task.due_at == moment + timedelta(days=days), grade


async def test_a_date_the_consultant_sets_wins_over_the_cadence(world):
    await _grade(world, "A")
    chosen = now() + timedelta(days=10)
    await log_interaction(world.p(world.alice), world.alices_customer.id, kind=InteractionKind.CALL,
                          next_step="周六试驾", next_follow_up_at=chosen)
    [task] = await _open_follow_ups(world)
    assert (task.due_at, task.title) == (chosen, "周六试驾")


async def test_a_note_an_inbound_system_message_or_an_ungraded_customer_schedules_nothing(world):
    from server.auth.principal import SYSTEM

    await _grade(world, "A")
    await log_interaction(world.p(world.alice), world.alices_customer.id, kind=InteractionKind.NOTE, summary="备注")
    assert [t.id for t in await _open_follow_ups(world)] == [world.alices_task.id]
    await log_interaction(SYSTEM, world.alices_customer.id, kind=InteractionKind.MESSAGE, direction=Direction.INBOUND)
    assert [t.id for t in await _open_follow_ups(world)] == [world.alices_task.id]
    await _grade(world, None)
    await log_interaction(world.p(world.alice), world.alices_customer.id, kind=InteractionKind.CALL)
    assert await _open_follow_ups(world) == []
