"""Marketing campaigns, and which new customers they brought in."""

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from server.demo.clock import Clock
from server.demo.world import World
from server.enums import Channel
from server.sales.models import Campaign


@dataclass(frozen=True)
class CampaignPlan:
    row: Campaign
    starts_on: date
    ends_on: date
    channel: Channel
    # Share of the customers first seen during the campaign that it gets the credit for.
    share: float


def build_campaigns(world: World, clock: Clock) -> list[CampaignPlan]:
    specs = (
        # name, code, channel, starts (days ago), length in days, budget, share
        ("{year}杭州国际车展", "AUTOSHOW-{year}", Channel.AUTO_SHOW, 210, 10, 300000, 0.7),
        ("{year}抖音直播购车节", "DOUYIN-LIVE-{year}", Channel.DOUYIN, 150, 30, 80000, 0.35),
        ("老带新转介绍有礼", "REFERRAL-{year}", Channel.REFERRAL, 365, 425, 50000, 0.06),
        ("新能源置换补贴季", "EV-TRADEIN-{year}", Channel.WEBSITE, 60, 90, 120000, 0.25),
    )
    plans = []
    for name, code, channel, starts_ago, length, budget, share in specs:
        starts_on = clock.day(starts_ago)
        ends_on = clock.day(starts_ago - length)
        row = Campaign(
            name=name.format(year=starts_on.year),
            code=code.format(year=starts_on.year),
            channel=channel,
            starts_on=starts_on,
            ends_on=ends_on,
            budget=Decimal(budget),
            created_at=clock.at(clock.day(starts_ago + 20), 10),
        )
        world.add(row)
        plans.append(CampaignPlan(row, starts_on, ends_on, channel, share))
    return plans


def attribute(rng: random.Random, campaigns: list[CampaignPlan], first_seen: date) -> CampaignPlan | None:
    for plan in campaigns:
        if plan.starts_on <= first_seen <= plan.ends_on and rng.random() < plan.share:
            return plan
    return None
