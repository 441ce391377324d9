import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.rules.inputs import Paths, RuleFields, name_input_fields, rule_data
from server.api.rules.types import Rule
from server.rules import services


@strawberry.input(description="Changes to a trigger rule; fields left out are kept.")
class UpdateRuleInput(RuleFields):
    id: strawberry.ID = strawberry.field(description="The rule.")
    version: int = strawberry.field(description="The version read; a stale one is a CONFLICT.")


@strawberry.type(description="The result of updateRule.")
class UpdateRulePayload:
    rule: Rule | None = strawberry.field(description="The rule as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def update_rule(info: Info, input: UpdateRuleInput) -> UpdateRulePayload:
    paths = Paths()
    try:
        row = await services.update_rule(info.context.principal, decode_id(input.id, "Rule"), input.version,
                                         rule_data(input, paths))
    except USER_ERRORS as exc:
        return UpdateRulePayload(rule=None, errors=to_user_errors(name_input_fields(exc, paths)))
    return UpdateRulePayload(rule=Rule.from_model(row), errors=[])


field = strawberry.mutation(resolver=update_rule, description="Change a trigger rule (managers and admins).",
                            permission_classes=[CanWrite])
