"""Campaigns: editing rules, attribution by hand and on ingestion, and the numbers a manager reads."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from tortoise.timezone import now

from server.audit.models import AuditLog
from server.customers.models import Customer
from server.enums import Channel, OpportunityStatus
from server.errors import UserError, UserErrors
from server.ingestion.services import Incoming, ingest
from server.sales import campaigns
from server.sales.models import Campaign, Opportunity
from server.sales.opportunities import create_opportunity
from tests.sql_statements import counting_statements

SPRING = {"name": "春季车展", "code": "SPRING-2026", "channel": "AUTO_SHOW", "starts_on": date(2026, 3, 1),
          "ends_on": date(2026, 3, 10), "budget": "30000"}


def _errors(exc_info) -> dict[str, str]:
    exc = exc_info.value
    problems = exc.errors if isinstance(exc, UserErrors) else [exc]
    return {p.field: p.code for p in problems}


async def test_a_manager_creates_a_campaign_with_a_clean_budget(world):
    row = await campaigns.create_campaign(world.p(world.anna), SPRING)
    assert (row.name, row.code, row.channel, row.budget, row.version) == (
        "春季车展", "SPRING-2026", Channel.AUTO_SHOW, Decimal("30000.00"), 1)
    assert await AuditLog.filter(object_type="Campaign", object_id=row.id, action="create").exists()


async def test_every_bad_field_is_named_at_once(world):
    with pytest.raises(UserErrors) as caught:
        await campaigns.create_campaign(world.p(world.root), {
            "name": " ", "code": "春季", "channel": "NOWHERE", "starts_on": None, "budget": "-1"})
    assert _errors(caught) == {"name": "REQUIRED", "code": "INVALID", "channel": "INVALID", "starts_on": "REQUIRED",
                               "budget": "INVALID"}


async def test_a_campaign_cannot_end_before_it_starts(world):
    with pytest.raises(UserErrors) as caught:
        await campaigns.create_campaign(world.p(world.root), {**SPRING, "ends_on": date(2026, 2, 28)})
    assert _errors(caught) == {"ends_on": "INVALID"}
    row = await campaigns.create_campaign(world.p(world.root), {**SPRING, "ends_on": date(2026, 3, 1)})
    # The check holds on an update that moves only the start, against the stored end.
    with pytest.raises(UserErrors) as caught:
        await campaigns.update_campaign(world.p(world.root), row.id, 1, {"starts_on": date(2026, 3, 2)})
    assert _errors(caught) == {"ends_on": "INVALID"}


async def test_a_budget_that_is_not_a_number_is_refused(world):
    with pytest.raises(UserErrors) as caught:
        await campaigns.create_campaign(world.p(world.root), {**SPRING, "budget": "三万"})
    assert _errors(caught) == {"budget": "INVALID"}


async def test_codes_are_unique(world):
    await campaigns.create_campaign(world.p(world.root), SPRING)
    with pytest.raises(UserError) as caught:
        await campaigns.create_campaign(world.p(world.root), {**SPRING, "name": "另一个"})
    assert (caught.value.field, caught.value.code) == ("code", "DUPLICATE")
    other = await campaigns.create_campaign(world.p(world.root), {**SPRING, "code": "SUMMER-2026"})
    with pytest.raises(UserError) as caught:
        await campaigns.update_campaign(world.p(world.root), other.id, 1, {"code": "SPRING-2026"})
    assert (caught.value.field, caught.value.code) == ("code", "DUPLICATE")


async def test_consultants_cannot_create_or_edit_campaigns(world):
    with pytest.raises(UserError) as caught:
        await campaigns.create_campaign(world.p(world.alice), SPRING)
    assert caught.value.code == "FORBIDDEN"
    row = await campaigns.create_campaign(world.p(world.anna), SPRING)
    with pytest.raises(UserError) as caught:
        await campaigns.update_campaign(world.p(world.alice), row.id, 1, {"budget": "1"})
    assert caught.value.code == "FORBIDDEN"
    assert (await Campaign.get(id=row.id)).budget == Decimal("30000.00")


async def test_an_update_with_a_stale_version_is_a_conflict(world):
    row = await campaigns.create_campaign(world.p(world.anna), SPRING)
    saved = await campaigns.update_campaign(world.p(world.anna), row.id, 1, {"budget": "45000.5"})
    assert (saved.budget, saved.version) == (Decimal("45000.50"), 2)
    with pytest.raises(UserError) as caught:
        await campaigns.update_campaign(world.p(world.bert), row.id, 1, {"budget": "1"})
    assert (caught.value.field, caught.value.code) == ("version", "CONFLICT")
    assert (await Campaign.get(id=row.id)).budget == Decimal("45000.50")


async def test_an_opportunity_takes_its_customers_campaign(world):
    row = await campaigns.create_campaign(world.p(world.root), SPRING)
    await Customer.filter(id=world.alices_customer.id).update(campaign_id=row.id)
    deal = await create_opportunity(world.p(world.alice), world.alices_customer.id, {"title": "张三 · 汉"})
    assert deal.campaign_id == row.id
    plain = await create_opportunity(world.p(world.bob), world.bobs_customer.id, {"title": "李四 · 汉"})
    assert plain.campaign_id is None


async def test_attributing_by_hand_moves_the_customers_deals_along(world):
    spring = await campaigns.create_campaign(world.p(world.root), SPRING)
    summer = await campaigns.create_campaign(world.p(world.root), {**SPRING, "code": "SUMMER-2026"})
    untagged = await Opportunity.create(customer=world.alices_customer, owner=world.alice, title="a")
    elsewhere = await Opportunity.create(customer=world.alices_customer, owner=world.alice, title="b", campaign=summer)
    customer = await campaigns.set_customer_campaign(world.p(world.alice), world.alices_customer.id, 1, spring.id)
    assert (customer.campaign_id, customer.version) == (spring.id, 2)
    assert (await Opportunity.get(id=untagged.id)).campaign_id == spring.id
    # A deal someone attributed to another campaign keeps it.
    assert (await Opportunity.get(id=elsewhere.id)).campaign_id == summer.id
    cleared = await campaigns.set_customer_campaign(world.p(world.alice), world.alices_customer.id, 2, None)
    assert cleared.campaign_id is None
    assert (await Opportunity.get(id=untagged.id)).campaign_id is None
    entry = await AuditLog.filter(object_type="Customer", object_id=customer.id, action="update").order_by("-id").first()
    assert entry.changes["campaign_id"] == [spring.id, None]


async def test_attribution_by_hand_checks_version_scope_and_campaign(world):
    spring = await campaigns.create_campaign(world.p(world.root), SPRING)
    with pytest.raises(UserError) as caught:
        await campaigns.set_customer_campaign(world.p(world.alice), world.alices_customer.id, 7, spring.id)
    assert (caught.value.field, caught.value.code) == ("version", "CONFLICT")
    with pytest.raises(UserError) as caught:
        await campaigns.set_customer_campaign(world.p(world.bob), world.alices_customer.id, 1, spring.id)
    assert caught.value.code == "NOT_FOUND"
    with pytest.raises(UserError) as caught:
        await campaigns.set_customer_campaign(world.p(world.alice), world.alices_customer.id, 1, spring.id + 99)
    assert (caught.value.field, caught.value.code) == ("campaign_id", "NOT_FOUND")
    assert (await Customer.get(id=world.alices_customer.id)).campaign_id is None


async def test_ingesting_a_record_with_a_campaign_code_attributes_the_lead(world):
    spring = await campaigns.create_campaign(world.p(world.root), SPRING)
    results = await ingest(Channel.AUTO_SHOW, [
        Incoming({"姓名": "赵六", "手机号": "13600136001", "活动代码": "SPRING-2026"}),
        Incoming({"姓名": "钱七", "手机号": "13600136002", "活动代码": "NO-SUCH"}),
    ])
    assert (await Customer.get(id=results[0].customer_id)).campaign_id == spring.id
    assert (await Customer.get(id=results[1].customer_id)).campaign_id is None
    assert results[1].problems == [{"field": "campaign_code", "message": "unknown campaign 'NO-SUCH'"}]
    [stats] = await campaigns.campaign_stats(world.p(world.root), [spring.id])
    assert stats.leads == 1


@pytest.fixture
async def spring(world):
    """Spring show, budget 30,000: alice's 2 leads (2 won), bob's 1 (open), 1 in the pool, 1 merged away."""
    row = await Campaign.create(name="春季车展", code="SPRING-2026", channel=Channel.AUTO_SHOW,
                                starts_on=date(2026, 3, 1), budget=Decimal("30000"))
    second = await Customer.create(name="孙八", owner=world.alice, team=world.team_a, campaign=row)
    await Customer.create(name="孙八", campaign=row, merged_into=second)  # a tombstone: not a lead
    await Customer.filter(id__in=[world.alices_customer.id, world.bobs_customer.id, world.pool_customer.id]).update(
        campaign_id=row.id)
    for customer, owner, status, amount in [
        (world.alices_customer, world.alice, OpportunityStatus.WON, "200000.00"),
        (world.alices_customer, world.alice, OpportunityStatus.LOST, "180000.00"),
        (second, world.alice, OpportunityStatus.WON, "150000.50"),
        (world.bobs_customer, world.bob, OpportunityStatus.OPEN, "100000.00"),
    ]:
        await Opportunity.create(customer=customer, owner=owner, title="deal", status=status, amount=Decimal(amount),
                                 campaign=row, closed_at=now() if status != OpportunityStatus.OPEN else None)
    # A deal of alice's outside the campaign is not counted.
    await Opportunity.create(customer=world.alices_customer, owner=world.alice, title="x",
                             status=OpportunityStatus.WON, amount=Decimal("99"))
    return row


@pytest.mark.parametrize("who", ["root", "anna", "bert"])
async def test_managers_and_admins_see_the_whole_campaigns_numbers(world, spring, who):
    [stats] = await campaigns.campaign_stats(world.p(getattr(world, who)), [spring.id])
    assert (stats.leads, stats.opportunities, stats.won_deals, stats.won_amount) == (4, 4, 2, Decimal("350000.50"))
    assert stats.conversion_rate == Decimal("0.5000")
    assert stats.cost_per_lead == Decimal("7500.00")
    assert stats.cost_per_won_deal == Decimal("15000.00")
    assert stats.whole_campaign


async def test_a_consultant_counts_only_the_customers_they_may_see_and_gets_no_costs(world, spring):
    [alices] = await campaigns.campaign_stats(world.p(world.alice), [spring.id])
    # Her two leads and the pool one; her three deals.
    assert (alices.leads, alices.opportunities, alices.won_deals, alices.won_amount) == (3, 3, 2, Decimal("350000.50"))
    assert alices.conversion_rate == Decimal("0.6667")
    assert (alices.cost_per_lead, alices.cost_per_won_deal, alices.whole_campaign) == (None, None, False)
    [bobs] = await campaigns.campaign_stats(world.p(world.bob), [spring.id])
    assert (bobs.leads, bobs.opportunities, bobs.won_deals, bobs.won_amount) == (2, 1, 0, Decimal("0.00"))
    assert bobs.conversion_rate == Decimal("0.0000")


async def test_nothing_to_divide_by_gives_no_rate_and_no_cost(world, spring):
    empty = await Campaign.create(name="空", code="EMPTY", channel=Channel.WEBSITE, budget=Decimal("5000"))
    free = await Campaign.create(name="免费", code="FREE", channel=Channel.REFERRAL, budget=Decimal("0"))
    await Customer.create(name="周九", owner=world.anna, team=world.team_a, campaign=free)
    a, b, c = await campaigns.campaign_stats(world.p(world.root), [empty.id, free.id, spring.id])
    assert (a.leads, a.won_deals, a.conversion_rate, a.cost_per_lead, a.cost_per_won_deal) == (0, 0, None, None, None)
    assert (b.leads, b.conversion_rate, b.cost_per_lead, b.cost_per_won_deal) == (1, Decimal("0.0000"),
                                                                                 Decimal("0.00"), None)
    assert c.leads == 4


async def test_the_numbers_of_many_campaigns_cost_three_queries(world, spring):
    many = [await Campaign.create(name=f"活动{i}", code=f"C-{i}", channel=Channel.DOUYIN) for i in range(12)]
    ids = [spring.id, *(c.id for c in many), 999999]
    with counting_statements() as counter:
        stats = await campaigns.campaign_stats(world.p(world.anna), ids)
    assert counter.count == 3
    assert stats[0].leads == 4 and stats[1].leads == 0 and stats[-1] is None


async def test_running_campaigns_are_those_between_their_dates(world):
    today = campaigns.today()
    await Campaign.create(name="进行中", code="NOW", channel=Channel.DOUYIN, starts_on=today - timedelta(days=3),
                          ends_on=today)
    await Campaign.create(name="长期", code="ALWAYS", channel=Channel.REFERRAL, starts_on=today - timedelta(days=300))
    await Campaign.create(name="已结束", code="PAST", channel=Channel.DOUYIN, starts_on=today - timedelta(days=30),
                          ends_on=today - timedelta(days=1))
    await Campaign.create(name="未开始", code="SOON", channel=Channel.WEBSITE, starts_on=today + timedelta(days=1))
    assert [c.code for c in await campaigns.list_campaigns(active=True)] == ["NOW", "ALWAYS"]
    assert [c.code for c in await campaigns.list_campaigns(active=False)] == ["SOON", "PAST"]
    assert [c.code for c in await campaigns.list_campaigns(channel=Channel.DOUYIN)] == ["NOW", "PAST"]
    assert [c.code for c in await campaigns.list_campaigns(search="soon")] == ["SOON"]
    assert [c.code for c in await campaigns.list_campaigns(search="长期")] == ["ALWAYS"]
