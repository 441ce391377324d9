"""Report types: win/loss rows and totals, funnel steps, and the filters reports take."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal

import strawberry

from server.analytics import funnel as funnel_service
from server.analytics import journey as journey_service
from server.analytics import portrait as portrait_service
from server.analytics import winloss
from server.analytics.filters import Filters
from server.analytics.period import Period
from server.api.enums import Channel, OpportunityStage, OpportunityStatus, TagCategory, ValueTier
from server.api.relay import decode_id, to_global_id

WinLossDimension = strawberry.enum(
    winloss.Dimension, name="WinLossDimension",
    description="What a win/loss report groups by: the close reason, the competitor (brand and model), the "
                "vehicle model, the consultant, the customer's team or source channel, or the local month.",
)

# The global id type of each dimension whose key is a primary key.
_NODE_TYPES = {
    winloss.Dimension.REASON: "CloseReason",
    winloss.Dimension.VEHICLE_MODEL: "VehicleModel",
    winloss.Dimension.CONSULTANT: "User",
    winloss.Dimension.TEAM: "Team",
}


@strawberry.input(description="Which deals a report counts; every condition given must hold.")
class AnalyticsFilter:
    from_: date = strawberry.field(name="from", description="The first day of the period, in the dealership's time zone.")
    to: date = strawberry.field(description="The day after the last day of the period (excluded).")
    team_id: strawberry.ID | None = strawberry.field(default=None, description="Only customers of this team.")
    owner_id: strawberry.ID | None = strawberry.field(default=None, description="Only deals worked by this consultant.")
    vehicle_model_id: strawberry.ID | None = strawberry.field(default=None, description="Only deals for this model.")
    channel: Channel | None = strawberry.field(default=None, description="Only customers from this source channel.")

    def period(self) -> Period:
        return Period.of(self.from_, self.to)

    def filters(self) -> Filters:
        return Filters(
            team_id=decode_id(self.team_id, "Team", "teamId") if self.team_id else None,
            owner_id=decode_id(self.owner_id, "User", "ownerId") if self.owner_id else None,
            vehicle_model_id=decode_id(self.vehicle_model_id, "VehicleModel", "vehicleModelId")
            if self.vehicle_model_id else None,
            channel=self.channel,
        )


@strawberry.input(description="Which closed deals a win/loss report counts; every condition given must hold.")
class WinLossFilter(AnalyticsFilter):
    status: OpportunityStatus | None = strawberry.field(default=None, description="Only WON or only LOST deals; both if null.")


@strawberry.type(description="One group of a win/loss report: its deals won and lost, rates and amounts.")
class WinLossRow:
    key: str | None = strawberry.field(
        description="What the group is: a global id (reason, model, consultant, team), a channel, a month as "
                    "2026-11, or the competitor as shown; null when the deals do not record it.")
    label: str = strawberry.field(description="The group's name as stored (a channel or month as its key).")
    competitor_brand: str | None = strawberry.field(description="The competitor's brand, when grouped by competitor.")
    competitor_model: str | None = strawberry.field(description="The competitor's model, when grouped by competitor.")
    won: int = strawberry.field(description="Deals won.")
    lost: int = strawberry.field(description="Deals lost.")
    total: int = strawberry.field(description="Deals closed, won or lost.")
    win_rate: float | None = strawberry.field(description="Won divided by closed, 0 to 1; null with no deals.")
    lost_share: float | None = strawberry.field(description="This group's losses as a share of all losses in the report, 0 to 1.")
    won_amount: Decimal = strawberry.field(description="Sum of the won deals' amounts, in CNY.")
    lost_amount: Decimal = strawberry.field(description="Sum of the lost deals' amounts, in CNY.")

    @classmethod
    def from_row(cls, dimension: winloss.Dimension, row: winloss.Row) -> "WinLossRow":
        key = row.key
        if key is not None and dimension in _NODE_TYPES:
            key = to_global_id(_NODE_TYPES[dimension], int(key))
        return cls(key=None if key is None else str(key), label=row.label, competitor_brand=row.competitor_brand,
                   competitor_model=row.competitor_model, won=row.won, lost=row.lost, total=row.total,
                   win_rate=row.win_rate, lost_share=row.lost_share, won_amount=row.won_amount,
                   lost_amount=row.lost_amount)


@strawberry.type(description="A win/loss report's totals over all its rows.")
class WinLossTotals:
    won: int = strawberry.field(description="Deals won.")
    lost: int = strawberry.field(description="Deals lost.")
    total: int = strawberry.field(description="Deals closed, won or lost.")
    win_rate: float | None = strawberry.field(description="Won divided by closed, 0 to 1; null with no deals.")
    won_amount: Decimal = strawberry.field(description="Sum of the won deals' amounts, in CNY.")
    lost_amount: Decimal = strawberry.field(description="Sum of the lost deals' amounts, in CNY.")


@strawberry.type(description="Deals closed in a period, grouped by one dimension (赢单/战败分析).")
class WinLossReport:
    group_by: WinLossDimension = strawberry.field(description="What the rows are grouped by.")
    from_: date = strawberry.field(name="from", description="The first day of the period.")
    to: date = strawberry.field(description="The day after the last day of the period.")
    rows: list[WinLossRow] = strawberry.field(description="One row per group, most deals first (months in order).")
    totals: WinLossTotals = strawberry.field(description="The sums over every row.")

    @classmethod
    def from_report(cls, report: winloss.Report) -> "WinLossReport":
        t = report.totals
        return cls(
            group_by=report.dimension, from_=report.period.start, to=report.period.end,
            rows=[WinLossRow.from_row(report.dimension, r) for r in report.rows],
            totals=WinLossTotals(won=t.won, lost=t.lost, total=t.total, win_rate=t.win_rate,
                                 won_amount=t.won_amount, lost_amount=t.lost_amount),
        )


@strawberry.type(description="One step of the funnel: a stage, or the won deals at the end.")
class FunnelStep:
    key: str = strawberry.field(description="The stage, or WON for the last step.")
    stage: OpportunityStage | None = strawberry.field(description="The stage; null for the won step.")
    count: int = strawberry.field(description="Deals opened in the period that got at least this far.")
    conversion: float | None = strawberry.field(description="This step's count over the previous step's, 0 to 1.")
    share: float | None = strawberry.field(description="This step's count over the deals opened in the period, 0 to 1.")


@strawberry.type(description="One step of the customer journey: leads, then those who visited, test-drove, got an "
                             "opportunity, a quote, and bought.")
class JourneyStep:
    key: str = strawberry.field(description="The step: LEAD, VISITED, TEST_DROVE, OPPORTUNITY, QUOTED or WON.")
    label: str = strawberry.field(description="The step's name as the showroom says it (线索, 到店, 试驾, 商机, 报价, 成交).")
    count: int = strawberry.field(description="Customers first created in the period who have taken this step, each once.")
    from_previous: float | None = strawberry.field(
        description="This step's count over the previous step's (may exceed 1 when earlier steps went unlogged); "
                    "null for the first step or after an empty one.")
    from_first: float | None = strawberry.field(description="This step's count over the period's leads, 0 to 1; null with no leads.")


@strawberry.type(description="The customer journey (客户漏斗) of the customers first created in a period.")
class Journey:
    steps: list[JourneyStep] = strawberry.field(
        description="The steps in order; each counts the period's leads who have it on record, whenever it happened.")


@strawberry.type(description="The leads of one source channel and how far they got.")
class ChannelFunnelRow:
    channel: Channel = strawberry.field(description="The customers' source channel.")
    leads: int = strawberry.field(description="Customers from this channel first created in the period.")
    visited: int = strawberry.field(description="Of them, those who came to the showroom (a walk-in or a logged visit).")
    opportunities: int = strawberry.field(description="Of them, those with at least one opportunity.")
    won: int = strawberry.field(description="Of them, those with a won deal.")
    conversion: float | None = strawberry.field(description="Won over leads, 0 to 1; null with no leads.")


class _Once:
    """Runs the journey query at most once per funnel, however many of its fields are asked for."""

    def __init__(self, load: Callable[[], Awaitable[journey_service.Journey]]):
        self._load, self._task = load, None

    async def __call__(self) -> journey_service.Journey:
        if self._task is None:
            self._task = asyncio.ensure_future(self._load())
        return await self._task


@strawberry.type(description="The sales funnel (销售漏斗) of the deals opened in a period.")
class Funnel:
    from_: date = strawberry.field(name="from", description="The first day of the period.")
    to: date = strawberry.field(description="The day after the last day of the period.")
    opened: int = strawberry.field(description="Deals opened in the period.")
    steps: list[FunnelStep] = strawberry.field(
        description="The stages in order, then the won deals; a won deal counts as having passed every stage.")
    journey_loader: strawberry.Private[_Once]

    @strawberry.field(description="The customers first created in the period (with the filter's team, owner and "
                                  "channel; the vehicle model does not apply), step by step from lead to won.")
    async def journey(self) -> Journey:
        result = await self.journey_loader()
        return Journey(steps=[JourneyStep(key=s.key, label=journey_service.STEP_NAMES[s.key], count=s.count,
                                          from_previous=s.from_previous, from_first=s.from_first)
                              for s in result.steps])

    @strawberry.field(description="The same customers per source channel, most leads first.")
    async def by_channel(self) -> list[ChannelFunnelRow]:
        result = await self.journey_loader()
        return [ChannelFunnelRow(channel=Channel(r.channel), leads=r.leads, visited=r.visited,
                                 opportunities=r.opportunities, won=r.won, conversion=r.conversion)
                for r in result.by_channel]

    @classmethod
    def from_funnel(cls, result: funnel_service.Funnel,
                    journey: Callable[[], Awaitable[journey_service.Journey]]) -> "Funnel":
        return cls(
            from_=result.period.start, to=result.period.end, opened=result.opened,
            steps=[FunnelStep(key=s.key, stage=None if s.key == funnel_service.WON else OpportunityStage(s.key), count=s.count,
                              conversion=s.conversion, share=s.share) for s in result.steps],
            journey_loader=_Once(journey),
        )


@strawberry.type(description="One bar of a portrait distribution: how many customers it holds.")
class PortraitBucket:
    key: str | None = strawberry.field(
        description="What to filter the customer list by: a tag name (customers(filter: {tags: [key]})) or, by "
                    "tier, a ValueTier; null for customers without a tier yet.")
    label: str = strawberry.field(description="The bar's name: the tag's value without its prefix (25-34, 杭州) or the tier.")
    count: int = strawberry.field(description="Customers in it.")
    category: TagCategory | None = strawberry.field(description="The tag's category; null by tier.")

    @classmethod
    def from_bucket(cls, b: portrait_service.Bucket) -> "PortraitBucket":
        return cls(key=b.key, label=b.label, count=b.count, category=b.category)


@strawberry.type(description="客户画像分析: how the customers the viewer may see spread, as of the last portrait refresh.")
class Portrait:
    customers: int = strawberry.field(description="Customers the viewer may see.")
    result: strawberry.Private[portrait_service.Portrait]

    def _dimension(self, name: str) -> list[PortraitBucket]:
        prefix, order = portrait_service.DIMENSIONS[name]
        return [PortraitBucket.from_bucket(b) for b in self.result.prefixed(prefix, order)]

    @strawberry.field(description="Customers by age band (年龄), youngest first.")
    def by_age_band(self) -> list[PortraitBucket]:
        return self._dimension("age")

    @strawberry.field(description="Customers by city, or province when no city is known (地区), most first.")
    def by_region(self) -> list[PortraitBucket]:
        return self._dimension("region")

    @strawberry.field(description="Customers by budget band (预算), lowest first.")
    def by_budget_band(self) -> list[PortraitBucket]:
        return self._dimension("budget")

    @strawberry.field(description="Customers by vehicle model of interest (意向车型), most first; one customer may count for several.")
    def by_interested_model(self) -> list[PortraitBucket]:
        return self._dimension("model")

    @strawberry.field(description="Customers by value tier (高价值 / 中等价值 / 潜在), highest first.")
    def by_tier(self) -> list[PortraitBucket]:
        return [PortraitBucket(key=b.key, label=b.label, count=b.count, category=None) for b in self.result.tiers]

    @strawberry.field(description="Customers per tag, most first, optionally of one category.")
    def by_tag(self, category: TagCategory | None = None, first: int = 30) -> list[PortraitBucket]:
        return [PortraitBucket.from_bucket(b) for b in self.result.tags(category, max(0, min(first, 100)))]
