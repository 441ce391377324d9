"""Managers' pages: the loss approval queue, reopening a deal, the reason lists, assignment rules,
and assigning or returning customers in bulk from the customer list."""

from dataclasses import replace

import pytest

from server.activity.models import Task
from server.customers.models import Customer
from server.enums import CloseReasonKind, OpportunityStatus, TaskKind, TaskStatus
from server.sales import policy
from server.sales.closing import close_opportunity
from server.sales.models import AssignmentRule, CloseReason, Opportunity, VehicleModel
from server.sales.opportunities import create_opportunity
from tests.web.conftest import session_csrf, sign_in
from tests.web.html_checks import foreign_urls, unlabelled_controls
from tests.world import PASSWORD, gid


@pytest.fixture
def set_policy(monkeypatch):
    def apply(**changes):
        monkeypatch.setattr(policy, "POLICY", replace(policy.POLICY, **changes))

    return apply


def assert_labelled(html: str):
    assert unlabelled_controls(html) == [] and foreign_urls(html) == []


async def switch(client, username: str):
    await client.post("/logout", data={"csrf_token": await session_csrf(client)})
    await sign_in(client, username, PASSWORD)


async def loss_request(world, set_policy):
    """alice asks to lose her deal on 张三 to a competitor; losses need approval."""
    set_policy(loss_needs_approval=True)
    reason = await CloseReason.create(kind=CloseReasonKind.LOSS, label="选择竞品", requires_competitor=True)
    deal = await create_opportunity(world.p(world.alice), world.alices_customer.id, {"title": "张三 · 汉"})
    return await close_opportunity(world.p(world.alice), deal.id, deal.version, OpportunityStatus.LOST,
                                   reason_id=reason.id, competitor_brand="特斯拉", competitor_model="Model 3",
                                   note="客户嫌续航短")


# --- loss approval ---------------------------------------------------------------------------


async def test_a_manager_sees_the_pending_count_on_today_and_approves_the_loss(client, world, set_policy):
    deal = await loss_request(world, set_policy)
    await sign_in(client, "anna", PASSWORD)
    today = (await client.get("/")).text
    assert "1 个战败申请待你审批" in today and 'href="/opportunities/loss-requests"' in today
    queue = await client.get("/opportunities/loss-requests")
    assert queue.status_code == 200
    assert "张三 · 汉" in queue.text and "选择竞品" in queue.text and "特斯拉 Model 3" in queue.text
    assert "客户嫌续航短" in queue.text and "alice" in queue.text
    assert_labelled(queue.text)
    approved = await client.post(f"/opportunities/{gid('Opportunity', deal)}/loss-review", data={
        "csrf_token": await session_csrf(client), "version": str(deal.version), "decision": "approve",
        "title": deal.title})
    assert approved.status_code == 303
    after = await client.get("/opportunities/loss-requests")
    assert "已同意战败" in after.text and "没有待审批的战败申请" in after.text
    saved = await Opportunity.get(id=deal.id)
    assert saved.status == OpportunityStatus.LOST and not saved.loss_pending
    assert "战败申请待你审批" not in (await client.get("/")).text


async def test_sending_a_loss_back_needs_a_comment_which_the_consultant_then_reads(client, world, set_policy):
    deal = await loss_request(world, set_policy)
    await sign_in(client, "anna", PASSWORD)
    url = f"/opportunities/{gid('Opportunity', deal)}/loss-review"
    token = await session_csrf(client)
    bare = await client.post(url, data={"csrf_token": token, "version": str(deal.version), "decision": "send_back"})
    assert bare.status_code == 422 and "请填写退回原因" in bare.text and 'role="alert"' in bare.text
    assert (await Opportunity.get(id=deal.id)).loss_pending
    sent = await client.post(url, data={"csrf_token": token, "version": str(deal.version), "decision": "send_back",
                                        "comment": "再约一次试驾，争取一下", "title": deal.title})
    assert sent.status_code == 303
    assert "已退回" in (await client.get("/opportunities/loss-requests")).text
    await switch(client, "alice")
    page = await client.get(f"/opportunities/{gid('Opportunity', deal)}")
    assert "经理意见" in page.text and "再约一次试驾，争取一下" in page.text
    assert "战败申请被退回" in page.text  # the history
    saved = await Opportunity.get(id=deal.id)
    assert saved.status == OpportunityStatus.OPEN and not saved.loss_pending


async def test_a_consultant_cannot_review_a_loss_request(client, world, set_policy):
    deal = await loss_request(world, set_policy)
    await sign_in(client, "alice", PASSWORD)
    queue = await client.get("/opportunities/loss-requests")
    assert "张三 · 汉" in queue.text and "同意战败" not in queue.text  # her own request, no buttons
    refused = await client.post(f"/opportunities/{gid('Opportunity', deal)}/loss-review", data={
        "csrf_token": await session_csrf(client), "version": str(deal.version), "decision": "approve"})
    assert refused.status_code == 422 and "只有销售经理和管理员可以审批战败申请" in refused.text
    assert (await Opportunity.get(id=deal.id)).loss_pending


async def test_another_teams_manager_does_not_see_the_request(client, world, set_policy):
    await loss_request(world, set_policy)
    await sign_in(client, "bert", PASSWORD)
    assert "没有待审批的战败申请" in (await client.get("/opportunities/loss-requests")).text
    assert "战败申请待你审批" not in (await client.get("/")).text


# --- reopen ----------------------------------------------------------------------------------


async def test_a_lost_deal_is_reopened_after_confirming_and_the_history_shows_both(client, world):
    reason = await CloseReason.create(kind=CloseReasonKind.LOSS, label="价格太高")
    deal = await create_opportunity(world.p(world.alice), world.alices_customer.id, {"title": "张三 · 汉"})
    deal = await close_opportunity(world.p(world.alice), deal.id, deal.version, OpportunityStatus.LOST,
                                   reason_id=reason.id, note="预算不够")
    await sign_in(client, "alice", PASSWORD)
    url = f"/opportunities/{gid('Opportunity', deal)}"
    page = await client.get(url)
    assert "重新打开" in page.text and "确认重新打开" in page.text and "结案：战败" in page.text
    assert_labelled(page.text)
    token = await session_csrf(client)
    reopened = await client.post(f"{url}/reopen", data={"csrf_token": token, "version": str(deal.version),
                                                       "note": "客户预算到位了"})
    assert reopened.status_code == 303
    page = await client.get(url)
    assert "确认重新打开" not in page.text and "结案" in page.text  # the close form is back
    history = page.text[page.text.index('id="history"'):]
    assert history.index("客户预算到位了") < history.index("结案：战败")  # newest first
    assert (await Opportunity.get(id=deal.id)).status == OpportunityStatus.OPEN
    # Reopening again with the old version: refused, said on the page.
    again = await client.post(f"{url}/reopen", data={"csrf_token": token, "version": str(deal.version)})
    assert again.status_code in (409, 422) and 'role="alert"' in again.text


# --- reason lists ----------------------------------------------------------------------------


async def test_a_manager_adds_renames_reorders_and_retires_reasons(client, world):
    await sign_in(client, "anna", PASSWORD)
    page = await client.get("/settings/close-reasons")
    assert page.status_code == 200 and "赢单原因" in page.text and "战败原因" in page.text
    assert_labelled(page.text)
    token = await session_csrf(client)
    added = await client.post("/settings/close-reasons", data={"csrf_token": token, "kind": "LOSS",
                                                             "label": "提车太慢"})
    assert added.status_code == 303
    assert "已添加：提车太慢" in (await client.get("/settings/close-reasons")).text
    await client.post("/settings/close-reasons", data={"csrf_token": token, "kind": "LOSS", "label": "选择竞品",
                                                       "requires_competitor": "1"})
    slow, rival = await CloseReason.filter(kind=CloseReasonKind.LOSS).order_by("position")
    assert (slow.label, slow.requires_competitor, rival.requires_competitor) == ("提车太慢", False, True)
    # The same label twice: said next to the field.
    dup = await client.post("/settings/close-reasons", data={"csrf_token": token, "kind": "LOSS", "label": "提车太慢"})
    assert dup.status_code == 422 and "列表中已有这个原因" in dup.text and 'aria-invalid="true"' in dup.text
    # Rename, move it after 选择竞品, require a competitor, retire.
    saved = await client.post(f"/settings/close-reasons/{gid('CloseReason', slow)}", data={
        "csrf_token": token, "label": "交车周期太长", "position": "5", "requires_competitor": "1"})
    assert saved.status_code == 303
    slow = await CloseReason.get(id=slow.id)
    assert (slow.label, slow.position, slow.requires_competitor, slow.is_active) == ("交车周期太长", 5, True, False)
    html = (await client.get("/settings/close-reasons")).text
    losses = html[html.index('id="reasons-loss"'):]
    assert losses.index("选择竞品") < losses.index("交车周期太长")
    bad = await client.post(f"/settings/close-reasons/{gid('CloseReason', slow)}", data={
        "csrf_token": token, "label": "交车周期太长", "position": "第一", "is_active": "1"})
    assert bad.status_code == 422 and "排序请填写整数" in bad.text
    # A retired reason is no longer offered when closing a deal.
    deal = await create_opportunity(world.p(world.alice), world.alices_customer.id, {"title": "张三 · 汉"})
    detail = await client.get(f"/opportunities/{gid('Opportunity', deal)}")
    assert "选择竞品" in detail.text and "交车周期太长" not in detail.text


async def test_a_consultant_sees_the_reason_lists_but_cannot_edit_them(client, world):
    await CloseReason.create(kind=CloseReasonKind.WIN, label="价格优势")
    await sign_in(client, "alice", PASSWORD)
    page = await client.get("/settings/close-reasons")
    assert "价格优势" in page.text and "原因列表由销售经理和管理员维护" in page.text
    assert 'action="/settings/close-reasons"' not in page.text
    refused = await client.post("/settings/close-reasons", data={"csrf_token": await session_csrf(client),
                                                               "kind": "WIN", "label": "服务好"})
    assert refused.status_code == 422 and "只有销售经理和管理员可以修改原因列表" in refused.text
    assert not await CloseReason.filter(label="服务好").exists()


# --- assignment rules ------------------------------------------------------------------------


async def test_a_manager_creates_edits_and_deletes_an_assignment_rule(client, world):
    han = await VehicleModel.create(brand="比亚迪", series="汉", trim="", body_type="SEDAN", energy_type="BEV",
                                    price="209800.00")
    await sign_in(client, "anna", PASSWORD)
    page = await client.get("/settings/assignment-rules")
    assert page.status_code == 200 and "还没有分配规则" in page.text
    assert_labelled(page.text)
    token = await session_csrf(client)
    missing = await client.post("/settings/assignment-rules", data={"csrf_token": token, "name": "",
                                                                  "team": gid("Team", world.team_a)})
    assert missing.status_code == 422 and "请填写名称" in missing.text
    other_team = await client.post("/settings/assignment-rules", data={
        "csrf_token": token, "name": "抖音线索", "team": gid("Team", world.team_b)})
    assert other_team.status_code == 422 and "只能把线索分配到自己的团队" in other_team.text
    created = await client.post("/settings/assignment-rules", data={
        "csrf_token": token, "name": "抖音线索", "team": gid("Team", world.team_a), "strategy": "LEAST_LOADED",
        "channel": "DOUYIN", "province": "浙江", "city": "杭州", "vehicle_model": gid("VehicleModel", han),
        "position": "1", "is_active": "1"})
    assert created.status_code == 303
    rule = await AssignmentRule.get(name="抖音线索")
    assert (rule.team_id, rule.strategy, rule.channel, rule.city, rule.vehicle_model_id, rule.is_active) == (
        world.team_a.id, "LEAST_LOADED", "DOUYIN", "杭州", han.id, True)
    html = (await client.get("/settings/assignment-rules")).text
    assert "已添加规则：抖音线索" in html and "一组" in html and "负载最少优先" in html and "抖音" in html
    assert "浙江 杭州" in html and "比亚迪 汉" in html
    edited = await client.post(f"/settings/assignment-rules/{gid('AssignmentRule', rule)}", data={
        "csrf_token": token, "name": "抖音线索（暂停）", "strategy": "ROUND_ROBIN", "channel": "", "position": "2"})
    assert edited.status_code == 303
    rule = await AssignmentRule.get(id=rule.id)
    assert (rule.name, rule.strategy, rule.channel, rule.vehicle_model_id, rule.is_active, rule.position) == (
        "抖音线索（暂停）", "ROUND_ROBIN", None, None, False, 2)
    assert "已停用" in (await client.get("/settings/assignment-rules")).text
    # Another team's manager neither sees nor deletes it.
    await switch(client, "bert")
    assert "抖音线索" not in (await client.get("/settings/assignment-rules")).text
    refused = await client.post(f"/settings/assignment-rules/{gid('AssignmentRule', rule)}/delete",
                                data={"csrf_token": await session_csrf(client)})
    assert refused.status_code == 422 and await AssignmentRule.filter(id=rule.id).exists()
    await switch(client, "anna")
    deleted = await client.post(f"/settings/assignment-rules/{gid('AssignmentRule', rule)}/delete",
                                data={"csrf_token": await session_csrf(client), "name": rule.name})
    assert deleted.status_code == 303 and not await AssignmentRule.filter(id=rule.id).exists()
    assert "已删除规则" in (await client.get("/settings/assignment-rules")).text


# --- bulk assign -----------------------------------------------------------------------------


async def test_a_manager_assigns_selected_customers_and_the_new_owner_finds_them_on_today(client, world):
    await sign_in(client, "anna", PASSWORD)
    listing = await client.get("/customers")
    assert 'name="customer_id"' in listing.text and 'id="bulk-owner"' in listing.text
    assert "负责顾问：alice" in listing.text
    assert_labelled(listing.text)
    token = await session_csrf(client)
    assigned = await client.post("/customers/bulk", data={
        "csrf_token": token, "action": "assign", "owner": gid("User", world.amy),
        "customer_id": [gid("Customer", world.alices_customer), gid("Customer", world.pool_customer)]})
    assert assigned.status_code == 303
    notice = (await client.get(assigned.headers["location"])).text
    assert "已将 2 位客户分配给 amy" in notice and "张三" in notice and "王五" in notice
    for customer in (world.alices_customer, world.pool_customer):
        assert (await Customer.get(id=customer.id)).owner_id == world.amy.id
    tasks = await Task.filter(owner_id=world.amy.id, kind=TaskKind.ASSIGNED, status=TaskStatus.OPEN)
    assert sorted(t.customer_id for t in tasks) == sorted([world.alices_customer.id, world.pool_customer.id])
    await switch(client, "amy")
    today = (await client.get("/")).text
    assert "分配给你的客户：张三" in today and "分配给你的客户：王五" in today


async def test_assigning_without_a_consultant_or_outside_the_team_is_refused(client, world):
    await sign_in(client, "anna", PASSWORD)
    token = await session_csrf(client)
    no_owner = await client.post("/customers/bulk", data={"csrf_token": token, "action": "assign",
                                                        "customer_id": gid("Customer", world.alices_customer)})
    assert no_owner.status_code == 422 and "请选择要分配给的顾问" in no_owner.text
    assert 'aria-invalid="true"' in no_owner.text and "checked" in no_owner.text  # the selection is kept
    outside = await client.post("/customers/bulk", data={"csrf_token": token, "action": "assign",
                                                       "owner": gid("User", world.bob),
                                                       "customer_id": gid("Customer", world.alices_customer)})
    assert outside.status_code == 422 and "只能分给本团队成员" in outside.text
    nothing = await client.post("/customers/bulk", data={"csrf_token": token, "action": "assign",
                                                       "owner": gid("User", world.amy)})
    assert nothing.status_code == 422 and "请至少选择一位客户" in nothing.text
    assert (await Customer.get(id=world.alices_customer.id)).owner_id == world.alice.id


async def test_a_manager_returns_selected_customers_to_the_pool(client, world):
    await sign_in(client, "anna", PASSWORD)
    returned = await client.post("/customers/bulk", data={
        "csrf_token": await session_csrf(client), "action": "return",
        "customer_id": gid("Customer", world.alices_customer)})
    assert returned.status_code == 303
    assert "已将 1 位客户退回公海：张三" in (await client.get("/customers")).text
    assert (await Customer.get(id=world.alices_customer.id)).owner_id is None


async def test_a_consultant_sees_no_checkboxes_and_cannot_assign(client, world):
    await sign_in(client, "alice", PASSWORD)
    listing = await client.get("/customers")
    assert "张三" in listing.text and 'name="customer_id"' not in listing.text and 'id="bulk-form"' not in listing.text
    refused = await client.post("/customers/bulk", data={
        "csrf_token": await session_csrf(client), "action": "assign", "owner": gid("User", world.alice),
        "customer_id": gid("Customer", world.alices_customer)})
    assert refused.status_code == 422 and "只有销售经理和管理员可以分配客户" in refused.text
    assert (await Customer.get(id=world.alices_customer.id)).owner_id == world.alice.id
    assert not await Task.filter(kind=TaskKind.ASSIGNED).exists()
