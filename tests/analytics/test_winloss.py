"""Win/loss analysis: counts, rates and amounts per dimension, the period in local days, the scope."""

from decimal import Decimal

import pytest

from server.analytics.filters import Filters
from server.analytics.period import Period, last_month, last_12_months, this_month, this_quarter
from server.analytics.winloss import Dimension, closed_deals, win_loss
from server.enums import Channel, OpportunityStatus
from server.errors import UserError
from tests.analytics.conftest import AUTUMN, NOVEMBER


def table(report):
    return [(r.label, r.won, r.lost) for r in report.rows]


async def test_losses_by_competitor_count_both_teams_for_an_admin(world, deals):
    report = await win_loss(world.p(world.root), NOVEMBER, Dimension.COMPETITOR)
    tesla = report.rows[0]
    assert (tesla.label, tesla.competitor_brand, tesla.competitor_model) == ("特斯拉 Model 3", "特斯拉", "Model 3")
    assert (tesla.won, tesla.lost, tesla.total) == (0, 3, 3)
    assert tesla.lost_amount == Decimal("599400.50")
    assert tesla.lost_share == pytest.approx(3 / 4)
    assert tesla.win_rate == 0
    none = report.rows[1]
    assert (none.key, none.won, none.lost, none.won_amount) == (None, 1, 1, Decimal("209800.00"))
    assert (report.totals.won, report.totals.lost, report.totals.total) == (1, 4, 5)
    assert report.totals.win_rate == pytest.approx(0.2)
    assert report.totals.won_amount == Decimal("209800.00")
    assert report.totals.lost_amount == Decimal("599400.50")  # the price loss has no amount


async def test_a_manager_sees_only_their_teams_losses(world, deals):
    bert = await win_loss(world.p(world.bert), NOVEMBER, Dimension.COMPETITOR)
    assert table(bert) == [("特斯拉 Model 3", 0, 1)]
    anna = await win_loss(world.p(world.anna), NOVEMBER, Dimension.COMPETITOR)
    assert table(anna) == [("特斯拉 Model 3", 0, 2), ("", 1, 1)]
    assert anna.totals.lost_amount == Decimal("389600.50")


async def test_a_consultant_sees_only_their_own_customers_deals(world, deals):
    bob = await win_loss(world.p(world.bob), NOVEMBER, Dimension.CONSULTANT)
    assert table(bob) == [("bob", 0, 1)]
    amy = await win_loss(world.p(world.amy), NOVEMBER, Dimension.CONSULTANT)
    assert amy.rows == [] and amy.totals.total == 0


async def test_by_reason_vehicle_model_consultant_team_and_channel(world, deals):
    root = world.p(world.root)
    assert table(await win_loss(root, NOVEMBER, Dimension.REASON)) == [("选择竞品", 0, 3), ("价格太高", 0, 1),
                                                                        ("价格优势", 1, 0)]
    by_model = await win_loss(root, NOVEMBER, Dimension.VEHICLE_MODEL)
    assert table(by_model) == [("比亚迪 汉 EV", 1, 3), ("比亚迪 海豹", 0, 1)]
    assert by_model.rows[0].key == deals["han"].id and by_model.rows[0].win_rate == pytest.approx(0.25)
    assert table(await win_loss(root, NOVEMBER, Dimension.CONSULTANT)) == [("alice", 1, 2), ("amy", 0, 1), ("bob", 0, 1)]
    assert table(await win_loss(root, NOVEMBER, Dimension.TEAM)) == [("一组", 1, 3), ("二组", 0, 1)]
    by_channel = await win_loss(root, NOVEMBER, Dimension.CHANNEL)
    assert [(r.key, r.won, r.lost) for r in by_channel.rows] == [("WEBSITE", 1, 3), ("OTHER", 0, 1)]


async def test_months_are_local_calendar_months_and_empty_ones_are_listed(world, deals):
    report = await win_loss(world.p(world.root), AUTUMN, Dimension.MONTH)
    # 23:30 on 31 October in Shanghai is October; 00:30 on 1 November is November, though both are 31 October in UTC.
    assert [(r.key, r.won, r.lost) for r in report.rows] == [("2026-09", 0, 0), ("2026-10", 0, 1), ("2026-11", 1, 4)]


async def test_the_period_excludes_its_end_day_and_pending_losses(world, deals):
    root = world.p(world.root)
    assert await closed_deals(root, NOVEMBER).count() == 5  # not October's, December's or the pending one
    assert await closed_deals(root, Period.of(NOVEMBER.start, NOVEMBER.start.replace(day=2))).count() == 1


async def test_filters_narrow_the_report(world, deals):
    root = world.p(world.root)
    lost = await win_loss(root, NOVEMBER, Dimension.REASON, status=OpportunityStatus.LOST)
    assert table(lost) == [("选择竞品", 0, 3), ("价格太高", 0, 1)]
    team_b = await win_loss(root, NOVEMBER, Dimension.REASON, Filters(team_id=world.team_b.id))
    assert table(team_b) == [("选择竞品", 0, 1)]
    alice = await win_loss(root, NOVEMBER, Dimension.REASON, Filters(owner_id=world.alice.id))
    assert table(alice) == [("价格太高", 0, 1), ("选择竞品", 0, 1), ("价格优势", 1, 0)]  # losses first on a tie
    seal = await win_loss(root, NOVEMBER, Dimension.REASON, Filters(vehicle_model_id=deals["seal"].id))
    assert table(seal) == [("选择竞品", 0, 1)]
    website = await win_loss(root, NOVEMBER, Dimension.TEAM, Filters(channel=Channel.WEBSITE))
    assert table(website) == [("一组", 1, 3)]


async def test_a_report_is_one_query_plus_one_for_labels(world, deals):
    from tests.sql_statements import counting_statements

    with counting_statements() as statements:
        await win_loss(world.p(world.root), NOVEMBER, Dimension.VEHICLE_MODEL)
    assert statements.count == 2


async def test_bad_periods_and_statuses_are_refused_naming_the_field(world):
    with pytest.raises(UserError) as backwards:
        Period.of(NOVEMBER.end, NOVEMBER.start)
    assert backwards.value.field == "to"
    with pytest.raises(UserError) as too_long:
        Period.of(NOVEMBER.start, NOVEMBER.start.replace(year=2030))
    assert too_long.value.field == "to"
    with pytest.raises(UserError) as open_status:
        await win_loss(world.p(world.root), NOVEMBER, Dimension.REASON, status=OpportunityStatus.OPEN)
    assert open_status.value.field == "status"


def test_presets_are_whole_months_and_quarters():
    from datetime import date

    today = date(2026, 1, 15)
    assert this_month(today) == Period(date(2026, 1, 1), date(2026, 2, 1))
    assert last_month(today) == Period(date(2025, 12, 1), date(2026, 1, 1))
    assert this_quarter(date(2026, 11, 30)) == Period(date(2026, 10, 1), date(2027, 1, 1))
    assert last_12_months(today) == Period(date(2025, 2, 1), date(2026, 2, 1))
