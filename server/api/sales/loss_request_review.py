import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.sales.types import Opportunity
from server.sales import closing


@strawberry.input(description="A manager's answer to a loss request (战败审批).")
class ReviewLossRequestInput:
    id: strawberry.ID = strawberry.field(description="The opportunity whose loss is requested.")
    version: int = strawberry.field(description="The version read; a stale one is a CONFLICT error.")
    approve: bool = strawberry.field(description="True closes the deal LOST; false sends it back to the consultant.")
    comment: str = strawberry.field(default="", description="Why; required when sending it back.")


@strawberry.type(description="The result of reviewLossRequest.")
class ReviewLossRequestPayload:
    opportunity: Opportunity | None = strawberry.field(description="The opportunity as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def review_loss_request(info: Info, input: ReviewLossRequestInput) -> ReviewLossRequestPayload:
    try:
        row = await closing.review_loss_request(info.context.principal, decode_id(input.id, "Opportunity"),
                                                input.version, approve=input.approve, comment=input.comment)
    except USER_ERRORS as exc:
        return ReviewLossRequestPayload(opportunity=None, errors=to_user_errors(exc))
    return ReviewLossRequestPayload(opportunity=Opportunity.from_model(row), errors=[])


field = strawberry.mutation(resolver=review_loss_request,
                            description="Approve a loss request or send it back with a comment (managers and admins).",
                            permission_classes=[CanWrite])
