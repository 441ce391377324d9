"""Seed a database for the browser tests: the test world, plus enough of alice's customers to
scroll. Run as `python -m tests.browser.seed DATABASE_URL` before the server starts."""

import asyncio
import sys
from datetime import timedelta

from tortoise import Tortoise
from tortoise.timezone import now

from server.activity.models import Interaction
from server.auth.principal import principal_for_user
from server.customers.services import create_customer
from server.db import tortoise_config
from server.enums import InteractionKind
from tests.world import build_world

EXTRA_CUSTOMERS = 30
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
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    asyncio.run(seed(sys.argv[1]))
