"""Campaigns through the real schema: numbers, leads lists in the scope, and errors naming the field."""

from datetime import date
from decimal import Decimal

import pytest

from server.customers.models import Customer
from server.enums import Channel, OpportunityStatus
from server.sales.models import Campaign, Opportunity
from tests.sql_statements import counting_statements
from tests.world import gid, gql

DETAIL = """
query($id: ID!) {
  campaign(id: $id) {
    name code isActive
    stats { leads opportunities wonDeals wonAmount conversionRate costPerLead costPerWonDeal wholeCampaign }
    customers(first: 10) { totalCount edges { node { name campaign { code } } } }
    won: opportunities(status: [WON]) { totalCount }
  }
}
"""


@pytest.fixture
async def show(world):
    row = await Campaign.create(name="春季车展", code="SPRING", channel=Channel.AUTO_SHOW,
                                starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 10), budget=Decimal("20000"))
    await Customer.filter(id__in=[world.alices_customer.id, world.bobs_customer.id]).update(campaign_id=row.id)
    await Opportunity.create(customer=world.alices_customer, owner=world.alice, title="张三 · 汉", campaign=row,
                             status=OpportunityStatus.WON, amount=Decimal("209800"))
    await Opportunity.create(customer=world.bobs_customer, owner=world.bob, title="李四 · 唐", campaign=row)
    return row


async def test_a_manager_reads_the_whole_campaign(world, show):
    result = await gql(DETAIL, world.p(world.root), id=gid("Campaign", show))
    campaign = result.data["campaign"]
    assert campaign["stats"] == {"leads": 2, "opportunities": 2, "wonDeals": 1, "wonAmount": "209800.00",
                                 "conversionRate": 0.5, "costPerLead": "10000.00", "costPerWonDeal": "20000.00",
                                 "wholeCampaign": True}
    assert campaign["customers"]["totalCount"] == 2
    assert campaign["won"]["totalCount"] == 1
    assert campaign["isActive"] is False


async def test_a_consultant_lists_only_their_own_leads_and_counts(world, show):
    result = await gql(DETAIL, world.p(world.bob), id=gid("Campaign", show))
    campaign = result.data["campaign"]
    assert [e["node"]["name"] for e in campaign["customers"]["edges"]] == ["李四"]
    assert campaign["customers"]["edges"][0]["node"]["campaign"] == {"code": "SPRING"}
    assert campaign["stats"] == {"leads": 1, "opportunities": 1, "wonDeals": 0, "wonAmount": "0.00",
                                 "conversionRate": 0.0, "costPerLead": None, "costPerWonDeal": None,
                                 "wholeCampaign": False}
    assert campaign["won"]["totalCount"] == 0


async def test_a_campaign_is_a_node(world, show):
    result = await gql("query($id: ID!) { node(id: $id) { ... on Campaign { code } } }", world.p(world.bob),
                       id=gid("Campaign", show))
    assert result.data["node"] == {"code": "SPRING"}


async def test_a_page_of_campaigns_costs_the_same_whatever_its_size(world, show):
    query = "query { campaigns(first: 50) { edges { node { name stats { leads wonDeals costPerLead } } } } }"
    with counting_statements() as few:
        await gql(query, world.p(world.anna))
    for i in range(15):
        await Campaign.create(name=f"活动{i}", code=f"C{i}", channel=Channel.DOUYIN, starts_on=date(2026, 1, i + 1))
    with counting_statements() as many:
        result = await gql(query, world.p(world.anna))
    assert len(result.data["campaigns"]["edges"]) == 16
    assert many.count == few.count


async def test_campaigns_filter_by_channel_and_search(world, show):
    await Campaign.create(name="抖音直播", code="LIVE", channel=Channel.DOUYIN, starts_on=date(2026, 4, 1))
    result = await gql('query { campaigns(filter: {channel: DOUYIN}) { edges { node { code } } } }', world.p(world.bob))
    assert [e["node"]["code"] for e in result.data["campaigns"]["edges"]] == ["LIVE"]
    result = await gql('query { campaigns(filter: {search: "车展"}) { edges { node { code } } } }', world.p(world.bob))
    assert [e["node"]["code"] for e in result.data["campaigns"]["edges"]] == ["SPRING"]


async def test_bad_campaign_input_names_each_field(world):
    result = await gql(
        'mutation { createCampaign(input: {name: "x", code: "A B", channel: DOUYIN, startsOn: "2026-05-02",'
        ' endsOn: "2026-05-01", budget: "-5"}) { campaign { id } errors { field code } } }', world.p(world.anna))
    errors = result.data["createCampaign"]["errors"]
    assert sorted((e["field"], e["code"]) for e in errors) == [("budget", "INVALID"), ("code", "INVALID"),
                                                                ("endsOn", "INVALID")]
    assert not await Campaign.exists()


SET = """mutation($id: ID!, $v: Int!, $c: ID) {
  setCustomerCampaign(input: {customerId: $id, version: $v, campaignId: $c}) {
    customer { version campaign { code } } errors { field code }
  }
}"""


async def test_attributing_a_customer_by_hand_checks_the_version(world, show):
    me = world.p(world.alice)
    customer = gid("Customer", world.alices_customer)
    cleared = await gql(SET, me, id=customer, v=1, c=None)
    assert cleared.data["setCustomerCampaign"] == {"customer": {"version": 2, "campaign": None}, "errors": []}
    stale = await gql(SET, me, id=customer, v=1, c=gid("Campaign", show))
    assert stale.data["setCustomerCampaign"]["errors"] == [{"field": "version", "code": "CONFLICT"}]
    wrong = await gql(SET, me, id=customer, v=2, c=gid("Customer", world.alices_customer))
    assert wrong.data["setCustomerCampaign"]["errors"] == [{"field": "campaignId", "code": "INVALID"}]
    again = await gql(SET, me, id=customer, v=2, c=gid("Campaign", show))
    assert again.data["setCustomerCampaign"]["customer"] == {"version": 3, "campaign": {"code": "SPRING"}}
