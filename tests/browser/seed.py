"""Seed a database for the browser tests: the test world, plus enough of alice's customers to
scroll. Run as `python -m tests.browser.seed DATABASE_URL` before the server starts."""

import asyncio
import sys
from datetime import date, timedelta

from tortoise import Tortoise
from tortoise.timezone import now

from server.activity.models import Interaction
from server.auth.principal import principal_for_user
from server.customers.services import create_customer
from server.db import tortoise_config
from server.customers.models import Customer
from server.enums import Channel, CloseReasonKind, InteractionKind, OpportunityStage
from server.sales.models import CloseReason, VehicleModel
from server.sales.opportunities import create_opportunity
from server.ingestion.services import Incoming, ingest
from tests.world import build_world

EXTRA_CUSTOMERS = 30
# Possible duplicates for amy to review: the same name, phone numbers one digit apart. Hers, not
# alice's, so alice's customer list keeps the length the scrolling test counts on.
DUPLICATE_PAIRS = [("郑秋", "13912340101", "13912340102"), ("冯春", "13712340201", "13712340202")]
# Real surnames, so pinyin search has something to tell apart from 张三 (zs).
SURNAMES = "王李刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭"


async def seed(url: str) -> None:
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
    try:
        await Tortoise.generate_schemas()
        world = await build_world()
        alice = principal_for_user(world.alice)
        for i in range(EXTRA_CUSTOMERS):
            customer = await create_customer(alice, {"name": f"{SURNAMES[i]}先生{i}", "phone": f"1391234{i:04d}"})
            await Interaction.create(customer=customer, user=world.alice, kind=InteractionKind.VISIT,
                                     occurred_at=now() - timedelta(days=i + 1), summary=f"到店看车，第{i}次")
        for name, phone_a, phone_b in DUPLICATE_PAIRS:
            first = await ingest(Channel.WEBSITE, [Incoming({"姓名": name, "手机号": phone_a, "地址": "杭州市文三路1号"})])
            later = await ingest(Channel.DOUYIN, [Incoming({"姓名": name, "手机号": phone_b})])
            await Customer.filter(id__in=[first[0].customer_id, later[0].customer_id]).update(
                owner_id=world.amy.id, team_id=world.amy.team_id)
        # For the deal test: bob's own customer, a catalog model and the managed close reasons.
        await create_customer(principal_for_user(world.bob), {"name": "卫青", "phone": "13512345678"})
        await VehicleModel.create(brand="比亚迪", series="汉", trim="EV 冠军版", body_type="SEDAN", energy_type="BEV",
                                  price="209800.00")
        await CloseReason.create(kind=CloseReasonKind.WIN, label="价格优势")
        await CloseReason.create(kind=CloseReasonKind.LOSS, label="价格太高")
        await CloseReason.create(kind=CloseReasonKind.LOSS, label="选择竞品", requires_competitor=True)
        # For the board test: amy's deals in two stages (amy owns no deal anywhere else).
        amy = principal_for_user(world.amy)
        huo = await create_customer(amy, {"name": "霍光", "phone": "13512340001"})
        await create_opportunity(amy, huo.id, {"title": "霍光 · 汉", "amount": "209800",
                                               "expected_close_date": date(2030, 6, 30)})
        await create_opportunity(amy, huo.id, {"title": "霍光 · 唐", "amount": "259800",
                                               "stage": OpportunityStage.NEGOTIATION})
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    asyncio.run(seed(sys.argv[1]))
