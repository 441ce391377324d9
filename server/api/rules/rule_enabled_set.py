import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.rules.types import Rule
from server.rules import services


@strawberry.input(description="Switch a rule on or off.")
class SetRuleEnabledInput:
    id: strawberry.ID = strawberry.field(description="The rule.")
    enabled: bool = strawberry.field(description="Whether it runs.")


@strawberry.type(description="The result of setRuleEnabled.")
class SetRuleEnabledPayload:
    rule: Rule | None = strawberry.field(description="The rule as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def set_rule_enabled(info: Info, input: SetRuleEnabledInput) -> SetRuleEnabledPayload:
    try:
        row = await services.set_rule_enabled(info.context.principal, decode_id(input.id, "Rule"), input.enabled)
    except USER_ERRORS as exc:
        return SetRuleEnabledPayload(rule=None, errors=to_user_errors(exc))
    return SetRuleEnabledPayload(rule=Rule.from_model(row), errors=[])


field = strawberry.mutation(resolver=set_rule_enabled,
                            description="Switch a trigger rule on or off, built-in ones too (managers and admins).",
                            permission_classes=[CanWrite])
