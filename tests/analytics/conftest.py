"""Closed deals at known moments around a month boundary in Shanghai, on both teams' customers."""

from datetime import date, datetime, timezone

import pytest

from server.analytics.period import Period
from server.customers.models import Customer
from server.enums import Channel, CloseReasonKind, OpportunityStage, OpportunityStatus
from server.sales.models import CloseReason, Opportunity, VehicleModel

# 2026-10-31 23:30 and 2026-11-01 00:30 in Shanghai (UTC+8): October and November deals.
LATE_OCTOBER = datetime(2026, 10, 31, 15, 30, tzinfo=timezone.utc)
EARLY_NOVEMBER = datetime(2026, 10, 31, 16, 30, tzinfo=timezone.utc)
MID_NOVEMBER = datetime(2026, 11, 15, 4, 0, tzinfo=timezone.utc)
DECEMBER = datetime(2026, 12, 2, 4, 0, tzinfo=timezone.utc)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 12, 1))
AUTUMN = Period(date(2026, 9, 1), date(2026, 12, 1))


async def deal(customer, owner, title, status, closed_at, *, amount=None, reason=None, brand="", model="",
               vehicle=None, stage=OpportunityStage.NEGOTIATION, created_at=None, **extra):
    row = await Opportunity.create(customer=customer, owner=owner, title=title, status=status, closed_at=closed_at,
                                   amount=amount, close_reason=reason, competitor_brand=brand, competitor_model=model,
                                   vehicle_model=vehicle, stage=stage, **extra)
    if created_at is not None:  # auto_now_add: set afterwards
        await Opportunity.filter(id=row.id).update(created_at=created_at)
    return row


@pytest.fixture
async def deals(world):
    """Team A (alice's 张三, from the website): in November one win of 汉 and two losses to 特斯拉
    Model 3 and one on price, a pending loss; in October one loss. Team B (bob's 李四): one
    November loss to 特斯拉 Model 3."""
    await Customer.filter(id=world.alices_customer.id).update(channel=Channel.WEBSITE)
    han = await VehicleModel.create(brand="比亚迪", series="汉", trim="EV", body_type="SEDAN", energy_type="BEV",
                                    price="209800.00")
    seal = await VehicleModel.create(brand="比亚迪", series="海豹", body_type="SEDAN", energy_type="BEV",
                                     price="189800.00")
    win = await CloseReason.create(kind=CloseReasonKind.WIN, label="价格优势")
    competitor = await CloseReason.create(kind=CloseReasonKind.LOSS, label="选择竞品", requires_competitor=True)
    price = await CloseReason.create(kind=CloseReasonKind.LOSS, label="价格太高")
    a, b = world.alices_customer, world.bobs_customer
    won, lost = OpportunityStatus.WON, OpportunityStatus.LOST
    await deal(a, world.alice, "张三 · 汉", won, EARLY_NOVEMBER, amount="209800.00", reason=win, vehicle=han)
    await deal(a, world.alice, "张三 · 海豹", lost, MID_NOVEMBER, amount="189800.00", reason=competitor,
               brand="特斯拉", model="Model 3", vehicle=seal)
    await deal(a, world.amy, "张三 · 汉 二", lost, MID_NOVEMBER, amount="199800.50", reason=competitor,
               brand="特斯拉", model="Model 3", vehicle=han)
    await deal(a, world.alice, "张三 · 汉 三", lost, MID_NOVEMBER, amount=None, reason=price, vehicle=han)
    await deal(a, world.alice, "张三 · 十月", lost, LATE_OCTOBER, amount="1000.00", reason=price, vehicle=han)
    await deal(a, world.alice, "张三 · 待批", OpportunityStatus.OPEN, None, reason=price, loss_pending=True)
    await deal(a, world.alice, "张三 · 十二月", won, DECEMBER, amount="5.00", reason=win)
    await deal(b, world.bob, "李四 · 汉", lost, MID_NOVEMBER, amount="209800.00", reason=competitor,
               brand="特斯拉", model="Model 3", vehicle=han)
    return {"han": han, "seal": seal, "win": win, "competitor": competitor, "price": price}
