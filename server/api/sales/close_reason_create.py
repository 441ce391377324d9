import strawberry
from strawberry.types import Info

from server.api.enums import CloseReasonKind
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.api.sales.catalog_types import CloseReason
from server.sales import close_reasons


@strawberry.input(description="A new win or loss reason.")
class CreateCloseReasonInput:
    kind: CloseReasonKind = strawberry.field(description="WIN or LOSS.")
    label: str = strawberry.field(description="The reason as users see it.")
    requires_competitor: bool = strawberry.field(default=False, description="Whether a loss for it must name the competitor.")
    position: int | None = strawberry.field(default=strawberry.UNSET, description="Its place in the list; last if left out.")


@strawberry.type(description="The result of createCloseReason.")
class CreateCloseReasonPayload:
    close_reason: CloseReason | None = strawberry.field(description="The new reason.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def create_close_reason(info: Info, input: CreateCloseReasonInput) -> CreateCloseReasonPayload:
    try:
        data = given_fields(input, skip=("kind",))
        if data.get("position") is None:
            data.pop("position", None)
        row = await close_reasons.create_close_reason(info.context.principal, input.kind, data)
    except USER_ERRORS as exc:
        return CreateCloseReasonPayload(close_reason=None, errors=to_user_errors(exc))
    return CreateCloseReasonPayload(close_reason=CloseReason.from_model(row), errors=[])


field = strawberry.mutation(resolver=create_close_reason, description="Add a reason to the win or loss list (managers and admins).",
                            permission_classes=[CanWrite])
