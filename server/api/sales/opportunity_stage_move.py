from datetime import date

import strawberry
from strawberry.types import Info

from server.api.enums import OpportunityStage
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.sales.types import Opportunity
from server.sales import opportunities


@strawberry.input(description="The stage an open opportunity moves to.")
class MoveOpportunityStageInput:
    id: strawberry.ID = strawberry.field(description="The opportunity.")
    version: int = strawberry.field(description="The version read; a stale one is a CONFLICT error.")
    stage: OpportunityStage = strawberry.field(description="The new stage, forwards or back.")
    expected_close_date: date | None = strawberry.field(default=None, description="A new expected close date, if it changed.")


@strawberry.type(description="The result of moveOpportunityStage.")
class MoveOpportunityStagePayload:
    opportunity: Opportunity | None = strawberry.field(description="The opportunity as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def move_opportunity_stage(info: Info, input: MoveOpportunityStageInput) -> MoveOpportunityStagePayload:
    try:
        row = await opportunities.move_opportunity_stage(
            info.context.principal, decode_id(input.id, "Opportunity"), input.version, input.stage,
            input.expected_close_date,
        )
    except USER_ERRORS as exc:
        return MoveOpportunityStagePayload(opportunity=None, errors=to_user_errors(exc))
    return MoveOpportunityStagePayload(opportunity=Opportunity.from_model(row), errors=[])


field = strawberry.mutation(resolver=move_opportunity_stage,
                            description="Move an open opportunity to another stage; the probability follows.",
                            permission_classes=[CanWrite])
