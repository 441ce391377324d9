import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.api.pool.rule_inputs import AssignmentRuleFields
from server.api.pool.rule_types import AssignmentRule
from server.api.relay import decode_id
from server.sales import assignment


@strawberry.input(description="Changes to an assignment rule.")
class UpdateAssignmentRuleInput(AssignmentRuleFields):
    id: strawberry.ID = strawberry.field(description="The rule.")


@strawberry.type(description="The result of updateAssignmentRule.")
class UpdateAssignmentRulePayload:
    assignment_rule: AssignmentRule | None = strawberry.field(description="The rule as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def update_assignment_rule(info: Info, input: UpdateAssignmentRuleInput) -> UpdateAssignmentRulePayload:
    try:
        data = given_fields(input, skip=("id",), ids={"vehicle_model_id": "VehicleModel"})
        row = await assignment.update_assignment_rule(info.context.principal, decode_id(input.id, "AssignmentRule"), data)
    except USER_ERRORS as exc:
        return UpdateAssignmentRulePayload(assignment_rule=None, errors=to_user_errors(exc))
    return UpdateAssignmentRulePayload(assignment_rule=AssignmentRule.from_model(row), errors=[])


field = strawberry.mutation(resolver=update_assignment_rule, description="Change an assignment rule; set isActive false to pause it.",
                            permission_classes=[CanWrite])
