from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from server.api.campaigns.types import Campaign
from server.api.enums import Channel
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.sales import campaigns

UNSET = strawberry.UNSET


@strawberry.input(description="Changes to a campaign; fields left out stay as they are.")
class UpdateCampaignInput:
    id: strawberry.ID = strawberry.field(description="The campaign.")
    version: int = strawberry.field(description="The version read; a stale one is a CONFLICT error.")
    name: str | None = strawberry.field(default=UNSET, description="The campaign's name.")
    code: str | None = strawberry.field(default=UNSET, description="A unique code that records carry on ingestion.")
    channel: Channel | None = strawberry.field(default=UNSET, description="The channel it runs on.")
    starts_on: date | None = strawberry.field(default=UNSET, description="The first day.")
    ends_on: date | None = strawberry.field(default=UNSET, description="The last day; null makes it open-ended.")
    budget: Decimal | None = strawberry.field(default=UNSET, description="What it costs in CNY, 0 or more.")


@strawberry.type(description="The result of updateCampaign.")
class UpdateCampaignPayload:
    campaign: Campaign | None = strawberry.field(description="The campaign as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def update_campaign(info: Info, input: UpdateCampaignInput) -> UpdateCampaignPayload:
    try:
        pk = decode_id(input.id, "Campaign")
        row = await campaigns.update_campaign(info.context.principal, pk, input.version,
                                              given_fields(input, skip=("id", "version")))
    except USER_ERRORS as exc:
        return UpdateCampaignPayload(campaign=None, errors=to_user_errors(exc))
    return UpdateCampaignPayload(campaign=Campaign.from_model(row), errors=[])


field = strawberry.mutation(resolver=update_campaign,
                            description="Change a campaign (managers and admins); carries the version read.",
                            permission_classes=[CanWrite])
