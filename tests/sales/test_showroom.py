"""展厅客流: a walk-in matched by phone or made a lead, first or return visit, departure, and who is told."""

from datetime import timedelta

import pytest
from tortoise.timezone import now

from server.activity.models import Interaction, Task
from server.audit.models import AuditLog
from server.customers.models import Customer
from server.enums import Channel, InteractionKind, Lifecycle, TaskStatus
from server.errors import UserError, UserErrors
from server.events.services import drain
from server.sales.models import OwnershipChange, ShowroomVisit
from server.sales.showroom import record_departure, record_walk_in
from tests.world import token_principal


def fields_of(exc) -> set[str]:
    errors = exc.errors if isinstance(exc, UserErrors) else [exc]
    return {e.field for e in errors}


async def test_a_walk_in_with_a_known_phone_lands_on_that_customer(world, han):
    walk_in = await record_walk_in(world.p(world.alice), phone="138 0013 8000", name="张三", party_size=2,
                                   consultant_id=world.alice.id, vehicle_model_id=han.id)
    assert walk_in.customer_id == world.alices_customer.id and not walk_in.new_lead
    assert await Customer.filter(phone="+8613800138000").count() == 1
    visit = walk_in.visit
    assert (visit.party_size, visit.consultant_id, visit.vehicle_model_id) == (2, world.alice.id, han.id)
    timeline = await Interaction.get(id=visit.interaction_id)
    assert timeline.kind == InteractionKind.VISIT and timeline.channel == Channel.SHOWROOM
    assert "2人" in timeline.summary and "汉" in timeline.summary
    customer = await Customer.get(id=world.alices_customer.id)
    assert customer.owner_id == world.alice.id and customer.last_contact_at is not None
    assert "比亚迪 汉 EV 冠军版" in customer.interested_models


async def test_a_walk_in_with_a_new_phone_becomes_a_showroom_lead_owned_by_who_received_them(world):
    walk_in = await record_walk_in(world.p(world.amy), phone="13512345678", name="赵六", consultant_id=world.amy.id)
    assert walk_in.new_lead
    customer = await Customer.get(id=walk_in.customer_id)
    assert (customer.name, customer.lifecycle, customer.channel) == ("赵六", Lifecycle.LEAD, Channel.SHOWROOM)
    assert customer.owner_id == world.amy.id and customer.team_id == world.team_a.id
    assert customer.pool_entered_at is None
    assert await OwnershipChange.filter(customer_id=customer.id, to_user_id=world.amy.id).exists()
    assert walk_in.visit.is_first_visit
    # The new-lead event arrives later: routing leaves a customer someone already holds alone.
    await drain()
    assert (await Customer.get(id=customer.id)).owner_id == world.amy.id


async def test_a_new_lead_without_a_consultant_waits_in_the_pool_for_routing(world):
    walk_in = await record_walk_in(world.p(world.amy), phone="13512345679", name="钱七")
    customer = await Customer.get(id=walk_in.customer_id)
    assert customer.owner_id is None and customer.pool_entered_at is not None


async def test_a_pool_customer_who_walks_in_goes_to_the_consultant_who_receives_them(world):
    await record_walk_in(world.p(world.anna), phone="13700137000", consultant_id=world.amy.id)
    customer = await Customer.get(id=world.pool_customer.id)
    assert customer.owner_id == world.amy.id and customer.name == "王五"  # no name typed: the file keeps its own


async def test_a_walk_in_without_a_name_gets_a_placeholder_name(world):
    walk_in = await record_walk_in(world.p(world.amy), phone="13512340001", consultant_id=world.amy.id)
    assert (await Customer.get(id=walk_in.customer_id)).name == "到店客户0001"


async def test_the_second_visit_is_a_return_visit_unless_the_desk_says_otherwise(world):
    me = world.p(world.alice)
    first = await record_walk_in(me, phone="13800138000", arrived_at=now() - timedelta(days=3))
    second = await record_walk_in(me, phone="13800138000")
    assert first.visit.is_first_visit and not second.visit.is_first_visit
    overridden = await record_walk_in(me, phone="13800138000", is_first_visit=True)
    assert overridden.visit.is_first_visit
    # A visit logged late for an earlier day is the first if nothing came before it.
    earlier = await record_walk_in(me, phone="13800138000", arrived_at=now() - timedelta(days=10))
    assert earlier.visit.is_first_visit


async def test_an_owned_customer_keeps_the_owner_who_is_told_when_another_consultant_receives_them(world):
    walk_in = await record_walk_in(world.p(world.amy), phone="13900139000", name="李四", consultant_id=world.amy.id)
    assert walk_in.customer_id == world.bobs_customer.id
    assert (await Customer.get(id=world.bobs_customer.id)).owner_id == world.bob.id
    task = await Task.get(owner_id=world.bob.id, customer_id=world.bobs_customer.id, title="客户到店：李四")
    assert task.status == TaskStatus.OPEN and "接待：amy" in task.body


async def test_the_owner_receiving_their_own_customer_gets_no_task(world):
    before = await Task.filter(owner_id=world.alice.id).count()
    await record_walk_in(world.p(world.amy), phone="13800138000", consultant_id=world.alice.id)
    assert await Task.filter(owner_id=world.alice.id, title__startswith="客户到店").count() == 0
    assert await Task.filter(owner_id=world.alice.id).count() == before


async def test_a_walk_in_without_a_phone_is_counted_without_a_customer(world):
    customers = await Customer.all().count()
    walk_in = await record_walk_in(world.p(world.amy), name="穿红衣服的先生", party_size=3, note="只看不留电话")
    assert walk_in.customer_id is None and walk_in.visit.visitor_name == "穿红衣服的先生"
    assert walk_in.visit.is_first_visit and walk_in.visit.interaction_id is None
    assert await Customer.all().count() == customers


async def test_bad_input_names_each_field_and_records_nothing(world):
    with pytest.raises((UserError, UserErrors)) as caught:
        await record_walk_in(world.p(world.amy), phone="12345", party_size=0, arrived_at=now() + timedelta(hours=2),
                             consultant_id=world.root.id, vehicle_model_id=999)
    assert fields_of(caught.value) == {"phone", "party_size", "arrived_at", "consultant_id", "vehicle_model_id"}
    assert await ShowroomVisit.all().count() == 0


async def test_departure_is_recorded_once_and_never_before_arrival(world):
    me = world.p(world.alice)
    arrived = now() - timedelta(hours=1)
    visit = (await record_walk_in(me, phone="13800138000", arrived_at=arrived)).visit
    with pytest.raises(UserErrors) as caught:
        await record_departure(me, visit.id, arrived - timedelta(minutes=1))
    assert fields_of(caught.value) == {"left_at"}
    left = await record_departure(me, visit.id)
    assert left.left_at is not None and left.left_at >= arrived
    again = await record_departure(me, visit.id)  # a second tap changes nothing
    assert again.left_at == left.left_at
    assert await AuditLog.filter(action="depart", object_id=str(visit.id)).count() == 1


async def test_departure_is_refused_outside_the_scope(world):
    visit = (await record_walk_in(world.p(world.alice), phone="13800138000", consultant_id=world.alice.id)).visit
    for outsider in (world.p(world.bob), world.p(world.bert), await token_principal(["read"])):
        with pytest.raises(UserError) as caught:
            await record_departure(outsider, visit.id)
        assert caught.value.field == "id"
    assert (await ShowroomVisit.get(id=visit.id)).left_at is None
    assert (await record_departure(world.p(world.anna), visit.id)).left_at is not None


async def test_the_desk_sees_the_walk_in_it_logged_for_someone_elses_customer(world):
    from server.auth.scope import showroom_visit_q

    visit = (await record_walk_in(world.p(world.amy), phone="13900139000", consultant_id=world.bob.id)).visit
    for who in (world.amy, world.bob, world.bert, world.root):
        assert await ShowroomVisit.filter(showroom_visit_q(world.p(who)), id=visit.id).exists(), who.username
    for who in (world.alice, world.anna):
        assert not await ShowroomVisit.filter(showroom_visit_q(world.p(who)), id=visit.id).exists(), who.username
