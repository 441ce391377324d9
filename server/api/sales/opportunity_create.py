from datetime import date
from decimal import Decimal

import strawberry
from strawberry.types import Info

from server.api.enums import OpportunityStage
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.sales.types import Opportunity
from server.sales import opportunities

UNSET = strawberry.UNSET


@strawberry.input(description="A new opportunity on a customer.")
class CreateOpportunityInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer the deal is with.")
    title: str = strawberry.field(description="What the deal is, e.g. 张三 · 比亚迪 汉.")
    vehicle_model_id: strawberry.ID | None = strawberry.field(default=UNSET, description="The model the customer is after.")
    amount: Decimal | None = strawberry.field(default=UNSET, description="Expected deal value in CNY.")
    expected_close_date: date | None = strawberry.field(default=UNSET, description="When the deal is expected to close.")
    stage: OpportunityStage | None = strawberry.field(default=UNSET, description="The starting stage; INITIAL_CONTACT if left out.")


@strawberry.type(description="The result of createOpportunity.")
class CreateOpportunityPayload:
    opportunity: Opportunity | None = strawberry.field(description="The new opportunity.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def create_opportunity(info: Info, input: CreateOpportunityInput) -> CreateOpportunityPayload:
    try:
        customer_pk = decode_id(input.customer_id, "Customer", "customer_id")
        data = given_fields(input, skip=("customer_id",), ids={"vehicle_model_id": "VehicleModel"})
        if data.get("stage") is None:
            data.pop("stage", None)
        row = await opportunities.create_opportunity(info.context.principal, customer_pk, data)
    except USER_ERRORS as exc:
        return CreateOpportunityPayload(opportunity=None, errors=to_user_errors(exc))
    return CreateOpportunityPayload(opportunity=Opportunity.from_model(row), errors=[])


field = strawberry.mutation(resolver=create_opportunity, description="Open an opportunity on a customer; its probability follows the stage.",
                            permission_classes=[CanWrite])
