"""Bulk assignment by managers, and assignment rules routing new leads."""

import pytest
from tortoise.timezone import now

from server.activity.models import Task
from server.audit.models import AuditLog
from server.auth.models import User
from server.auth.principal import SYSTEM
from server.customers.models import Customer
from server.enums import AssignmentStrategy, Channel, Lifecycle, OwnershipChangeKind, TaskKind
from server.errors import UserError, UserErrors
from server.events import services as events
from server.sales import assignment
from server.sales.models import AssignmentRule, Opportunity, OwnershipChange


async def test_a_manager_assigns_in_bulk_every_move_audited_and_the_new_owner_told(world):
    second = await Customer.create(name="赵六", owner_id=world.alice.id, team_id=world.team_a.id)
    deal = await Opportunity.create(customer_id=world.alices_customer.id, owner_id=world.alice.id, title="汉")
    ids = [world.alices_customer.id, second.id, world.pool_customer.id]
    moved = await assignment.assign_customers(world.p(world.anna), ids, world.amy.id)
    assert sorted(moved) == sorted(ids)
    for customer in await Customer.filter(id__in=ids):
        assert (customer.owner_id, customer.team_id) == (world.amy.id, world.team_a.id)
    assert (await Customer.get(id=second.id)).previous_owner_id == world.alice.id
    # The pool customer keeps the former owner it had.
    assert (await Customer.get(id=world.pool_customer.id)).previous_owner_id == world.amy.id
    entries = await AuditLog.filter(action="assign").order_by("object_id")
    assert {e.object_id for e in entries} == {str(i) for i in ids}
    assert all(e.actor_user_id == world.anna.id for e in entries)
    assert {tuple(e.changes["owner_id"]) for e in entries} == {(world.alice.id, world.amy.id), (None, world.amy.id)}
    told = await Task.filter(owner_id=world.amy.id, kind=TaskKind.ASSIGNED)
    assert sorted(t.customer_id for t in told) == sorted(ids) and all(t.due_at <= now() for t in told)
    # What alice was doing for these customers goes with them.
    assert (await Task.get(id=world.alices_task.id)).owner_id == world.amy.id
    assert (await Opportunity.get(id=deal.id)).owner_id == world.amy.id
    assert await OwnershipChange.filter(kind=OwnershipChangeKind.ASSIGN).count() == 3


async def test_assigning_to_the_current_owner_changes_nothing(world):
    assert await assignment.assign_customers(world.p(world.anna), [world.alices_customer.id], world.alice.id) == []
    assert not await AuditLog.filter(action="assign").exists()


@pytest.mark.parametrize("who, customer, owner, code", [
    ("alice", "alices_customer", "amy", "FORBIDDEN"),  # consultants do not assign
    ("anna", "alices_customer", "bob", "FORBIDDEN"),  # not in her team
    ("anna", "bobs_customer", "amy", "NOT_FOUND"),  # not her team's customer
    ("bert", "alices_customer", "bob", "NOT_FOUND"),
])
async def test_assignment_stays_inside_the_managers_scope(world, who, customer, owner, code):
    target = getattr(world, customer)
    with pytest.raises(UserError) as refused:
        await assignment.assign_customers(world.p(getattr(world, who)), [target.id], getattr(world, owner).id)
    assert refused.value.code == code
    assert (await Customer.get(id=target.id)).owner_id == target.owner_id


async def _lead(name: str, **fields) -> Customer:
    return await Customer.create(name=name, pool_entered_at=now(), **fields)


async def test_round_robin_takes_turns_inside_the_team(world):
    await AssignmentRule.create(name="官网线索", team_id=world.team_a.id, channel=Channel.WEBSITE,
                                strategy=AssignmentStrategy.ROUND_ROBIN)
    owners = []
    for i in range(4):
        lead = await _lead(f"线索{i}", channel=Channel.WEBSITE)
        owners.append((await assignment.route_lead(lead.id)).username)
    assert owners == ["alice", "amy", "alice", "amy"]
    first = await Customer.get(name="线索0")
    assert (first.owner_id, first.team_id) == (world.alice.id, world.team_a.id)
    assert await Task.filter(kind=TaskKind.ASSIGNED, owner_id=world.alice.id).count() == 2
    assert await AuditLog.filter(action="route").count() == 4


async def test_least_loaded_goes_to_the_consultant_with_the_most_room(world):
    await AssignmentRule.create(name="抖音", team_id=world.team_a.id, strategy=AssignmentStrategy.LEAST_LOADED)
    for i in range(3):
        await Customer.create(name=f"alice的线索{i}", owner_id=world.alice.id, lifecycle=Lifecycle.LEAD)
    # alice: 4 open leads of 50; amy: 0 of 50.
    assert (await assignment.route_lead((await _lead("甲")).id)).username == "amy"
    # Capacity is per consultant: amy full at 1 of 1, so alice gets the next one.
    await User.filter(id=world.amy.id).update(lead_capacity=1)
    assert (await assignment.route_lead((await _lead("乙")).id)).username == "alice"
    # A prospect is no longer an open lead and frees room.
    await User.filter(id=world.alice.id).update(lead_capacity=5)
    assert (await assignment.route_lead((await _lead("丙")).id)) is None
    waiting = await Customer.get(name="丙")
    assert waiting.owner_id is None and waiting.team_id == world.team_a.id
    await Customer.filter(name__startswith="alice的线索").update(lifecycle=Lifecycle.PROSPECT)
    await Customer.filter(id=waiting.id).update(team_id=None)
    assert (await assignment.route_lead(waiting.id)).username == "alice"


async def test_rules_match_channel_region_and_vehicle_model_first_by_position(world, han):
    await AssignmentRule.create(name="汉 · 北京", team_id=world.team_b.id, province="北京市", vehicle_model=han, position=1)
    await AssignmentRule.create(name="其余", team_id=world.team_a.id, position=2)
    await AssignmentRule.create(name="停用", team_id=world.team_b.id, position=0, is_active=False)
    beijing_han = await _lead("京汉", province="北京市", interested_models=["比亚迪汉EV"])
    shanghai_han = await _lead("沪汉", province="上海市", interested_models=["汉"])
    beijing_other = await _lead("京秦", province="北京市", interested_models=["秦PLUS"])
    assert (await assignment.route_lead(beijing_han.id)).username == "bob"
    assert (await assignment.route_lead(shanghai_han.id)).team_id == world.team_a.id
    assert (await assignment.route_lead(beijing_other.id)).team_id == world.team_a.id


async def test_a_lead_that_matches_no_rule_or_was_held_before_stays_in_the_pool(world):
    await AssignmentRule.create(name="车展", team_id=world.team_a.id, channel=Channel.AUTO_SHOW)
    assert await assignment.route_lead((await _lead("官网来的", channel=Channel.WEBSITE)).id) is None
    assert await assignment.route_lead(world.pool_customer.id) is None
    assert (await Customer.get(id=world.pool_customer.id)).owner_id is None


async def test_new_leads_are_routed_by_the_outbox_handler_once(world):
    import workers.jobs  # noqa: F401  (registers the handlers, as the worker does)

    await AssignmentRule.create(name="全部", team_id=world.team_b.id)
    lead = await _lead("新线索")
    await events.emit("customer.created", {"customer_id": lead.id})
    await events.emit("customer.created", {"customer_id": lead.id})
    await events.drain()
    assert (await Customer.get(id=lead.id)).owner_id == world.bob.id
    assert await OwnershipChange.filter(customer_id=lead.id).count() == 1


async def test_managers_edit_rules_for_their_own_team_only_and_edits_are_audited(world):
    rule = await assignment.create_assignment_rule(world.p(world.anna), {"name": "官网", "team_id": world.team_a.id,
                                                                         "channel": "WEBSITE"})
    assert rule.channel == Channel.WEBSITE and rule.strategy == AssignmentStrategy.ROUND_ROBIN
    with pytest.raises(UserErrors) as refused:
        await assignment.create_assignment_rule(world.p(world.anna), {"name": "x", "team_id": world.team_b.id})
    assert [e.code for e in refused.value.errors] == ["FORBIDDEN"]
    with pytest.raises(UserError):
        await assignment.update_assignment_rule(world.p(world.bert), rule.id, {"is_active": False})
    with pytest.raises(UserError):
        await assignment.create_assignment_rule(world.p(world.alice), {"name": "x", "team_id": world.team_a.id})
    updated = await assignment.update_assignment_rule(world.p(world.anna), rule.id, {"strategy": "LEAST_LOADED"})
    assert updated.strategy == AssignmentStrategy.LEAST_LOADED
    await assignment.delete_assignment_rule(SYSTEM, rule.id)
    assert [e.action for e in await AuditLog.filter(object_type="AssignmentRule").order_by("id")] == [
        "create", "update", "delete"]
