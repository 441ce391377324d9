import strawberry
from strawberry.types import Info

from server.api.enums import OpportunityStatus
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.sales.types import Opportunity
from server.sales import closing


@strawberry.input(description="How an opportunity closed.")
class CloseOpportunityInput:
    id: strawberry.ID = strawberry.field(description="The opportunity.")
    version: int = strawberry.field(description="The version read; a stale one is a CONFLICT error.")
    status: OpportunityStatus = strawberry.field(description="WON or LOST.")
    reason_id: strawberry.ID | None = strawberry.field(default=None, description="A reason from closeReasons of the matching kind; required.")
    competitor_brand: str = strawberry.field(default="", description="The brand bought instead; required when the reason needs a competitor.")
    competitor_model: str = strawberry.field(default="", description="The model bought instead; required when the reason needs a competitor.")
    note: str = strawberry.field(default="", description="A note on why.")


@strawberry.type(description="The result of closeOpportunity.")
class CloseOpportunityPayload:
    opportunity: Opportunity | None = strawberry.field(description="The opportunity as saved; lossPending when a loss awaits approval.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def close_opportunity(info: Info, input: CloseOpportunityInput) -> CloseOpportunityPayload:
    try:
        row = await closing.close_opportunity(
            info.context.principal, decode_id(input.id, "Opportunity"), input.version, input.status,
            reason_id=decode_id(input.reason_id, "CloseReason", "reason_id") if input.reason_id else None,
            competitor_brand=input.competitor_brand, competitor_model=input.competitor_model, note=input.note,
        )
    except USER_ERRORS as exc:
        return CloseOpportunityPayload(opportunity=None, errors=to_user_errors(exc))
    return CloseOpportunityPayload(opportunity=Opportunity.from_model(row), errors=[])


field = strawberry.mutation(
    resolver=close_opportunity,
    description="Close an opportunity won or lost with a reason; where losses need approval, a consultant's loss becomes a request.",
    permission_classes=[CanWrite],
)
