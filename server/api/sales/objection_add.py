import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.sales.types import Objection
from server.sales import objections


@strawberry.input(description="An objection the customer raised on an opportunity.")
class AddObjectionInput:
    opportunity_id: strawberry.ID = strawberry.field(description="The opportunity.")
    category: str = strawberry.field(description="What it is about, e.g. 价格, 续航, 交车周期.")
    text: str = strawberry.field(description="The objection in the customer's words.")


@strawberry.type(description="The result of addObjection.")
class AddObjectionPayload:
    objection: Objection | None = strawberry.field(description="The new objection.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def add_objection(info: Info, input: AddObjectionInput) -> AddObjectionPayload:
    try:
        row = await objections.add_objection(
            info.context.principal, decode_id(input.opportunity_id, "Opportunity", "opportunity_id"),
            category=input.category, text=input.text,
        )
    except USER_ERRORS as exc:
        return AddObjectionPayload(objection=None, errors=to_user_errors(exc))
    return AddObjectionPayload(objection=Objection.from_model(row), errors=[])


field = strawberry.mutation(resolver=add_objection, description="Record an objection on an opportunity.",
                            permission_classes=[CanWrite])
