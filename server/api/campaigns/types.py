"""The Campaign node and its numbers."""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from server.api.enums import Channel, OpportunityStatus
from server.api.relay import Connection, Node, paginate, to_global_id
from server.auth.scope import scoped
from server.sales import campaigns
from server.sales.models import Campaign as CampaignModel

if TYPE_CHECKING:
    from server.api.customers.types import Customer
    from server.api.sales.types import Opportunity


@strawberry.type(description=(
    "A campaign's numbers. Opportunities are those attributed to the campaign: a deal takes its customer's "
    "campaign when opened, and follows the customer when attributed by hand. Managers and admins count the "
    "whole campaign; anyone else counts only the customers they may see, and gets no costs."
))
class CampaignStats:
    leads: int = strawberry.field(description="Customers attributed to the campaign.")
    opportunities: int = strawberry.field(description="Opportunities attributed to the campaign, open or closed.")
    won_deals: int = strawberry.field(description="Of those, the ones won.")
    won_amount: Decimal = strawberry.field(description="The won deals' amounts added up, in CNY.")
    conversion_rate: float | None = strawberry.field(description="Won deals per lead (0.25 is 25 %); null without leads.")
    cost_per_lead: Decimal | None = strawberry.field(description="Budget per lead in CNY; null without leads or for a partial count.")
    cost_per_won_deal: Decimal | None = strawberry.field(description="Budget per won deal in CNY; null without won deals or for a partial count.")
    whole_campaign: bool = strawberry.field(description="Whether the numbers cover the whole campaign (managers and admins) or only the viewer's customers.")

    @classmethod
    def from_stats(cls, s: campaigns.CampaignStats) -> "CampaignStats":
        rate = s.conversion_rate
        return cls(leads=s.leads, opportunities=s.opportunities, won_deals=s.won_deals, won_amount=s.won_amount,
                   conversion_rate=float(rate) if rate is not None else None, cost_per_lead=s.cost_per_lead,
                   cost_per_won_deal=s.cost_per_won_deal, whole_campaign=s.whole_campaign)


@strawberry.type(description="A marketing campaign (营销活动): channel, dates and budget, and the leads it brought.")
class Campaign(Node):
    name: str = strawberry.field(description="The campaign's name.")
    code: str = strawberry.field(description="The code records carry to be attributed to it on ingestion.")
    channel: Channel = strawberry.field(description="The channel it runs on.")
    starts_on: date | None = strawberry.field(description="The first day.")
    ends_on: date | None = strawberry.field(description="The last day; null while open-ended.")
    budget: Decimal = strawberry.field(description="What it costs, in CNY.")
    version: int = strawberry.field(description="Pass back with an update; a stale one is a CONFLICT.")
    created_at: datetime = strawberry.field(description="When it was entered.")
    pk: strawberry.Private[int]

    @strawberry.field(description="Whether it runs today (dealership time).")
    def is_active(self) -> bool:
        day = campaigns.today()
        return (self.starts_on is None or self.starts_on <= day) and (self.ends_on is None or day <= self.ends_on)

    @strawberry.field(description="Its numbers, counted as the viewer may (see CampaignStats).")
    async def stats(self, info: Info) -> CampaignStats:
        return CampaignStats.from_stats(await info.context.campaign_stats.load(self.pk))

    @strawberry.field(description="Its leads among the customers the viewer may see, newest first.")
    async def customers(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated["Customer", strawberry.lazy("server.api.customers.types")]]:
        from server.api.customers.types import Customer
        from server.customers.models import Customer as CustomerModel

        query = scoped(CustomerModel, info.context.principal).filter(campaign_id=self.pk)
        return await paginate(query.order_by("-created_at", "-id"), first, after, Customer.from_model)

    @strawberry.field(description="Its opportunities on customers the viewer may see, most recently changed first.")
    async def opportunities(
        self, info: Info, status: list[OpportunityStatus] | None = None, first: int | None = None,
        after: str | None = None,
    ) -> Connection[Annotated["Opportunity", strawberry.lazy("server.api.sales.types")]]:
        from server.api.sales.types import Opportunity
        from server.sales.models import Opportunity as OpportunityModel

        query = scoped(OpportunityModel, info.context.principal, "customer__").filter(campaign_id=self.pk)
        if status:
            query = query.filter(status__in=[s.value for s in status])
        return await paginate(query.order_by("-updated_at", "-id"), first, after, Opportunity.from_model)

    @classmethod
    def from_model(cls, c: CampaignModel) -> "Campaign":
        return cls(id=to_global_id("Campaign", c.id), name=c.name, code=c.code, channel=c.channel,
                   starts_on=c.starts_on, ends_on=c.ends_on, budget=c.budget, version=c.version,
                   created_at=c.created_at, pk=c.id)
