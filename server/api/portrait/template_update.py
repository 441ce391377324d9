import strawberry
from strawberry.types import Info

from server.api.enums import Grade, OpportunityStage, TemplateKind
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.api.portrait.types import MessageTemplate
from server.api.relay import decode_id
from server.portrait import templates

UNSET = strawberry.UNSET


@strawberry.input(description="Changes to a template; fields left out stay as they are.")
class UpdateMessageTemplateInput:
    id: strawberry.ID = strawberry.field(description="The template.")
    title: str | None = strawberry.field(default=UNSET, description="Its title.")
    body: str | None = strawberry.field(default=UNSET, description="The text, a sandboxed template.")
    kind: TemplateKind | None = strawberry.field(default=UNSET, description="A talking point or a message to send.")
    tag_names: list[str] | None = strawberry.field(default=UNSET, description="Tags it fits; empty for any.")
    stages: list[OpportunityStage] | None = strawberry.field(default=UNSET, description="Deal stages it fits; empty for any.")
    grades: list[Grade] | None = strawberry.field(default=UNSET, description="Customer grades it fits; empty for any.")
    is_active: bool | None = strawberry.field(default=UNSET, description="False retires it: no longer recommended.")


@strawberry.type(description="The result of updateMessageTemplate.")
class UpdateMessageTemplatePayload:
    message_template: MessageTemplate | None = strawberry.field(description="The template as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def update_message_template(info: Info, input: UpdateMessageTemplateInput) -> UpdateMessageTemplatePayload:
    try:
        data = {k: v for k, v in given_fields(input, skip=("id",)).items() if v is not None}
        for name in ("stages", "grades"):
            if name in data:
                data[name] = [item.value for item in data[name]]
        row = await templates.update_template(info.context.principal, decode_id(input.id, "MessageTemplate"), data)
    except USER_ERRORS as exc:
        return UpdateMessageTemplatePayload(message_template=None, errors=to_user_errors(exc))
    return UpdateMessageTemplatePayload(message_template=MessageTemplate.from_model(row), errors=[])


field = strawberry.mutation(resolver=update_message_template,
                            description="Edit, retire or restore a talking point or message template (managers and admins).",
                            permission_classes=[CanWrite])
