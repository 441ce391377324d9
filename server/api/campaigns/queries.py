import strawberry
from strawberry.types import Info

from server.api.campaigns.types import Campaign
from server.api.enums import Channel
from server.api.permissions import CanRead
from server.api.relay import Connection, decode_id, paginate
from server.sales import campaigns
from server.sales.models import Campaign as CampaignModel


@strawberry.input(description="Which campaigns to list; every condition given must hold.")
class CampaignFilter:
    active: bool | None = strawberry.field(default=None, description="Only those running today (true) or not running (false).")
    channel: Channel | None = strawberry.field(default=None, description="Only those on this channel.")
    search: str | None = strawberry.field(default=None, description="Part of the name or the code.")


@strawberry.type
class CampaignQuery:
    @strawberry.field(description="Marketing campaigns, latest start first; every staff member sees the list.",
                      permission_classes=[CanRead])
    async def campaigns(
        self, filter: CampaignFilter | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Campaign]:
        flt = filter or CampaignFilter()
        query = campaigns.list_campaigns(active=flt.active, channel=flt.channel.value if flt.channel else None,
                                         search=flt.search)
        return await paginate(query, first, after, Campaign.from_model)

    @strawberry.field(description="One campaign by id.", permission_classes=[CanRead])
    async def campaign(self, id: strawberry.ID) -> Campaign | None:
        row = await CampaignModel.get_or_none(id=decode_id(id, "Campaign"))
        return Campaign.from_model(row) if row else None
