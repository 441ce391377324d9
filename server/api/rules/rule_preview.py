import strawberry
from strawberry.types import Info

from server.api.customers.types import Customer
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanRead
from server.api.rules.inputs import Paths, RuleConditionInput, condition_json, name_input_fields
from server.api.rules.types import RulePreview
from server.rules import services


@strawberry.input(description="A condition to try before saving it.")
class PreviewRuleInput:
    condition: RuleConditionInput = strawberry.field(description="The condition.")


@strawberry.type(description="The result of previewRule.")
class PreviewRulePayload:
    preview: RulePreview | None = strawberry.field(description="What the condition selects now.")
    errors: list[UserError] = strawberry.field(description="Problems with the condition; empty on success.")


async def preview_rule(info: Info, input: PreviewRuleInput) -> PreviewRulePayload:
    paths = Paths()
    try:
        count, sample = await services.preview_rule(info.context.principal, condition_json(input.condition, paths))
    except USER_ERRORS as exc:
        return PreviewRulePayload(preview=None, errors=to_user_errors(name_input_fields(exc, paths)))
    return PreviewRulePayload(preview=RulePreview(match_count=count, sample=[Customer.from_model(c) for c in sample]),
                              errors=[])


field = strawberry.mutation(resolver=preview_rule,
                            description="How many customers a condition selects now, within the viewer's scope, and a sample; changes nothing (managers and admins).",
                            permission_classes=[CanRead])
