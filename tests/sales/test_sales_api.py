"""The pipeline through the real schema: connections with filters, nested fields and mutations."""

from datetime import timedelta

import pytest
from tortoise.timezone import now

from server.enums import OpportunityStatus
from server.sales.models import Opportunity
from tests.world import gid, gql

LIST = """query($filter: OpportunityFilter) { opportunities(filter: $filter) {
    totalCount edges { node { title stage status owner { username } customer { name } } } } }"""


@pytest.fixture
async def deals(world):
    moment = now()
    return {
        "open": await Opportunity.create(customer_id=world.alices_customer.id, owner_id=world.alice.id, title="张三 · 汉",
                                         stage="NEGOTIATION"),
        "won": await Opportunity.create(customer_id=world.alices_customer.id, owner_id=world.alice.id, title="张三 · 唐",
                                        status=OpportunityStatus.WON, closed_at=moment - timedelta(days=10)),
        "bobs": await Opportunity.create(customer_id=world.bobs_customer.id, owner_id=world.bob.id, title="李四 · 秦",
                                         status=OpportunityStatus.LOST, closed_at=moment - timedelta(days=40)),
    }


async def _titles(principal, **filter) -> list[str]:
    result = await gql(LIST, principal, filter=filter or None)
    assert result.errors is None, result.errors
    return sorted(e["node"]["title"] for e in result.data["opportunities"]["edges"])


async def test_the_opportunities_connection_is_scoped_and_filtered(world, deals):
    assert await _titles(world.p(world.alice)) == ["张三 · 唐", "张三 · 汉"]
    assert await _titles(world.p(world.bert)) == ["李四 · 秦"]
    assert await _titles(world.p(world.root)) == ["张三 · 唐", "张三 · 汉", "李四 · 秦"]
    root = world.p(world.root)
    assert await _titles(root, stage=["NEGOTIATION"]) == ["张三 · 汉"]
    assert await _titles(root, status=["WON", "LOST"]) == ["张三 · 唐", "李四 · 秦"]
    assert await _titles(root, ownerId=gid("User", world.bob)) == ["李四 · 秦"]
    assert await _titles(root, customerId=gid("Customer", world.alices_customer)) == ["张三 · 唐", "张三 · 汉"]
    thirty_days_ago = (now() - timedelta(days=30)).isoformat()
    assert await _titles(root, closedAfter=thirty_days_ago) == ["张三 · 唐"]
    assert await _titles(root, closedBefore=thirty_days_ago) == ["李四 · 秦"]


async def test_a_customer_shows_its_opportunities(world, deals):
    query = "query($id: ID!) { customer(id: $id) { opportunities { totalCount edges { node { title probability } } } } }"
    result = await gql(query, world.p(world.anna), id=gid("Customer", world.alices_customer))
    assert result.data["customer"]["opportunities"]["totalCount"] == 2


async def test_a_deal_from_first_contact_to_a_reopened_loss_through_the_api(world, reasons, han):
    me = world.p(world.alice)
    created = await gql("""mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) {
        opportunity { id stage probability version vehicleModel { series } } errors { field code } } }""", me, input={
        "customerId": gid("Customer", world.alices_customer), "title": "张三 · 汉", "vehicleModelId": gid("VehicleModel", han),
        "amount": "209800", "expectedCloseDate": "2030-06-30"})
    opportunity = created.data["createOpportunity"]["opportunity"]
    assert opportunity["stage"] == "INITIAL_CONTACT" and opportunity["probability"] == 10
    oid = opportunity["id"]
    moved = await gql("""mutation($id: ID!) { moveOpportunityStage(input: {id: $id, version: 1, stage: TEST_DRIVE}) {
        opportunity { stage probability version } errors { code } } }""", me, id=oid)
    assert moved.data["moveOpportunityStage"] == {"opportunity": {"stage": "TEST_DRIVE", "probability": 50, "version": 2},
                                                  "errors": []}
    booked = await gql("""mutation($input: BookTestDriveInput!) { bookTestDrive(input: $input) {
        testDrive { id status consultant { username } } errors { code } } }""", me, input={
        "opportunityId": oid, "vehicleModelId": gid("VehicleModel", han), "scheduledAt": (now() + timedelta(hours=2)).isoformat()})
    drive = booked.data["bookTestDrive"]["testDrive"]
    assert drive["status"] == "BOOKED" and drive["consultant"] == {"username": "alice"}
    feedback = await gql("""mutation($id: ID!) { recordTestDriveFeedback(input: {id: $id, status: DONE, feedback: "满意", rating: 4}) {
        testDrive { status rating } errors { code } } }""", me, id=drive["id"])
    assert feedback.data["recordTestDriveFeedback"]["testDrive"] == {"status": "DONE", "rating": 4}
    objection = await gql("""mutation($id: ID!) { addObjection(input: {opportunityId: $id, category: "价格", text: "贵"}) {
        objection { id resolved } errors { code } } }""", me, id=oid)
    resolved = await gql("""mutation($id: ID!) { resolveObjection(input: {id: $id}) { objection { resolved } errors { code } } }""",
                         me, id=objection.data["addObjection"]["objection"]["id"])
    assert resolved.data["resolveObjection"]["objection"] == {"resolved": True}
    missing = await gql("""mutation($id: ID!) { closeOpportunity(input: {id: $id, version: 2, status: LOST}) {
        opportunity { id } errors { field code } } }""", me, id=oid)
    assert missing.data["closeOpportunity"]["errors"] == [{"field": "reasonId", "code": "REQUIRED"}]
    lost = await gql("""mutation($id: ID!, $reason: ID!) { closeOpportunity(input: {id: $id, version: 2, status: LOST,
        reasonId: $reason, competitorBrand: "特斯拉", competitorModel: "Model Y"}) {
        opportunity { status version closeReason { label requiresCompetitor } competitorModel } errors { code } } }""",
                     me, id=oid, reason=gid("CloseReason", reasons["competitor"]))
    assert lost.data["closeOpportunity"]["opportunity"] == {
        "status": "LOST", "version": 3, "closeReason": {"label": "选择竞品", "requiresCompetitor": True},
        "competitorModel": "Model Y"}
    reopened = await gql("""mutation($id: ID!) { reopenOpportunity(input: {id: $id, version: 3, note: "回来了"}) {
        opportunity { status stage closeReason { label } } errors { code } } }""", me, id=oid)
    assert reopened.data["reopenOpportunity"]["opportunity"] == {"status": "OPEN", "stage": "TEST_DRIVE", "closeReason": None}
    detail = await gql("""query($id: ID!) { node(id: $id) { ... on Opportunity { testDrives { feedback }
        objections { category resolved } quotes { id } } } }""", me, id=oid)
    assert detail.data["node"] == {"testDrives": [{"feedback": "满意"}], "objections": [{"category": "价格", "resolved": True}],
                                   "quotes": []}


async def test_the_loss_approval_flow_through_the_api(world, reasons, set_policy):
    set_policy(loss_needs_approval=True)
    deal = await Opportunity.create(customer_id=world.alices_customer.id, owner_id=world.alice.id, title="汉")
    oid = gid("Opportunity", deal)
    asked = await gql("""mutation($id: ID!, $reason: ID!) { closeOpportunity(input: {id: $id, version: 1, status: LOST, reasonId: $reason}) {
        opportunity { status lossPending version } errors { code } } }""", world.p(world.alice), id=oid,
                      reason=gid("CloseReason", reasons["too_dear"]))
    assert asked.data["closeOpportunity"]["opportunity"] == {"status": "OPEN", "lossPending": True, "version": 2}
    waiting = await gql("query { opportunities(filter: {lossPending: true}) { totalCount } }", world.p(world.anna))
    assert waiting.data["opportunities"]["totalCount"] == 1
    review = """mutation($id: ID!, $approve: Boolean!, $comment: String!) { reviewLossRequest(input: {id: $id, version: 2,
        approve: $approve, comment: $comment}) { opportunity { status lossPending lossReviewNote } errors { field code } } }"""
    refused = await gql(review, world.p(world.alice), id=oid, approve=True, comment="")
    assert refused.data["reviewLossRequest"]["errors"] == [{"field": "id", "code": "FORBIDDEN"}]
    approved = await gql(review, world.p(world.anna), id=oid, approve=True, comment="同意")
    assert approved.data["reviewLossRequest"]["opportunity"] == {"status": "LOST", "lossPending": False, "lossReviewNote": "同意"}


async def test_managers_edit_the_reason_lists_through_the_api(world, reasons):
    created = await gql("""mutation { createCloseReason(input: {kind: LOSS, label: "提车太慢"}) {
        closeReason { id label kind isActive } errors { code } } }""", world.p(world.bert))
    reason = created.data["createCloseReason"]["closeReason"]
    assert (reason["label"], reason["kind"], reason["isActive"]) == ("提车太慢", "LOSS", True)
    retired = await gql("""mutation($id: ID!) { updateCloseReason(input: {id: $id, isActive: false}) {
        closeReason { isActive } errors { code } } }""", world.p(world.anna), id=reason["id"])
    assert retired.data["updateCloseReason"] == {"closeReason": {"isActive": False}, "errors": []}
    listed = await gql("query { closeReasons(kind: LOSS) { label } }", world.p(world.alice))
    assert [r["label"] for r in listed.data["closeReasons"]] == ["价格太高", "选择竞品"]
    refused = await gql("""mutation { createCloseReason(input: {kind: WIN, label: "x"}) { closeReason { id } errors { code } } }""",
                        world.p(world.alice))
    assert refused.data["createCloseReason"]["errors"] == [{"code": "FORBIDDEN"}]


async def test_assign_and_return_through_the_api(world):
    assign = """mutation($ids: [ID!]!, $owner: ID!) { assignCustomers(input: {customerIds: $ids, ownerId: $owner}) {
        customers { name owner { username } } errors { field code } } }"""
    result = await gql(assign, world.p(world.anna), ids=[gid("Customer", world.alices_customer), gid("Customer", world.pool_customer)],
                       owner=gid("User", world.amy))
    assert result.data["assignCustomers"] == {"customers": [{"name": "张三", "owner": {"username": "amy"}},
                                                            {"name": "王五", "owner": {"username": "amy"}}], "errors": []}
    today = await gql("query { tasks(filter: {mine: true, kind: [ASSIGNED]}) { totalCount } }", world.p(world.amy))
    assert today.data["tasks"]["totalCount"] == 2
    returned = await gql("""mutation($ids: [ID!]!) { returnToPool(input: {customerIds: $ids, reason: "不买了"}) {
        customers { name inPool } errors { code } } }""", world.p(world.amy), ids=[gid("Customer", world.pool_customer)])
    assert returned.data["returnToPool"] == {"customers": [{"name": "王五", "inPool": True}], "errors": []}


PAGE = """query($first: Int) { opportunities(first: $first) { edges { node {
    title owner { username } customer { name owner { username } } vehicleModel { series } closeReason { label }
    quotes { total monthlyPayment items { description } } testDrives { status } objections { category } } } } }"""


async def _statements(principal, first: int) -> int:
    from tests.sql_statements import counting_statements

    with counting_statements() as counter:
        result = await gql(PAGE, principal, first=first)
    assert result.errors is None and len(result.data["opportunities"]["edges"]) == first
    return counter.count


async def test_a_page_of_opportunities_costs_the_same_queries_whatever_its_size(world, reasons, han):
    from server.sales.models import Objection, Quote, QuoteItem, TestDrive as Drive

    for i in range(30):
        deal = await Opportunity.create(customer_id=world.alices_customer.id, owner_id=world.alice.id, title=f"商机{i}",
                                        vehicle_model_id=han.id, close_reason_id=reasons["price"].id)
        quote = await Quote.create(opportunity_id=deal.id, total="1000.00", term_months=12, annual_rate="3.5")
        await QuoteItem.create(quote_id=quote.id, description="车", unit_price="1000.00")
        await Drive.create(customer_id=world.alices_customer.id, opportunity_id=deal.id, scheduled_at=now())
        await Objection.create(opportunity_id=deal.id, category="价格", text="贵")
    me = world.p(world.alice)
    assert await _statements(me, 5) == await _statements(me, 25)


RULES = "query { assignmentRules { name strategy channel team { name } } }"


async def test_managers_keep_their_teams_assignment_rules_through_the_api(world):
    created = await gql("""mutation($team: ID!) { createAssignmentRule(input: {teamId: $team, name: "官网线索", channel: WEBSITE,
        strategy: LEAST_LOADED}) { assignmentRule { id name } errors { field code } } }""", world.p(world.anna),
                        team=gid("Team", world.team_a))
    rule = created.data["createAssignmentRule"]["assignmentRule"]
    assert rule["name"] == "官网线索"
    refused = await gql("""mutation($team: ID!) { createAssignmentRule(input: {teamId: $team, name: "抢线索"}) {
        assignmentRule { id } errors { field code } } }""", world.p(world.anna), team=gid("Team", world.team_b))
    assert refused.data["createAssignmentRule"]["errors"] == [{"field": "teamId", "code": "FORBIDDEN"}]
    assert (await gql(RULES, world.p(world.anna))).data["assignmentRules"] == [
        {"name": "官网线索", "strategy": "LEAST_LOADED", "channel": "WEBSITE", "team": {"name": "一组"}}]
    assert (await gql(RULES, world.p(world.bert))).data["assignmentRules"] == []
    assert len((await gql(RULES, world.p(world.root))).data["assignmentRules"]) == 1
    paused = await gql("""mutation($id: ID!) { updateAssignmentRule(input: {id: $id, isActive: false}) {
        assignmentRule { isActive } errors { code } } }""", world.p(world.anna), id=rule["id"])
    assert paused.data["updateAssignmentRule"] == {"assignmentRule": {"isActive": False}, "errors": []}
    not_bert = await gql("""mutation($id: ID!) { deleteAssignmentRule(input: {id: $id}) { deletedId errors { code } } }""",
                         world.p(world.bert), id=rule["id"])
    assert not_bert.data["deleteAssignmentRule"] == {"deletedId": None, "errors": [{"code": "NOT_FOUND"}]}
    deleted = await gql("""mutation($id: ID!) { deleteAssignmentRule(input: {id: $id}) { deletedId errors { code } } }""",
                        world.p(world.anna), id=rule["id"])
    assert deleted.data["deleteAssignmentRule"] == {"deletedId": rule["id"], "errors": []}
