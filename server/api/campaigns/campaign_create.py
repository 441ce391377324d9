from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from server.api.campaigns.types import Campaign
from server.api.enums import Channel
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.sales import campaigns

UNSET = strawberry.UNSET


@strawberry.input(description="A new campaign.")
class CreateCampaignInput:
    name: str = strawberry.field(description="The campaign's name.")
    code: str = strawberry.field(description="A unique code (letters, digits, '-', '_') that records carry on ingestion.")
    channel: Channel = strawberry.field(description="The channel it runs on.")
    starts_on: date = strawberry.field(description="The first day.")
    ends_on: date | None = strawberry.field(default=UNSET, description="The last day, not before the first; open-ended if left out.")
    budget: Decimal | None = strawberry.field(default=UNSET, description="What it costs in CNY, 0 or more; 0 if left out.")


@strawberry.type(description="The result of createCampaign.")
class CreateCampaignPayload:
    campaign: Campaign | None = strawberry.field(description="The new campaign.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def create_campaign(info: Info, input: CreateCampaignInput) -> CreateCampaignPayload:
    try:
        row = await campaigns.create_campaign(info.context.principal, given_fields(input))
    except USER_ERRORS as exc:
        return CreateCampaignPayload(campaign=None, errors=to_user_errors(exc))
    return CreateCampaignPayload(campaign=Campaign.from_model(row), errors=[])


field = strawberry.mutation(resolver=create_campaign, description="Enter a marketing campaign (managers and admins).",
                            permission_classes=[CanWrite])
