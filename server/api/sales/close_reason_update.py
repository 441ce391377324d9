import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.inputs import given_fields
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.sales.catalog_types import CloseReason
from server.sales import close_reasons

UNSET = strawberry.UNSET


@strawberry.input(description="Changes to a reason; fields left out stay as they are.")
class UpdateCloseReasonInput:
    id: strawberry.ID = strawberry.field(description="The reason.")
    label: str | None = strawberry.field(default=UNSET, description="The reason as users see it.")
    requires_competitor: bool | None = strawberry.field(default=UNSET, description="Whether a loss for it must name the competitor.")
    is_active: bool | None = strawberry.field(default=UNSET, description="False retires it: no longer offered, kept on old deals.")
    position: int | None = strawberry.field(default=UNSET, description="Its place in the list.")


@strawberry.type(description="The result of updateCloseReason.")
class UpdateCloseReasonPayload:
    close_reason: CloseReason | None = strawberry.field(description="The reason as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def update_close_reason(info: Info, input: UpdateCloseReasonInput) -> UpdateCloseReasonPayload:
    try:
        data = {k: v for k, v in given_fields(input, skip=("id",)).items() if v is not None}
        row = await close_reasons.update_close_reason(info.context.principal, decode_id(input.id, "CloseReason"), data)
    except USER_ERRORS as exc:
        return UpdateCloseReasonPayload(close_reason=None, errors=to_user_errors(exc))
    return UpdateCloseReasonPayload(close_reason=CloseReason.from_model(row), errors=[])


field = strawberry.mutation(resolver=update_close_reason,
                            description="Rename, reorder, retire or restore a reason (managers and admins).",
                            permission_classes=[CanWrite])
