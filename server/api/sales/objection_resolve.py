import strawberry
from strawberry.types import Info

from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_id
from server.api.sales.types import Objection
from server.sales import objections


@strawberry.input(description="An objection to mark resolved (or open again).")
class ResolveObjectionInput:
    id: strawberry.ID = strawberry.field(description="The objection.")
    resolved: bool = strawberry.field(default=True, description="False opens it again.")


@strawberry.type(description="The result of resolveObjection.")
class ResolveObjectionPayload:
    objection: Objection | None = strawberry.field(description="The objection as saved.")
    errors: list[UserError] = strawberry.field(description="Problems with the input; empty on success.")


async def resolve_objection(info: Info, input: ResolveObjectionInput) -> ResolveObjectionPayload:
    try:
        row = await objections.resolve_objection(info.context.principal, decode_id(input.id, "Objection"), input.resolved)
    except USER_ERRORS as exc:
        return ResolveObjectionPayload(objection=None, errors=to_user_errors(exc))
    return ResolveObjectionPayload(objection=Objection.from_model(row), errors=[])


field = strawberry.mutation(resolver=resolve_objection, description="Mark an objection resolved; twice changes nothing.",
                            permission_classes=[CanWrite])
