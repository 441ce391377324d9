import strawberry
from strawberry.types import Info

from server.api.customers.types import Customer
from server.api.errors import USER_ERRORS, UserError, to_user_errors
from server.api.permissions import CanWrite
from server.api.relay import decode_ids
from server.auth.scope import scoped
from server.customers.models import Customer as CustomerModel
from server.sales import pool


@strawberry.input(description="Pool customers to take as one's own.")
class ClaimFromPoolInput:
    customer_ids: list[strawberry.ID] = strawberry.field(description="The customers, up to 100; all or none are claimed.")


@strawberry.type(description="The result of claimFromPool.")
class ClaimFromPoolPayload:
    customers: list[Customer] = strawberry.field(description="The customers now the viewer's.")
    errors: list[UserError] = strawberry.field(description="Caps, cooling-off, or customers no longer in the pool; empty on success.")


async def claim_from_pool(info: Info, input: ClaimFromPoolInput) -> ClaimFromPoolPayload:
    principal = info.context.principal
    try:
        ids = await pool.claim_from_pool(principal, decode_ids(input.customer_ids, "Customer", "customer_ids"))
    except USER_ERRORS as exc:
        return ClaimFromPoolPayload(customers=[], errors=to_user_errors(exc))
    rows = await scoped(CustomerModel, principal).filter(id__in=ids).order_by("id")
    return ClaimFromPoolPayload(customers=[Customer.from_model(r) for r in rows], errors=[])


field = strawberry.mutation(
    resolver=claim_from_pool,
    description="Claim customers from the pool, within the holding and daily caps and the cooling-off period.",
    permission_classes=[CanWrite],
)
