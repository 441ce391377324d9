"""Closing won or lost with a managed reason, loss approval (战败审批), reopening, and the reason lists."""

import pytest

from server.activity.models import Task
from server.audit.models import AuditLog
from server.customers.models import Customer
from server.enums import CloseReasonKind, Lifecycle, OpportunityStatus, TaskKind
from server.errors import UserError, UserErrors
from server.sales import close_reasons
from server.sales.closing import close_opportunity, reopen_opportunity, review_loss_request
from server.sales.models import Opportunity
from server.sales.opportunities import create_opportunity

WON, LOST = OpportunityStatus.WON, OpportunityStatus.LOST


@pytest.fixture
async def deal(world, reasons):
    return await create_opportunity(world.p(world.alice), world.alices_customer.id, {"title": "汉"})


async def test_closing_needs_a_reason_of_the_right_kind(world, deal, reasons):
    me = world.p(world.alice)
    with pytest.raises(UserErrors) as missing:
        await close_opportunity(me, deal.id, 1, WON, reason_id=None)
    assert [(e.field, e.code) for e in missing.value.errors] == [("reason_id", "REQUIRED")]
    with pytest.raises(UserErrors) as wrong_kind:
        await close_opportunity(me, deal.id, 1, WON, reason_id=reasons["too_dear"].id)
    assert [(e.field, e.code) for e in wrong_kind.value.errors] == [("reason_id", "INVALID")]
    assert (await Opportunity.get(id=deal.id)).status is OpportunityStatus.OPEN


async def test_a_won_deal_is_closed_at_full_probability_and_the_customer_becomes_a_buyer(world, deal, reasons):
    won = await close_opportunity(world.p(world.alice), deal.id, 1, WON, reason_id=reasons["price"].id, note="全款")
    assert (won.status, won.probability, won.close_reason_id, won.close_note) == (WON, 100, reasons["price"].id, "全款")
    assert won.closed_at is not None
    assert (await Customer.get(id=world.alices_customer.id)).lifecycle is Lifecycle.CUSTOMER
    with pytest.raises(UserError):
        await close_opportunity(world.p(world.alice), deal.id, won.version, LOST, reason_id=reasons["too_dear"].id)


async def test_a_loss_to_a_competitor_must_name_brand_and_model(world, deal, reasons):
    me = world.p(world.alice)
    with pytest.raises(UserErrors) as missing:
        await close_opportunity(me, deal.id, 1, LOST, reason_id=reasons["competitor"].id, competitor_brand="特斯拉")
    assert [(e.field, e.code) for e in missing.value.errors] == [("competitor_model", "REQUIRED")]
    lost = await close_opportunity(me, deal.id, 1, LOST, reason_id=reasons["competitor"].id,
                                   competitor_brand="特斯拉", competitor_model="Model 3")
    assert (lost.status, lost.probability, lost.competitor_brand, lost.competitor_model) == (LOST, 0, "特斯拉", "Model 3")


async def test_a_loss_for_another_reason_needs_no_competitor(world, deal, reasons):
    lost = await close_opportunity(world.p(world.alice), deal.id, 1, LOST, reason_id=reasons["too_dear"].id)
    assert lost.status is LOST and lost.competitor_brand == ""


async def test_where_losses_need_approval_a_consultants_loss_waits_for_the_manager(world, deal, reasons, set_policy):
    set_policy(loss_needs_approval=True)
    alice, anna = world.p(world.alice), world.p(world.anna)
    asked = await close_opportunity(alice, deal.id, 1, LOST, reason_id=reasons["too_dear"].id, note="预算不够")
    assert (asked.status, asked.loss_pending, asked.close_reason_id) == (OpportunityStatus.OPEN, True, reasons["too_dear"].id)
    [review] = await Task.filter(owner_id=world.anna.id, kind=TaskKind.OTHER, status="OPEN")
    assert review.title == "战败审批：汉" and review.customer_id == world.alices_customer.id
    # Neither the consultant nor another team's manager may answer it.
    with pytest.raises(UserError) as refused:
        await review_loss_request(alice, deal.id, asked.version, approve=True)
    assert refused.value.code == "FORBIDDEN"
    with pytest.raises(UserError) as outsider:
        await review_loss_request(world.p(world.bert), deal.id, asked.version, approve=True)
    assert outsider.value.code == "NOT_FOUND"
    with pytest.raises(UserError) as no_comment:
        await review_loss_request(anna, deal.id, asked.version, approve=False)
    assert no_comment.value.field == "comment"

    sent_back = await review_loss_request(anna, deal.id, asked.version, approve=False, comment="再跟一次，送保养")
    assert (sent_back.status, sent_back.loss_pending, sent_back.close_reason_id) == (OpportunityStatus.OPEN, False, None)
    assert sent_back.loss_review_note == "再跟一次，送保养"
    assert (await Task.get(id=review.id)).status == "DONE"
    told = await Task.get(owner_id=world.alice.id, kind=TaskKind.OTHER)
    assert told.title == "战败申请被退回：汉" and told.body == "再跟一次，送保养"

    asked = await close_opportunity(alice, deal.id, sent_back.version, LOST, reason_id=reasons["too_dear"].id)
    approved = await review_loss_request(anna, deal.id, asked.version, approve=True)
    assert (approved.status, approved.loss_pending, approved.probability) == (LOST, False, 0)
    assert approved.closed_at is not None and approved.close_reason_id == reasons["too_dear"].id
    actions = [e.action for e in await AuditLog.filter(object_type="Opportunity").order_by("id")]
    assert actions == ["create", "loss_requested", "loss_rejected", "loss_requested", "loss_approved"]


async def test_a_managers_own_loss_needs_no_approval(world, deal, reasons, set_policy):
    set_policy(loss_needs_approval=True)
    lost = await close_opportunity(world.p(world.anna), deal.id, 1, LOST, reason_id=reasons["too_dear"].id)
    assert lost.status is LOST and not lost.loss_pending


async def test_reopening_is_allowed_and_audited(world, deal, reasons):
    me = world.p(world.alice)
    lost = await close_opportunity(me, deal.id, 1, LOST, reason_id=reasons["competitor"].id,
                                   competitor_brand="小鹏", competitor_model="P7")
    reopened = await reopen_opportunity(me, deal.id, lost.version, "客户回心转意")
    assert (reopened.status, reopened.closed_at, reopened.close_reason_id, reopened.probability) == (
        OpportunityStatus.OPEN, None, None, 10)
    entry = await AuditLog.get(action="reopened")
    assert entry.actor_user_id == world.alice.id
    assert entry.changes["status"] == ["LOST", "OPEN"]
    assert entry.changes["competitor_brand"] == ["小鹏", ""] and entry.changes["note"] == "客户回心转意"
    with pytest.raises(UserError):
        await reopen_opportunity(me, deal.id, reopened.version)


async def test_managers_edit_the_reason_lists_and_retired_reasons_cannot_be_chosen(world, deal, reasons):
    anna = world.p(world.anna)
    added = await close_reasons.create_close_reason(anna, CloseReasonKind.LOSS, {"label": "提车太慢"})
    assert added.position == 1
    with pytest.raises(UserError) as twice:
        await close_reasons.create_close_reason(anna, CloseReasonKind.LOSS, {"label": "提车太慢"})
    assert twice.value.code == "DUPLICATE"
    with pytest.raises(UserError) as consultant:
        await close_reasons.create_close_reason(world.p(world.alice), CloseReasonKind.WIN, {"label": "x"})
    assert consultant.value.code == "FORBIDDEN"
    await close_reasons.update_close_reason(anna, reasons["too_dear"].id, {"is_active": False})
    labels = [r.label for r in await close_reasons.list_close_reasons(CloseReasonKind.LOSS)]
    assert labels == ["选择竞品", "提车太慢"]
    with pytest.raises(UserErrors):
        await close_opportunity(world.p(world.alice), deal.id, 1, LOST, reason_id=reasons["too_dear"].id)
    assert await AuditLog.filter(object_type="CloseReason").count() == 2
