"""Every path to a record, tried by every kind of caller that must not see or change it.

The record is alice's customer in team A (with a contact and an interaction), and her deals
on it: an open one with a quote, a test drive and an objection, a lost one, and one whose loss
waits for a manager.
"""

from datetime import timedelta

import pytest
from tortoise.timezone import now

from server.activity.models import Interaction, Task
from server.customers.models import Contact, Customer
from server.enums import CloseReasonKind, OpportunityStatus
from server.portrait.models import CustomerTag, MessageTemplate, Tag
from server.sales import models as sales
from server.sales.models import CloseReason, Objection, Opportunity, Quote, QuoteItem
from tests.world import gid, gql, token_principal


@pytest.fixture
async def world(world):
    """The shared world plus alice's deals, written straight to the tables (no tasks, no audit)."""
    customer = world.alices_customer
    world.win_reason = await CloseReason.create(kind=CloseReasonKind.WIN, label="价格优势")
    world.loss_reason = await CloseReason.create(kind=CloseReasonKind.LOSS, label="价格太高")
    world.alices_deal = await Opportunity.create(customer=customer, owner=world.alice, title="张三 · 汉")
    world.alices_lost_deal = await Opportunity.create(customer=customer, owner=world.alice, title="张三 · 唐",
                                                      status=OpportunityStatus.LOST, closed_at=now(),
                                                      close_reason=world.loss_reason)
    world.alices_pending_deal = await Opportunity.create(customer=customer, owner=world.alice, title="张三 · 秦",
                                                         loss_pending=True, close_reason=world.loss_reason)
    world.alices_quote = await Quote.create(opportunity=world.alices_deal, total="100000.00")
    await QuoteItem.create(quote=world.alices_quote, description="汉", unit_price="100000.00")
    world.alices_test_drive = await sales.TestDrive.create(customer=customer, opportunity=world.alices_deal,
                                                     consultant=world.alice, scheduled_at=now() + timedelta(days=1))
    world.alices_objection = await Objection.create(opportunity=world.alices_deal, category="价格", text="贵")
    world.alices_visit = await sales.ShowroomVisit.create(customer=customer, consultant=world.alice, recorded_by=world.alice,
                                                          arrived_at=now() - timedelta(hours=1), party_size=2)
    world.campaign = await sales.Campaign.create(name="春季车展", code="SPRING", channel="AUTO_SHOW")
    region = await Tag.create(name="地区:杭州", category="BASIC")
    await CustomerTag.create(customer=customer, tag=region, source="GENERATED")
    # A fact read from her note, offered as the tag 意向:SUV (accepting it changes no field).
    await Interaction.filter(id=world.alices_interaction.id).update(facts={"extractor": "1", "facts": [
        {"kind": "body", "value": "SUV", "normalized": "SUV", "start": 0, "end": 3, "confidence": 0.9,
         "negated": False, "model_ids": []}]})
    world.template = await MessageTemplate.create(title="问候", body="{{ salutation }}您好")
    return world


def _around_today() -> dict:
    """A report period holding today (alice's deals are opened and lost now), in local days."""
    from server.analytics.period import local_today

    today = local_today()
    return {"from": (today - timedelta(days=1)).isoformat(), "to": (today + timedelta(days=2)).isoformat()}


SEE = {
    "node customer": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("Customer", w.alices_customer)}, "node"),
    "node contact": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("Contact", w.alices_contact)}, "node"),
    "node interaction": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("Interaction", w.alices_interaction)}, "node"),
    "node task": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("Task", w.alices_task)}, "node"),
    "tasks": ("query { tasks { totalCount } }", lambda w: {}, "tasks"),
    "customer": ("query($id: ID!) { customer(id: $id) { name } }", lambda w: {"id": gid("Customer", w.alices_customer)}, "customer"),
    "connection": ('query { customers(filter: {search: "zhangsan"}) { totalCount edges { node { name } } } }', lambda w: {}, "customers"),
    "nested via interaction": (
        "query($id: ID!) { node(id: $id) { ... on Interaction { customer { name contacts { name } } } } }",
        lambda w: {"id": gid("Interaction", w.alices_interaction)}, "node"),
    "node opportunity": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("Opportunity", w.alices_deal)}, "node"),
    "node quote": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("Quote", w.alices_quote)}, "node"),
    "node test drive": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("TestDrive", w.alices_test_drive)}, "node"),
    "node objection": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("Objection", w.alices_objection)}, "node"),
    "opportunity": ("query($id: ID!) { opportunity(id: $id) { title } }", lambda w: {"id": gid("Opportunity", w.alices_deal)}, "opportunity"),
    "opportunities": ("query { opportunities { totalCount } }", lambda w: {}, "opportunities"),
    "opportunities of a customer": (
        "query($id: ID!) { customer(id: $id) { opportunities { totalCount } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "customer"),
    "node showroom visit": ("query($id: ID!) { node(id: $id) { id } }", lambda w: {"id": gid("ShowroomVisit", w.alices_visit)}, "node"),
    "showroomVisits": ("query { showroomVisits { totalCount } }", lambda w: {}, "showroomVisits"),
    "showroom visit count": ("query($id: ID!) { customer(id: $id) { showroomVisitCount } }",
                             lambda w: {"id": gid("Customer", w.alices_customer)}, "customer"),
    "analytics winLoss": (
        "query($f: WinLossFilter!) { analytics { winLoss(filter: $f, groupBy: REASON) { totals { total } } } }",
        lambda w: {"f": _around_today()}, "analytics"),
    "analytics funnel": (
        "query($f: AnalyticsFilter!) { analytics { funnel(filter: $f) { opened } } }",
        lambda w: {"f": _around_today()}, "analytics"),
    "pipeline": ("query { pipeline { stage count } }", lambda w: {}, "pipeline"),
    "analytics portrait": ("query { analytics { portrait { byRegion { key count } } } }", lambda w: {}, "analytics"),
    "customers by any tag": ('query { customers(filter: {tagsAny: ["地区:杭州"]}) { totalCount } }', lambda w: {}, "customers"),
    "suggestions of a customer": ("query($id: ID!) { customer(id: $id) { suggestions { key } } }",
                                  lambda w: {"id": gid("Customer", w.alices_customer)}, "customer"),
    "facts of an interaction": ("query($id: ID!) { node(id: $id) { ... on Interaction { facts { kind } } } }",
                                lambda w: {"id": gid("Interaction", w.alices_interaction)}, "node"),
    "outcome history": (
        "query($id: ID!) { node(id: $id) { ... on Opportunity { outcomeHistory { action } } } }",
        lambda w: {"id": gid("Opportunity", w.alices_lost_deal)}, "node"),
    "recommended templates": ("query($id: ID!) { recommendedTemplates(customerId: $id) { body } }",
                              lambda w: {"id": gid("Customer", w.alices_customer)}, "recommendedTemplates"),
}

CHANGE = {
    "updateCustomer": (
        "mutation($id: ID!) { updateCustomer(input: {id: $id, version: 1, name: \"改名\"}) { customer { id } errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "updateCustomer"),
    "addContact": (
        "mutation($id: ID!) { addContact(input: {customerId: $id, name: \"新联系人\"}) { contact { id } errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "addContact"),
    "updateContact": (
        "mutation($id: ID!) { updateContact(input: {id: $id, version: 1, name: \"改名\"}) { contact { id } errors { code } } }",
        lambda w: {"id": gid("Contact", w.alices_contact)}, "updateContact"),
    "logInteraction": (
        "mutation($id: ID!) { logInteraction(input: {customerId: $id, kind: CALL, summary: \"x\"}) { interaction { id } errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "logInteraction"),
    "completeTask": (
        "mutation($id: ID!) { completeTask(input: {id: $id}) { task { id } errors { code } } }",
        lambda w: {"id": gid("Task", w.alices_task)}, "completeTask"),
    "revealField": (
        "mutation($id: ID!) { revealField(input: {customerId: $id, field: PHONE}) { value errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "revealField"),
    "createOpportunity": (
        "mutation($id: ID!) { createOpportunity(input: {customerId: $id, title: \"新商机\"}) { opportunity { id } errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "createOpportunity"),
    "moveOpportunityStage": (
        "mutation($id: ID!) { moveOpportunityStage(input: {id: $id, version: 1, stage: NEGOTIATION}) { opportunity { id } errors { code } } }",
        lambda w: {"id": gid("Opportunity", w.alices_deal)}, "moveOpportunityStage"),
    "closeOpportunity": (
        "mutation($id: ID!, $r: ID!) { closeOpportunity(input: {id: $id, version: 1, status: WON, reasonId: $r}) { opportunity { id } errors { code } } }",
        lambda w: {"id": gid("Opportunity", w.alices_deal), "r": gid("CloseReason", w.win_reason)}, "closeOpportunity"),
    "reopenOpportunity": (
        "mutation($id: ID!) { reopenOpportunity(input: {id: $id, version: 1}) { opportunity { id } errors { code } } }",
        lambda w: {"id": gid("Opportunity", w.alices_lost_deal)}, "reopenOpportunity"),
    "createQuote": (
        "mutation($id: ID!) { createQuote(input: {opportunityId: $id, items: [{description: \"汉\", unitPrice: \"1\"}]}) { quote { id } errors { code } } }",
        lambda w: {"id": gid("Opportunity", w.alices_deal)}, "createQuote"),
    "bookTestDrive": (
        "mutation($id: ID!, $at: DateTime!) { bookTestDrive(input: {opportunityId: $id, scheduledAt: $at}) { testDrive { id } errors { code } } }",
        lambda w: {"id": gid("Opportunity", w.alices_deal), "at": (now() + timedelta(days=2)).isoformat()}, "bookTestDrive"),
    "recordTestDriveFeedback": (
        "mutation($id: ID!) { recordTestDriveFeedback(input: {id: $id, status: DONE}) { testDrive { id } errors { code } } }",
        lambda w: {"id": gid("TestDrive", w.alices_test_drive)}, "recordTestDriveFeedback"),
    "addObjection": (
        "mutation($id: ID!) { addObjection(input: {opportunityId: $id, category: \"续航\", text: \"冬天\"}) { objection { id } errors { code } } }",
        lambda w: {"id": gid("Opportunity", w.alices_deal)}, "addObjection"),
    "resolveObjection": (
        "mutation($id: ID!) { resolveObjection(input: {id: $id}) { objection { id } errors { code } } }",
        lambda w: {"id": gid("Objection", w.alices_objection)}, "resolveObjection"),
    "returnToPool": (
        "mutation($id: ID!) { returnToPool(input: {customerIds: [$id]}) { customers { id } errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "returnToPool"),
    "recordShowroomDeparture": (
        "mutation($id: ID!) { recordShowroomDeparture(input: {id: $id}) { showroomVisit { id } errors { code } } }",
        lambda w: {"id": gid("ShowroomVisit", w.alices_visit)}, "recordShowroomDeparture"),
    "setCustomerCampaign": (
        "mutation($id: ID!, $c: ID!) { setCustomerCampaign(input: {customerId: $id, version: 1, campaignId: $c}) { customer { id } errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer), "c": gid("Campaign", w.campaign)}, "setCustomerCampaign"),
    "acceptSuggestion": (
        "mutation($id: ID!) { acceptSuggestion(input: {customerId: $id, suggestionKey: \"body:SUV\"}) { customer { id } errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "acceptSuggestion"),
    "dismissSuggestion": (
        "mutation($id: ID!) { dismissSuggestion(input: {customerId: $id, suggestionKey: \"body:SUV\"}) { customer { id } errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer)}, "dismissSuggestion"),
}

# Only a manager of the team or an admin (staff or an admin-scoped token) may do these.
MANAGE = {
    "assignCustomers": (
        "mutation($id: ID!, $to: ID!) { assignCustomers(input: {customerIds: [$id], ownerId: $to}) { customers { id } errors { code } } }",
        lambda w: {"id": gid("Customer", w.alices_customer), "to": gid("User", w.amy)}, "assignCustomers"),
    "reviewLossRequest": (
        "mutation($id: ID!) { reviewLossRequest(input: {id: $id, version: 1, approve: true}) { opportunity { id } errors { code } } }",
        lambda w: {"id": gid("Opportunity", w.alices_pending_deal)}, "reviewLossRequest"),
}


async def _caller(world, who):
    if who == "anonymous":
        return None
    if who.startswith("token"):
        scopes, team = {
            "token without read": (["ingest"], None),
            "token read-only": (["read"], None),
            "token of team B": (["read", "write", "reveal"], world.team_b),
            "token read+write": (["read", "write"], None),
            "token all": (["read", "write", "reveal"], None),
            "token admin": (["admin"], None),
        }[who]
        return await token_principal(scopes, team)
    return world.p(getattr(world, who))


def _visible(result, key) -> bool:
    if result.errors:
        return False
    value = result.data[key]
    if key in ("customers", "tasks", "opportunities", "showroomVisits"):
        return value["totalCount"] > 0
    if key == "customer" and value is not None and "opportunities" in value:
        return value["opportunities"]["totalCount"] > 0
    if key == "analytics" and value is not None:  # a report counts only what the caller may see
        if "portrait" in value:
            return sum(b["count"] for b in value["portrait"]["byRegion"]) > 0
        report = value.get("winLoss") or value.get("funnel")
        return (report["totals"]["total"] if "totals" in report else report["opened"]) > 0
    if key == "node" and value is not None and "customer" in value:
        return value["customer"] is not None
    if key == "pipeline":
        return sum(t["count"] for t in value) > 0
    if key == "recommendedTemplates":
        return len(value) > 0
    return value is not None


def _changed(result, key) -> bool:
    if result.errors or result.data is None:
        return False
    payload = result.data[key]
    return not payload["errors"]


MAY_NOT_SEE = ["anonymous", "amy", "bob", "bert", "token without read", "token of team B"]
MAY_SEE = ["alice", "anna", "root", "token read-only"]
MAY_NOT_CHANGE = ["anonymous", "amy", "bob", "bert", "token read-only", "token of team B", "token without read"]


@pytest.mark.parametrize("who", MAY_NOT_SEE)
@pytest.mark.parametrize("path", list(SEE))
async def test_callers_outside_the_scope_cannot_see(world, who, path):
    query, variables, key = SEE[path]
    result = await gql(query, await _caller(world, who), **variables(world))
    assert not _visible(result, key)


@pytest.mark.parametrize("who", MAY_SEE)
@pytest.mark.parametrize("path", list(SEE))
async def test_callers_inside_the_scope_can_see(world, who, path):
    query, variables, key = SEE[path]
    result = await gql(query, await _caller(world, who), **variables(world))
    assert _visible(result, key)


@pytest.mark.parametrize("who", MAY_NOT_CHANGE)
@pytest.mark.parametrize("path", list(CHANGE))
async def test_callers_outside_the_scope_cannot_change(world, who, path):
    query, variables, key = CHANGE[path]
    result = await gql(query, await _caller(world, who), **variables(world))
    assert not _changed(result, key)
    customer = await Customer.get(id=world.alices_customer.id)
    assert customer.name == "张三" and customer.version == 1
    assert await Contact.filter(customer_id=customer.id).count() == 1
    assert (await Contact.get(id=world.alices_contact.id)).name == "张太太"
    assert (await Task.get(id=world.alices_task.id)).status == "OPEN"
    assert not await CustomerTag.filter(customer_id=customer.id, source="EXTRACTOR").exists()
    assert "status" not in (await Interaction.get(id=world.alices_interaction.id)).facts["facts"][0]
    await _assert_deals_untouched(world)


async def _assert_deals_untouched(world):
    customer = await Customer.get(id=world.alices_customer.id)
    assert customer.owner_id == world.alice.id and customer.version == 1
    assert await Opportunity.filter(customer_id=customer.id).count() == 3
    deal = await Opportunity.get(id=world.alices_deal.id)
    assert (deal.version, deal.stage, deal.status) == (1, "INITIAL_CONTACT", "OPEN")
    assert (await Opportunity.get(id=world.alices_lost_deal.id)).status == "LOST"
    assert (await Opportunity.get(id=world.alices_pending_deal.id)).loss_pending
    assert await Quote.filter(opportunity_id=deal.id).count() == 1
    assert [d.status for d in await sales.TestDrive.filter(customer_id=customer.id)] == ["BOOKED"]
    assert [o.resolved for o in await Objection.filter(opportunity_id=deal.id)] == [False]
    assert (await sales.ShowroomVisit.get(id=world.alices_visit.id)).left_at is None


@pytest.mark.parametrize("who", ["alice", "anna", "root", "token all"])
@pytest.mark.parametrize("path", list(CHANGE))
async def test_callers_inside_the_scope_can_change(world, who, path):
    query, variables, key = CHANGE[path]
    result = await gql(query, await _caller(world, who), **variables(world))
    assert _changed(result, key), result


MAY_NOT_MANAGE = ["anonymous", "alice", "amy", "bob", "bert", "token read-only", "token of team B", "token all",
                  "token without read"]


@pytest.mark.parametrize("who", MAY_NOT_MANAGE)
@pytest.mark.parametrize("path", list(MANAGE))
async def test_callers_who_do_not_manage_the_team_cannot_assign_or_review(world, who, path):
    query, variables, key = MANAGE[path]
    result = await gql(query, await _caller(world, who), **variables(world))
    assert not _changed(result, key)
    await _assert_deals_untouched(world)


@pytest.mark.parametrize("who", ["anna", "root", "token admin"])
@pytest.mark.parametrize("path", list(MANAGE))
async def test_the_teams_manager_and_admins_can_assign_and_review(world, who, path):
    query, variables, key = MANAGE[path]
    result = await gql(query, await _caller(world, who), **variables(world))
    assert _changed(result, key), result


CLOSE_REASON = 'mutation { createCloseReason(input: {kind: LOSS, label: "提车太慢"}) { closeReason { id } errors { code } } }'


@pytest.mark.parametrize("who, allowed", [
    ("anna", True), ("bert", True), ("root", True), ("token admin", True), ("alice", False), ("bob", False),
    ("token all", False), ("token read-only", False), ("anonymous", False),
])
async def test_only_managers_and_admins_edit_the_reason_lists(world, who, allowed):
    result = await gql(CLOSE_REASON, await _caller(world, who))
    assert _changed(result, "createCloseReason") is allowed
    assert await CloseReason.filter(label="提车太慢").exists() is allowed


CLAIM = "mutation($id: ID!) { claimFromPool(input: {customerIds: [$id]}) { customers { id } errors { code } } }"


@pytest.mark.parametrize("who, allowed", [
    ("alice", True), ("bob", True), ("anna", True), ("root", True),
    ("token all", False), ("token admin", False), ("token read-only", False), ("anonymous", False),
])
async def test_staff_claim_from_the_pool_and_tokens_cannot(world, who, allowed):
    result = await gql(CLAIM, await _caller(world, who), id=gid("Customer", world.pool_customer))
    assert _changed(result, "claimFromPool") is allowed
    assert ((await Customer.get(id=world.pool_customer.id)).owner_id is not None) is allowed


async def test_a_consultant_sees_the_pool_but_cannot_change_it_before_claiming(world):
    me = world.p(world.bob)
    pool_id = gid("Customer", world.pool_customer)
    seen = await gql("query($id: ID!) { customer(id: $id) { name phone inPool } }", me, id=pool_id)
    assert seen.data["customer"] == {"name": "王五", "phone": "137****7000", "inPool": True}
    change = await gql(CHANGE["updateCustomer"][0], me, id=pool_id)
    assert change.data["updateCustomer"]["errors"] == [{"code": "NOT_FOUND"}]
    reveal = await gql(CHANGE["revealField"][0], me, id=pool_id)
    assert reveal.data["revealField"]["value"] is None


async def test_reveal_shows_the_number_and_is_logged(world):
    from server.audit.models import AuditLog

    result = await gql(CHANGE["revealField"][0], world.p(world.alice), id=gid("Customer", world.alices_customer))
    assert result.data["revealField"]["value"] == "13800138000"
    entry = await AuditLog.get(action="reveal")
    assert entry.actor_user_id == world.alice.id and entry.changes == {"field": "PHONE"}


CAMPAIGNS = "query { campaigns { totalCount edges { node { name stats { leads wholeCampaign } } } } }"


@pytest.mark.parametrize("who, allowed", [
    ("alice", True), ("bob", True), ("anna", True), ("root", True), ("token read-only", True), ("token admin", True),
    ("token without read", False), ("anonymous", False),
])
async def test_every_staff_member_and_read_token_sees_the_campaign_list(world, who, allowed):
    result = await gql(CAMPAIGNS, await _caller(world, who))
    seen = not result.errors and result.data["campaigns"]["totalCount"] == 1
    assert seen is allowed


@pytest.mark.parametrize("who, whole", [
    ("alice", False), ("bob", False), ("token read-only", False), ("anna", True), ("bert", True), ("root", True),
    ("token admin", True),
])
async def test_only_managers_and_admins_get_the_whole_campaigns_numbers(world, who, whole):
    await Customer.filter(id=world.alices_customer.id).update(campaign_id=world.campaign.id)
    result = await gql(CAMPAIGNS, await _caller(world, who))
    stats = result.data["campaigns"]["edges"][0]["node"]["stats"]
    assert stats["wholeCampaign"] is whole
    # Bob may not see alice's customer, so he counts none of the campaign's leads.
    assert stats["leads"] == (0 if who == "bob" else 1)


CREATE_CAMPAIGN = (
    'mutation { createCampaign(input: {name: "抖音直播", code: "LIVE-1", channel: DOUYIN, startsOn: "2026-05-01"})'
    " { campaign { id } errors { code } } }"
)
UPDATE_CAMPAIGN = (
    'mutation($id: ID!) { updateCampaign(input: {id: $id, version: 1, budget: "1000"}) { campaign { id } errors { code } } }'
)


@pytest.mark.parametrize("who, allowed", [
    ("anna", True), ("bert", True), ("root", True), ("token admin", True), ("alice", False), ("bob", False),
    ("token all", False), ("token read-only", False), ("anonymous", False),
])
async def test_only_managers_and_admins_create_and_edit_campaigns(world, who, allowed):
    caller = await _caller(world, who)
    created = await gql(CREATE_CAMPAIGN, caller)
    assert _changed(created, "createCampaign") is allowed
    assert await sales.Campaign.filter(code="LIVE-1").exists() is allowed
    updated = await gql(UPDATE_CAMPAIGN, caller, id=gid("Campaign", world.campaign))
    assert _changed(updated, "updateCampaign") is allowed
    assert ((await sales.Campaign.get(id=world.campaign.id)).version == 2) is allowed


COLLEAGUES = "query { colleagues { username } teams { name } }"


@pytest.mark.parametrize("who, usernames, teams", [
    ("alice", ["alice"], ["一组"]),
    ("anna", ["alice", "amy", "anna"], ["一组"]),
    ("bert", ["bert", "bob"], ["二组"]),
    ("root", ["alice", "amy", "anna", "bert", "bob", "root"], ["一组", "二组"]),
    ("token of team B", ["bert", "bob"], ["二组"]),
    ("token read-only", ["alice", "amy", "anna", "bert", "bob", "root"], ["一组", "二组"]),
])
async def test_colleagues_and_teams_follow_the_scope(world, who, usernames, teams):
    result = await gql(COLLEAGUES, await _caller(world, who))
    assert result.errors is None
    assert sorted(u["username"] for u in result.data["colleagues"]) == usernames
    assert sorted(t["name"] for t in result.data["teams"]) == teams


@pytest.mark.parametrize("who", ["anonymous", "token without read"])
async def test_colleagues_and_teams_are_refused_without_read(world, who):
    result = await gql(COLLEAGUES, await _caller(world, who))
    assert result.errors and result.data is None


RULE_MUTATIONS = {
    "createRule": ('mutation { createRule(input: {name: "r", schedule: "hourly", condition: {tag: {name: "x"}}, '
                   'actions: [{addTag: {tag: "y"}}]}) { rule { id } errors { code } } }'),
    "updateRule": 'mutation($id: ID!) { updateRule(input: {id: $id, version: 1, name: "改"}) { rule { id } errors { code } } }',
    "setRuleEnabled": 'mutation($id: ID!) { setRuleEnabled(input: {id: $id, enabled: false}) { rule { id } errors { code } } }',
    "previewRule": 'mutation { previewRule(input: {condition: {tag: {name: "x"}}}) { preview { matchCount } errors { code } } }',
}


@pytest.mark.parametrize("who, allowed", [
    ("anna", True), ("bert", True), ("root", True), ("token admin", True), ("alice", False), ("bob", False),
    ("token all", False), ("token read-only", False), ("anonymous", False),
])
@pytest.mark.parametrize("operation", list(RULE_MUTATIONS))
async def test_only_managers_and_admins_edit_and_preview_rules(world, who, allowed, operation):
    from server.rules.models import Rule

    rule = await Rule.create(name="r0", condition={}, actions=[{"type": "emit", "topic": "t"}], schedule="hourly")
    variables = {} if operation in ("createRule", "previewRule") else {"id": gid("Rule", rule)}
    result = await gql(RULE_MUTATIONS[operation], await _caller(world, who), **variables)
    assert _changed(result, operation) is allowed
    stored = await Rule.get(id=rule.id)
    untouched = (stored.name, stored.enabled, stored.version, await Rule.all().count()) == ("r0", True, 1, 1)
    assert untouched is (not allowed or operation == "previewRule")


@pytest.mark.parametrize("who, sees", [
    ("alice", True), ("anna", True), ("root", True), ("token read-only", True), ("amy", False), ("bob", False),
    ("bert", False), ("token of team B", False), ("token without read", False), ("anonymous", False),
])
async def test_rule_firings_are_seen_only_by_those_who_see_the_customer(world, who, sees):
    from server.rules.models import Rule, RuleFiring

    rule = await Rule.create(name="r0", condition={}, actions=[{"type": "emit", "topic": "t"}], schedule="hourly")
    firing = await RuleFiring.create(rule=rule, customer=world.alices_customer, dedup_key="k", effects=["emit:t"])
    listed = await gql("query($id: ID!) { ruleFirings(customerId: $id) { totalCount } }", await _caller(world, who),
                       id=gid("Customer", world.alices_customer))
    assert (not listed.errors and listed.data["ruleFirings"]["totalCount"] == 1) is sees
    node = await gql("query($id: ID!) { node(id: $id) { id } }", await _caller(world, who), id=gid("RuleFiring", firing))
    assert (not node.errors and node.data["node"] is not None) is sees


TEMPLATE_MUTATIONS = {
    "createMessageTemplate": 'mutation { createMessageTemplate(input: {title: "新话术", body: "您好"}) { messageTemplate { id } errors { code } } }',
    "updateMessageTemplate": 'mutation($id: ID!) { updateMessageTemplate(input: {id: $id, title: "新话术"}) { messageTemplate { id } errors { code } } }',
}


@pytest.mark.parametrize("who, allowed", [
    ("anna", True), ("bert", True), ("root", True), ("token admin", True), ("alice", False), ("bob", False),
    ("token all", False), ("token read-only", False), ("anonymous", False),
])
@pytest.mark.parametrize("operation", list(TEMPLATE_MUTATIONS))
async def test_only_managers_and_admins_edit_talking_points(world, who, allowed, operation):
    variables = {"id": gid("MessageTemplate", world.template)} if operation == "updateMessageTemplate" else {}
    result = await gql(TEMPLATE_MUTATIONS[operation], await _caller(world, who), **variables)
    assert _changed(result, operation) is allowed
    assert await MessageTemplate.filter(title="新话术").exists() is allowed


@pytest.mark.parametrize("who, allowed", [
    ("alice", True), ("bob", True), ("anna", True), ("root", True), ("token read-only", True), ("token admin", True),
    ("token without read", False), ("anonymous", False),
])
async def test_every_staff_member_and_read_token_reads_the_talking_points(world, who, allowed):
    result = await gql("query { messageTemplates { totalCount } }", await _caller(world, who))
    assert (not result.errors and result.data["messageTemplates"]["totalCount"] == 1) is allowed
