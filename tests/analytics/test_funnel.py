"""The funnel: deals opened in the period, how far each got, and the conversion between steps."""

from datetime import datetime, timezone

import pytest

from server.analytics.filters import Filters
from server.analytics.funnel import funnel
from server.enums import OpportunityStage as S
from server.enums import OpportunityStatus
from tests.analytics.conftest import NOVEMBER, deal

IN_NOVEMBER = datetime(2026, 11, 10, 2, 0, tzinfo=timezone.utc)
# 07:00 on 1 December in Shanghai: after the period, though still 30 November in UTC.
JUST_AFTER = datetime(2026, 11, 30, 23, 0, tzinfo=timezone.utc)


@pytest.fixture
async def opened(world):
    a, b = world.alices_customer, world.bobs_customer
    open_, won, lost = OpportunityStatus.OPEN, OpportunityStatus.WON, OpportunityStatus.LOST
    for stage in (S.INITIAL_CONTACT, S.INITIAL_CONTACT, S.PRESENTATION, S.TEST_DRIVE):
        await deal(a, world.alice, f"张三 · {stage}", open_, None, stage=stage, created_at=IN_NOVEMBER)
    await deal(a, world.alice, "张三 · 战败", lost, IN_NOVEMBER, stage=S.NEGOTIATION, created_at=IN_NOVEMBER)
    # Won at negotiation: a won deal has passed every stage.
    await deal(a, world.alice, "张三 · 成交", won, IN_NOVEMBER, stage=S.NEGOTIATION, created_at=IN_NOVEMBER)
    await deal(a, world.alice, "张三 · 晚了", open_, None, stage=S.CONTRACT, created_at=JUST_AFTER)
    await deal(b, world.bob, "李四 · 汉", won, IN_NOVEMBER, stage=S.CONTRACT, created_at=IN_NOVEMBER)


def counts(result):
    return [(s.key, s.count) for s in result.steps]


async def test_each_stage_counts_the_deals_that_got_at_least_that_far(world, opened):
    result = await funnel(world.p(world.root), NOVEMBER)
    assert result.opened == 7
    assert counts(result) == [("INITIAL_CONTACT", 7), ("NEEDS_CONFIRMED", 5), ("PRESENTATION", 5),
                              ("TEST_DRIVE", 4), ("NEGOTIATION", 3), ("CONTRACT", 2), ("WON", 2)]
    steps = {s.key: s for s in result.steps}
    assert steps["INITIAL_CONTACT"].conversion is None
    assert steps["NEEDS_CONFIRMED"].conversion == pytest.approx(5 / 7)
    assert steps["NEGOTIATION"].conversion == pytest.approx(3 / 4)
    assert steps["WON"].conversion == pytest.approx(1.0)
    assert steps["WON"].share == pytest.approx(2 / 7)


async def test_the_funnel_follows_the_scope_and_the_filters(world, opened):
    bert = await funnel(world.p(world.bert), NOVEMBER)
    assert counts(bert)[0] == ("INITIAL_CONTACT", 1) and counts(bert)[-1] == ("WON", 1)
    anna = await funnel(world.p(world.anna), NOVEMBER)
    assert anna.opened == 6 and counts(anna)[-1] == ("WON", 1)
    only_bob = await funnel(world.p(world.root), NOVEMBER, Filters(owner_id=world.bob.id))
    assert only_bob.opened == 1


async def test_an_empty_period_has_no_rates(world):
    result = await funnel(world.p(world.root), NOVEMBER)
    assert result.opened == 0
    assert all(s.count == 0 and s.conversion is None and s.share is None for s in result.steps)
