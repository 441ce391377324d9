import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.api.pool.rule_inputs import AssignmentRuleFields
from server.api.pool.rule_types import AssignmentRule
from server.sales import assignment


@strawberry.input(description="A new assignment rule.")
class CreateAssignmentRuleInput(AssignmentRuleFields):
    team_id: strawberry.ID = strawberry.field(description="The team the leads go to; a manager's own team.")


@strawberry.type(description="The result of createAssignmentRule.")
class CreateAssignmentRulePayload:
    assignment_rule: AssignmentRule | None = strawberry.field(description="The new rule.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def create_assignment_rule(info: Info, input: CreateAssignmentRuleInput) -> CreateAssignmentRulePayload:
    try:
        data = given_fields(input, ids={"team_id": "Team", "vehicle_model_id": "VehicleModel"})
        row = await assignment.create_assignment_rule(info.context.principal, data)
    except USER_ERRORS as exc:
        return CreateAssignmentRulePayload(assignment_rule=None, errors=to_user_errors(exc))
    return CreateAssignmentRulePayload(assignment_rule=AssignmentRule.from_model(row), errors=[])


field = strawberry.mutation(resolver=create_assignment_rule,
                            description="Add a rule routing new leads to a team (managers for their team, admins).",
                            permission_classes=[CanWrite])
