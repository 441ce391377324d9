"""The customer journey: November's leads, who of them came in, test-drove, got a deal, a quote
and bought; per channel; and only the customers the viewer may see."""

from datetime import datetime, timezone

import pytest

from server.activity.models import Interaction
from server.analytics.filters import Filters
from server.analytics.journey import journey
from server.customers.models import Customer
from server.customers.services import create_customer
from server.enums import Channel, InteractionKind, OpportunityStatus
from server.enums import TestDriveStatus as Drive
from server.sales import models as sales
from server.sales.models import Quote, ShowroomVisit
from tests.analytics.conftest import NOVEMBER, deal

IN_NOVEMBER = datetime(2026, 11, 10, 2, 0, tzinfo=timezone.utc)
# 23:30 on 31 October in Shanghai; and 07:00 on 1 December, though still 30 November in UTC.
LATE_OCTOBER = datetime(2026, 10, 31, 15, 30, tzinfo=timezone.utc)
JUST_AFTER = datetime(2026, 11, 30, 23, 0, tzinfo=timezone.utc)
LATER = datetime(2026, 12, 20, 3, 0, tzinfo=timezone.utc)


async def lead(owner, name, phone, channel, created_at=IN_NOVEMBER):
    from server.auth.principal import principal_for_user

    customer = await create_customer(principal_for_user(owner), {"name": name, "phone": phone})
    await Customer.filter(id=customer.id).update(channel=channel, created_at=created_at)
    return await Customer.get(id=customer.id)


async def log(customer, user, kind, at=LATER):
    await Interaction.create(customer=customer, user=user, kind=kind, occurred_at=at, summary=str(kind))


async def booked_drive(customer, status):
    await sales.TestDrive.create(customer=customer, scheduled_at=LATER, status=status)


@pytest.fixture
async def cohort(world):
    """November's leads: team A's 张三 (website: two walk-ins and a logged visit, a test drive, a
    quoted deal won in December), 赵六 (website: a logged visit, a booked test drive, an open
    deal), amy's 钱七 (抖音: a test drive logged as an interaction, a quoted deal lost), 孙八
    (抖音: nothing yet); team B's 李四 (phone: a walk-in, a won deal); the pool's 王五. Outside
    November: 周九 (23:30 on 31 October) and 吴十 (07:00 on 1 December), both walked in and bought."""
    won, lost, open_ = OpportunityStatus.WON, OpportunityStatus.LOST, OpportunityStatus.OPEN
    zhang = world.alices_customer
    await Customer.filter(id=zhang.id).update(channel=Channel.WEBSITE, created_at=IN_NOVEMBER)
    await Customer.filter(id=world.bobs_customer.id).update(channel=Channel.PHONE, created_at=IN_NOVEMBER)
    await Customer.filter(id=world.pool_customer.id).update(channel=Channel.OTHER, created_at=IN_NOVEMBER)
    zhao = await lead(world.alice, "赵六", "13800000001", Channel.WEBSITE)
    qian = await lead(world.amy, "钱七", "13800000002", Channel.DOUYIN)
    await lead(world.alice, "孙八", "13800000003", Channel.DOUYIN)
    zhou = await lead(world.alice, "周九", "13800000004", Channel.WEBSITE, LATE_OCTOBER)
    wu = await lead(world.alice, "吴十", "13800000005", Channel.WEBSITE, JUST_AFTER)

    for _ in range(2):
        await ShowroomVisit.create(customer=zhang, arrived_at=LATER, consultant=world.alice)
    await log(zhang, world.alice, InteractionKind.VISIT)
    await booked_drive(zhang, Drive.DONE)
    zhangs_deal = await deal(zhang, world.alice, "张三 · 汉", won, LATER)
    await Quote.create(opportunity=zhangs_deal, total="209800.00")
    await Quote.create(opportunity=zhangs_deal, total="205000.00")

    await log(zhao, world.alice, InteractionKind.VISIT)
    await booked_drive(zhao, Drive.BOOKED)
    await deal(zhao, world.alice, "赵六 · 海豹", open_, None)

    await log(qian, world.amy, InteractionKind.TEST_DRIVE)
    await booked_drive(qian, Drive.CANCELLED)
    qians_deal = await deal(qian, world.amy, "钱七 · 汉", lost, LATER)
    await Quote.create(opportunity=qians_deal, total="199800.00")

    await ShowroomVisit.create(customer=world.bobs_customer, arrived_at=LATER, consultant=world.bob)
    await deal(world.bobs_customer, world.bob, "李四 · 汉", won, LATER)

    for outsider in (zhou, wu):
        await ShowroomVisit.create(customer=outsider, arrived_at=LATER)
        await deal(outsider, world.alice, f"{outsider.name} · 汉", won, LATER)
    # A walk-in who left no phone: traffic, but no customer to follow.
    await ShowroomVisit.create(customer=None, visitor_name="路人", arrived_at=LATER)


def counts(result):
    return [(s.key, s.count) for s in result.steps]


def channels(result):
    return [(r.channel, r.leads, r.visited, r.opportunities, r.won) for r in result.by_channel]


async def test_each_step_counts_the_periods_leads_who_took_it_once_each(world, cohort):
    result = await journey(world.p(world.root), NOVEMBER)
    assert counts(result) == [("LEAD", 6), ("VISITED", 3), ("TEST_DROVE", 2), ("OPPORTUNITY", 4),
                              ("QUOTED", 2), ("WON", 2)]
    steps = {s.key: s for s in result.steps}
    assert steps["LEAD"].from_previous is None and steps["LEAD"].from_first == pytest.approx(1.0)
    assert steps["VISITED"].from_previous == pytest.approx(3 / 6)
    assert steps["TEST_DROVE"].from_previous == pytest.approx(2 / 3)
    # More deals than test drives: 赵六's deal came without one; the rate says so.
    assert steps["OPPORTUNITY"].from_previous == pytest.approx(4 / 2)
    assert steps["QUOTED"].from_previous == pytest.approx(2 / 4)
    assert steps["WON"].from_previous == pytest.approx(1.0)
    assert steps["WON"].from_first == pytest.approx(2 / 6)


async def test_the_channel_breakdown_groups_the_same_leads_by_source(world, cohort):
    result = await journey(world.p(world.root), NOVEMBER)
    assert channels(result) == [("WEBSITE", 2, 2, 2, 1), ("DOUYIN", 2, 0, 1, 0), ("PHONE", 1, 1, 1, 1),
                                ("OTHER", 1, 0, 0, 0)]
    rates = {r.channel: r.conversion for r in result.by_channel}
    assert rates == {"WEBSITE": pytest.approx(0.5), "DOUYIN": 0.0, "PHONE": pytest.approx(1.0), "OTHER": 0.0}


async def test_a_manager_counts_his_team_and_the_pool_only(world, cohort):
    anna = await journey(world.p(world.anna), NOVEMBER)
    assert counts(anna) == [("LEAD", 5), ("VISITED", 2), ("TEST_DROVE", 2), ("OPPORTUNITY", 3),
                            ("QUOTED", 2), ("WON", 1)]
    assert "PHONE" not in [r.channel for r in anna.by_channel]  # 李四 is team B's
    bert = await journey(world.p(world.bert), NOVEMBER)
    assert counts(bert) == [("LEAD", 2), ("VISITED", 1), ("TEST_DROVE", 0), ("OPPORTUNITY", 1),
                            ("QUOTED", 0), ("WON", 1)]


async def test_a_consultant_counts_his_own_leads_not_a_colleagues(world, cohort):
    alice = await journey(world.p(world.alice), NOVEMBER)
    # 张三, 赵六, 孙八 and the pool's 王五; not amy's 钱七.
    assert counts(alice) == [("LEAD", 4), ("VISITED", 2), ("TEST_DROVE", 1), ("OPPORTUNITY", 2),
                             ("QUOTED", 1), ("WON", 1)]
    assert [r.leads for r in alice.by_channel if r.channel == "DOUYIN"] == [1]


async def test_channel_and_team_filters_narrow_the_cohort(world, cohort):
    root = world.p(world.root)
    douyin = await journey(root, NOVEMBER, Filters(channel=Channel.DOUYIN))
    assert counts(douyin) == [("LEAD", 2), ("VISITED", 0), ("TEST_DROVE", 1), ("OPPORTUNITY", 1),
                              ("QUOTED", 1), ("WON", 0)]
    assert channels(douyin) == [("DOUYIN", 2, 0, 1, 0)]
    team_b = await journey(root, NOVEMBER, Filters(team_id=world.team_b.id))
    assert counts(team_b) == [("LEAD", 1), ("VISITED", 1), ("TEST_DROVE", 0), ("OPPORTUNITY", 1),
                              ("QUOTED", 0), ("WON", 1)]


async def test_an_empty_period_has_no_rates(world):
    result = await journey(world.p(world.root), NOVEMBER)
    assert all(s.count == 0 and s.from_previous is None and s.from_first is None for s in result.steps)
    assert result.by_channel == []
