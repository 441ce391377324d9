import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanRead
from server.api.relay import decode_id
from server.customers import reveal

RevealableField = strawberry.enum(reveal.RevealableField, description="A personal field that is masked by default.")


@strawberry.input(description="Which personal field of which customer to show in full.")
class RevealFieldInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer.")
    field: RevealableField = strawberry.field(description="The field to reveal.")


@strawberry.type(description="The result of revealField.")
class RevealFieldPayload:
    value: str | None = strawberry.field(description="The field in full; the reveal is recorded in the audit log.")
    errors: list[UserError] = strawberry.field(description="Why it cannot be shown, if so.")


async def reveal_field(info: Info, input: RevealFieldInput) -> RevealFieldPayload:
    try:
        pk = decode_id(input.customer_id, "Customer", "customer_id")
        value = await reveal.reveal_field(info.context.principal, pk, input.field)
    except USER_ERRORS as exc:
        return RevealFieldPayload(value=None, errors=to_user_errors(exc))
    return RevealFieldPayload(value=value, errors=[])


field = strawberry.mutation(
    resolver=reveal_field,
    description="Show a masked personal field in full, if the viewer may; every reveal is logged.",
    permission_classes=[CanRead],
)
