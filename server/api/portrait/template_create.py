import strawberry
from strawberry.types import Info

from server.api.enums import Grade, OpportunityStage, TemplateKind
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.api.portrait.types import MessageTemplate
from server.portrait import templates


@strawberry.input(description="A new talking point or message template.")
class CreateMessageTemplateInput:
    title: str = strawberry.field(description="Its title.")
    body: str = strawberry.field(description="The text, a sandboxed template that may name name, surname, salutation, grade, budget, interested_model, deal_model and owner, as in {{ salutation }}.")
    kind: TemplateKind = strawberry.field(default=TemplateKind.TALKING_POINT, description="A talking point or a message to send.")
    tag_names: list[str] = strawberry.field(default_factory=list, description="Tags it fits.")
    stages: list[OpportunityStage] = strawberry.field(default_factory=list, description="Deal stages it fits.")
    grades: list[Grade] = strawberry.field(default_factory=list, description="Customer grades it fits.")


@strawberry.type(description="The result of createMessageTemplate.")
class CreateMessageTemplatePayload:
    message_template: MessageTemplate | None = strawberry.field(description="The new template.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def create_message_template(info: Info, input: CreateMessageTemplateInput) -> CreateMessageTemplatePayload:
    try:
        data = given_fields(input)
        data["stages"] = [s.value for s in input.stages]
        data["grades"] = [g.value for g in input.grades]
        row = await templates.create_template(info.context.principal, data)
    except USER_ERRORS as exc:
        return CreateMessageTemplatePayload(message_template=None, errors=to_user_errors(exc))
    return CreateMessageTemplatePayload(message_template=MessageTemplate.from_model(row), errors=[])


field = strawberry.mutation(resolver=create_message_template,
                            description="Add a talking point or message template (managers and admins).",
                            permission_classes=[CanWrite])
