import strawberry
from strawberry.types import Info

from server.api.customers.types import Customer
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_ids
from server.auth.scope import scoped
from server.customers.models import Customer as CustomerModel
from server.sales import pool


@strawberry.input(description="Customers to give back to the pool.")
class ReturnToPoolInput:
    customer_ids: list[strawberry.ID] = strawberry.field(description="The customers, up to 100; all or none are returned.")
    reason: str = strawberry.field(default="", description="Why, for the audit log.")


@strawberry.type(description="The result of returnToPool.")
class ReturnToPoolPayload:
    customers: list[Customer] = strawberry.field(description="The customers, now in the pool.")
    errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


async def return_to_pool(info: Info, input: ReturnToPoolInput) -> ReturnToPoolPayload:
    principal = info.context.principal
    try:
        ids = await pool.return_to_pool(principal, decode_ids(input.customer_ids, "Customer", "customer_ids"), input.reason)
    except USER_ERRORS as exc:
        return ReturnToPoolPayload(customers=[], errors=to_user_errors(exc))
    rows = await scoped(CustomerModel, principal).filter(id__in=ids).order_by("id")
    return ReturnToPoolPayload(customers=[Customer.from_model(r) for r in rows], errors=[])


field = strawberry.mutation(
    resolver=return_to_pool,
    description="Give customers back to the pool (their owner, the team's manager or an admin); their open tasks are cancelled.",
    permission_classes=[CanWrite],
)
