import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.rules.inputs import Paths, RuleFields, name_input_fields, rule_data
from server.api.rules.types import Rule
from server.rules import services


@strawberry.input(description="A new trigger rule: name, condition, actions and a schedule or events.")
class CreateRuleInput(RuleFields):
    pass


@strawberry.type(description="The result of createRule.")
class CreateRulePayload:
    rule: Rule | None = strawberry.field(description="The new rule.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def create_rule(info: Info, input: CreateRuleInput) -> CreateRulePayload:
    paths = Paths()
    try:
        row = await services.create_rule(info.context.principal, rule_data(input, paths))
    except USER_ERRORS as exc:
        return CreateRulePayload(rule=None, errors=to_user_errors(name_input_fields(exc, paths)))
    return CreateRulePayload(rule=Rule.from_model(row), errors=[])


field = strawberry.mutation(resolver=create_rule, description="Add a trigger rule (managers and admins).",
                            permission_classes=[CanWrite])
