import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.sales.types import Opportunity
from server.sales import closing


@strawberry.input(description="A won or lost opportunity to open again.")
class ReopenOpportunityInput:
    id: strawberry.ID = strawberry.field(description="The opportunity.")
    version: int = strawberry.field(description="The version read; a stale one is a CONFLICT error.")
    note: str = strawberry.field(default="", description="Why it is reopened; kept in the audit log.")


@strawberry.type(description="The result of reopenOpportunity.")
class ReopenOpportunityPayload:
    opportunity: Opportunity | None = strawberry.field(description="The opportunity, open again.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def reopen_opportunity(info: Info, input: ReopenOpportunityInput) -> ReopenOpportunityPayload:
    try:
        row = await closing.reopen_opportunity(info.context.principal, decode_id(input.id, "Opportunity"),
                                               input.version, input.note)
    except USER_ERRORS as exc:
        return ReopenOpportunityPayload(opportunity=None, errors=to_user_errors(exc))
    return ReopenOpportunityPayload(opportunity=Opportunity.from_model(row), errors=[])


field = strawberry.mutation(resolver=reopen_opportunity,
                            description="Open a closed opportunity again at its stage; the old outcome stays in the audit log.",
                            permission_classes=[CanWrite])
