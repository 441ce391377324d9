"""Actions a manager can give a rule: task titles from templates, assigning, returning to the pool."""

from datetime import date

import pytest

from server.activity.models import Task
from server.auth.models import User
from server.customers.models import Customer, Vehicle
from server.enums import OwnershipChangeKind, Role, TaskKind
from server.rules import actions
from server.rules.conditions import ConditionError
from server.rules.engine import run_pass
from server.rules.models import Rule, RuleFiring
from server.sales.models import OwnershipChange
from tests.rules.conftest import AT


async def _rule(actions_: list[dict], condition: dict | None = None) -> Rule:
    return await Rule.create(name="t", condition=condition or {"field": "city", "op": "=", "value": "杭州"},
                             actions=actions_)


async def test_task_title_template_reads_the_customers_fields(make_customer, consultant):
    customer = await make_customer("钱七", owner_id=consultant.id, city="杭州", grade="B")
    await Vehicle.create(customer=customer, model_name="汉 EV", purchase_date=date(2022, 1, 1),
                         insurance_expiry=date(2026, 8, 1))
    rule = await _rule([{"type": "create_task", "kind": "INSURANCE_RENEWAL",
                         "title": "{{ name }}（{{ grade }}级，{{ city }}）的{{ vehicle.model_name }}保险{{ vehicle.insurance_expiry }}到期",
                         "body": "负责人：{{ owner }}{% if birthday %}，生日{{ birthday }}{% endif %}"}])
    await run_pass(rule, AT)
    task = await Task.get()
    assert task.title == "钱七（B级，杭州）的汉 EV保险2026-08-01到期"
    assert task.body == "负责人：alice"


async def test_a_template_cannot_reach_beyond_its_data(make_customer, consultant):
    await make_customer("赵八", owner_id=consultant.id, city="杭州")
    rule = await _rule([{"type": "create_task", "title": "{{ name.__class__.__mro__ }}"}])
    await run_pass(rule, AT)
    # The sandbox refuses the attribute: the reminder keeps its text rather than leaking or failing.
    assert (await Task.get()).title == "{{ name.__class__.__mro__ }}"


async def test_templates_naming_facts_directly_read_them_inside_the_pass(make_customer, consultant):
    # Titles of text and bare {{ fact }}s skip Jinja's setup per customer: they must read the same.
    await make_customer("孙九", owner_id=consultant.id, city="杭州", grade="A")
    rule = await _rule([{"type": "create_task", "title": "{{ grade }}级{{ name }}（{{ city }}）{{ nosuch }}",
                         "body": "负责人{{ owner }}，{{ vehicle.model_name }}"}])
    await run_pass(rule, AT)
    task = await Task.get()
    assert (task.title, task.body) == ("A级孙九（杭州）", "负责人alice，")


@pytest.mark.parametrize(("action", "key"), [
    ({"type": "create_task", "title": "{{ name "}, "title"),
    ({"type": "create_task", "title": "x", "due_in_days": 400}, "due_in_days"),
    ({"type": "create_task", "title": "x", "body": "{% if %}"}, "body"),
    ({"type": "assign", "user_id": "alice"}, "user_id"),
    ({"type": "return_to_pool", "reason": "x" * 201}, "reason"),
])
def test_bad_actions_name_the_key(action, key):
    with pytest.raises(ConditionError) as error:
        actions.validate([{"type": "add_tag", "tag": "x"}, action])
    assert (error.value.path, error.value.key) == ("actions[1]", key)


async def test_assign_gives_matching_customers_to_one_consultant(make_customer, consultant):
    bob = await User.create(username="bob", display_name="bob", password_hash="-", role=Role.CONSULTANT)
    await make_customer("杭州客户", owner_id=consultant.id, city="杭州")
    await make_customer("杭州公海", city="杭州")
    await make_customer("上海客户", owner_id=consultant.id, city="上海")
    rule = await _rule([{"type": "assign", "user_id": bob.id},
                        {"type": "create_task", "title": "跟进新分到的{{ name }}"}])

    assert (await run_pass(rule, AT)).fired == 2
    assert set(await Customer.filter(owner_id=bob.id).values_list("name", flat=True)) == {"杭州客户", "杭州公海"}
    assert await OwnershipChange.filter(kind=OwnershipChangeKind.ASSIGN, to_user_id=bob.id).count() == 2
    # The rule's own task goes to the new owner, not the old one.
    mine = await Task.filter(owner_id=bob.id, kind=TaskKind.FOLLOW_UP).values_list("title", flat=True)
    assert sorted(mine) == ["跟进新分到的杭州公海", "跟进新分到的杭州客户"]
    assert (await run_pass(rule, AT)).fired == 0


async def test_assign_to_someone_who_left_does_nothing(make_customer, consultant):
    await User.filter(id=consultant.id).update(is_active=False)
    with pytest.raises(ConditionError) as error:
        await actions.check_assignees([{"type": "assign", "user_id": consultant.id}])
    assert error.value.key == "user_id"
    await make_customer("杭州公海", city="杭州")
    await run_pass(await _rule([{"type": "assign", "user_id": consultant.id}]), AT)
    assert (await Customer.get()).owner_id is None
    assert (await RuleFiring.get()).effects == []


async def test_return_to_pool_then_no_task_for_the_old_owner(make_customer, consultant):
    await make_customer("杭州客户", owner_id=consultant.id, city="杭州")
    rule = await _rule([{"type": "return_to_pool", "reason": "测试"}, {"type": "create_task", "title": "x"}])
    await run_pass(rule, AT)
    assert (await Customer.get()).owner_id is None
    assert await Task.all().count() == 0
