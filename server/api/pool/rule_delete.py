import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.sales import assignment


@strawberry.input(description="The assignment rule to delete.")
class DeleteAssignmentRuleInput:
    id: strawberry.ID = strawberry.field(description="The rule.")


@strawberry.type(description="The result of deleteAssignmentRule.")
class DeleteAssignmentRulePayload:
    deleted_id: strawberry.ID | None = strawberry.field(description="The id of the deleted rule.")
    errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


async def delete_assignment_rule(info: Info, input: DeleteAssignmentRuleInput) -> DeleteAssignmentRulePayload:
    try:
        await assignment.delete_assignment_rule(info.context.principal, decode_id(input.id, "AssignmentRule"))
    except USER_ERRORS as exc:
        return DeleteAssignmentRulePayload(deleted_id=None, errors=to_user_errors(exc))
    return DeleteAssignmentRulePayload(deleted_id=input.id, errors=[])


field = strawberry.mutation(resolver=delete_assignment_rule, description="Delete an assignment rule; leads already routed stay.",
                            permission_classes=[CanWrite])
