"""Opening opportunities and moving them through the stages."""

from datetime import date

import pytest

from server.audit.models import AuditLog
from server.customers.models import Customer
from server.enums import Lifecycle, OpportunityStage
from server.errors import UserError, UserErrors
from server.sales.opportunities import create_opportunity, move_opportunity_stage


async def test_an_opportunity_starts_at_first_contact_with_that_stages_probability(world, han):
    deal = await create_opportunity(world.p(world.alice), world.alices_customer.id, {
        "title": "张三 · 汉", "vehicle_model_id": han.id, "amount": "209800", "expected_close_date": date(2030, 6, 30)})
    assert (deal.stage, deal.status, deal.probability) == (OpportunityStage.INITIAL_CONTACT, "OPEN", 10)
    assert deal.owner_id == world.alice.id and str(deal.amount) == "209800.00"
    customer = await Customer.get(id=world.alices_customer.id)
    assert customer.lifecycle is Lifecycle.PROSPECT and customer.version == 2
    entry = await AuditLog.get(action="create", object_type="Opportunity")
    assert entry.actor_user_id == world.alice.id and entry.changes["title"] == [None, "张三 · 汉"]


async def test_the_owner_of_a_managers_opportunity_is_the_customers_owner(world):
    deal = await create_opportunity(world.p(world.anna), world.alices_customer.id, {"title": "团购"})
    assert deal.owner_id == world.alice.id


async def test_a_title_is_required_and_outsiders_are_refused(world):
    with pytest.raises(UserErrors) as bad:
        await create_opportunity(world.p(world.alice), world.alices_customer.id, {"title": " ", "amount": "-1"})
    assert sorted((e.field, e.code) for e in bad.value.errors) == [("amount", "INVALID"), ("title", "REQUIRED")]
    with pytest.raises(UserError) as refused:
        await create_opportunity(world.p(world.bob), world.alices_customer.id, {"title": "x"})
    assert refused.value.code == "NOT_FOUND"


async def test_moving_the_stage_sets_the_configured_probability(world, set_policy):
    me = world.p(world.alice)
    deal = await create_opportunity(me, world.alices_customer.id, {"title": "汉"})
    moved = await move_opportunity_stage(me, deal.id, deal.version, OpportunityStage.TEST_DRIVE)
    assert (moved.stage, moved.probability, moved.version) == (OpportunityStage.TEST_DRIVE, 50, 2)
    set_policy(stage_probability={**{s.value: 0 for s in OpportunityStage}, "NEGOTIATION": 75})
    moved = await move_opportunity_stage(me, deal.id, moved.version, OpportunityStage.NEGOTIATION, date(2030, 1, 1))
    assert (moved.probability, moved.expected_close_date) == (75, date(2030, 1, 1))
    back = await move_opportunity_stage(me, deal.id, moved.version, OpportunityStage.PRESENTATION)
    assert back.stage is OpportunityStage.PRESENTATION
    entry = await AuditLog.filter(action="stage_moved").order_by("-id").first()
    assert entry.changes["stage"] == ["NEGOTIATION", "PRESENTATION"]


async def test_a_stale_version_is_a_conflict(world):
    me = world.p(world.alice)
    deal = await create_opportunity(me, world.alices_customer.id, {"title": "汉"})
    await move_opportunity_stage(me, deal.id, 1, OpportunityStage.NEEDS_CONFIRMED)
    with pytest.raises(UserError) as stale:
        await move_opportunity_stage(me, deal.id, 1, OpportunityStage.CONTRACT)
    assert (stale.value.code, stale.value.field) == ("CONFLICT", "version")
