import strawberry
from strawberry.types import Info

from server.api.customers.types import Customer
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.sales import campaigns


@strawberry.input(description="Attribute a customer to a campaign by hand, or clear it.")
class SetCustomerCampaignInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    version: int = strawberry.field(description="The customer's version read; a stale one is a CONFLICT error.")
    campaign_id: strawberry.ID | None = strawberry.field(description="The campaign that brought the customer in; null clears it.")


@strawberry.type(description="The result of setCustomerCampaign.")
class SetCustomerCampaignPayload:
    customer: Customer | None = strawberry.field(description="The customer as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def set_customer_campaign(info: Info, input: SetCustomerCampaignInput) -> SetCustomerCampaignPayload:
    try:
        customer_pk = decode_id(input.customer_id, "Customer", "customer_id")
        campaign_pk = decode_id(input.campaign_id, "Campaign", "campaign_id") if input.campaign_id else None
        row = await campaigns.set_customer_campaign(info.context.principal, customer_pk, input.version, campaign_pk)
    except USER_ERRORS as exc:
        return SetCustomerCampaignPayload(customer=None, errors=to_user_errors(exc))
    return SetCustomerCampaignPayload(customer=Customer.from_model(row), errors=[])


field = strawberry.mutation(
    resolver=set_customer_campaign,
    description="Attribute a customer to a campaign by hand (whoever may change the customer); its deals follow.",
    permission_classes=[CanWrite],
)
